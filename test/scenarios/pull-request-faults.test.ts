/**
 * When GitHub misbehaves: a fact that cannot be gathered fails the check closed and says which fact; a
 * transient error is retried; a secondary rate limit is waited out as its `retry-after` asks.
 */
import { describe, expect, it } from "@jest/globals";
import type { RepoState } from "../fake-github/index.js";
import { type AppHarness, type StartAppOptions, startApp } from "../support/github.js";
import { seedPullRequest } from "../support/scenario.js";

const FILES = "GET /repos/{owner}/{repo}/pulls/{pull_number}/files";

/** A person's compliant pull request, with CI passed on its head: its verdict is `success` when GitHub answers. */
async function startWithPullRequest(options: StartAppOptions = {}) {
  const gh = await startApp(options);
  const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
  return { gh, repo, pr: seedPullRequest(gh, repo) };
}

function rulebookRun(gh: AppHarness, repo: RepoState, headSha: string) {
  const runs = gh.fake.checkRuns(repo, { headSha, name: "rulebook" });
  expect(runs).toHaveLength(1);
  return runs[0];
}

describe("GitHub failing to answer", () => {
  it("fails closed and names the fact when the pull request's files cannot be read", async () => {
    const { gh, repo, pr } = await startWithPullRequest();
    gh.fake.faults.inject(FILES, { status: 502, message: "Server Error" });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const run = rulebookRun(gh, repo, pr.head.sha);
    expect([run?.status, run?.conclusion]).toEqual(["completed", "failure"]);
    expect(run?.output.title).toBe(
      "Incomplete: 0 errors, 0 warnings, 0 notices, 6 not evaluated, 6 blocking not evaluated",
    );
    const summary = run?.output.summary ?? "";
    expect(summary).toContain(
      "> [!CAUTION]\n> 6 blocking standard(s) could not be judged, so this check fails closed: `guarded-paths`, `no-deleted-tests`, `no-excluded-tests`, `no-hidden-test-skips`, `tests-can-fail`, `validation-complete`.",
    );
    expect(summary).toContain(
      "- **Not evaluated, which is never a pass:** `guarded-paths`, `no-deleted-tests`, `no-excluded-tests`, `no-hidden-test-skips`, `tests-can-fail`, `validation-complete` — GitHub did not answer the pull request's files (HTTP 502): Server Error",
    );
    expect(gh.fake.requests.count(FILES)).toBe(1);
  });

  it("recovers from one transient 502 with Octokit's retries and judges normally", async () => {
    const { gh, repo, pr } = await startWithPullRequest({
      octokit: { retry: { enabled: true, retryAfterBaseValue: 1 } },
    });
    gh.fake.faults.inject(FILES, { status: 502, times: 1 });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const run = rulebookRun(gh, repo, pr.head.sha);
    expect([run?.conclusion, run?.output.title]).toEqual([
      "success",
      "Passed: 0 errors, 0 warnings, 0 notices, 0 not evaluated",
    ]);
    expect(gh.fake.requests.all.filter((r) => r.route === FILES).map((r) => r.status)).toEqual([502, 200]);
  });

  it("waits out a secondary rate limit for as long as `retry-after` says, then judges normally", async () => {
    // Throttling on, as Probot runs in production (it only logs a secondary rate limit); `retry-after` is
    // GitHub's whole seconds, so this test really waits one second.
    const { gh, repo, pr } = await startWithPullRequest({ octokit: { throttle: { enabled: true } } });
    gh.fake.faults.secondaryRateLimit(FILES, { retryAfterSeconds: 1, times: 1 });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const run = rulebookRun(gh, repo, pr.head.sha);
    expect(run?.conclusion).toBe("success");
    expect(gh.fake.requests.all.filter((r) => r.route === FILES).map((r) => r.status)).toEqual([403, 200]);
  });

  it("does not wait an hour for a secondary rate limit: it fails closed at once", async () => {
    const { gh, repo, pr } = await startWithPullRequest();
    gh.fake.faults.secondaryRateLimit(FILES, { retryAfterSeconds: 3600 });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const run = rulebookRun(gh, repo, pr.head.sha);
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.summary).toContain(
      "- **Not evaluated, which is never a pass:** `guarded-paths`, `no-deleted-tests`, `no-excluded-tests`, `no-hidden-test-skips`, `tests-can-fail`, `validation-complete` — GitHub did not answer the pull request's files (HTTP 403): You have exceeded a secondary rate limit.",
    );
    expect(gh.fake.requests.count(FILES)).toBe(1);
  });
});
