/**
 * The store every replica shares (see `store.ts`): each operation is one Redis command, or one
 * transaction when it must set an expiry with the value, under a prefix so the app's keys stay apart.
 */
import type { Redis } from "ioredis";
import type { Store } from "./store.js";

export class RedisStore implements Store {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix = "rulebook:store:") {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  #key(key: string): string {
    return `${this.#prefix}${key}`;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#redis.get(this.#key(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    if (ttlSeconds === undefined) await this.#redis.set(this.#key(key), value);
    else await this.#redis.set(this.#key(key), value, "PX", Math.max(1, Math.round(ttlSeconds * 1000)));
  }

  async setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean> {
    const set =
      ttlSeconds === undefined
        ? await this.#redis.set(this.#key(key), value, "NX")
        : await this.#redis.set(
            this.#key(key),
            value,
            "PX",
            Math.max(1, Math.round(ttlSeconds * 1000)),
            "NX",
          );
    return set === "OK";
  }

  async delete(key: string): Promise<void> {
    await this.#redis.del(this.#key(key));
  }

  async increment(key: string, by = 1, ttlSeconds?: number): Promise<number> {
    const name = this.#key(key);
    if (ttlSeconds === undefined) return this.#redis.incrby(name, by);
    // The first increment starts the window (EXPIRE NX); later ones keep it.
    const results = await this.#redis
      .multi()
      .incrby(name, by)
      .pexpire(name, Math.max(1, Math.round(ttlSeconds * 1000)), "NX")
      .exec();
    const [error, value] = results?.[0] ?? [new Error("the transaction was aborted"), undefined];
    if (error) throw error;
    return Number(value);
  }

  async hashSet(key: string, field: string, value: string): Promise<void> {
    await this.#redis.hset(this.#key(key), field, value);
  }

  async hashGet(key: string, field: string): Promise<string | undefined> {
    return (await this.#redis.hget(this.#key(key), field)) ?? undefined;
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    return this.#redis.hgetall(this.#key(key));
  }

  async hashDelete(key: string, field: string): Promise<void> {
    await this.#redis.hdel(this.#key(key), field);
  }
}
