/**
 * Replicas sharing one Redis (BullMQ, locks, store), as `REDIS_URL` sets them up, against one fake GitHub:
 * a delivery redelivered to another replica is a no-op, two sweeps of one organization on two replicas
 * open every RTFM issue once, and the sweep schedule runs once per interval however many replicas set it.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { readConfig } from "../../src/app/config.js";
import { createApp, runtimeOf } from "../../src/index.js";
import { installationCreatedEvent } from "../fake-github/push.js";
import { startAppHarness } from "../support/app-harness.js";
import { type AppHarness, startApp } from "../support/github.js";
import { sleep, waitUntil } from "../support/processes.js";
import { type RedisServer, startRedis } from "../support/redis.js";
import { NOW, seedPullRequest } from "../support/scenario.js";

let redis: RedisServer;
let client: Redis;
const started: AppHarness[] = [];

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
beforeEach(async () => {
  // The store's caches are keyed by organization: each test starts from an empty Redis.
  await client.flushall();
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((gh) => runtimeOf(gh.probot)?.close(1_000)));
});
afterAll(async () => {
  await client.quit();
  await redis.close();
});

/** `count` replicas of the app on one fake GitHub and one Redis. */
async function replicas(
  count: number,
  env: Record<string, string> = {},
  /** Settings of the first replica only. */
  first: Record<string, string> = {},
): Promise<AppHarness[]> {
  const base = {
    REDIS_URL: redis.url,
    RULEBOOK_QUEUE_NAME: `rulebook-${randomUUID()}`,
    RULEBOOK_SWEEP_INTERVAL_HOURS: "0",
    RULEBOOK_JOB_ATTEMPTS: "1",
    RULEBOOK_DEFAULT_MODE: "enforce",
    ...env,
  };
  const app = (own: Record<string, string> = {}) =>
    createApp({ config: readConfig({ ...base, ...own }), clock: () => Date.parse(NOW) });
  const one = await startApp({ app: app(first) });
  started.push(one);
  for (let n = 1; n < count; n++) {
    started.push(await startAppHarness({ app: app() }, () => one.fake));
  }
  return started.slice(-count);
}

function lines(all: AppHarness[], msg: string) {
  return all.flatMap((gh) => gh.logs.filter((l) => l.msg === msg));
}

describe("replicas sharing Redis", () => {
  it("runs a delivery once, whichever replica it is delivered to again", async () => {
    const all = await replicas(2);
    const [a, b] = all as [AppHarness, AppHarness];
    const repo = a.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(a, repo);
    const event = a.fake.pullRequestEvent(repo, pr.number, "opened");

    await a.deliver("pull_request", event, { id: "d-1" });
    await b.deliver("pull_request", event, { id: "d-1" });

    expect(lines(all, "delivery handled").map((l) => [l.delivery, l.verdict])).toEqual([["d-1", "success"]]);
    expect(a.fake.requests.count("POST /repos/{owner}/{repo}/check-runs")).toBe(1);
  });

  it("lets a replica without workers answer webhooks while another runs the jobs", async () => {
    const all = await replicas(2, {}, { RULEBOOK_WORKER_CONCURRENCY: "0" });
    const [web, worker] = all as [AppHarness, AppHarness];
    const repo = web.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(web, repo);

    await web.deliver("pull_request", web.fake.pullRequestEvent(repo, pr.number, "opened"), { id: "d-1" });

    expect(web.logs.filter((l) => l.delivery === "d-1")).toEqual([]);
    expect(worker.logs.filter((l) => l.delivery === "d-1").map((l) => [l.msg, l.verdict])).toEqual([
      ["delivery handled", "success"],
    ]);
    expect(web.fake.checkRuns(repo, { name: "rulebook" }).map((run) => run.conclusion)).toEqual(["success"]);
  });

  it("opens every RTFM issue once when two replicas sweep the organization at the same time", async () => {
    const all = await replicas(2);
    const [a, b] = all as [AppHarness, AppHarness];
    a.fake.seedRepo({ owner: "acme", name: ".github" });
    for (const name of ["api", "web", "docs"]) a.fake.seedRepo({ owner: "acme", name });
    const installation = a.fake.installationFor("acme");

    await Promise.all([
      a.deliver("installation", installationCreatedEvent(a.fake, installation, "octo"), { id: "install-1" }),
      b.deliver("installation", installationCreatedEvent(a.fake, installation, "octo"), { id: "install-2" }),
    ]);

    expect(
      lines(all, "sweep done")
        .map((l) => [l.delivery, l.swept])
        .sort(),
    ).toEqual([
      ["install-1", 4],
      ["install-2", 4],
    ]);
    const issues = ["acme/.github", "acme/api", "acme/web", "acme/docs"].flatMap((name) =>
      [...a.fake.repo(name).issues.values()].map((issue) => `${name}: ${issue.title}`),
    );
    expect(issues.length).toBeGreaterThan(4);
    expect(new Set(issues).size).toBe(issues.length);
    expect(issues.filter((title) => title.endsWith("Rulebook compliance dashboard"))).toHaveLength(1);
  });

  it("sweeps once per interval however many replicas schedule the sweep", async () => {
    // An interval of 0.0003 hours: 1.08 seconds.
    const every = 1_080;
    const all = await replicas(3, { RULEBOOK_SWEEP_INTERVAL_HOURS: "0.0003" });
    const [a] = all as [AppHarness];
    a.fake.seedRepo({ owner: "acme", name: ".github" });
    a.fake.installationFor("acme");
    const since = Date.now();

    // Watched over a few intervals, so that a sweep per replica would show; a busy machine may need longer.
    await sleep(every * 2.5);
    await waitUntil("two scheduled sweeps", () => lines(all, "scheduled sweep started").length >= 2);
    await runtimeOf(a.probot)?.idle();
    const elapsed = Date.now() - since;

    const runs = lines(all, "scheduled sweep started");
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(Math.floor(elapsed / every) + 1);
    expect(new Set(runs.map((l) => l.delivery)).size).toBe(runs.length);
    expect(a.fake.requests.count("GET /app/installations")).toBe(runs.length);
    expect(lines(all, "sweep done")).toHaveLength(runs.length);
  });
});
