/**
 * The scheduled sweep: every installation of the app is swept on a timer that never keeps the process
 * alive, never overlaps itself, survives GitHub being down, and is off when the interval is 0.
 */
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { readConfig } from "../../src/app/config.js";
import { createServices } from "../../src/app/services.js";
import { scheduleSweeps, sweepAllInstallations } from "../../src/index.js";
import type { RepoState } from "../fake-github/index.js";
import type { AppHarness } from "../support/github.js";
import { NOW, startConfiguredApp } from "../support/scenario.js";

const DAY = 24 * 3_600_000;
const clock = () => Date.parse(NOW);

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

describe("the scheduled sweep", () => {
  it("sweeps every installation of the app", async () => {
    const gh = await start("0");
    seedOrgs(gh);
    const services = createServices(gh.probot, readConfig({ RULEBOOK_DEFAULT_MODE: "enforce" }), clock);

    await sweepAllInstallations(gh.probot, services);

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
      gh.logs.filter((log) => log.msg === "scheduled sweep done").map((log) => [log.org, log.swept]),
    ).toEqual([
      ["acme", 2],
      ["globex", 2],
    ]);
  });

  it("logs and carries on when one installation cannot be swept, and never rejects when GitHub is down", async () => {
    const gh = await start("0");
    seedOrgs(gh);
    const services = createServices(gh.probot, readConfig({ RULEBOOK_DEFAULT_MODE: "enforce" }), clock);
    const acme = gh.fake.installationFor("acme");
    acme.suspendedAt = "2026-11-20T00:00:00Z";

    await sweepAllInstallations(gh.probot, services);

    expect(titles(gh.fake.repo("globex/api"))).toContain(
      "RTFM: globex/api drifts from the organization's standards",
    );
    expect(
      gh.logs.filter((log) => log.msg.startsWith("scheduled sweep")).map((log) => [log.msg, log.org]),
    ).toEqual([
      ["scheduled sweep failed", "acme"],
      ["scheduled sweep done", "globex"],
    ]);

    gh.fake.faults.inject("GET /app/installations", { status: 502, message: "Server Error" });
    await expect(sweepAllInstallations(gh.probot, services)).resolves.toBeUndefined();
    expect(gh.logs.at(-1)?.msg).toBe("scheduled sweep failed: could not list the app's installations");
  });

  it("schedules an unref'd timer every RULEBOOK_SWEEP_INTERVAL_HOURS", async () => {
    const setInterval = jest.spyOn(globalThis, "setInterval");
    await start("24");

    expect(setInterval.mock.calls.map(([, delay]) => delay)).toEqual([DAY]);
    const timer = setInterval.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    clearInterval(timer);
  });

  it("never starts a sweep while the last one is still running", async () => {
    const gh = await start("0");
    seedOrgs(gh);
    const services = createServices(gh.probot, readConfig({ RULEBOOK_DEFAULT_MODE: "enforce" }), clock);
    const { timer, run } = scheduleSweeps(gh.probot, services, 24);
    clearInterval(timer);

    await Promise.all([run(), run()]);

    expect(gh.fake.requests.count("GET /app/installations")).toBe(1);
    await run();
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
    });
    expect(readConfig({ RULEBOOK_DEFAULT_MODE: "enforce" }).defaultMode).toBe("enforce");
    expect(() => readConfig({ RULEBOOK_DEFAULT_MODE: "block" })).toThrow(
      'RULEBOOK_DEFAULT_MODE must be "observe" or "enforce", got "block"',
    );
    // Links to the bundle's pages go to the GitHub Enterprise Server Probot talks to.
    expect(readConfig({ GHE_HOST: "github.example.com" }).webUrl).toBe("https://github.example.com");
    expect(readConfig({ RULEBOOK_ESCALATION_WINDOW_HOURS: "168" }).escalationWindowHours).toBe(168);
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
  });
});
