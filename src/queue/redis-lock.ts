/**
 * One writer per key across every replica: a Redis key set with NX and an expiry, holding a token only its
 * holder knows. The holder renews the expiry while it works and deletes the key only if it still holds
 * the token, so a holder whose lock lapsed (a long pause) never frees someone else's. A replica that dies
 * holding a lock frees it when the expiry passes. Within a process, waiters queue locally first, so one
 * replica polls Redis once per key, not once per waiter.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { KeyedLock, type Locks } from "../util/concurrency.js";

export interface RedisLockOptions {
  /** How long a lock outlives a holder that stopped renewing it. */
  ttlMs?: number;
  /** How often a waiter asks again. */
  retryMs?: number;
  /** Prefix of the lock keys in Redis. */
  prefix?: string;
  /** Called when a renewal found the lock gone: the work was no longer exclusive. */
  onLost?: (key: string) => void;
}

/** Extends the expiry only while the token is still the holder's. */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the key only while the token is still the holder's. */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export class RedisLock implements Locks {
  readonly #redis: Redis;
  readonly #ttlMs: number;
  readonly #retryMs: number;
  readonly #prefix: string;
  readonly #onLost: (key: string) => void;
  readonly #local = new KeyedLock();

  constructor(redis: Redis, options: RedisLockOptions = {}) {
    this.#redis = redis;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#retryMs = options.retryMs ?? 50;
    this.#prefix = options.prefix ?? "rulebook:lock:";
    this.#onLost = options.onLost ?? (() => {});
  }

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#local.run(key, () => this.#hold(key, fn));
  }

  async #hold<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = `${this.#prefix}${key}`;
    const token = randomUUID();
    while ((await this.#redis.set(name, token, "PX", this.#ttlMs, "NX")) !== "OK") {
      // Jitter, so waiters on several replicas do not ask in lockstep.
      await new Promise((resolve) => setTimeout(resolve, this.#retryMs * (0.5 + Math.random())));
    }
    const renewal = setInterval(() => {
      this.#redis
        .eval(RENEW, 1, name, token, this.#ttlMs)
        .then((renewed) => {
          if (renewed === 0) this.#onLost(key);
        })
        .catch(() => undefined);
    }, this.#ttlMs / 3);
    try {
      return await fn();
    } finally {
      clearInterval(renewal);
      await this.#redis.eval(RELEASE, 1, name, token).catch(() => undefined);
    }
  }
}
