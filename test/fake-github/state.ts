/**
 * Everything the fake GitHub knows, in plain typed maps. Handlers read and write it; seeding
 * helpers fill it; tests assert on it. Keys of accounts and repositories are lower-cased because
 * GitHub treats logins and repository names case-insensitively.
 */
import type { components, operations } from "@octokit/openapi-types";
import { GitHubError } from "./http.js";

export type AccountType = "User" | "Organization" | "Bot";

export interface AccountState {
  id: number;
  login: string;
  type: AccountType;
}

export interface AppState {
  id: number;
  slug: string;
  name: string;
  /** Login of the account that owns the app. */
  owner: string;
  description: string | null;
  permissions: Record<string, "read" | "write">;
  events: string[];
  createdAt: string;
}

export interface InstallationState {
  id: number;
  appId: number;
  /** Login of the account the app is installed on. */
  account: string;
  repositorySelection: "all" | "selected";
  /** Repositories the installation may access when the selection is "selected". */
  repositoryIds: number[];
  permissions: Record<string, "read" | "write">;
  events: string[];
  createdAt: string;
  suspendedAt: string | null;
}

export interface TokenState {
  token: string;
  installationId: number;
  expiresAt: string;
}

export interface GitActor {
  name: string;
  email: string;
  date: string;
}

export interface CommitState {
  sha: string;
  message: string;
  author: GitActor;
  committer: GitActor;
  /** GitHub accounts linked to the author and committer emails, when there are such accounts. */
  authorLogin: string | null;
  committerLogin: string | null;
  parents: string[];
  /** The whole tree at this commit: path -> content. */
  files: ReadonlyMap<string, string>;
}

export interface LabelState {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

/** Issues and pull requests share numbers, labels, assignees and comments, as on GitHub. */
export interface IssueState {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | "duplicate" | null;
  user: string;
  /** The GitHub App whose installation opened it (GitHub's `performed_via_github_app`); null for a person. */
  viaApp: number | null;
  /** Who last edited the body, and when; null until someone does. */
  editor: string | null;
  lastEditedAt: string | null;
  /** Label names, in the order they were added. */
  labels: string[];
  assignees: string[];
  locked: boolean;
  isPullRequest: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface ReviewState {
  id: number;
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  body: string;
  commitId: string;
  submittedAt: string;
}

export interface PullRequestState {
  id: number;
  number: number;
  /**
   * `repo` is the key of the fork the head branch lives in, for a pull request from a fork; its
   * commits are kept in the base repository, which serves them as GitHub does.
   */
  head: { ref: string; sha: string; repo?: string };
  base: { ref: string; sha: string };
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  reviews: ReviewState[];
  requestedReviewers: string[];
  requestedTeams: string[];
}

export interface IssueCommentState {
  id: number;
  /** Key of the repository ("owner/name", lower-cased). */
  repo: string;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

type CheckRunCreate = operations["checks/create"]["requestBody"]["content"]["application/json"];
/** An annotation as the app sends it. */
export type Annotation = NonNullable<NonNullable<CheckRunCreate["output"]>["annotations"]>[number];

export interface CheckRunState {
  id: number;
  repo: string;
  headSha: string;
  name: string;
  appId: number;
  checkSuiteId: number;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: components["schemas"]["check-run"]["conclusion"];
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: Annotation[] };
  actions: NonNullable<CheckRunCreate["actions"]>;
}

export interface CommitStatusState {
  id: number;
  sha: string;
  state: "error" | "failure" | "pending" | "success";
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

export type RulesetConditions = NonNullable<components["schemas"]["repository-ruleset"]["conditions"]>;
export type RulesetRule = components["schemas"]["repository-rule"];

export interface RulesetState {
  id: number;
  name: string;
  target: "branch" | "tag" | "push" | "repository";
  sourceType: "Repository" | "Organization";
  /** "owner/name" for a repository ruleset, the org login for an organization ruleset. */
  source: string;
  enforcement: "disabled" | "active" | "evaluate";
  conditions: RulesetConditions | null;
  rules: RulesetRule[];
  bypassActors: components["schemas"]["repository-ruleset-bypass-actor"][];
  createdAt: string;
  updatedAt: string;
}

export type CustomPropertyValue = string | string[] | null;

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  visibility: "public" | "private" | "internal";
  archived: boolean;
  fork: boolean;
  isTemplate: boolean;
  language: string | null;
  topics: string[];
  description: string | null;
  customProperties: Record<string, CustomPropertyValue>;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  commits: Map<string, CommitState>;
  /** Branch name -> commit SHA. */
  branches: Map<string, string>;
  tags: Map<string, string>;
  /** Issues and pull requests, by number. */
  issues: Map<number, IssueState>;
  pulls: Map<number, PullRequestState>;
  /** Labels by lower-cased name. */
  labels: Map<string, LabelState>;
  statuses: CommitStatusState[];
  /** Lower-cased logins of the users with access to the repository (who can be assigned issues). */
  collaborators: Set<string>;
  /** Each collaborator's role, by lower-cased login; one not listed has none (read, if public). */
  roles: Map<string, CollaboratorRole>;
}

export type CollaboratorRole = "read" | "triage" | "write" | "maintain" | "admin";

/** A clock that only moves when a test moves it, so timestamps are stable. */
export class FakeClock {
  #now: number;

  constructor(start = "2026-11-23T12:00:00Z") {
    this.#now = Date.parse(start);
  }

  /** Now, as GitHub writes timestamps: ISO 8601 without milliseconds. */
  iso(): string {
    return new Date(this.#now).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  advance(milliseconds: number): void {
    this.#now += milliseconds;
  }
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

export class FakeState {
  readonly clock = new FakeClock();
  readonly apps = new Map<number, AppState>();
  readonly accounts = new Map<string, AccountState>();
  readonly installations = new Map<number, InstallationState>();
  readonly tokens = new Map<string, TokenState>();
  readonly repos = new Map<string, RepoState>();
  readonly checkRuns = new Map<number, CheckRunState>();
  readonly issueComments = new Map<number, IssueCommentState>();
  /** Repository and organization rulesets, by id. */
  readonly rulesets = new Map<number, RulesetState>();
  /** The app under test; requests signed with its key are app requests. */
  appId = 0;
  #lastId = 1000;

  /** A fresh id, unique across all kinds of objects (GitHub's ids are global too). */
  nextId(): number {
    this.#lastId += 1;
    return this.#lastId;
  }

  /** Makes sure no id handed out later collides with one given explicitly (from a payload). */
  reserveId(id: number): number {
    this.#lastId = Math.max(this.#lastId, id);
    return id;
  }

  findAccount(login: string): AccountState | undefined {
    return this.accounts.get(login.toLowerCase());
  }

  /** The account, created as a user (or a bot, for `name[bot]`) when it is new. */
  account(login: string, type?: AccountType, id?: number): AccountState {
    const known = this.accounts.get(login.toLowerCase());
    if (known) {
      if (type) known.type = type;
      return known;
    }
    const account: AccountState = {
      id: id === undefined ? this.nextId() : this.reserveId(id),
      login,
      type: type ?? (login.endsWith("[bot]") ? "Bot" : "User"),
    };
    this.accounts.set(login.toLowerCase(), account);
    return account;
  }

  findRepo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(repoKey(owner, name));
  }

  /** The repository, or GitHub's 404. */
  repo(owner: string, name: string): RepoState {
    const repo = this.findRepo(owner, name);
    if (!repo) throw GitHubError.notFound();
    return repo;
  }

  app(): AppState {
    const app = this.apps.get(this.appId);
    if (!app) throw new Error("the fake has no app under test; construct FakeGitHub with `app`");
    return app;
  }
}
