/** A push's facts from GitHub: the payload's commits and the merged pull request that produced it. */
import type { Actor, Facts, MergedPullRequest } from "../facts/schema.js";
import { parseCoAuthors } from "../facts/trailers.js";
import { attempt, type Octokit, type RepositoryPayload, toActor, type UserPayload } from "./github.js";
import { listCheckRuns, listReviews, toCheckRunFacts } from "./pull-request.js";
import { repoFactsFromPayload } from "./repository.js";

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

/** A pull request as `GET /repos/{o}/{r}/commits/{sha}/pulls` lists it (the fields read here). */
interface AssociatedPullRequest {
  number: number;
  title: string;
  user: UserPayload | null;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { sha: string };
}

/** The pull requests GitHub associates with a commit: those it belongs to and the one it merged. */
export async function listAssociatedPullRequests(
  octokit: Octokit,
  owner: string,
  repo: string,
  sha: string,
): Promise<AssociatedPullRequest[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    owner,
    repo,
    commit_sha: sha,
  });
  return data;
}

/** The merged pull request whose merge commit is `sha`, among a commit's associated pull requests. */
export function mergedAt(pulls: readonly AssociatedPullRequest[], sha: string) {
  return pulls.find((p) => p.merged_at && p.merge_commit_sha === sha);
}

/** A merged pull request with who merged it, its reviews and the check runs of its head. */
export async function describeMergedPullRequest(
  octokit: Octokit,
  owner: string,
  repo: string,
  merged: AssociatedPullRequest,
): Promise<MergedPullRequest> {
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
  const merged = mergedAt(await listAssociatedPullRequests(octokit, owner, repo, sha), sha);
  return merged ? describeMergedPullRequest(octokit, owner, repo, merged) : null;
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
