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
