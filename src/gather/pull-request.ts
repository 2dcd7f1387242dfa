/**
 * A pull request's facts from GitHub: the webhook payload carries much of it; commits, files, reviews and
 * check runs are read only when the applicable standards require them, so a pull request costs a handful
 * of requests.
 */
import { z } from "zod";
import {
  type ChangedFile,
  type CheckRunFact,
  CheckRunFactSchema,
  type Commit,
  type FactKey,
  type Facts,
  type PullRequestFacts,
  type Review,
} from "../facts/schema.js";
import { parseCoAuthors } from "../facts/trailers.js";
import { readStoredJson, type Store } from "../state/store.js";
import { readTexts } from "./contents.js";
import { attempt, type Octokit, type PullRequestPayload, type RepositoryPayload, toActor } from "./github.js";
import { repositoryMetadata } from "./repository.js";

/** GitHub's `pulls/{n}/commits` lists at most this many commits. */
const MAX_PR_COMMITS = 250;
/** GitHub's `pulls/{n}/files` lists at most this many files. */
const MAX_PR_FILES = 3000;
async function listPullRequestCommits(octokit: Octokit, owner: string, repo: string, number: number) {
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  });
  return commits.map(toCommitFact);
}

/** A commit as GitHub's REST API lists it (the fields read here). */
interface RestCommit {
  sha: string;
  commit: { message: string; author: { name?: string; email?: string } | null };
  author: { login?: string } | null;
}

/** A listed commit as a Commit fact, its co-authors read from its message. */
export function toCommitFact(c: RestCommit): Commit {
  return {
    sha: c.sha,
    message: c.commit.message,
    author: {
      name: c.commit.author?.name ?? "",
      email: c.commit.author?.email ?? "",
      ...(c.author?.login ? { login: c.author.login } : {}),
    },
    coAuthors: parseCoAuthors(c.commit.message),
  };
}

/** The changed files, with the new content of those `wanted` selects (not removed, not binary). */
async function withContents(
  octokit: Octokit,
  owner: string,
  repo: string,
  sha: string,
  files: ChangedFile[],
  wanted: (path: string) => boolean,
): Promise<ChangedFile[]> {
  const read = files.filter((file) => file.status !== "removed" && !file.binary && wanted(file.path));
  // Many per GraphQL query: a pull request touching hundreds of test files costs a few queries.
  const texts = await readTexts(
    octokit,
    owner,
    repo,
    sha,
    read.map((file) => file.path),
  );
  return files.map((file) => {
    const content = texts.get(file.path);
    return content === undefined || content === null ? file : { ...file, content };
  });
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

const BaseRunsSchema = z.array(CheckRunFactSchema);
/** How long the finished check runs of a base commit are kept. */
const BASE_RUNS_TTL_SECONDS = 24 * 3600;

/**
 * The check runs on the base commit a pull request is compared against (its base branch's head when it
 * was last updated): the checks that usually run. Once all have concluded they no longer change, so they
 * are kept in the store and later pull requests on the same base cost nothing.
 */
async function baseCheckRuns(
  octokit: Octokit,
  store: Store | undefined,
  owner: string,
  repo: string,
  sha: string,
): Promise<CheckRunFact[]> {
  const key = `base-check-runs:${owner.toLowerCase()}/${repo.toLowerCase()}:${sha}`;
  // Unreadable or off-schema: treated as absent and read again from GitHub.
  const cached = store ? await readStoredJson(store, key, BaseRunsSchema) : undefined;
  if (cached) return cached;
  const runs = toCheckRunFacts(await listCheckRuns(octokit, owner, repo, sha));
  if (store && runs.every((run) => run.conclusion !== null)) {
    await store.set(key, JSON.stringify(runs), BASE_RUNS_TTL_SECONDS);
  }
  return runs;
}

/** What the pull request pipeline needs beyond Facts: the raw check runs (to update ours in place). */
interface GatheredPullRequest {
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
    /** Changed files whose whole new content rules read (see `factNeeds`). */
    contents?: (path: string) => boolean;
    now: string;
    app?: { id: number; slug: string };
    /** Where the base commit's finished check runs are kept, so each base commit costs one request. */
    store?: Store;
  },
): Promise<GatheredPullRequest> {
  const { repository, pullRequest: pr, needs } = input;
  const checkRunsSha = input.checkRunsSha ?? pr.head.sha;
  const owner = repository.owner.login;
  const repo = repository.name;
  const unavailable: Facts["unavailable"] = {};
  // The check runs are always read: the publisher updates its own run in place from this list.
  const [metadata, commits, files, reviews, checkRuns, baseRuns] = await Promise.all([
    repositoryMetadata(octokit, repository, needs, unavailable),
    needs.has("pr.commits")
      ? attempt(unavailable, "pr.commits", `the pull request's commits`, () =>
          listPullRequestCommits(octokit, owner, repo, pr.number),
        )
      : undefined,
    needs.has("pr.files")
      ? attempt(unavailable, "pr.files", `the pull request's files`, async () => {
          const listed = await listPullRequestFiles(octokit, owner, repo, pr.number);
          return input.contents
            ? withContents(octokit, owner, repo, pr.head.sha, listed, input.contents)
            : listed;
        })
      : undefined,
    needs.has("pr.reviews")
      ? attempt(unavailable, "pr.reviews", `the pull request's reviews`, () =>
          listReviews(octokit, owner, repo, pr.number),
        )
      : undefined,
    attempt(unavailable, "pr.checkRuns", `the check runs of ${checkRunsSha}`, () =>
      listCheckRuns(octokit, owner, repo, checkRunsSha),
    ),
    needs.has("pr.baseCheckRuns")
      ? attempt(
          unavailable,
          "pr.baseCheckRuns",
          `the check runs of ${pr.base.ref}'s head ${pr.base.sha}`,
          () => baseCheckRuns(octokit, input.store, owner, repo, pr.base.sha),
        )
      : undefined,
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
    ...(baseRuns ? { baseCheckRuns: { sha: pr.base.sha, runs: baseRuns } } : {}),
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
