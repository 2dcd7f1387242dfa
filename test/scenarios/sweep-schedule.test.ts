/**
 * The scheduled sweep: one job per interval sweeps every installation of the app (a job per installation,
 * fanned out in batches), on a schedule that never keeps the process alive, that runs an interval once
 * however often it is asked, that survives GitHub being down, and that is off when the interval is 0.
 */
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { readConfig } from "../../src/app/config.js";
import { runtimeOf } from "../../src/index.js";
import type { RepoState } from "../fake-github/index.js";
import type { AppHarness } from "../support/github.js";
import { startConfiguredApp } from "../support/scenario.js";

const DAY = 24 * 3_600_000;

afterEach(() => {
  jest.restoreAllMocks();
});

function start(hours: string): Promise<AppHarness> {
  return startConfiguredApp({ RULEBOOK_SWEEP_INTERVAL_HOURS: hours });
}

/** Two orgs with the app installed, each with one repository lacking a CODEOWNERS file. */
function seedOrgs(gh: AppHarness): void {
  for (const org of ["acme", "globex"]) {
    gh.fake.seedRepo({ owner: org, name: ".github" });
    gh.fake.seedRepo({ owner: org, name: "api" });
    gh.fake.installationFor(org);
  }
}

function titles(repo: RepoState) {
  return [...repo.issues.values()].map((issue) => issue.title);
}

/** Runs the schedule's job, as one interval of the schedule does, and waits for all it started. */
async function sweepAll(gh: AppHarness, id: string) {
  const runtime = runtimeOf(gh.probot);
  if (!runtime) throw new Error("the app has no runtime");
  await runtime.sweepAll(id);
  await runtime.idle();
  return runtime;
}

describe("the scheduled sweep", () => {
  it("sweeps every installation of the app", async () => {
    const gh = await start("0");
    seedOrgs(gh);

    await sweepAll(gh, "interval-1");

    expect(titles(gh.fake.repo("acme/api"))).toContain(
      "RTFM: acme/api drifts from the organization's standards",
    );
    expect(titles(gh.fake.repo("globex/api"))).toContain(
      "RTFM: globex/api drifts from the organization's standards",
    );
    for (const org of ["acme", "globex"]) {
      const central = gh.fake.repo(`${org}/.github`);
      expect(titles(central)).toContain("Rulebook compliance dashboard");
    }
    expect(
      gh.logs
        .filter((log) => log.msg === "sweep done")
        .map((log) => [log.org, log.swept, log.delivery])
        .sort(),
    ).toEqual([
      ["acme", 2, "interval-1"],
      ["globex", 2, "interval-1"],
    ]);
  });

  it("leaves out a suspended installation, and keeps the job, counted, when GitHub is down", async () => {
    const gh = await start("0");
    seedOrgs(gh);
    const acme = gh.fake.installationFor("acme");
    acme.suspendedAt = "2026-11-20T00:00:00Z";

    await sweepAll(gh, "interval-1");

    expect(titles(gh.fake.repo("globex/api"))).toContain(
      "RTFM: globex/api drifts from the organization's standards",
    );
    expect(titles(gh.fake.repo("acme/api"))).toEqual([]);
    expect(gh.logs.filter((log) => log.msg === "sweep done").map((log) => log.org)).toEqual(["globex"]);

    gh.fake.faults.inject("GET /app/installations", { status: 502, message: "Server Error" });
    const runtime = await sweepAll(gh, "interval-2");
    expect(gh.logs.at(-1)).toMatchObject({
      msg: "scheduled sweep failed",
      job: "sweep-all",
      delivery: "interval-2",
    });
    expect((await runtime.failures(10)).recent.map((f) => [f.id, f.error])).toEqual([
      ["interval-2", "Server Error - https://docs.github.com/rest"],
    ]);
  });

  it("schedules the sweep on an unref'd timer every RULEBOOK_SWEEP_INTERVAL_HOURS", async () => {
    const setInterval = jest.spyOn(globalThis, "setInterval");
    await start("24");

    expect(setInterval.mock.calls.map(([, delay]) => delay)).toEqual([DAY]);
    const timer = setInterval.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    clearInterval(timer);
  });

  it("sweeps an interval once however often it is asked", async () => {
    const gh = await start("0");
    seedOrgs(gh);

    await sweepAll(gh, "interval-1");
    await sweepAll(gh, "interval-1");

    expect(gh.fake.requests.count("GET /app/installations")).toBe(1);
    await sweepAll(gh, "interval-2");
    expect(gh.fake.requests.count("GET /app/installations")).toBe(2);
  });

  it("schedules nothing when RULEBOOK_SWEEP_INTERVAL_HOURS is 0", async () => {
    const setInterval = jest.spyOn(globalThis, "setInterval");
    await start("0");
    expect(setInterval).not.toHaveBeenCalled();
  });
});

describe("readConfig", () => {
  it("reads the sweep settings, with a daily sweep of 4 repositories at once by default", () => {
    expect(readConfig({})).toEqual({
      bundleRepo: ".github",
      bundlePath: "standards",
      bundleTtlSeconds: 300,
      sweepIntervalHours: 24,
      sweepConcurrency: 4,
      escalationWindowHours: 24,
      webUrl: "https://github.com",
      defaultMode: "observe",
      queueName: "rulebook",
      workerConcurrency: 8,
      jobAttempts: 5,
      jobBackoffSeconds: 10,
      jobLockSeconds: 30,
      githubConcurrency: 25,
    });
    expect(readConfig({ RULEBOOK_DEFAULT_MODE: "enforce" }).defaultMode).toBe("enforce");
    expect(() => readConfig({ RULEBOOK_DEFAULT_MODE: "block" })).toThrow(
      'RULEBOOK_DEFAULT_MODE must be "observe" or "enforce", got "block"',
    );
    // Links to the bundle's pages go to the GitHub Enterprise Server Probot talks to.
    expect(readConfig({ GHE_HOST: "github.example.com" }).webUrl).toBe("https://github.example.com");
    expect(readConfig({ REDIS_URL: "redis://redis:6379" }).redisUrl).toBe("redis://redis:6379");
    expect(readConfig({ RULEBOOK_ESCALATION_WINDOW_HOURS: "168" }).escalationWindowHours).toBe(168);
    expect(readConfig({ RULEBOOK_JOB_LOCK_SECONDS: "5" }).jobLockSeconds).toBe(5);
    expect(() => readConfig({ RULEBOOK_JOB_LOCK_SECONDS: "0" })).toThrow(
      'RULEBOOK_JOB_LOCK_SECONDS must be a number of at least 1, got "0"',
    );
    expect(() => readConfig({ RULEBOOK_ESCALATION_WINDOW_HOURS: "0" })).toThrow(
      'RULEBOOK_ESCALATION_WINDOW_HOURS must be a number of at least 1, got "0"',
    );
    expect(readConfig({ RULEBOOK_SWEEP_INTERVAL_HOURS: "0", RULEBOOK_SWEEP_CONCURRENCY: "8" })).toMatchObject(
      {
        sweepIntervalHours: 0,
        sweepConcurrency: 8,
      },
    );
  });

  it("refuses a negative interval and a concurrency below 1", () => {
    expect(() => readConfig({ RULEBOOK_SWEEP_INTERVAL_HOURS: "-1" })).toThrow(
      'RULEBOOK_SWEEP_INTERVAL_HOURS must be a number of at least 0, got "-1"',
    );
    expect(() => readConfig({ RULEBOOK_SWEEP_CONCURRENCY: "0" })).toThrow(
      'RULEBOOK_SWEEP_CONCURRENCY must be a number of at least 1, got "0"',
    );
    expect(() => readConfig({ RULEBOOK_WORKER_CONCURRENCY: "0" })).toThrow(
      "RULEBOOK_WORKER_CONCURRENCY may be 0 only with REDIS_URL: without it, nothing else runs the jobs",
    );
    expect(
      readConfig({ RULEBOOK_WORKER_CONCURRENCY: "0", REDIS_URL: "redis://redis" }).workerConcurrency,
    ).toBe(0);
  });
});
