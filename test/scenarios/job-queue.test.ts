/**
 * Deliveries as jobs, seen through the app (the embedded queue): a payload that does not match is refused
 * in one line; a check that failed closed because GitHub did not answer is retried, and judged again by the
 * next sweep; a job that fails every attempt is kept, logged and counted on the dashboard; a pull
 * request's deliveries coalesce and its newest head is judged.
 */
import { describe, expect, it } from "@jest/globals";
import { runtimeOf } from "../../src/index.js";
import type { RepoState } from "../fake-github/index.js";
import { installationCreatedEvent } from "../fake-github/push.js";
import type { AppHarness } from "../support/github.js";
import { seedPullRequest, startConfiguredApp } from "../support/scenario.js";

const FILES = "GET /repos/{owner}/{repo}/pulls/{pull_number}/files";
/** Retries without waiting. */
const RETRIES = { RULEBOOK_JOB_ATTEMPTS: "3", RULEBOOK_JOB_BACKOFF_SECONDS: "0.001" };

function rulebookRuns(gh: AppHarness, repo: RepoState) {
  return gh.fake
    .checkRuns(repo, { name: "rulebook" })
    .map((run) => [run.headSha, run.conclusion, JSON.parse(run.externalId ?? "{}").u]);
}

function jobLines(gh: AppHarness) {
  return gh.logs
    .filter((l) => /^(delivery|job) (handled|failed|done)$/.test(l.msg))
    .map((l) => [l.delivery, l.msg, l.attempt ?? 1, l.retrying ?? false]);
}

async function installationSweep(gh: AppHarness, id: string) {
  await gh.deliver(
    "installation",
    installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo"),
    {
      id,
    },
  );
  return gh.logs.filter((l) => l.msg === "sweep done").at(-1);
}

describe("deliveries as jobs", () => {
  it("refuses a payload that does not match in one line naming the event, delivery and field", async () => {
    const gh = await startConfiguredApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(gh, repo);
    const event = gh.fake.pullRequestEvent(repo, pr.number, "opened") as Record<string, unknown>;

    await gh.deliver(
      "pull_request",
      { ...event, pull_request: { ...(event.pull_request as object), number: "one" } },
      {
        id: "broken",
      },
    );

    expect(
      gh.logs.filter((l) => l.delivery === "broken").map(({ time: _t, pid: _p, hostname: _h, ...l }) => l),
    ).toEqual([
      {
        level: 40,
        name: "probot",
        msg: "webhook payload refused",
        delivery: "broken",
        event: "pull_request.opened",
        field: "pull_request.number",
        problem: "Invalid input: expected number, received string",
      },
    ]);
    expect(gh.fake.requests.count()).toBe(0);
  });

  it("retries a check that failed closed because GitHub did not answer, then judges it", async () => {
    const gh = await startConfiguredApp(RETRIES);
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(gh, repo);
    gh.fake.faults.inject(FILES, { status: 502, message: "Server Error", times: 1 });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"), { id: "d-1" });

    expect(jobLines(gh)).toEqual([
      ["d-1", "delivery failed", 1, true],
      ["d-1", "delivery handled", 2, false],
    ]);
    // One run, failed closed (marked so), then updated in place with the verdict.
    expect(rulebookRuns(gh, repo)).toEqual([[pr.head.sha, "success", undefined]]);
    expect(gh.fake.requests.all.filter((r) => r.route === FILES).map((r) => r.status)).toEqual([502, 200]);
  });

  it("keeps a job that fails every attempt, logs it and counts it on the org's dashboard", async () => {
    const gh = await startConfiguredApp(RETRIES);
    gh.fake.seedRepo({ owner: "acme", name: ".github" });
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(gh, repo);
    gh.fake.faults.inject(FILES, { status: 502, message: "Server Error" });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"), { id: "d-1" });

    expect(jobLines(gh)).toEqual([
      ["d-1", "delivery failed", 1, true],
      ["d-1", "delivery failed", 2, true],
      ["d-1", "delivery failed", 3, false],
    ]);
    expect(rulebookRuns(gh, repo)).toEqual([[pr.head.sha, "failure", 1]]);
    const failures = await runtimeOf(gh.probot)?.failures(5);
    expect(failures?.recent.map((f) => [f.id, f.name, f.attempts])).toEqual([["d-1", "judge", 3]]);

    await installationSweep(gh, "install");
    const [dashboard] = [...gh.fake.repo("acme/.github").issues.values()].filter((i) =>
      i.labels.includes("rulebook-dashboard"),
    );
    expect(dashboard?.body).toContain(
      "> [!CAUTION]\n> 1 job failed after every retry; the next sweep redoes what they could not. Latest:\n> - `judge` acme/api#1 at 2026-11-23T12:00:00.000Z: the check failed closed: guarded-paths: GitHub did not answer the pull request's files (HTTP 502): Server Error - https://docs.github.com/rest\n",
    );
  });

  it("has the sweep judge again a check that failed closed because GitHub did not answer", async () => {
    const gh = await startConfiguredApp();
    gh.fake.seedRepo({ owner: "acme", name: ".github" });
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(gh, repo);
    gh.fake.faults.inject(FILES, { status: 502, message: "Server Error" });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
    expect(rulebookRuns(gh, repo)).toEqual([[pr.head.sha, "failure", 1]]);

    gh.fake.faults.clear();
    expect(await installationSweep(gh, "sweep-1")).toMatchObject({ healed: 1 });
    expect(rulebookRuns(gh, repo)).toEqual([[pr.head.sha, "success", undefined]]);

    // Judged now: the next sweep leaves it be.
    expect(await installationSweep(gh, "sweep-2")).toMatchObject({ healed: 0 });
  });

  it("coalesces a pull request's deliveries and judges its newest head", async () => {
    const gh = await startConfiguredApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(gh, repo);
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"), { id: "opened" });
    const opened = pr.head.sha;
    const pushes = [1, 2, 3].map((n) => {
      const before = repo.pulls.get(pr.number)?.head.sha as string;
      const head = gh.fake.pushToPullRequest(repo, pr.number, [
        { message: `fix: attempt ${n}`, files: { "src/login.ts": `export const a = ${n};\n` } },
      ]).head.sha;
      gh.fake.seedCheckRun(repo, { name: "test", headSha: head, conclusion: "success" });
      return { ...gh.fake.pullRequestEvent(repo, pr.number, "synchronize"), before, after: head };
    });
    const newest = repo.pulls.get(pr.number)?.head.sha;

    // Three pushes delivered at once: the first runs, the newest follows it, the middle one is taken in.
    await Promise.all(pushes.map((push, n) => gh.deliver("pull_request", push, { id: `push-${n + 1}` })));

    expect(jobLines(gh).map(([delivery]) => delivery)).toEqual(["opened", "push-1", "push-3"]);
    // The first job already read the newest head; the one after it judged that head again, in place.
    expect(gh.fake.checkRuns(repo, { name: "rulebook" }).map((run) => run.headSha)).toEqual([opened, newest]);
  });
});
