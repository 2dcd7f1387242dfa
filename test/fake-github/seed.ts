/**
 * Seeding: put a consistent GitHub in place before the app runs. Every helper takes only what a
 * test cares about and fills the rest with GitHub-like defaults. Repositories are named
 * "owner/name" or passed as the `RepoState` a helper returned.
 */
import { commitSha, resolveRef } from "./git.js";
import {
  type AccountState,
  type AccountType,
  type Annotation,
  type CheckRunState,
  type CollaboratorRole,
  type CommitState,
  type CommitStatusState,
  type CustomPropertyValue,
  type FakeState,
  type GitActor,
  type InstallationState,
  type IssueCommentState,
  type IssueState,
  type LabelState,
  type PullRequestState,
  type RepoState,
  type ReviewState,
  type RulesetConditions,
  type RulesetRule,
  type RulesetState,
  repoKey,
} from "./state.js";

export type RepoRef = string | RepoState;

export interface CommitSeed {
  message?: string;
  /** Path -> new content; `null` deletes the file. Unlisted files are kept from the parent. */
  files?: Record<string, string | null>;
  /** The GitHub account that authored the commit; its name and email follow unless given. */
  author?: string;
  authorName?: string;
  authorEmail?: string;
  /** An explicit SHA (e.g. from a webhook payload); otherwise derived from the content. */
  sha?: string;
  parents?: string[];
  /** The branch that moves to the new commit; the default branch when neither it nor `parents` is given. */
  branch?: string;
}

export interface RepoSeed {
  owner: string;
  name: string;
  id?: number;
  defaultBranch?: string;
  visibility?: RepoState["visibility"];
  archived?: boolean;
  fork?: boolean;
  isTemplate?: boolean;
  language?: string | null;
  topics?: string[];
  description?: string | null;
  customProperties?: Record<string, CustomPropertyValue>;
  /** Files of the first commit on the default branch. */
  files?: Record<string, string>;
  /** SHA of the first commit (e.g. a payload's `before`). */
  initialSha?: string;
  /** Users with access to the repository (who can be assigned its issues). */
  collaborators?: string[];
  /** Collaborators' roles by login (each also a collaborator). */
  roles?: Record<string, CollaboratorRole>;
}

export interface PullRequestSeed {
  number?: number;
  id?: number;
  title?: string;
  body?: string | null;
  author?: string;
  /** Head branch; created from the base branch's tip when it does not exist. */
  head?: string;
  /** The fork the head branch lives in, for a pull request from a fork. */
  fromFork?: RepoRef;
  base?: string;
  /** Commits pushed onto the head branch, oldest first. */
  commits?: CommitSeed[];
  draft?: boolean;
  state?: "open" | "closed";
  merged?: boolean;
  labels?: string[];
  assignees?: string[];
  requestedReviewers?: string[];
}

export interface RulesetSeed {
  /** A repository ruleset when given, else an organization ruleset of `org`. */
  repo?: RepoRef;
  org?: string;
  id?: number;
  name: string;
  target?: RulesetState["target"];
  enforcement?: RulesetState["enforcement"];
  conditions?: RulesetConditions | null;
  rules: RulesetRule[];
  bypassActors?: RulesetState["bypassActors"];
}

/** Colors GitHub gives a new label when none is asked for. */
const DEFAULT_LABEL_COLOR = "ededed";

export class Seeder {
  constructor(readonly state: FakeState) {}

  protected repoOf(ref: RepoRef): RepoState {
    if (typeof ref !== "string") return ref;
    const [owner, name] = ref.split("/") as [string, string | undefined];
    const repo = name ? this.state.findRepo(owner, name) : undefined;
    if (!repo) throw new Error(`the fake has no repository ${ref}; seed it with seedRepo first`);
    return repo;
  }

  seedOrg(login: string, options: { id?: number } = {}): AccountState {
    return this.state.account(login, "Organization", options.id);
  }

  seedUser(login: string, options: { id?: number; type?: AccountType } = {}): AccountState {
    return this.state.account(login, options.type, options.id);
  }

  /** Installs the app on an account: on all its repositories, or on the named ones. */
  seedInstallation(options: {
    account: string;
    id?: number;
    repositories?: "all" | string[];
    permissions?: InstallationState["permissions"];
    events?: string[];
  }): InstallationState {
    const app = this.state.app();
    const account = this.state.findAccount(options.account) ?? this.seedOrg(options.account);
    const selected =
      options.repositories === undefined || options.repositories === "all" ? undefined : options.repositories;
    const installation: InstallationState = {
      id: options.id === undefined ? this.state.nextId() : this.state.reserveId(options.id),
      appId: app.id,
      account: account.login,
      repositorySelection: selected ? "selected" : "all",
      repositoryIds: (selected ?? []).map((name) => this.repoOf(`${account.login}/${name}`).id),
      permissions: { ...(options.permissions ?? app.permissions) },
      events: [...(options.events ?? app.events)],
      createdAt: this.state.clock.iso(),
      suspendedAt: null,
    };
    this.state.installations.set(installation.id, installation);
    return installation;
  }

  /** The installation on an account, installed (on all repositories) when there is none yet. */
  installationFor(account: string): InstallationState {
    for (const installation of this.state.installations.values()) {
      if (installation.account.toLowerCase() === account.toLowerCase()) return installation;
    }
    return this.seedInstallation({ account });
  }

  /** A repository with a first commit on its default branch holding `files`. */
  seedRepo(seed: RepoSeed): RepoState {
    const owner = this.state.findAccount(seed.owner) ?? this.seedOrg(seed.owner);
    const now = this.state.clock.iso();
    const repo: RepoState = {
      id: seed.id === undefined ? this.state.nextId() : this.state.reserveId(seed.id),
      owner: owner.login,
      name: seed.name,
      defaultBranch: seed.defaultBranch ?? "main",
      visibility: seed.visibility ?? "private",
      archived: seed.archived ?? false,
      fork: seed.fork ?? false,
      isTemplate: seed.isTemplate ?? false,
      language: seed.language ?? null,
      topics: seed.topics ?? [],
      description: seed.description ?? null,
      customProperties: seed.customProperties ?? {},
      createdAt: now,
      updatedAt: now,
      pushedAt: now,
      commits: new Map(),
      branches: new Map(),
      tags: new Map(),
      issues: new Map(),
      pulls: new Map(),
      labels: new Map(),
      statuses: [],
      collaborators: new Set(
        [...(seed.collaborators ?? []), ...Object.keys(seed.roles ?? {})].map((login) => login.toLowerCase()),
      ),
      roles: new Map(Object.entries(seed.roles ?? {}).map(([login, role]) => [login.toLowerCase(), role])),
    };
    this.state.repos.set(repoKey(repo.owner, repo.name), repo);
    this.seedCommit(repo, {
      message: "Initial commit",
      files: seed.files ?? {},
      parents: [],
      branch: repo.defaultBranch,
      ...(seed.initialSha ? { sha: seed.initialSha } : {}),
    });
    return repo;
  }

  /** A commit on top of a branch (default: the default branch) or of explicit parents. */
  seedCommit(ref: RepoRef, seed: CommitSeed = {}): CommitState {
    const repo = this.repoOf(ref);
    const branch = seed.branch ?? (seed.parents ? undefined : repo.defaultBranch);
    const tip = branch ? repo.branches.get(branch) : undefined;
    const parents = seed.parents ?? (tip ? [tip] : []);
    const files = new Map(repo.commits.get(parents[0] ?? "")?.files ?? []);
    for (const [path, content] of Object.entries(seed.files ?? {})) {
      if (content === null) files.delete(path);
      else files.set(path, content);
    }
    const login = seed.author ?? null;
    const actor: GitActor = {
      name: seed.authorName ?? login ?? "Octo Cat",
      email: seed.authorEmail ?? (login ? `${login}@users.noreply.github.com` : "octocat@github.com"),
      date: this.state.clock.iso(),
    };
    if (login) this.state.account(login);
    const content: Omit<CommitState, "sha"> = {
      message: seed.message ?? "chore: update",
      author: actor,
      committer: actor,
      authorLogin: login,
      committerLogin: login,
      parents,
      files,
    };
    const commit: CommitState = { sha: seed.sha ?? commitSha(content), ...content };
    repo.commits.set(commit.sha, commit);
    if (branch) repo.branches.set(branch, commit.sha);
    repo.pushedAt = this.state.clock.iso();
    return commit;
  }

  /** A branch at a ref (default: the default branch's tip). */
  seedBranch(ref: RepoRef, name: string, from?: string): string {
    const repo = this.repoOf(ref);
    const sha = resolveRef(repo, from ?? repo.defaultBranch);
    if (!sha) throw new Error(`cannot branch ${name} from unknown ref ${from}`);
    repo.branches.set(name, sha);
    return sha;
  }

  seedLabel(ref: RepoRef, seed: { name: string; color?: string; description?: string | null }): LabelState {
    const repo = this.repoOf(ref);
    const known = repo.labels.get(seed.name.toLowerCase());
    if (known) return known;
    const label: LabelState = {
      id: this.state.nextId(),
      name: seed.name,
      color: seed.color ?? DEFAULT_LABEL_COLOR,
      description: seed.description ?? null,
      default: false,
    };
    repo.labels.set(seed.name.toLowerCase(), label);
    return label;
  }

  /** The next number an issue or pull request gets in a repository. */
  protected nextNumber(repo: RepoState): number {
    return Math.max(0, ...repo.issues.keys()) + 1;
  }

  seedIssue(
    ref: RepoRef,
    seed: {
      number?: number;
      id?: number;
      title?: string;
      body?: string | null;
      /** A person by default; `byApp` opens it as the app under test's installation does. */
      author?: string;
      byApp?: boolean;
      /** The app whose installation opened it, when `author` is that app's bot. */
      viaApp?: number;
      labels?: string[];
      assignees?: string[];
      state?: "open" | "closed";
      isPullRequest?: boolean;
    } = {},
  ): IssueState {
    const repo = this.repoOf(ref);
    const now = this.state.clock.iso();
    const app = seed.byApp ? this.state.app() : undefined;
    const author = this.state.account(app ? `${app.slug}[bot]` : (seed.author ?? "octocat")).login;
    for (const name of seed.labels ?? []) this.seedLabel(repo, { name });
    for (const login of seed.assignees ?? []) this.state.account(login);
    const issue: IssueState = {
      id: seed.id === undefined ? this.state.nextId() : this.state.reserveId(seed.id),
      number: seed.number ?? this.nextNumber(repo),
      title: seed.title ?? "An issue",
      body: seed.body ?? null,
      state: seed.state ?? "open",
      stateReason: seed.state === "closed" ? "completed" : null,
      user: author,
      viaApp: app?.id ?? seed.viaApp ?? null,
      editor: null,
      lastEditedAt: null,
      labels: seed.labels ?? [],
      assignees: seed.assignees ?? [],
      locked: false,
      isPullRequest: seed.isPullRequest ?? false,
      createdAt: now,
      updatedAt: now,
      closedAt: seed.state === "closed" ? now : null,
    };
    repo.issues.set(issue.number, issue);
    return issue;
  }

  /** Someone edits an issue's body, as in GitHub's web editor. */
  editIssueBody(ref: RepoRef, number: number, edit: { body: string; editor: string }): IssueState {
    const issue = this.repoOf(ref).issues.get(number);
    if (!issue) throw new Error(`no issue #${number} to edit`);
    const now = this.state.clock.iso();
    Object.assign(issue, {
      body: edit.body,
      editor: this.state.account(edit.editor).login,
      lastEditedAt: now,
      updatedAt: now,
    });
    return issue;
  }

  seedIssueComment(
    ref: RepoRef,
    issueNumber: number,
    seed: { body: string; author?: string },
  ): IssueCommentState {
    const repo = this.repoOf(ref);
    const now = this.state.clock.iso();
    const comment: IssueCommentState = {
      id: this.state.nextId(),
      repo: repoKey(repo.owner, repo.name),
      issueNumber,
      body: seed.body,
      user: this.state.account(seed.author ?? "octocat").login,
      createdAt: now,
      updatedAt: now,
    };
    this.state.issueComments.set(comment.id, comment);
    return comment;
  }

  /** A pull request from `head` into `base`, with `commits` pushed onto the head branch first. */
  seedPullRequest(ref: RepoRef, seed: PullRequestSeed = {}): PullRequestState {
    const repo = this.repoOf(ref);
    const base = seed.base ?? repo.defaultBranch;
    const head = seed.head ?? `feature-${this.nextNumber(repo)}`;
    if (!repo.branches.has(head)) this.seedBranch(repo, head, base);
    for (const commit of seed.commits ?? []) this.seedCommit(repo, { ...commit, branch: head });
    const author = seed.author ?? "octocat";
    const issue = this.seedIssue(repo, {
      ...(seed.number === undefined ? {} : { number: seed.number }),
      title: seed.title ?? `Pull request from ${head}`,
      body: seed.body ?? null,
      author,
      labels: seed.labels ?? [],
      assignees: seed.assignees ?? [],
      state: seed.merged ? "closed" : (seed.state ?? "open"),
      isPullRequest: true,
    });
    for (const login of seed.requestedReviewers ?? []) this.state.account(login);
    const pr: PullRequestState = {
      id: seed.id === undefined ? this.state.nextId() : this.state.reserveId(seed.id),
      number: issue.number,
      head: {
        ref: head,
        sha: repo.branches.get(head) as string,
        ...(seed.fromFork
          ? { repo: repoKey(this.repoOf(seed.fromFork).owner, this.repoOf(seed.fromFork).name) }
          : {}),
      },
      base: { ref: base, sha: repo.branches.get(base) as string },
      draft: seed.draft ?? false,
      merged: seed.merged ?? false,
      mergedAt: seed.merged ? issue.closedAt : null,
      mergedBy: seed.merged ? author : null,
      mergeCommitSha: null,
      reviews: [],
      requestedReviewers: seed.requestedReviewers ?? [],
      requestedTeams: [],
    };
    repo.pulls.set(pr.number, pr);
    return pr;
  }

  /** Pushes commits onto a pull request's head branch, as a `synchronize` would follow. */
  pushToPullRequest(ref: RepoRef, number: number, commits: CommitSeed[]): PullRequestState {
    const repo = this.repoOf(ref);
    const pr = repo.pulls.get(number);
    if (!pr) throw new Error(`the fake has no pull request #${number} in ${repo.owner}/${repo.name}`);
    for (const commit of commits) this.seedCommit(repo, { ...commit, branch: pr.head.ref });
    pr.head.sha = repo.branches.get(pr.head.ref) as string;
    return pr;
  }

  seedReview(
    ref: RepoRef,
    number: number,
    seed: { author: string; state: ReviewState["state"]; body?: string; commitId?: string },
  ): ReviewState {
    const repo = this.repoOf(ref);
    const pr = repo.pulls.get(number);
    if (!pr) throw new Error(`the fake has no pull request #${number} in ${repo.owner}/${repo.name}`);
    const review: ReviewState = {
      id: this.state.nextId(),
      user: this.state.account(seed.author).login,
      state: seed.state,
      body: seed.body ?? "",
      commitId: seed.commitId ?? pr.head.sha,
      submittedAt: this.state.clock.iso(),
    };
    pr.reviews.push(review);
    return review;
  }

  /** A check run, by default from another app (CI), on a commit. */
  seedCheckRun(
    ref: RepoRef,
    seed: {
      name: string;
      headSha: string;
      id?: number;
      status?: CheckRunState["status"];
      conclusion?: CheckRunState["conclusion"];
      /** The app that owns the run; a "ci" app when omitted. */
      app?: { id: number; slug?: string; name?: string };
      output?: { title?: string; summary?: string; text?: string; annotations?: Annotation[] };
    },
  ): CheckRunState {
    const repo = this.repoOf(ref);
    const app = seed.app ?? { id: 15368, slug: "github-actions", name: "GitHub Actions" };
    if (!this.state.apps.has(app.id)) {
      this.state.apps.set(app.id, {
        id: this.state.reserveId(app.id),
        slug: app.slug ?? `app-${app.id}`,
        name: app.name ?? app.slug ?? `App ${app.id}`,
        owner: this.state.account("github", "Organization").login,
        description: null,
        permissions: { checks: "write" },
        events: [],
        createdAt: this.state.clock.iso(),
      });
    }
    const now = this.state.clock.iso();
    const conclusion = seed.conclusion ?? null;
    const status = seed.status ?? (conclusion ? "completed" : "queued");
    const run: CheckRunState = {
      id: seed.id === undefined ? this.state.nextId() : this.state.reserveId(seed.id),
      repo: repoKey(repo.owner, repo.name),
      headSha: seed.headSha,
      name: seed.name,
      appId: app.id,
      checkSuiteId: this.checkSuiteId(repo, seed.headSha, app.id),
      status,
      conclusion,
      startedAt: now,
      completedAt: status === "completed" ? now : null,
      detailsUrl: null,
      externalId: null,
      output: {
        title: seed.output?.title ?? null,
        summary: seed.output?.summary ?? null,
        text: seed.output?.text ?? null,
        annotations: seed.output?.annotations ?? [],
      },
      actions: [],
    };
    this.state.checkRuns.set(run.id, run);
    return run;
  }

  /** Check suites are per (repository, head SHA, app): the suite of an existing run, or a new one. */
  checkSuiteId(repo: RepoState, headSha: string, appId: number): number {
    const key = repoKey(repo.owner, repo.name);
    for (const run of this.state.checkRuns.values()) {
      if (run.repo === key && run.headSha === headSha && run.appId === appId) return run.checkSuiteId;
    }
    return this.state.nextId();
  }

  seedStatus(
    ref: RepoRef,
    seed: {
      sha: string;
      context: string;
      state: CommitStatusState["state"];
      description?: string;
      targetUrl?: string;
      creator?: string;
    },
  ): CommitStatusState {
    const repo = this.repoOf(ref);
    const now = this.state.clock.iso();
    const status: CommitStatusState = {
      id: this.state.nextId(),
      sha: seed.sha,
      state: seed.state,
      context: seed.context,
      description: seed.description ?? null,
      targetUrl: seed.targetUrl ?? null,
      creator: this.state.account(seed.creator ?? "ci-bot[bot]").login,
      createdAt: now,
      updatedAt: now,
    };
    repo.statuses.push(status);
    return status;
  }

  seedRuleset(seed: RulesetSeed): RulesetState {
    const repo = seed.repo === undefined ? undefined : this.repoOf(seed.repo);
    if (!repo && !seed.org) throw new Error("a ruleset needs `repo` or `org`");
    if (seed.org && !this.state.findAccount(seed.org)) this.seedOrg(seed.org);
    const now = this.state.clock.iso();
    const ruleset: RulesetState = {
      id: seed.id === undefined ? this.state.nextId() : this.state.reserveId(seed.id),
      name: seed.name,
      target: seed.target ?? "branch",
      sourceType: repo ? "Repository" : "Organization",
      source: repo ? `${repo.owner}/${repo.name}` : (seed.org as string),
      enforcement: seed.enforcement ?? "active",
      conditions:
        seed.conditions !== undefined
          ? seed.conditions
          : repo
            ? { ref_name: { include: ["~DEFAULT_BRANCH"], exclude: [] } }
            : {
                ref_name: { include: ["~DEFAULT_BRANCH"], exclude: [] },
                repository_name: { include: ["~ALL"], exclude: [] },
              },
      rules: seed.rules,
      bypassActors: seed.bypassActors ?? [],
      createdAt: now,
      updatedAt: now,
    };
    this.state.rulesets.set(ruleset.id, ruleset);
    return ruleset;
  }
}
