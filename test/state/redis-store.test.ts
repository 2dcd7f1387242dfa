/** The store replicas share, on a real Redis: the same answers as the memory store, expiry in real time. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { RedisStore } from "../../src/state/redis-store.js";
import { sleep, waitUntil } from "../support/processes.js";
import { type RedisServer, startRedis } from "../support/redis.js";

let redis: RedisServer;
let client: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  await client.quit();
  await redis.close();
});

describe("RedisStore", () => {
  it("sets, reads, expires and deletes values under its prefix", async () => {
    const store = new RedisStore(client, "t1:");
    expect(await store.get("k")).toBeUndefined();
    await store.set("k", "v");
    expect(await client.get("t1:k")).toBe("v");
    await store.delete("k");
    expect(await store.get("k")).toBeUndefined();
    await store.set("short", "v", 0.05);
    await sleep(100);
    expect(await store.get("short")).toBeUndefined();
  });

  it("sets a once-only mark only when it is absent, for every replica", async () => {
    const [a, b] = [new RedisStore(client, "t2:"), new RedisStore(client, "t2:")];
    expect(await a.setIfAbsent("mark", "a", 60)).toBe(true);
    expect(await b.setIfAbsent("mark", "b", 60)).toBe(false);
    expect(await b.get("mark")).toBe("a");
  });

  it("counts within the window the first increment started", async () => {
    const store = new RedisStore(client, "t3:");
    expect(await store.increment("n", 1, 60)).toBe(1);
    // A later increment asking for a longer window keeps the first one's.
    expect(await store.increment("n", 2, 120)).toBe(3);
    expect(await client.pttl("t3:n")).toBeLessThanOrEqual(60_000);
    // Once the window ends, counting starts again.
    expect(await store.increment("short", 1, 0.05)).toBe(1);
    await waitUntil("the window to end", async () => (await client.exists("t3:short")) === 0);
    expect(await store.increment("short", 1, 0.05)).toBe(1);
    expect(await store.increment("forever")).toBe(1);
  });

  it("keeps hash fields", async () => {
    const store = new RedisStore(client, "t4:");
    await store.hashSet("h", "a", "1");
    await store.hashSet("h", "b", "2");
    expect(await store.hashGetAll("h")).toEqual({ a: "1", b: "2" });
    await store.hashDelete("h", "a");
    expect(await store.hashGetAll("h")).toEqual({ b: "2" });
    expect(await store.hashGetAll("missing")).toEqual({});
  });
});
