/** Small concurrency tools: no `Promise.all` over an unbounded list, and one writer per key. */
import pLimit from "p-limit";
import { recordLockWait } from "../metrics/metrics.js";

/** Maps `items` with at most `limit` calls in flight (p-limit); results keep the input order. */
export function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  return pLimit(Math.max(1, limit)).map(items, (item) => fn(item));
}

/** One writer per key: `run` waits until no other holder of `key` runs, then runs `fn`. */
export interface Locks {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * Serializes work per key within this process, so concurrent deliveries for one head SHA or one issue
 * never race to create the same check run or issue.
 */
export class KeyedLock implements Locks {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    const waitedSince = previous ? performance.now() : undefined;
    const current = (previous ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        if (waitedSince !== undefined) recordLockWait("process", (performance.now() - waitedSince) / 1000);
        return fn();
      });
    this.#tails.set(key, current);
    try {
      return await current;
    } finally {
      if (this.#tails.get(key) === current) this.#tails.delete(key);
    }
  }
}

/**
 * Runs `fn` holding every lock of `keys`, taken one by one in sorted order (so two callers wanting some of
 * the same keys never wait on each other in a cycle).
 */
export function runLocked<T>(locks: Locks, keys: readonly string[], fn: () => Promise<T>): Promise<T> {
  const sorted = [...new Set(keys)].sort();
  return sorted.reduceRight<() => Promise<T>>((inner, key) => () => locks.run(key, inner), fn)();
}
