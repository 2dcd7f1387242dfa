/**
 * Org scale across processes: three replicas of the app (`node lib/main.js`, real Probot servers) share
 * one Redis and one fake GitHub served over HTTP, as deployed. A burst of deliveries with their
 * redeliveries is worked once, by more than one replica; the schedule sweeps once per interval, not once
 * per replica; a replica killed in the middle of a sweep, and Redis killed during a burst, lose nothing
 * and write nothing twice. The tests run in order on one org and share its replicas.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Queue } from "bullmq";
import type { LogRecord } from "../support/app-harness.js";
import { appKeys } from "../support/app-identity.js";
import { duplicatesIn } from "../support/duplicates.js";
import { type FakeGitHubProcess, startFakeGitHubProcess } from "../support/fake-github-process.js";
import { sleep, waitUntil } from "../support/processes.js";
import { type RedisServer, startRedis } from "../support/redis.js";
import {
  buildApp,
  type DeliveryAnswer,
  logsOf,
  type Replica,
  type ReplicaOptions,
  scheduledSweeps,
  startReplicas,
  stopReplicas,
} from "../support/replicas.js";
import type { OrgScenario, ScenarioDelivery, SeededPullRequest } from "./scenarios.js";

/** The sweep schedule's interval: short, so that a test sees several. */
const INTERVAL_MS = 5_000;
/** How long a dead replica's job and repository locks hold its work (BullMQ's default is 30 s). */
const LOCK_SECONDS = 5;
const QUEUE = "rulebook-scale-test";
/** Service repositories `service-0` … `service-3`; the first two lack their security policy. */
const REPOSITORIES = 4;
const DRIFTED = ["acme/service-0", "acme/service-1"];

let redis: RedisServer;
let github: FakeGitHubProcess;
let replicas: Replica[] = [];
/** Every replica started, the killed ones too: their logs still count. */
let everyReplica: Replica[] = [];
let seeded: OrgScenario;
let options: ReplicaOptions;
/** The app's queue, read from Redis as BullMQ stores it. */
let queue: Queue;

beforeAll(async () => {
  const { privateKey, publicKey } = appKeys();
  [, redis, github] = await Promise.all([
    buildApp(),
    startRedis({ appendOnly: true }),
    startFakeGitHubProcess({ publicKey, scenarios: "test/scale/scenarios.ts" }),
  ]);
  seeded = await github.scenario<OrgScenario>("org", {
    repositories: REPOSITORIES,
    drifted: DRIFTED.length,
    pullRequests: 8,
  });
  options = {
    githubHost: github.host,
    privateKey,
    redisUrl: redis.url,
    env: {
      RULEBOOK_QUEUE_NAME: QUEUE,
      RULEBOOK_SWEEP_INTERVAL_HOURS: String(INTERVAL_MS / 3_600_000),
      RULEBOOK_JOB_BACKOFF_SECONDS: "1",
      RULEBOOK_JOB_LOCK_SECONDS: String(LOCK_SECONDS),
      // Fewer jobs at once than a burst holds, so one replica cannot take a whole burst alone.
      RULEBOOK_WORKER_CONCURRENCY: "2",
    },
  };
  replicas = await startReplicas(3, options);
  everyReplica = [...replicas];
  queue = new Queue(QUEUE, { connection: { url: redis.url, maxRetriesPerRequest: null } });
}, 120_000);

afterAll(async () => {
  await queue?.close();
  await stopReplicas(replicas);
  await github?.stop();
  await redis?.close();
}, 60_000);

afterEach(async () => {
  await github.assertNoViolations();
});

/** A failed expectation about the replicas says what they printed last. */
function tails(): string {
  return everyReplica.map((r) => `--- ${r.name}\n${r.child.output.slice(-3_000)}`).join("\n");
}

function withIds(deliveries: ScenarioDelivery[], prefix: string) {
  return deliveries.map((delivery, i) => ({ ...delivery, id: `${prefix}-${i}` }));
}

/** Waits until each head carries a completed `rulebook` check run. */
async function judged(heads: SeededPullRequest[], timeoutMs = 30_000): Promise<void> {
  const wanted = heads.map((pr) => `${pr.repo.toLowerCase()}@${pr.headSha}`);
  await waitUntil(
    `a completed rulebook check run on ${wanted.length} heads`,
    async () => {
      const done = new Set(
        (await github.writes()).checkRuns
          .filter((run) => run.name === "rulebook" && run.status === "completed")
          .map((run) => `${run.repo}@${run.headSha}`),
      );
      return wanted.every((head) => done.has(head));
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/**
 * Waits until the dashboards of `count` sweeps scheduled after `after` (ms) are written, each within
 * three intervals of the one before: the next interval, one BullMQ may skip on a busy machine (see
 * `expectOneSweepPerInterval`), and the sweep's own time.
 */
async function sweepsAfter(after: number, count: number): Promise<void> {
  for (let sweep = 1; sweep <= count; sweep++) {
    await waitUntil(
      `scheduled sweep ${sweep} of ${count} to write its dashboard`,
      () => scheduledSweeps(everyReplica).scheduledAt.filter((time) => time > after).length >= sweep,
      { timeoutMs: 3 * INTERVAL_MS, intervalMs: 100 },
    );
  }
}

/**
 * One sweep per interval, whichever replicas ran it: the sweeps scheduled are an interval apart, each
 * wrote one dashboard, and the schedule's job ran once per sweep (its last run may not be done yet).
 * BullMQ schedules the next interval when a worker takes the schedule's job: one taken after the next
 * interval began (a busy machine) skips that interval rather than run it late. So two sweeps may be
 * more whole intervals apart only when the first one's schedule job ended after the one it skipped.
 */
function expectOneSweepPerInterval(): void {
  const { scheduledAt, dashboards, runs } = scheduledSweeps(everyReplica);
  expect(scheduledAt.length).toBeGreaterThanOrEqual(2);
  const startedAt = new Map(
    logsOf(everyReplica, "scheduled sweep started").map((line) => [String(line.delivery), line.time]),
  );
  const gaps = scheduledAt.slice(1).map((time, i) => {
    const previous = scheduledAt[i] as number;
    const intervals = (time - previous) / INTERVAL_MS;
    const previousStarted = Number(startedAt.get(`repeat:sweep-all:${previous}`));
    const skippedWhileLate = Number.isInteger(intervals) && previousStarted > previous + INTERVAL_MS;
    return intervals === 1 || skippedWhileLate ? "whole intervals" : { previous, time, previousStarted };
  });
  expect(gaps).toEqual(gaps.map(() => "whole intervals"));
  expect([...dashboards.values()]).toEqual(scheduledAt.map(() => 1));
  expect(runs).toBeGreaterThanOrEqual(scheduledAt.length);
  expect(runs).toBeLessThanOrEqual(scheduledAt.length + 1);
}

/** The app's open issues per repository (`acme/service-0` → titles). */
async function appIssues(): Promise<Record<string, string[]>> {
  const issues: Record<string, string[]> = {};
  for (const issue of (await github.writes()).issues) {
    if (issue.user !== "rulebook[bot]" || issue.isPullRequest || issue.state !== "open") continue;
    issues[issue.repo] = [...(issues[issue.repo] ?? []), issue.title];
  }
  return issues;
}

/** Delivery ids each replica logged as handled. */
function handledBy(): Map<string, string[]> {
  const handled = new Map<string, string[]>();
  for (const line of logsOf(everyReplica, "delivery handled") as Array<LogRecord & { replica: string }>) {
    const id = String(line.delivery);
    handled.set(id, [...(handled.get(id) ?? []), line.replica]);
  }
  return handled;
}

/** Fails listing what was written twice and, to tell why, every write request and the replica that sent it. */
async function expectNoDuplicates(): Promise<void> {
  const duplicates = duplicatesIn(await github.writes());
  if (Object.values(duplicates).every((keys) => keys.length === 0)) return;
  const writes = (await github.served())
    .filter((r) => r.method !== "GET" && /\/(issues|check-runs|comments)(\/\d+)?$/.test(r.path))
    .map((r) => `${new Date(r.at).toISOString()} ${r.client} ${r.method} ${r.path} ${r.status}`);
  throw new Error(
    `written twice: ${JSON.stringify(duplicates, null, 2)}\nwrites:\n${writes.join("\n")}\n${tails()}`,
  );
}

describe("three replicas sharing one Redis", () => {
  it("work a burst and its redeliveries once, spread over replicas, and sweep once per interval", async () => {
    const deliveries = withIds(seeded.opened, "opened");
    // Each delivery goes to one replica and its redelivery (GitHub keeps the id) to the next, all at once.
    const answers = await Promise.all(
      deliveries.flatMap((delivery, i) => [
        (replicas[i % 3] as Replica).deliver(delivery),
        (replicas[(i + 1) % 3] as Replica).deliver(delivery),
      ]),
    );
    expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.text)).toEqual([]);
    await judged(seeded.pullRequests);

    await sweepsAfter(Date.now(), 2);
    expectOneSweepPerInterval();

    const handled = handledBy();
    expect(deliveries.map((d) => [d.id, handled.get(d.id)?.length])).toEqual(
      deliveries.map((d) => [d.id, 1]),
    );
    const workers = new Set([...handled.values()].flat());
    expect(workers.size).toBeGreaterThan(1);

    await expectNoDuplicates();
    const issues = await appIssues();
    for (const repo of DRIFTED) expect(issues[repo]).toHaveLength(1);
    expect(issues["acme/service-2"]).toBeUndefined();
    expect(issues["acme/.github"]).toEqual(["Rulebook compliance dashboard"]);
  }, 60_000);

  it("lose and double nothing when the replica doing a sweep is killed in the middle of it", async () => {
    // Repositories no webhook told about: only a sweep finds them, their drift and their pull requests.
    const lost = await github.scenario<Omit<OrgScenario, "installationId">>("grow", {
      prefix: "lost",
      repositories: 3,
      drifted: 3,
      pullRequests: 3,
    });
    // Slow GitHub down, so the sweep is still writing when its replica dies.
    await github.settings({ latencyMs: 30 });
    const mark = (await github.served()).at(-1)?.seq ?? -1;
    let victim: string | null = null;
    await waitUntil(
      "a sweep to write to a repository only it can find",
      async () => {
        const write = (await github.served(mark)).find(
          (r) => r.client !== null && r.method !== "GET" && r.path.startsWith("/repos/acme/lost-"),
        );
        victim = write?.client ?? null;
        return victim !== null;
      },
      { timeoutMs: 3 * INTERVAL_MS, intervalMs: 10 },
    );
    const killed = replicas.find((replica) => replica.name === victim) as Replica;
    const held = (await queue.getActive()).map((job) => job.id as string);
    await killed.kill();
    replicas = replicas.filter((replica) => replica !== killed);
    await github.settings({ latencyMs: 0 });

    // The jobs it held run again elsewhere once their lock lapses; the next sweeps find the rest.
    await waitUntil(
      `the jobs running when ${victim} died (${held.join(", ")}) to complete`,
      async () => {
        const states = await Promise.all(held.map((id) => queue.getJobState(id)));
        if (states.includes("failed"))
          throw new Error(`a job failed for good: ${states.join(", ")}\n${tails()}`);
        return states.every((state) => state === "completed" || state === "unknown");
      },
      { timeoutMs: 4 * LOCK_SECONDS * 1000, intervalMs: 250 },
    );
    await judged(lost.pullRequests);
    await sweepsAfter(Date.now(), 1);

    await expectNoDuplicates();
    const issues = await appIssues();
    for (const repo of lost.repositories) expect(issues[repo.toLowerCase()]).toHaveLength(1);
    expect(issues["acme/.github"]).toEqual(["Rulebook compliance dashboard"]);
  }, 110_000);

  it("lose and double nothing when Redis is killed and restarted during a burst", async () => {
    const pushed = await github.scenario<{
      pullRequests: SeededPullRequest[];
      synchronized: ScenarioDelivery[];
    }>("synchronize", { pullRequests: seeded.pullRequests, round: 1 });
    const deliveries = withIds(pushed.synchronized, "synchronize");
    // The burst spans Redis going down and coming back: one delivery every 40 ms, Redis killed after the third.
    const sent: Array<Promise<DeliveryAnswer>> = [];
    let restarted: Promise<void> = Promise.resolve();
    for (const [i, delivery] of deliveries.entries()) {
      if (i === 3) restarted = redis.restart("SIGKILL");
      sent.push((replicas[i % replicas.length] as Replica).deliver(delivery));
      await sleep(40);
    }
    const answers = await Promise.all(sent);
    await restarted;

    // What was acknowledged is worked (the queue is on an append-only file); what was refused, GitHub
    // shows as failed, and the next sweep heals: every new head ends with one check run.
    const acknowledged = deliveries.filter((_, i) => answers[i]?.status === 200).map((d) => d.id);
    await judged(pushed.pullRequests, 4 * INTERVAL_MS);
    await waitUntil(
      "every acknowledged delivery to be handled",
      () => acknowledged.every((id) => handledBy().has(id)),
      // A job whose run failed while Redis was away is retried, or taken over when its lock lapses.
      { timeoutMs: 4 * LOCK_SECONDS * 1000 },
    );
    const handled = handledBy();
    expect(acknowledged.map((id) => [id, handled.get(id)?.length])).toEqual(
      acknowledged.map((id) => [id, 1]),
    );
    await expectNoDuplicates();

    // Across the whole run, a kill and a Redis restart included, one sweep per interval.
    await sweepsAfter(Date.now(), 1);
    expectOneSweepPerInterval();
  }, 60_000);
});
