/**
 * The GitHub gatherer: turns API answers (and the webhook payload, which already carries much of the
 * pull request) into a Facts snapshot. It fetches only the facts the applicable standards require, so a
 * pull request costs a handful of requests. A fact whose request fails after Octokit's retries is left
 * out and explained in `unavailable`; the engine then reports it as not evaluated, never as passed.
 */
import type { Context } from "probot";
import type {
  Actor,
  ChangedFile,
  CheckRunFact,
  Commit,
  FactKey,
  Facts,
  MergedPullRequest,
  PullRequestFacts,
  RepoFacts,
  Review,
  RulesetFact,
} from "../facts/schema.js";
import { parseCoAuthors } from "../facts/trailers.js";

/**
 * The GitHub client the pipelines use: only the parts they call, so Probot's Octokit and a plain
 * `@octokit/rest` one (the CLI's) both fit.
 */
export type Octokit = Pick<Context["octokit"], "rest" | "paginate" | "hook">;

/** GitHub's `pulls/{n}/commits` lists at most this many commits. */
const MAX_PR_COMMITS = 250;
/** GitHub's `pulls/{n}/files` lists at most this many files. */
const MAX_PR_FILES = 3000;

export interface RepositoryPayload {
  name: string;
  owner: { login: string };
  default_branch?: string;
  language?: string | null;
  topics?: string[];
  visibility?: string;
  private?: boolean;
  archived?: boolean;
  fork?: boolean;
  custom_properties?: Record<string, unknown> | null;
}

export interface UserPayload {
  login: string;
  type?: string;
}

export interface PullRequestPayload {
  number: number;
  title: string;
  body?: string | null;
  user: UserPayload | null;
  draft?: boolean;
  commits?: number;
  changed_files?: number;
  labels?: Array<{ name?: string }>;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
}

export function toActor(user: UserPayload | null | undefined): Actor {
  if (!user) return { login: "ghost", type: "Unknown" };
  const type =
    user.type === "Bot" || user.type === "Organization" || user.type === "User" ? user.type : "Unknown";
  return { login: user.login, type };
}

export function repoFactsFromPayload(repo: RepositoryPayload, files: RepoFacts["files"] = {}): RepoFacts {
  const visibility =
    repo.visibility === "public" || repo.visibility === "private" || repo.visibility === "internal"
      ? repo.visibility
      : repo.private
        ? "private"
        : "public";
  const customProperties: RepoFacts["customProperties"] = {};
  for (const [key, value] of Object.entries(repo.custom_properties ?? {})) {
    if (typeof value === "string" || value === null) customProperties[key] = value;
    else if (Array.isArray(value)) customProperties[key] = value.map(String);
  }
  return {
    owner: repo.owner.login,
    name: repo.name,
    defaultBranch: repo.default_branch ?? "main",
    language: repo.language ?? null,
    topics: repo.topics ?? [],
    customProperties,
    visibility,
    archived: repo.archived ?? false,
    fork: repo.fork ?? false,
    files,
  };
}

/**
 * The repository's metadata, completed with its custom properties when profiles select on them and the
 * payload lacks them (repository listings carry no custom properties; webhook payloads usually do).
 */
async function repositoryMetadata(
  octokit: Octokit,
  repository: RepositoryPayload,
  needs: ReadonlySet<FactKey>,
  unavailable: Facts["unavailable"],
): Promise<RepoFacts> {
  const repo = repoFactsFromPayload(repository);
  if (!needs.has("repo.metadata") || repository.custom_properties != null) return repo;
  const values = await attempt(
    unavailable,
    "repo.metadata",
    "the repository's custom properties",
    async () => {
      const { data } = await octokit.rest.repos.customPropertiesForReposGetRepositoryValues({
        owner: repo.owner,
        repo: repo.name,
      });
      return data;
    },
  );
  if (!values) return repo;
  return repoFactsFromPayload({
    ...repository,
    custom_properties: Object.fromEntries(values.map((v) => [v.property_name, v.value])),
  });
}

/** Runs one gathering step; a failure becomes an `unavailable` entry that names the request and status. */
async function attempt<T>(
  unavailable: Facts["unavailable"],
  key: FactKey,
  what: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const status = (error as { status?: number }).status;
    unavailable[key] =
      `GitHub did not answer ${what}${status ? ` (HTTP ${status})` : ""}: ${(error as Error).message}`;
    return undefined;
  }
}

export async function listPullRequestCommits(octokit: Octokit, owner: string, repo: string, number: number) {
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  });
  return commits.map(
    (c): Commit => ({
      sha: c.sha,
      message: c.commit.message,
      author: {
        name: c.commit.author?.name ?? "",
        email: c.commit.author?.email ?? "",
        ...(c.author?.login ? { login: c.author.login } : {}),
      },
      coAuthors: parseCoAuthors(c.commit.message),
    }),
  );
}

async function listPullRequestFiles(octokit: Octokit, owner: string, repo: string, number: number) {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  });
  return files.map(
    (f): ChangedFile => ({
      path: f.filename,
      status: f.status,
      ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      // GitHub omits the patch both for binary files and for very large diffs; only a file with no
      // line changes at all is taken to be binary.
      binary: f.patch === undefined && f.changes === 0,
    }),
  );
}

export async function listReviews(octokit: Octokit, owner: string, repo: string, number: number) {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  });
  return reviews.map(
    (r): Review => ({
      author: toActor(r.user),
      state: r.state as Review["state"],
      ...(r.commit_id ? { commitId: r.commit_id } : {}),
      ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}),
    }),
  );
}

export interface CheckRunRecord {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  external_id?: string | null;
  app?: { id: number; slug?: string } | null;
  output?: { title?: string | null; summary?: string | null; annotations_count?: number };
}

/** Every check run on a commit (GitHub returns the latest run per name and app). */
export async function listCheckRuns(
  octokit: Octokit,
  owner: string,
  repo: string,
  ref: string,
): Promise<CheckRunRecord[]> {
  return (await octokit.paginate(octokit.rest.checks.listForRef, {
    owner,
    repo,
    ref,
    per_page: 100,
  })) as CheckRunRecord[];
}

export function toCheckRunFacts(runs: CheckRunRecord[]): CheckRunFact[] {
  return runs.map((run) => ({
    name: run.name,
    status: run.status as CheckRunFact["status"],
    conclusion: (run.conclusion ?? null) as CheckRunFact["conclusion"],
    ...(run.app ? { app: { id: run.app.id, slug: run.app.slug ?? "" } } : {}),
  }));
}

/** What the pull request pipeline needs beyond Facts: the raw check runs (to update ours in place). */
export interface GatheredPullRequest {
  facts: Facts;
  checkRuns: CheckRunRecord[];
}

export async function gatherPullRequest(
  octokit: Octokit,
  input: {
    repository: RepositoryPayload;
    pullRequest: PullRequestPayload;
    /** The commit whose check runs are read: the head, or the merge queue's group commit. */
    checkRunsSha?: string;
    needs: ReadonlySet<FactKey>;
    now: string;
    app?: { id: number; slug: string };
  },
): Promise<GatheredPullRequest> {
  const { repository, pullRequest: pr, needs } = input;
  const checkRunsSha = input.checkRunsSha ?? pr.head.sha;
  const owner = repository.owner.login;
  const repo = repository.name;
  const unavailable: Facts["unavailable"] = {};
  // The check runs are always read: the publisher updates its own run in place from this list.
  const [metadata, commits, files, reviews, checkRuns] = await Promise.all([
    repositoryMetadata(octokit, repository, needs, unavailable),
    needs.has("pr.commits")
      ? attempt(unavailable, "pr.commits", `the pull request's commits`, () =>
          listPullRequestCommits(octokit, owner, repo, pr.number),
        )
      : undefined,
    needs.has("pr.files")
      ? attempt(unavailable, "pr.files", `the pull request's files`, () =>
          listPullRequestFiles(octokit, owner, repo, pr.number),
        )
      : undefined,
    needs.has("pr.reviews")
      ? attempt(unavailable, "pr.reviews", `the pull request's reviews`, () =>
          listReviews(octokit, owner, repo, pr.number),
        )
      : undefined,
    attempt(unavailable, "pr.checkRuns", `the check runs of ${checkRunsSha}`, () =>
      listCheckRuns(octokit, owner, repo, checkRunsSha),
    ),
  ]);
  if (commits && (pr.commits ?? 0) > commits.length) {
    unavailable["pr.commits"] =
      `the pull request has ${pr.commits} commits and GitHub lists at most ${MAX_PR_COMMITS}; split it up`;
  }
  if (files && (pr.changed_files ?? 0) > files.length) {
    unavailable["pr.files"] =
      `the pull request changes ${pr.changed_files} files and GitHub lists at most ${MAX_PR_FILES}; split it up`;
  }
  const pullRequest: PullRequestFacts = {
    number: pr.number,
    title: pr.title,
    body: pr.body ?? "",
    author: toActor(pr.user),
    draft: pr.draft ?? false,
    base: { ref: pr.base.ref, sha: pr.base.sha },
    head: { ref: pr.head.ref, sha: pr.head.sha },
    labels: (pr.labels ?? []).flatMap((l) => (l.name ? [l.name] : [])),
    ...(commits && !unavailable["pr.commits"] ? { commits } : {}),
    ...(files && !unavailable["pr.files"] ? { files } : {}),
    ...(reviews ? { reviews } : {}),
    ...(checkRuns ? { checkRuns: toCheckRunFacts(checkRuns) } : {}),
  };
  const facts: Facts = {
    scopes: ["pr"],
    now: input.now,
    repo: metadata,
    pullRequest,
    ...(input.app ? { app: input.app } : {}),
    unavailable,
  };
  return { facts, checkRuns: checkRuns ?? [] };
}

/** Paths that exist on a ref, from one recursive tree request; undefined when GitHub truncated the tree. */
async function listPaths(octokit: Octokit, owner: string, repo: string, ref: string) {
  const { data } = await octokit.rest.git.getTree({ owner, repo, tree_sha: ref, recursive: "true" });
  if (data.truncated) return undefined;
  return new Set(data.tree.flatMap((entry) => (entry.type === "blob" && entry.path ? [entry.path] : [])));
}

export async function readFile(octokit: Octokit, owner: string, repo: string, path: string, ref: string) {
  try {
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref });
    if (Array.isArray(data) || data.type !== "file") return null;
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

/**
 * The files standards read, at the default branch: one tree request tells which candidates exist, then
 * only those are fetched (a repository without most of them costs one request, not one per candidate).
 */
async function readFiles(octokit: Octokit, repo: RepoFacts, paths: readonly string[]) {
  const files: RepoFacts["files"] = {};
  if (paths.length === 0) return files;
  const existing = await listPaths(octokit, repo.owner, repo.name, repo.defaultBranch);
  for (const path of [...new Set(paths)].sort()) {
    if (existing && !existing.has(path)) {
      files[path] = null;
      continue;
    }
    files[path] = await readFile(octokit, repo.owner, repo.name, path, repo.defaultBranch);
  }
  return files;
}

type RulesetDetail = {
  id: number;
  name: string;
  target?: string;
  enforcement: string;
  source_type?: string;
  source: string;
  conditions?: { ref_name?: { include?: string[]; exclude?: string[] } } | null;
  rules?: Array<{ type: string; parameters?: Record<string, unknown> }>;
  bypass_actors?: Array<{ actor_id?: number | null; actor_type: string; bypass_mode?: string }>;
};

export function toRulesetFact(r: RulesetDetail): RulesetFact {
  const refName = r.conditions?.ref_name;
  return {
    id: r.id,
    name: r.name,
    target: (r.target ?? "branch") as RulesetFact["target"],
    enforcement: r.enforcement as RulesetFact["enforcement"],
    sourceType: (r.source_type ?? "Repository") as RulesetFact["sourceType"],
    source: r.source,
    conditions: refName
      ? { refName: { include: refName.include ?? [], exclude: refName.exclude ?? [] } }
      : {},
    rules: (r.rules ?? []).map((rule) => ({
      type: rule.type,
      ...(rule.parameters ? { parameters: rule.parameters } : {}),
    })),
    bypassActors: (r.bypass_actors ?? []).map((a) => ({
      actorId: a.actor_id ?? null,
      actorType: a.actor_type,
      bypassMode: a.bypass_mode ?? "always",
    })),
  };
}

/** The rulesets that apply to a repository, its organization's included, with their rules and bypass actors. */
async function listRulesets(octokit: Octokit, owner: string, repo: string): Promise<RulesetFact[]> {
  const summaries = await octokit.paginate(octokit.rest.repos.getRepoRulesets, {
    owner,
    repo,
    includes_parents: true,
    per_page: 100,
  });
  const details: RulesetFact[] = [];
  for (const summary of summaries) {
    const { data } = await octokit.rest.repos.getRepoRuleset({
      owner,
      repo,
      ruleset_id: summary.id,
      includes_parents: true,
    });
    details.push(toRulesetFact(data as RulesetDetail));
  }
  return details;
}

export async function gatherRepository(
  octokit: Octokit,
  input: {
    repository: RepositoryPayload;
    needs: ReadonlySet<FactKey>;
    paths: readonly string[];
    now: string;
    app?: { id: number; slug: string };
  },
): Promise<Facts> {
  const unavailable: Facts["unavailable"] = {};
  const repo = await repositoryMetadata(octokit, input.repository, input.needs, unavailable);
  const files = input.needs.has("repo.files")
    ? await attempt(unavailable, "repo.files", `the files standards read on ${repo.defaultBranch}`, () =>
        readFiles(octokit, repo, input.paths),
      )
    : undefined;
  const rulesets = input.needs.has("repo.rulesets")
    ? await attempt(unavailable, "repo.rulesets", "the repository's rulesets", () =>
        listRulesets(octokit, repo.owner, repo.name),
      )
    : undefined;
  return {
    scopes: ["repo"],
    now: input.now,
    repo: { ...repo, files: files ?? {}, ...(rulesets ? { rulesets } : {}) },
    ...(input.app ? { app: input.app } : {}),
    unavailable,
  };
}

export interface PushPayload {
  ref: string;
  before: string;
  after: string;
  forced?: boolean;
  created?: boolean;
  deleted?: boolean;
  pusher: { name?: string; email?: string | null };
  sender?: UserPayload;
  commits?: Array<{
    id: string;
    message: string;
    author: { name: string; email?: string | null; username?: string };
    added?: string[];
    modified?: string[];
    removed?: string[];
  }>;
}

/**
 * The pull request whose merge produced a push, with its reviews and the check runs of its head;
 * null when the pushed commit belongs to no merged pull request.
 */
async function findMergedPullRequest(
  octokit: Octokit,
  owner: string,
  repo: string,
  sha: string,
): Promise<MergedPullRequest | null> {
  const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    owner,
    repo,
    commit_sha: sha,
  });
  const merged = pulls.find((p) => p.merged_at && p.merge_commit_sha === sha);
  if (!merged) return null;
  const { data: full } = await octokit.rest.pulls.get({ owner, repo, pull_number: merged.number });
  const [reviews, checkRuns] = await Promise.all([
    listReviews(octokit, owner, repo, merged.number),
    listCheckRuns(octokit, owner, repo, merged.head.sha),
  ]);
  return {
    number: merged.number,
    title: merged.title,
    author: toActor(merged.user),
    mergedBy: full.merged_by ? toActor(full.merged_by) : null,
    headSha: merged.head.sha,
    reviews,
    checkRuns: toCheckRunFacts(checkRuns),
  };
}

export async function gatherPush(
  octokit: Octokit,
  input: {
    repository: RepositoryPayload;
    push: PushPayload;
    now: string;
    app?: { id: number; slug: string };
  },
): Promise<Facts> {
  const { repository, push } = input;
  const unavailable: Facts["unavailable"] = {};
  const pullRequest = push.deleted
    ? null
    : await attempt(unavailable, "push.pullRequest", `the pull request that produced ${push.after}`, () =>
        findMergedPullRequest(octokit, repository.owner.login, repository.name, push.after),
      );
  const pusher: Actor = push.sender
    ? toActor(push.sender)
    : { login: push.pusher.name ?? "unknown", type: "Unknown" };
  return {
    scopes: ["push"],
    now: input.now,
    repo: repoFactsFromPayload(repository),
    push: {
      ref: push.ref,
      before: push.before,
      after: push.after,
      forced: push.forced ?? false,
      created: push.created ?? false,
      deleted: push.deleted ?? false,
      pusher,
      commits: (push.commits ?? []).map((c) => ({
        sha: c.id,
        message: c.message,
        author: {
          name: c.author.name,
          email: c.author.email ?? "",
          ...(c.author.username ? { login: c.author.username } : {}),
        },
        coAuthors: parseCoAuthors(c.message),
      })),
      ...(pullRequest !== undefined ? { pullRequest } : {}),
    },
    ...(input.app ? { app: input.app } : {}),
    unavailable,
  };
}
