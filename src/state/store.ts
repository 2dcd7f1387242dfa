/**
 * Where disposable state lives: caches, counters and once-only marks that every replica must share.
 * Redis when `REDIS_URL` is set, this process's memory otherwise. GitHub stays the source of truth:
 * losing the store costs requests, never correctness, so every value read back is parsed (zod) by its
 * reader and a value that does not parse is treated as absent.
 */
import type { z } from "zod";

export interface Store {
  get(key: string): Promise<string | undefined>;
  /** Sets `key`; with `ttlSeconds` it expires then. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Sets `key` only when absent; true when this call set it (a once-only mark across replicas). */
  setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds `by` to the integer at `key` (0 when absent) and returns the result. */
  increment(key: string, by?: number, ttlSeconds?: number): Promise<number>;
  hashSet(key: string, field: string, value: string): Promise<void>;
  /** One field of a hash (Redis HGET), so a reader of a few fields does not read them all. */
  hashGet(key: string, field: string): Promise<string | undefined>;
  hashGetAll(key: string): Promise<Record<string, string>>;
  hashDelete(key: string, field: string): Promise<void>;
}

interface Entry {
  value: string | Map<string, string>;
  expiresAt?: number;
}

/** The single-replica store: a map in this process, with expiry read from an injected clock. */
export class MemoryStore implements Store {
  readonly #entries = new Map<string, Entry>();
  readonly #clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.#clock()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #put(key: string, value: Entry["value"], ttlSeconds?: number): void {
    this.#entries.set(key, {
      value,
      ...(ttlSeconds !== undefined ? { expiresAt: this.#clock() + ttlSeconds * 1000 } : {}),
    });
  }

  #hash(key: string): Map<string, string> {
    const entry = this.#live(key);
    if (entry && entry.value instanceof Map) return entry.value;
    const hash = new Map<string, string>();
    this.#entries.set(key, { value: hash });
    return hash;
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.#live(key)?.value;
    return typeof value === "string" ? value : undefined;
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.#put(key, value, ttlSeconds);
  }

  async setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean> {
    if (this.#live(key)) return false;
    this.#put(key, value, ttlSeconds);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async increment(key: string, by = 1, ttlSeconds?: number): Promise<number> {
    const entry = this.#live(key);
    const next = (typeof entry?.value === "string" ? Number(entry.value) || 0 : 0) + by;
    // Like Redis INCRBY + EXPIRE NX: the first increment starts the window, later ones keep it.
    this.#entries.set(key, {
      value: String(next),
      ...(entry?.expiresAt !== undefined
        ? { expiresAt: entry.expiresAt }
        : ttlSeconds !== undefined
          ? { expiresAt: this.#clock() + ttlSeconds * 1000 }
          : {}),
    });
    return next;
  }

  async hashSet(key: string, field: string, value: string): Promise<void> {
    this.#hash(key).set(field, value);
  }

  async hashGet(key: string, field: string): Promise<string | undefined> {
    const entry = this.#live(key);
    return entry && entry.value instanceof Map ? entry.value.get(field) : undefined;
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    const entry = this.#live(key);
    return entry && entry.value instanceof Map ? Object.fromEntries(entry.value) : {};
  }

  async hashDelete(key: string, field: string): Promise<void> {
    const entry = this.#live(key);
    if (entry && entry.value instanceof Map) entry.value.delete(field);
  }
}

/** A stored JSON value parsed with `schema`; anything missing, unparsable or off-schema is absent. */
export function parseStoredJson<T extends z.ZodTypeAny>(
  schema: T,
  text: string | undefined,
): z.infer<T> | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON value at `key`, parsed with `schema` (see `parseStoredJson`). */
export async function readStoredJson<T extends z.ZodTypeAny>(
  store: Store,
  key: string,
  schema: T,
): Promise<z.infer<T> | undefined> {
  return parseStoredJson(schema, await store.get(key));
}
