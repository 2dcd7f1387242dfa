/**
 * What the app keeps outside GitHub, chosen by `REDIS_URL`: with it, the locks and the store live in Redis
 * and every replica shares them; without it, they live in this process, for a single replica.
 */
import { Redis } from "ioredis";
import { RedisLock } from "../queue/redis-lock.js";
import { RedisStore } from "../state/redis-store.js";
import { MemoryStore } from "../state/store.js";
import { KeyedLock } from "../util/concurrency.js";
import type { RulebookConfig } from "./config.js";
import type { Backing } from "./services.js";

export interface Connected extends Backing {
  /** Disconnects from Redis, if connected. */
  close(): Promise<void>;
}

export function connectBacking(
  config: RulebookConfig,
  clock: () => number,
  log: { warn(fields: object, message: string): void; error(fields: object, message: string): void },
): Connected {
  if (!config.redisUrl) {
    return { locks: new KeyedLock(), store: new MemoryStore(clock), close: async () => {} };
  }
  // Commands fail after a couple of tries rather than wait forever: a job fails and is retried.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  redis.on("error", (error: Error) => log.error({ err: error }, "redis connection error"));
  const locks = new RedisLock(redis, {
    ttlMs: config.jobLockSeconds * 1000,
    onLost: (key) => log.warn({ lock: key }, "a lock lapsed while held; its work may have overlapped"),
  });
  return {
    locks,
    store: new RedisStore(redis),
    close: async () => {
      await locks.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
