/**
 * What scenario tests set up again and again: the real app with its clock stopped, the org's central
 * repository, a pull request that breaks no standard unless its story says so, a merge after the
 * rulebook check concluded, and the verdict a check run carries.
 */
import { readConfig } from "../../src/app/config.js";
import type { Verdict } from "../../src/engine/verdict.js";
import { createApp } from "../../src/index.js";
import { JSON_SUMMARY } from "../../src/publish/render.js";
import type { RepoSeed, RepoState } from "../fake-github/index.js";
import { mergePullRequest, pushEvent } from "../fake-github/push.js";
import type { PullRequestState } from "../fake-github/state.js";
import { serverEnv } from "./app-identity.js";
import { type PullRequestStory, seedCompliantPullRequest } from "./compliant-repo.js";
import { APP_ID, type AppHarness, startApp } from "./github.js";

/** The moment the app's clock stands still at, as the app writes it. */
export const NOW = "2026-11-23T12:00:00.000Z";

/**
 * The real app on a fake GitHub, configured by `env` over a sweep schedule that is off (so no test
 * leaves a timer behind), jobs that run once (a test of retries asks for more) and enforce as the default
 * mode (the stories are of an organization that turned enforcement on; observe mode has its own), reading
 * `clock`: stopped at NOW unless a test moves its own.
 */
export function startConfiguredApp(
  env: Record<string, string> = {},
  clock: () => number = () => Date.parse(NOW),
): Promise<AppHarness> {
  return startApp({
    app: createApp({
      config: readConfig({
        RULEBOOK_SWEEP_INTERVAL_HOURS: "0",
        RULEBOOK_JOB_ATTEMPTS: "1",
        RULEBOOK_DEFAULT_MODE: "enforce",
        ...serverEnv(),
        ...env,
      }),
      clock,
    }),
  });
}

/** Who maintains acme's central repository (an admin there): the author of its bundle changes. */
export const MAINTAINER = "octo-admin";

/** acme's central repository, `.github`, holding `files`: the org's bundle is under `standards/`. */
export function seedCentralRepo(
  gh: AppHarness,
  files: Record<string, string>,
  seed: Omit<RepoSeed, "owner" | "name" | "files"> = {},
): RepoState {
  return gh.fake.seedRepo({
    owner: "acme",
    name: ".github",
    files,
    roles: { [MAINTAINER]: "admin" },
    ...seed,
  });
}

export { PR_BODY, type PullRequestStory } from "./compliant-repo.js";

/**
 * A pull request that breaks no standard of the default bundle unless its story says so: titled
 * `title`, filling the template, one conventional commit by `author` changing `files` on `head`.
 */
export function seedPullRequest(gh: AppHarness, repo: RepoState, story: PullRequestStory = {}) {
  return seedCompliantPullRequest(gh.fake, repo, story);
}

/** Opens a pull request from `head` (see seedPullRequest), delivers `opened` and returns its `rulebook` run. */
export async function openPullRequest(gh: AppHarness, repo: RepoState, head: string) {
  const pr = seedPullRequest(gh, repo, { head, files: { [`src/${head}.ts`]: "export {};\n" } });
  await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
  const [run] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
  if (!run) throw new Error(`no rulebook check on ${head}`);
  return run;
}

/**
 * Merges `pr` as `by` would with the merge button, once the app's `rulebook` check concluded
 * `conclusion` on its head; returns the merge commit and the `push` GitHub sends for it.
 */
export function mergeAfterRulebook(
  gh: AppHarness,
  repo: RepoState,
  pr: PullRequestState,
  by: string,
  conclusion: "success" | "failure",
) {
  gh.fake.seedCheckRun(repo, { name: "rulebook", headSha: pr.head.sha, conclusion, app: { id: APP_ID } });
  const before = repo.branches.get(pr.base.ref) as string;
  const merge = mergePullRequest(gh.fake, repo, pr.number, by);
  return { merge, event: pushEvent(gh.fake, repo, { before, after: merge.sha, pusher: by }) };
}

/** The comments on issue or pull request `number`, oldest first. */
export function commentsOn(gh: AppHarness, repo: RepoState, number: number) {
  const key = `${repo.owner}/${repo.name}`.toLowerCase();
  return [...gh.fake.state.issueComments.values()].filter((c) => c.repo === key && c.issueNumber === number);
}

/** The `rulebook.findings/v1` verdict in the collapsed "Machine-readable verdict" section of a check run's summary. */
export function verdictIn(summary: string | null | undefined): Verdict {
  const match = new RegExp(
    `^<details><summary>${escapeRegExp(JSON_SUMMARY)}</summary>\\n\\n(\`{3,})json\\n([\\s\\S]*?)\\n\\1$`,
    "m",
  ).exec(summary ?? "");
  if (!match?.[2]) throw new Error(`no machine-readable verdict in:\n${summary}`);
  return JSON.parse(match[2]) as Verdict;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
