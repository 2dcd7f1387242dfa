/**
 * Lost pushes, healed: GitHub never redelivers a `push` webhook, so the sweep rebuilds what happened on
 * each default branch since it last looked, from the commits and the pull requests GitHub associates
 * with them. Runs of commits that no merged pull request contains are direct pushes; a commit that is a
 * pull request's merge commit is a merge (judged for self-merges and merges while the check was red); a
 * head the branch no longer contains was force-pushed away. Each is judged by the push standards exactly
 * as the live `push` path judges it, under the same incident key (`push:<sha of the push's last commit>`),
 * so the hidden marker of the RTFM issue keeps the two from recording one push twice.
 *
 * The store remembers the last head seen per repository and the pushes the live path judged, so a sweep
 * after delivered webhooks costs one request. Without it (after a restart) the sweep looks back over a
 * bounded window of recent commits; what it finds already recorded there changes nothing.
 */
import { z } from "zod";
import { incidentsFromVerdict } from "../app/incidents.js";
import { type IncidentRecord, recordOrObserve } from "../app/observed.js";
import type { Services } from "../app/services.js";
import type { Bundle } from "../bundle/types.js";
import { evaluate } from "../engine/evaluate.js";
import type { Actor, Facts, MergedPullRequest } from "../facts/schema.js";
import { type Octokit, type RepositoryPayload, toActor } from "../gather/github.js";
import { describeMergedPullRequest, listAssociatedPullRequests, mergedAt } from "../gather/history.js";
import { toCommitFact } from "../gather/pull-request.js";
import { repoFactsFromPayload } from "../gather/repository.js";
import { listLabelledIssues } from "../github/issues.js";
import { issueTrust } from "../github/own-issues.js";
import { RTFM_LABEL, rtfmState } from "../publish/rtfm.js";
import { rules } from "../rules/registry.js";
import { readStoredJson, type Store } from "../state/store.js";

/** How many recent commits a sweep looks back over when it does not know where it last looked. */
const HISTORY_WINDOW = 20;
/** ...and how far back in time, at least (longer when sweeps are further apart). */
const HISTORY_WINDOW_HOURS = 24;
/** GitHub's compare endpoint lists at most this many commits. */
const COMPARE_LIMIT = 250;
/** How long the store remembers a push the live path judged. */
const PUSH_MEMORY_SECONDS = 14 * 24 * 3600;

const HeadSchema = z.object({ sha: z.string().min(7) });
const PushSchema = z.object({ before: z.string().min(7) });

const headKey = (repository: string) => `history:head:${repository.toLowerCase()}`;
const pushKey = (repository: string, after: string) => `history:push:${repository.toLowerCase()}:${after}`;

/** The incident key of a push, the same on the live path and in the sweep. */
export function pushIncidentKey(after: string): string {
  return `push:${after}`;
}

/** Remembers that the live path judged the push `before..after`, so the sweep does not walk it again. */
export async function rememberPush(store: Store, repository: string, before: string, after: string) {
  await store.set(pushKey(repository, after), JSON.stringify({ before }), PUSH_MEMORY_SECONDS);
}

interface ListedCommit {
  sha: string;
  parents: Array<{ sha: string }>;
  commit: {
    message: string;
    author: { name?: string; email?: string } | null;
    committer: { name?: string; email?: string; date?: string } | null;
  };
  author: { login: string; type?: string } | null;
  committer: { login: string; type?: string } | null;
}

export interface HistorySweep {
  /** Commits looked at. */
  commits: number;
  /** Whether the head last seen is no longer on the branch. */
  forced: boolean;
  incidents: IncidentRecord[];
}

/** One push the sweep rebuilt: a run of direct commits, or a merge. */
interface RebuiltPush {
  before: string;
  after: string;
  commits: ListedCommit[];
  pullRequest: MergedPullRequest | null;
  pusher: Actor;
}

export async function sweepHistory(
  octokit: Octokit,
  services: Services,
  bundle: Bundle,
  repository: RepositoryPayload,
  /** The default branch's head when the caller already read it: unchanged since the last look, it costs nothing. */
  knownHead?: string | null,
): Promise<HistorySweep> {
  const none: HistorySweep = { commits: 0, forced: false, incidents: [] };
  if (!bundle.standards.some((s) => rules.get(s.rule)?.scope === "push")) return none;
  const owner = repository.owner.login;
  const repo = repository.name;
  const name = `${owner}/${repo}`;
  const branch = repository.default_branch ?? "main";
  const last = (await readStoredJson(services.store, headKey(name), HeadSchema))?.sha;
  if (knownHead && knownHead === last) return none;
  if (knownHead && last === undefined) {
    // Never looked here (a new repository, or the store was lost): start from the head the sweep read,
    // at no cost. A cold look back would cost a request per repository on every restart.
    await services.store.set(headKey(name), JSON.stringify({ sha: knownHead }));
    return none;
  }
  const { data: recent } = await octokit.rest.repos.listCommits({
    owner,
    repo,
    sha: branch,
    per_page: HISTORY_WINDOW,
  });
  const head = recent[0]?.sha;
  if (!head) return none;
  // Walk back over the pushes the live path judged: what they cover needs no second look.
  let cursor = head;
  const judged = new Set<string>();
  for (let push = await readStoredJson(services.store, pushKey(name, cursor), PushSchema); push; ) {
    judged.add(cursor);
    if (cursor === last) break;
    cursor = push.before;
    push = await readStoredJson(services.store, pushKey(name, cursor), PushSchema);
  }
  let forced = false;
  let commits: ListedCommit[];
  if (cursor === last) {
    commits = [];
  } else if (last === undefined) {
    commits = windowFrom(recent as ListedCommit[], cursor, services);
  } else {
    const range = await compareSince(octokit, owner, repo, last, cursor);
    forced = range?.forced ?? true;
    commits = range?.commits ?? windowFrom(recent as ListedCommit[], cursor, services);
  }
  // A repository's first commit is its creation, made before any pull request could exist.
  commits = commits.filter((c) => c.parents.length > 0);
  const result: HistorySweep = { commits: commits.length, forced, incidents: [] };
  if (commits.length > 0) {
    const seen = await recordedKeys(octokit, owner, repo);
    const pushes = await rebuildPushes(octokit, owner, repo, commits, judged, seen);
    const lastPush = pushes.at(-1);
    if (forced && last && lastPush?.after === head) lastPush.before = last;
    for (const push of pushes) {
      if (seen.has(pushIncidentKey(push.after))) continue;
      const forcedHere = forced && push === lastPush && push.after === head;
      result.incidents.push(
        ...(await judgeRebuiltPush(octokit, services, bundle, repository, push, forcedHere)),
      );
    }
  }
  await services.store.set(headKey(name), JSON.stringify({ sha: head }));
  return result;
}

/**
 * Where the sweep does not know where it last looked: the recent commits (listed newest first) from the
 * cursor down, committed within the window, oldest first.
 */
function windowFrom(recent: ListedCommit[], cursor: string, services: Services): ListedCommit[] {
  const at = recent.findIndex((c) => c.sha === cursor);
  const hours = Math.max(services.config.sweepIntervalHours, HISTORY_WINDOW_HOURS);
  const since = Date.parse(services.now()) - hours * 3600 * 1000;
  return (at < 0 ? [] : recent.slice(at))
    .filter((c) => Date.parse(c.commit.committer?.date ?? "") >= since)
    .reverse();
}

/**
 * The commits from `last` (excluded) to `head`, oldest first; `forced` when `last` is no longer an
 * ancestor of `head`. Undefined when GitHub no longer knows `last` (it was force-pushed away and
 * collected): the caller falls back to the window, and it was forced.
 */
async function compareSince(octokit: Octokit, owner: string, repo: string, last: string, head: string) {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: `${last}...${head}`,
      per_page: COMPARE_LIMIT,
    });
    return {
      forced: data.status === "diverged" || data.status === "behind",
      commits: data.commits as ListedCommit[],
    };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** The incident keys the repository's RTFM issues already hold: only the app's own issues say so. */
async function recordedKeys(octokit: Octokit, owner: string, repo: string): Promise<Set<string>> {
  const trust = await issueTrust(octokit);
  const issues = trust.own(await listLabelledIssues(octokit, owner, repo, RTFM_LABEL), `${owner}/${repo}`);
  return new Set(issues.flatMap((issue) => rtfmState(issue.body)?.seen ?? []));
}

/**
 * Splits commits (oldest first) into the pushes that brought them: a merge commit is its own push; a
 * run of commits no merged pull request contains is one direct push, ended early where a push already
 * judged or recorded ended. Commits of merged pull requests came with their merge.
 */
async function rebuildPushes(
  octokit: Octokit,
  owner: string,
  repo: string,
  commits: ListedCommit[],
  judged: ReadonlySet<string>,
  seen: ReadonlySet<string>,
): Promise<RebuiltPush[]> {
  const pushes: RebuiltPush[] = [];
  let run: ListedCommit[] = [];
  const flush = () => {
    const first = run[0];
    const lastCommit = run.at(-1);
    if (first && lastCommit) {
      pushes.push({
        before: first.parents[0]?.sha ?? "",
        after: lastCommit.sha,
        commits: run,
        pullRequest: null,
        pusher: actorOf(lastCommit),
      });
    }
    run = [];
  };
  for (const commit of commits) {
    const pulls = await listAssociatedPullRequests(octokit, owner, repo, commit.sha);
    const merged = mergedAt(pulls, commit.sha);
    if (merged) {
      flush();
      const pullRequest = await describeMergedPullRequest(octokit, owner, repo, merged);
      pushes.push({
        before: commit.parents[0]?.sha ?? "",
        after: commit.sha,
        commits: [commit],
        pullRequest,
        pusher: pullRequest.mergedBy ?? actorOf(commit),
      });
      continue;
    }
    if (pulls.some((p) => p.merged_at)) continue;
    run.push(commit);
    if (judged.has(commit.sha) || seen.has(pushIncidentKey(commit.sha))) flush();
  }
  flush();
  return pushes.filter((push) => !judged.has(push.after));
}

/** Who pushed a commit, as far as the commit tells: its committer's account, else its author's. */
function actorOf(commit: ListedCommit): Actor {
  const account = commit.committer ?? commit.author;
  if (account) return toActor(account);
  return { login: commit.commit.committer?.name ?? commit.commit.author?.name ?? "unknown", type: "Unknown" };
}

async function judgeRebuiltPush(
  octokit: Octokit,
  services: Services,
  bundle: Bundle,
  repository: RepositoryPayload,
  push: RebuiltPush,
  forced: boolean,
): Promise<HistorySweep["incidents"]> {
  const app = await services.identity();
  const facts: Facts = {
    scopes: ["push"],
    now: services.now(),
    repo: repoFactsFromPayload(repository),
    push: {
      ref: `refs/heads/${repository.default_branch ?? "main"}`,
      before: push.before,
      after: push.after,
      forced,
      created: false,
      deleted: false,
      pusher: push.pusher,
      commits: push.commits.map(toCommitFact),
      pullRequest: push.pullRequest,
    },
    ...(app ? { app } : {}),
    unavailable: {},
  };
  const verdict = await evaluate(bundle, facts);
  const name = `${repository.owner.login}/${repository.name}`;
  const incidents = incidentsFromVerdict(bundle, verdict, {
    repository: name,
    kind: "event",
    key: pushIncidentKey(push.after),
    event: forced ? "push (forced), found by the sweep" : "push, found by the sweep",
    time: facts.now,
    actor: push.pusher,
    sha: push.after,
    repo: facts.repo,
  });
  const written: HistorySweep["incidents"] = [];
  for (const incident of incidents) written.push(await recordOrObserve(octokit, services, bundle, incident));
  return written;
}
