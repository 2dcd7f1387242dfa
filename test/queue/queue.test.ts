/**
 * The queue's promises, one table run against both engines: BullMQ on a real Redis (two replicas, each
 * its own connections, sharing one queue) and the embedded queue (one replica, by design).
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { BullQueue } from "../../src/queue/bullmq.js";
import { EmbeddedQueue } from "../../src/queue/embedded.js";
import type { JobQueue, JobResult, QueueEvents, RetryPolicy, RunningJob } from "../../src/queue/queue.js";
import { RedisLock } from "../../src/queue/redis-lock.js";
import { KeyedLock, type Locks } from "../../src/util/concurrency.js";
import { sleep, waitUntil } from "../support/processes.js";
import { type RedisServer, startRedis } from "../support/redis.js";

interface Data {
  repository: string;
  /** Fail with this HTTP status. */
  status?: number;
}

interface Replica {
  queue: JobQueue<Data>;
  locks: Locks;
}

interface Engine {
  name: string;
  /** `count` replicas sharing one queue; the embedded engine serves one replica whatever is asked. */
  replicas(count: number, policy?: RetryPolicy, events?: QueueEvents): Replica[];
}

const POLICY: RetryPolicy = { attempts: 3, backoffMs: 10 };

let redis: RedisServer;
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((closable) => closable.close()));
});
afterAll(async () => {
  await redis.close();
});

const engines: Engine[] = [
  {
    name: "BullMQ on Redis",
    replicas(count, policy = POLICY, events = {}) {
      const name = `test-${randomUUID()}`;
      return Array.from({ length: count }, () => {
        const queue = new BullQueue<Data>({ redisUrl: redis.url, name, policy, events });
        const client = new Redis(redis.url);
        const locks = new RedisLock(client);
        open.push(
          { close: () => queue.close(1_000) },
          { close: () => locks.close() },
          { close: () => client.quit().then(() => undefined) },
        );
        return { queue, locks };
      });
    },
  },
  {
    name: "the embedded queue",
    replicas(_count, policy = POLICY, events = {}) {
      const queue = new EmbeddedQueue<Data>(policy, events);
      open.push({ close: () => queue.close(1_000) });
      return [{ queue, locks: new KeyedLock() }];
    },
  },
];

/** A gate a job waits at until the test opens it. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe.each(engines)("$name", (engine) => {
  it("counts its jobs by kind and state: waiting, running, failed", async () => {
    const [replica] = engine.replicas(1) as [Replica];
    const sorted = async () =>
      (await replica.queue.counts()).sort((a, b) =>
        `${a.state}${a.name}`.localeCompare(`${b.state}${b.name}`),
      );
    await replica.queue.add([
      { name: "judge", id: "judge-1", data: { repository: "acme/api" } },
      { name: "judge", id: "judge-2", data: { repository: "acme/web" } },
      { name: "sweep", id: "sweep-1", data: { repository: "acme/api", status: 404 } },
    ]);
    const waiting = await sorted();
    const release = gate();
    let started = 0;
    const bothStarted = gate();
    replica.queue.work(async (job) => {
      if (job.data.status) throw Object.assign(new Error("gone"), { status: job.data.status });
      if (++started === 2) bothStarted.open();
      await release.opened;
      return {};
    }, 3);
    await bothStarted.opened;
    while ((await replica.queue.failures(1)).count === 0) await sleep(10);
    const running = await sorted();
    release.open();
    await replica.queue.idle();

    expect(waiting).toEqual([
      { name: "judge", state: "waiting", count: 2 },
      { name: "sweep", state: "waiting", count: 1 },
    ]);
    expect(running).toEqual([
      { name: "judge", state: "active", count: 2 },
      { name: "sweep", state: "failed", count: 1 },
    ]);
    expect(await sorted()).toEqual([{ name: "sweep", state: "failed", count: 1 }]);
  });

  it("runs a job id once: adding it again, waiting or done, is a no-op", async () => {
    const [replica] = engine.replicas(1) as [Replica];
    const ran: string[] = [];
    await replica.queue.add([{ name: "judge", id: "delivery-1", data: { repository: "acme/api" } }]);
    await replica.queue.add([{ name: "judge", id: "delivery-1", data: { repository: "acme/api" } }]);
    replica.queue.work(async (job) => {
      ran.push(job.id);
      return {};
    }, 2);
    await replica.queue.idle();
    await replica.queue.add([{ name: "judge", id: "delivery-1", data: { repository: "acme/api" } }]);
    await replica.queue.idle();

    expect(ran).toEqual(["delivery-1"]);
  });

  it("coalesces jobs of one key: one waiting takes no other, one running is followed by the newest", async () => {
    const [replica] = engine.replicas(1) as [Replica];
    const ran: string[] = [];
    const running = gate();
    const release = gate();
    const pr = (id: string) => ({
      name: "judge",
      id,
      coalesce: "acme/api#1",
      data: { repository: "acme/api" },
    });

    // Two deliveries while the first waits: one job.
    await replica.queue.add([pr("opened")]);
    await replica.queue.add([pr("edited")]);
    replica.queue.work(async (job) => {
      ran.push(job.id);
      if (job.id === "opened") {
        running.open();
        await release.opened;
      }
      return {};
    }, 2);
    await running.opened;
    // Two more while it runs: the newest runs after it.
    await replica.queue.add([pr("synchronize-1")]);
    await replica.queue.add([pr("synchronize-2")]);
    release.open();
    await replica.queue.idle();

    expect(ran).toEqual(["opened", "synchronize-2"]);
  });

  it("never runs two jobs of one repository at once, across replicas, while other repositories go on", async () => {
    const replicas = engine.replicas(2);
    const active = new Map<string, number>();
    const most = new Map<string, number>();
    let overall = 0;
    let peak = 0;
    for (const { queue, locks } of replicas) {
      queue.work(
        (job: RunningJob<Data>) =>
          locks.run(job.data.repository, async () => {
            const repository = job.data.repository;
            active.set(repository, (active.get(repository) ?? 0) + 1);
            most.set(repository, Math.max(most.get(repository) ?? 0, active.get(repository) ?? 0));
            peak = Math.max(peak, ++overall);
            await sleep(30);
            active.set(repository, (active.get(repository) ?? 0) - 1);
            overall -= 1;
            return {};
          }),
        3,
      );
    }
    const [first] = replicas as [Replica];
    await first.queue.add(
      ["acme/api", "acme/web"].flatMap((repository) =>
        [1, 2, 3, 4].map((n) => ({
          name: "push",
          id: `${repository.replace("/", "-")}-${n}`,
          data: { repository },
        })),
      ),
    );
    await first.queue.idle();

    expect(Object.fromEntries(most)).toEqual({ "acme/api": 1, "acme/web": 1 });
    expect(peak).toBe(2);
  });

  it("retries a server error with backoff, then keeps the job as failed, counted; a 404 fails at once", async () => {
    const failures: Array<[string, number, boolean]> = [];
    const [replica] = engine.replicas(1, POLICY, {
      failed: (job, _error, final) => failures.push([job.id, job.attempt, final]),
    }) as [Replica];
    const attempts: Array<[string, number]> = [];
    replica.queue.work(async (job) => {
      attempts.push([job.id, job.attempt]);
      throw Object.assign(new Error(`HTTP ${job.data.status}`), { status: job.data.status });
    }, 1);
    await replica.queue.add([{ name: "judge", id: "flaky", data: { repository: "acme/api", status: 502 } }]);
    await replica.queue.idle();
    await replica.queue.add([{ name: "judge", id: "gone", data: { repository: "acme/api", status: 404 } }]);
    await replica.queue.idle();

    expect(attempts).toEqual([
      ["flaky", 1],
      ["flaky", 2],
      ["flaky", 3],
      ["gone", 1],
    ]);
    expect(failures).toEqual([
      ["flaky", 1, false],
      ["flaky", 2, false],
      ["flaky", 3, true],
      ["gone", 1, true],
    ]);
    const kept = await replica.queue.failures(10);
    expect(kept.count).toBe(2);
    expect(kept.recent.map((f) => [f.id, f.name, f.error, f.attempts]).sort()).toEqual([
      ["flaky", "judge", "HTTP 502", 3],
      ["gone", "judge", "HTTP 404", 1],
    ]);
  });

  it("runs a flow's parent once after its children, with the results of those that succeeded", async () => {
    const replicas = engine.replicas(2);
    const order: string[] = [];
    let parentResults: JobResult[] = [];
    for (const { queue } of replicas) {
      queue.work(async (job) => {
        order.push(job.id);
        if (job.name === "dashboard") {
          parentResults = await job.childResults();
          return {};
        }
        if (job.data.status) throw Object.assign(new Error("gone"), { status: job.data.status });
        return { swept: job.data.repository };
      }, 2);
    }
    const [first] = replicas as [Replica];
    const batch = (n: number, status?: number) => ({
      name: "batch",
      id: `sweep-b${n}`,
      data: { repository: `acme/r${n}`, ...(status ? { status } : {}) },
    });
    const flow = {
      parent: { name: "dashboard", id: "sweep-dashboard", data: { repository: "acme/.github" } },
      children: [batch(1), batch(2, 404), batch(3)],
    };
    await first.queue.addFlow(flow);
    // A sweep started again (its replica died) adds the same flow: nothing runs twice.
    await first.queue.addFlow(flow);
    await first.queue.idle();

    expect(order.at(-1)).toBe("sweep-dashboard");
    expect([...order].sort()).toEqual(["sweep-b1", "sweep-b2", "sweep-b3", "sweep-dashboard"]);
    expect(parentResults.map((r) => r.swept).sort()).toEqual(["acme/r1", "acme/r3"]);
  });

  it("adds a scheduled job once per interval however many replicas schedule it", async () => {
    const every = 400;
    const replicas = engine.replicas(2);
    const runs: string[] = [];
    const started = Date.now();
    for (const { queue } of replicas) {
      queue.work(async (job) => {
        runs.push(job.id);
        return {};
      }, 2);
      await queue.schedule("sweep-all", every, { name: "sweep-all", data: { repository: "*" } });
      // A replica restarting schedules it again.
      await queue.schedule("sweep-all", every, { name: "sweep-all", data: { repository: "*" } });
    }
    // Watched over a few intervals, so that a run per replica would show; a busy machine may need longer.
    await sleep(every * 3.5);
    await waitUntil("two scheduled runs", () => runs.length >= 2);
    const elapsed = Date.now() - started;

    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(Math.floor(elapsed / every) + 1);
    expect(new Set(runs).size).toBe(runs.length);
  });
});

describe("BullMQ, when a replica dies mid-job", () => {
  it("hands the job to another replica once its lock lapses, and runs it once there", async () => {
    const name = `test-${randomUUID()}`;
    const replica = () => {
      const queue = new BullQueue<Data>({ redisUrl: redis.url, name, policy: POLICY, lockMs: 300 });
      open.push({ close: () => queue.close(0) });
      return queue;
    };
    const dying = replica();
    const taken = gate();
    const killed = gate();
    const ran: string[] = [];
    // The first replica takes the job and does not finish it while the test runs: it stops renewing its
    // lock, as a killed one. The job's promise settles at the end, so no worker is left waiting on it.
    dying.work(async (job) => {
      ran.push(`dying:${job.id}`);
      taken.open();
      await killed.opened;
      return {};
    }, 1);
    await dying.add([{ name: "batch", id: "sweep-b1", data: { repository: "acme/api" } }]);
    await taken.opened;
    await dying.close(0);

    const survivor = replica();
    survivor.work(async (job) => {
      ran.push(`survivor:${job.id}`);
      return {};
    }, 1);
    await survivor.idle();

    expect(ran).toEqual(["dying:sweep-b1", "survivor:sweep-b1"]);
    killed.open();
  });
});
