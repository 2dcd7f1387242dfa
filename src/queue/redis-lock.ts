/**
 * One writer per key across every replica: a Redis key set with NX and an expiry, holding a token only its
 * holder knows. The holder renews the expiry while it works and deletes the key only if it still holds
 * the token, so a holder whose lock lapsed (a long pause) never frees someone else's. A replica that dies
 * holding a lock frees it when the expiry passes.
 *
 * Waiting costs next to nothing: a release is published on one channel, and a waiter asks again when it
 * hears the release of its key, or after `retryMs` when it hears nothing (a holder that died, a message
 * lost while reconnecting). Within a process, waiters queue locally first, so one replica has one waiter
 * per key in Redis, not one per job.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { recordLockWait } from "../metrics/metrics.js";
import { KeyedLock, type Locks } from "../util/concurrency.js";

export interface RedisLockOptions {
  /** How long a lock outlives a holder that stopped renewing it. */
  ttlMs?: number;
  /** How long a waiter that heard no release waits before it asks again. */
  retryMs?: number;
  /** Prefix of the lock keys in Redis, and of the channel releases are published on. */
  prefix?: string;
  /** Called when a renewal found the lock gone: the work was no longer exclusive. */
  onLost?: (key: string) => void;
}

/** Extends the expiry only while the token is still the holder's. */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the key only while the token is still the holder's, and tells the waiters. */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then redis.call("del", KEYS[1]); redis.call("publish", ARGV[2], KEYS[1]); return 1 else return 0 end`;

export class RedisLock implements Locks {
  readonly #redis: Redis;
  readonly #ttlMs: number;
  readonly #retryMs: number;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #onLost: (key: string) => void;
  readonly #local = new KeyedLock();
  /** Who waits for the release of each lock key, in this process. */
  readonly #waiters = new Map<string, Set<() => void>>();
  /** The connection that listens for releases, subscribed when a lock is first taken. */
  #subscriber: Promise<Redis> | undefined;

  constructor(redis: Redis, options: RedisLockOptions = {}) {
    this.#redis = redis;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#retryMs = options.retryMs ?? 1_000;
    this.#prefix = options.prefix ?? "rulebook:lock:";
    this.#channel = `${this.#prefix}released`;
    this.#onLost = options.onLost ?? (() => {});
  }

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#local.run(key, () => this.#hold(key, fn));
  }

  /** Stops listening for releases. */
  async close(): Promise<void> {
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    await (await subscriber?.catch(() => undefined))?.quit().catch(() => undefined);
  }

  #subscribe(): Promise<Redis> {
    this.#subscriber ??= (async () => {
      const subscriber = this.#redis.duplicate();
      // Errors are the main connection's to report; ioredis reconnects and subscribes again.
      subscriber.on("error", () => undefined);
      subscriber.on("message", (_channel: string, name: string) => {
        for (const wake of this.#waiters.get(name) ?? []) wake();
      });
      await subscriber.subscribe(this.#channel);
      return subscriber;
    })();
    return this.#subscriber;
  }

  /** Resolves when `name` is released or after about `retryMs`; listening starts at once. */
  #release(name: string): { heard: Promise<void>; stop(): void } {
    let wake: () => void = () => {};
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<void>((resolve) => {
      wake = resolve;
      // Jitter, so waiters on several replicas do not ask in lockstep.
      timer = setTimeout(resolve, this.#retryMs * (0.5 + Math.random()));
    });
    const waiters = this.#waiters.get(name) ?? new Set();
    this.#waiters.set(name, waiters.add(wake));
    return {
      heard,
      stop: () => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0 && this.#waiters.get(name) === waiters) this.#waiters.delete(name);
      },
    };
  }

  async #hold<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = `${this.#prefix}${key}`;
    const token = randomUUID();
    let waitedSince: number | undefined;
    for (;;) {
      // Listening before asking: a release between the two is still heard. (Without a subscription,
      // Redis down for instance, the waiter asks again after `retryMs`.)
      const release = this.#release(name);
      try {
        await this.#subscribe().catch(() => undefined);
        if ((await this.#redis.set(name, token, "PX", this.#ttlMs, "NX")) === "OK") break;
        waitedSince ??= performance.now();
        await release.heard;
      } finally {
        release.stop();
      }
    }
    if (waitedSince !== undefined) recordLockWait("redis", (performance.now() - waitedSince) / 1000);
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
      await this.#redis.eval(RELEASE, 1, name, token, this.#channel).catch(() => undefined);
    }
  }
}
