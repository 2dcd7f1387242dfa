/**
 * The lock across replicas, on a real Redis: each "replica" is a RedisLock on a connection of its own.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { lockWaitSeconds } from "../../src/metrics/metrics.js";
import { RedisLock, type RedisLockOptions } from "../../src/queue/redis-lock.js";
import { waitUntil } from "../support/processes.js";
import { type RedisServer, startRedis } from "../support/redis.js";

let redis: RedisServer;
const open: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});
afterAll(async () => {
  await redis.close();
});

function client(): Redis {
  const connection = new Redis(redis.url);
  open.push(() => connection.quit());
  return connection;
}

function replica(options: RedisLockOptions = {}): RedisLock {
  const lock = new RedisLock(client(), { prefix: `test:${Math.random()}:`, ...options });
  open.push(() => lock.close());
  return lock;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("RedisLock", () => {
  it("hands a released lock to a waiter on another replica at once, and counts the wait", async () => {
    const prefix = "test:handover:";
    // A waiter that heard nothing would ask again only after a minute.
    const [first, second] = [replica({ prefix, retryMs: 60_000 }), replica({ prefix, retryMs: 60_000 })];
    const order: string[] = [];
    const waits = async () => {
      const { values } = await lockWaitSeconds.get();
      const of = (name: string) =>
        values.find((v) => v.metricName === name && v.labels.lock === "redis")?.value ?? 0;
      return { count: of("rulebook_lock_wait_seconds_count"), seconds: of("rulebook_lock_wait_seconds_sum") };
    };
    const before = await waits();
    let releasedAt = 0;
    let firstHolds: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      firstHolds = resolve;
    });
    // The first holds until Redis has refused the second's attempt, seen through MONITOR: then the
    // second has waited, however slowly the machine runs.
    const monitor = await client().monitor();
    open.push(async () => monitor.disconnect());
    let attempts = 0;
    monitor.on("monitor", (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === "set" && args[1] === `${prefix}acme/api` && args.includes("NX"))
        attempts++;
    });
    const holding = first.run("acme/api", async () => {
      order.push("first holds");
      firstHolds();
      await waitUntil("the second replica to ask for the lock", () => attempts >= 2, { timeoutMs: 20_000 });
      await sleep(100);
      order.push("first releases");
      releasedAt = Date.now();
    });
    await held;
    const waiting = second.run("acme/api", async () => {
      order.push("second holds");
      return Date.now() - releasedAt;
    });
    await holding;
    const waitedAfterRelease = await waiting;

    expect(order).toEqual(["first holds", "first releases", "second holds"]);
    expect(waitedAfterRelease).toBeLessThan(5_000);
    // One wait, about as long as the first held the lock (100 ms), far shorter than a retry (60 s).
    const after = await waits();
    expect(after.count - before.count).toBe(1);
    expect(after.seconds - before.seconds).toBeGreaterThan(0.05);
    expect(after.seconds - before.seconds).toBeLessThan(5);
  });

  it("takes a lock whose holder died once it expires", async () => {
    const prefix = "test:expired:";
    // A holder that died: its key stays until the expiry, and no release is ever published. The clock
    // starts before the key is set, so a slow answer to SET cannot shorten the wait measured.
    const started = Date.now();
    await client().set(`${prefix}acme/api`, "dead-holder", "PX", 300);
    const waited = await replica({ prefix, retryMs: 50 }).run("acme/api", async () => Date.now() - started);

    expect(waited).toBeGreaterThanOrEqual(250);
  });

  it("lets each key go on alone: a held key does not hold another", async () => {
    const lock = replica();
    const order: string[] = [];
    const slow = lock.run("acme/api", async () => {
      await sleep(200);
      order.push("acme/api");
    });
    await lock.run("acme/web", async () => {
      order.push("acme/web");
    });
    await slow;

    expect(order).toEqual(["acme/web", "acme/api"]);
  });

  it("never frees the next holder's lock when its own lapsed, and reports the loss", async () => {
    const prefix = "test:lapsed:";
    const key = `${prefix}acme/api`;
    const lost: string[] = [];
    const slow = replica({ prefix, ttlMs: 150, onLost: (name) => lost.push(name) });
    const next = replica({ prefix, retryMs: 20 });
    let slowHolds: () => void = () => {};
    const slowHeld = new Promise<void>((resolve) => {
      slowHolds = resolve;
    });
    let nextHolds: () => void = () => {};
    const nextHeld = new Promise<void>((resolve) => {
      nextHolds = resolve;
    });
    const first = slow.run("acme/api", async () => {
      // The key expires under its holder, as after a long pause; it goes on past a renewal (every ttl/3).
      await client().del(key);
      slowHolds();
      await nextHeld;
      await sleep(100);
    });
    await slowHeld;
    const keyAfterSlowReleased = await next.run("acme/api", async () => {
      nextHolds();
      await first;
      return client().get(key);
    });

    expect(keyAfterSlowReleased).not.toBeNull();
    // Each renewal that finds the key gone reports it.
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(new Set(lost)).toEqual(new Set(["acme/api"]));
  });
});
