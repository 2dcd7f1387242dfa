/**
 * What makes the `rulebook` check judge a pull request again, besides `pull_request` events: required
 * checks still running and then completing, a review, the Re-run button and action, and the merge queue.
 * However often it judges one commit, that commit keeps one `rulebook` run, updated in place.
 */
import { describe, expect, it } from "@jest/globals";
import type { RepoState } from "../fake-github/index.js";
import * as render from "../fake-github/render.js";
import type { CheckRunState } from "../fake-github/state.js";
import { type AppHarness, startApp } from "../support/github.js";
import { seedCentralRepo, seedPullRequest } from "../support/scenario.js";

const AGENT = "coder-agent[bot]";

/**
 * acme/api, whose CI workflow an agent's pull request changes to `workflow` (a guarded path), with CI's
 * `test` check passed on its head when `ci` says so.
 */
function seedAgentWorkflowChange(gh: AppHarness, workflow: string, ci: boolean) {
  const repo = gh.fake.seedRepo({
    owner: "acme",
    name: "api",
    files: { ".github/workflows/ci.yml": "on: push\n" },
  });
  gh.fake.seedUser(AGENT, { type: "Bot" });
  const pr = seedPullRequest(gh, repo, {
    author: AGENT,
    files: { ".github/workflows/ci.yml": workflow },
    ci,
  });
  return { repo, pr };
}

/** A `check_run` webhook payload for a run in the fake, as GitHub sends it to every subscribed app. */
function checkRunEvent(
  gh: AppHarness,
  repo: RepoState,
  run: CheckRunState,
  action: string,
  sender = "alice",
) {
  return {
    action,
    check_run: render.checkRun(gh.fake.state, run),
    repository: render.repository(gh.fake.state, repo),
    organization: render.organization(gh.fake.state, repo.owner),
    sender: render.user(gh.fake.state, sender),
  };
}

function rulebookRuns(gh: AppHarness, repo: RepoState, headSha: string) {
  return gh.fake
    .checkRuns(repo, { headSha, name: "rulebook" })
    .map((run) => ({ id: run.id, status: run.status, conclusion: run.conclusion }));
}

describe("required checks still running", () => {
  /** The org's bundle requires the `lint` and `test` checks by name. */
  function seedBundleRequiringChecks(gh: AppHarness) {
    seedCentralRepo(gh, {
      "standards/rulebook.yml": [
        'version: "2026.12.0"',
        "extends: default",
        "standards:",
        "  validation-complete:",
        "    options:",
        "      checks: [lint, test]",
        "",
      ].join("\n"),
    });
  }

  it.each([
    ["success", "success"],
    ["failure", "failure"],
  ] as const)(
    "keeps the run in progress until `test` completes with %s, then concludes %s in place",
    async (ci, rulebook) => {
      const gh = await startApp();
      seedBundleRequiringChecks(gh);
      const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
      const pr = seedPullRequest(gh, repo, { files: { "src/login.ts": "export const a = 1;\n" }, ci: false });
      gh.fake.seedCheckRun(repo, { name: "lint", headSha: pr.head.sha, conclusion: "success" });
      const test = gh.fake.seedCheckRun(repo, { name: "test", headSha: pr.head.sha, status: "in_progress" });

      await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

      const [pending] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
      expect([pending?.status, pending?.conclusion, pending?.output.title]).toEqual([
        "in_progress",
        null,
        "Pending: 1 error, 0 warnings, 0 notices, 1 pending, 0 not evaluated",
      ]);

      Object.assign(test, { status: "completed", conclusion: ci, completedAt: gh.fake.state.clock.iso() });
      gh.fake.requests.reset();
      const completed = checkRunEvent(gh, repo, test, "completed", "github-actions[bot]");
      await gh.deliver("check_run", completed);

      expect(rulebookRuns(gh, repo, pr.head.sha)).toEqual([
        { id: pending?.id, status: "completed", conclusion: rulebook },
      ]);
      // The facts gathered for this head were kept: the check runs alone are read again, and the
      // run is written once.
      expect(gh.fake.requests.counts()).toEqual({
        "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": 1,
        "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": 1,
      });

      // The same completion again (a redelivery, or a re-run that ended alike) changes nothing: no write.
      gh.fake.requests.reset();
      await gh.deliver("check_run", completed);
      expect(gh.fake.requests.counts()).toEqual({ "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": 1 });
      expect(rulebookRuns(gh, repo, pr.head.sha)).toEqual([
        { id: pending?.id, status: "completed", conclusion: rulebook },
      ]);
    },
  );
  it("spends nothing on the pull request when a check no standard judges completes", async () => {
    const gh = await startApp();
    seedBundleRequiringChecks(gh);
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(gh, repo, { files: { "src/login.ts": "export const a = 1;\n" }, ci: false });
    for (const name of ["lint", "test"])
      gh.fake.seedCheckRun(repo, { name, headSha: pr.head.sha, conclusion: "success" });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
    const preview = gh.fake.seedCheckRun(repo, {
      name: "docs-preview",
      headSha: pr.head.sha,
      conclusion: "success",
    });

    gh.fake.requests.reset();
    await gh.deliver("check_run", checkRunEvent(gh, repo, preview, "completed", "github-actions[bot]"));

    expect(gh.fake.requests.all.filter((r) => r.path.startsWith("/repos/acme/api/"))).toEqual([]);
    expect(gh.logs.at(-1)).toMatchObject({ ignored: "no standard judges this check" });
  });
});

describe("other triggers", () => {
  it("passes an agent's change to CI once an independent human approves it", async () => {
    const gh = await startApp();
    const { repo, pr } = seedAgentWorkflowChange(gh, "on: [push, pull_request]\n", true);
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
    const [before] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    expect([before?.conclusion, before?.output.annotations.map((a) => [a.path, a.title])]).toEqual([
      "failure",
      [[".github/workflows/ci.yml", "guarded-paths (error)"]],
    ]);

    const review = gh.fake.seedReview(repo, pr.number, { author: "alice", state: "APPROVED" });
    const state = gh.fake.state;
    await gh.deliver("pull_request_review", {
      action: "submitted",
      review: render.review(state, repo, pr, review),
      pull_request: render.pullRequest(state, repo, pr),
      repository: render.repository(state, repo),
      sender: render.user(state, "alice"),
    });

    // GitHub cannot take annotations off a run, so a new run without them supersedes the failed one.
    const runs = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    expect(runs.map((run) => [run.id === before?.id, run.conclusion, run.output.annotations.length])).toEqual(
      [
        [true, "failure", 1],
        [false, "success", 0],
      ],
    );
    expect(runs[1]?.output.title).toBe("Passed: 0 errors, 0 warnings, 0 notices, 0 not evaluated");
  });

  it.each([
    ["rerequested", {}],
    ["requested_action", { requested_action: { identifier: "rerun" } }],
  ])("judges the commit again on our run's `%s`", async (action, extra) => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(gh, repo, {
      title: "Add login",
      files: { "src/login.ts": "export const a = 1;\n" },
    });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
    const [run] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    expect(run?.conclusion).toBe("failure");

    // The title is fixed but the `edited` webhook was lost; a person presses Re-run.
    const issue = repo.issues.get(pr.number);
    if (issue) issue.title = "feat: add login";
    await gh.deliver("check_run", { ...checkRunEvent(gh, repo, run as CheckRunState, action), ...extra });

    expect(rulebookRuns(gh, repo, pr.head.sha)).toEqual([
      { id: run?.id, status: "completed", conclusion: "success" },
    ]);
  });

  it("ignores its own run's `completed` and other apps' re-runs and buttons", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(gh, repo, { files: { "src/login.ts": "export const a = 1;\n" }, ci: false });
    const ci = gh.fake.seedCheckRun(repo, { name: "test", headSha: pr.head.sha, conclusion: "success" });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
    const [ours] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    gh.fake.requests.reset();

    await gh.deliver(
      "check_run",
      checkRunEvent(gh, repo, ours as CheckRunState, "completed", "rulebook[bot]"),
    );
    await gh.deliver("check_run", checkRunEvent(gh, repo, ci, "rerequested"));
    await gh.deliver("check_run", {
      ...checkRunEvent(gh, repo, ci, "requested_action"),
      requested_action: { identifier: "rerun" },
    });

    expect(gh.fake.requests.count()).toBe(0);
    expect(gh.logs.filter((l) => l.msg === "delivery handled").map((l) => [l.event, l.ignored])).toEqual([
      ["pull_request.opened", undefined],
      ["check_run.completed", "not ours to act on"],
      ["check_run.rerequested", "not ours to act on"],
      ["check_run.requested_action", "not ours to act on"],
    ]);
  });
});

describe("the merge queue", () => {
  /**
   * An agent's change to CI, approved by alice on its head, queued: the merge queue's commit (the base
   * with the pull request merged in, on a gh-readonly-queue branch) and the `merge_group` event for it.
   */
  function queueApprovedPullRequest(gh: AppHarness) {
    const { repo, pr } = seedAgentWorkflowChange(gh, "on: [push, merge_group]\n", false);
    gh.fake.seedReview(repo, pr.number, { author: "alice", state: "APPROVED" });
    const base = repo.branches.get("main") as string;
    const queueBranch = `gh-readonly-queue/main/pr-${pr.number}-${base}`;
    const group = gh.fake.seedCommit(repo, {
      message: `Merge pull request #${pr.number} from acme/feat/login`,
      files: { ".github/workflows/ci.yml": "on: [push, merge_group]\n" },
      parents: [base, pr.head.sha],
      branch: queueBranch,
    });
    const state = gh.fake.state;
    const event = {
      action: "checks_requested",
      merge_group: {
        head_sha: group.sha,
        head_ref: `refs/heads/${queueBranch}`,
        base_sha: base,
        base_ref: "refs/heads/main",
        head_commit: {
          id: group.sha,
          tree_id: group.sha,
          message: group.message,
          timestamp: group.author.date,
          author: { name: group.author.name, email: group.author.email },
          committer: { name: group.committer.name, email: group.committer.email },
        },
      },
      repository: render.repository(state, repo),
      organization: render.organization(state, repo.owner),
      sender: render.user(state, "alice"),
    };
    return { repo, pr, group, queueBranch, event };
  }

  it("reports on the merge group's commit, judging the pull request approved on its head", async () => {
    const gh = await startApp();
    const { repo, pr, group, event } = queueApprovedPullRequest(gh);
    gh.fake.seedCheckRun(repo, { name: "test", headSha: group.sha, conclusion: "success" });

    await gh.deliver("merge_group", event);

    expect(gh.fake.checkRuns(repo, { name: "rulebook" }).map((run) => [run.headSha, run.conclusion])).toEqual(
      [[group.sha, "success"]],
    );
    const [run] = gh.fake.checkRuns(repo, { headSha: group.sha, name: "rulebook" });
    expect(run?.output.title).toBe("Passed: 0 errors, 0 warnings, 0 notices, 0 not evaluated");
    expect(run?.output.summary).toContain(
      `> [!NOTE]\n> This run reports on the merge queue's commit ${group.sha} for #${pr.number}: the check runs judged are that commit's; reviews count on the pull request's head, ${pr.head.sha}.\n\n## Rulebook — Passed`,
    );
  });

  it("concludes the merge group's run when its CI completes, though no pull request has that head", async () => {
    const gh = await startApp();
    const { repo, group, queueBranch, event } = queueApprovedPullRequest(gh);
    const ci = gh.fake.seedCheckRun(repo, { name: "test", headSha: group.sha, status: "in_progress" });
    await gh.deliver("merge_group", event);
    expect(rulebookRuns(gh, repo, group.sha).map((run) => run.status)).toEqual(["in_progress"]);

    Object.assign(ci, { status: "completed", conclusion: "success", completedAt: gh.fake.state.clock.iso() });
    const completed = checkRunEvent(gh, repo, ci, "completed", "github-actions[bot]");
    // GitHub lists no pull request on a merge queue commit's runs; the suite names the queue branch.
    expect(completed.check_run.pull_requests).toEqual([]);
    await gh.deliver("check_run", {
      ...completed,
      check_run: {
        ...completed.check_run,
        check_suite: { ...completed.check_run.check_suite, head_branch: queueBranch },
      },
    });

    expect(rulebookRuns(gh, repo, group.sha).map((run) => [run.status, run.conclusion])).toEqual([
      ["completed", "success"],
    ]);
  });
});
