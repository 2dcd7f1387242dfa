/**
 * Seeds the fake from a webhook payload, so that an app handling the event meets a GitHub that
 * agrees with it: the repository, its owner and sender, the installation, the pull request and
 * the commits (with the payload's own SHAs) the event names.
 */
import type { Seeder } from "./seed.js";
import type { AccountType, CheckRunState, RepoState, ReviewState } from "./state.js";

interface AccountPayload {
  login: string;
  id: number;
  type?: string;
}

interface RepoPayload {
  id: number;
  name: string;
  full_name?: string;
  owner?: AccountPayload;
  private?: boolean;
  visibility?: "public" | "private" | "internal";
  default_branch?: string;
  archived?: boolean;
  fork?: boolean;
  language?: string | null;
  topics?: string[];
  description?: string | null;
}

interface BranchPayload {
  ref: string;
  sha: string;
}

interface PullRequestPayload {
  id: number;
  number: number;
  title?: string;
  body?: string | null;
  state?: "open" | "closed";
  draft?: boolean;
  merged?: boolean | null;
  user?: AccountPayload;
  labels?: { name: string }[];
  head: BranchPayload;
  base: BranchPayload;
}

interface EventPayload {
  repository?: RepoPayload;
  organization?: AccountPayload;
  sender?: AccountPayload;
  installation?: {
    id: number;
    account?: AccountPayload;
    repository_selection?: "all" | "selected";
    suspended_at?: string | null;
  };
  repositories?: RepoPayload[];
  repositories_added?: RepoPayload[];
  pull_request?: PullRequestPayload;
  review?: { id?: number; state: string; user?: AccountPayload; body?: string | null; commit_id?: string };
  ref?: string;
  before?: string;
  after?: string;
  commits?: { id: string; message: string; author?: { username?: string } }[];
  check_run?: {
    id: number;
    name: string;
    head_sha: string;
    status?: string;
    conclusion?: string | null;
    app?: { id: number; slug?: string; name?: string };
    check_suite?: { head_branch?: string | null };
    pull_requests?: { number: number; head: BranchPayload; base: BranchPayload }[];
  };
  check_suite?: {
    head_sha: string;
    head_branch?: string | null;
    pull_requests?: { number: number; head: BranchPayload; base: BranchPayload }[];
  };
  merge_group?: { head_sha: string; head_ref: string; base_sha: string; base_ref: string };
}

const ZERO_SHA = "0".repeat(40);

function accountType(type: string | undefined): AccountType | undefined {
  return type === "User" || type === "Organization" || type === "Bot" ? type : undefined;
}

function account(seeder: Seeder, payload: AccountPayload | undefined): void {
  if (payload?.login) seeder.state.account(payload.login, accountType(payload.type), payload.id);
}

function repository(seeder: Seeder, payload: RepoPayload, fallbackOwner?: AccountPayload): RepoState {
  const ownerLogin = payload.owner?.login ?? payload.full_name?.split("/")[0] ?? fallbackOwner?.login;
  if (!ownerLogin) throw new Error(`cannot tell who owns repository ${payload.name}`);
  const known = seeder.state.findRepo(ownerLogin, payload.name);
  if (known) return known;
  account(seeder, payload.owner ?? fallbackOwner);
  return seeder.seedRepo({
    owner: ownerLogin,
    name: payload.name,
    id: payload.id,
    defaultBranch: payload.default_branch ?? "main",
    visibility: payload.visibility ?? (payload.private ? "private" : "public"),
    archived: payload.archived ?? false,
    fork: payload.fork ?? false,
    language: payload.language ?? null,
    topics: payload.topics ?? [],
    description: payload.description ?? null,
  });
}

/** A commit with the payload's SHA on `branch` (or detached on the default branch's tip). */
function commit(
  seeder: Seeder,
  repo: RepoState,
  sha: string,
  options: { branch?: string; parent?: string } = {},
) {
  if (!repo.commits.has(sha)) {
    const parent = options.parent && repo.commits.has(options.parent) ? options.parent : undefined;
    const base = parent ?? repo.branches.get(options.branch ?? "") ?? repo.branches.get(repo.defaultBranch);
    seeder.seedCommit(repo, { sha, parents: base ? [base] : [], message: `Commit ${sha.slice(0, 7)}` });
  }
  if (options.branch) repo.branches.set(options.branch, sha);
}

function pullRequest(
  seeder: Seeder,
  repo: RepoState,
  payload: { number: number; head: BranchPayload; base: BranchPayload } & Partial<PullRequestPayload>,
): void {
  commit(seeder, repo, payload.base.sha, { branch: payload.base.ref });
  commit(seeder, repo, payload.head.sha, { branch: payload.head.ref, parent: payload.base.sha });
  if (repo.pulls.has(payload.number)) return;
  account(seeder, payload.user);
  const pr = seeder.seedPullRequest(repo, {
    number: payload.number,
    ...(payload.id === undefined ? {} : { id: payload.id }),
    title: payload.title ?? `Pull request #${payload.number}`,
    body: payload.body ?? null,
    author: payload.user?.login ?? "octocat",
    head: payload.head.ref,
    base: payload.base.ref,
    draft: payload.draft ?? false,
    state: payload.state ?? "open",
    merged: payload.merged ?? false,
    labels: (payload.labels ?? []).map((label) => label.name),
  });
  // The payload's SHAs win over the branch tips the seed read.
  pr.head.sha = payload.head.sha;
  pr.base.sha = payload.base.sha;
}

export function seedFromPayload(seeder: Seeder, payload: EventPayload): void {
  account(seeder, payload.sender);
  if (payload.organization) seeder.seedOrg(payload.organization.login, { id: payload.organization.id });
  const owner = payload.organization ?? payload.installation?.account;
  for (const listed of [...(payload.repositories ?? []), ...(payload.repositories_added ?? [])]) {
    repository(seeder, listed, owner);
  }
  const repo = payload.repository ? repository(seeder, payload.repository, owner) : undefined;

  const installation = payload.installation;
  if (installation?.account && !seeder.state.installations.has(installation.id)) {
    account(seeder, installation.account);
    const selected = installation.repository_selection === "selected";
    const seeded = seeder.seedInstallation({
      account: installation.account.login,
      id: installation.id,
      repositories: selected ? (payload.repositories ?? []).map((listed) => listed.name) : "all",
    });
    seeded.suspendedAt = installation.suspended_at ?? null;
  }
  if (!repo) return;

  if (payload.pull_request) pullRequest(seeder, repo, payload.pull_request);
  if (payload.pull_request && payload.review) {
    const pr = repo.pulls.get(payload.pull_request.number);
    if (pr && !pr.reviews.some((review) => review.id === payload.review?.id)) {
      seeder.seedReview(repo, pr.number, {
        author: payload.review.user?.login ?? "octocat",
        state: payload.review.state.toUpperCase() as ReviewState["state"],
        body: payload.review.body ?? "",
        commitId: payload.review.commit_id ?? pr.head.sha,
      });
    }
  }

  if (payload.ref !== undefined && payload.after !== undefined && payload.before !== undefined) {
    const tag = /^refs\/tags\/(.+)$/.exec(payload.ref)?.[1];
    const branch = /^refs\/heads\/(.+)$/.exec(payload.ref)?.[1];
    if (payload.before !== ZERO_SHA) commit(seeder, repo, payload.before);
    if (payload.after !== ZERO_SHA) {
      commit(seeder, repo, payload.after, {
        ...(branch ? { branch } : {}),
        ...(payload.before === ZERO_SHA ? {} : { parent: payload.before }),
      });
      if (tag) repo.tags.set(tag, payload.after);
    }
  }

  const suite = payload.check_run?.check_suite ?? payload.check_suite;
  const headSha = payload.check_run?.head_sha ?? payload.check_suite?.head_sha;
  if (headSha) commit(seeder, repo, headSha, suite?.head_branch ? { branch: suite.head_branch } : {});
  for (const pr of payload.check_run?.pull_requests ?? payload.check_suite?.pull_requests ?? []) {
    pullRequest(seeder, repo, pr);
  }
  const run = payload.check_run;
  if (run && !seeder.state.checkRuns.has(run.id)) {
    const completed = run.status === "completed";
    seeder.seedCheckRun(repo, {
      id: run.id,
      name: run.name,
      headSha: run.head_sha,
      status: completed ? "completed" : run.status === "in_progress" ? "in_progress" : "queued",
      conclusion: completed ? ((run.conclusion ?? "neutral") as CheckRunState["conclusion"]) : null,
      ...(run.app ? { app: run.app } : {}),
    });
  }

  const group = payload.merge_group;
  if (group) {
    const base = group.base_ref.replace(/^refs\/heads\//, "");
    commit(seeder, repo, group.base_sha, { branch: base });
    commit(seeder, repo, group.head_sha, {
      branch: group.head_ref.replace(/^refs\/heads\//, ""),
      parent: group.base_sha,
    });
    // GitHub names a queue's branch `gh-readonly-queue/<base>/pr-<number>-<head sha>`: seed that pull request.
    const queued = /\/pr-(\d+)-([0-9a-f]{40})$/.exec(group.head_ref);
    if (queued?.[1] && queued[2]) {
      pullRequest(seeder, repo, {
        number: Number(queued[1]),
        head: { ref: `pull-${queued[1]}`, sha: queued[2] },
        base: { ref: base, sha: group.base_sha },
      });
    }
  }
}
