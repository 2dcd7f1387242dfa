/**
 * The embedded queue: BullMQ's promises (see `queue.ts`) kept in this process's memory, for a single
 * replica that runs without Redis. Jobs are lost with the process; the next sweep heals what they would
 * have done, as it heals a lost webhook.
 */
import {
  backoffDelay,
  type FailedJob,
  type FlowSpec,
  isRetryable,
  type JobCount,
  type JobQueue,
  type JobResult,
  type JobSpec,
  type Processor,
  type QueueEvents,
  type RetryPolicy,
} from "./queue.js";

/** How many finished job ids are remembered, so a redelivery after the job ran is still a no-op. */
const REMEMBERED_IDS = 10_000;

interface Entry<T> {
  spec: JobSpec<T>;
  attempt: number;
  state: "waiting" | "delayed" | "active" | "children";
  parent?: Entry<T>;
  /** Children still to finish, for a flow's parent. */
  pending: number;
  results: JobResult[];
  /** The newest job of the same coalesce key added while this one ran. */
  next?: JobSpec<T>;
}

export class EmbeddedQueue<T> implements JobQueue<T> {
  readonly #policy: RetryPolicy;
  readonly #events: QueueEvents;
  readonly #clock: () => number;
  /** Live jobs by id, and ids of finished ones (oldest first). */
  readonly #live = new Map<string, Entry<T>>();
  readonly #finished = new Set<string>();
  readonly #coalescing = new Map<string, Entry<T>>();
  readonly #ready: Entry<T>[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #failed: FailedJob[] = [];
  readonly #schedules = new Map<string, NodeJS.Timeout>();
  #idleWaiters: Array<() => void> = [];
  #processor?: Processor<T>;
  #concurrency = 1;
  #running = 0;
  #closed = false;
  readonly #runs = new Set<Promise<void>>();

  constructor(policy: RetryPolicy, events: QueueEvents = {}, clock: () => number = Date.now) {
    this.#policy = policy;
    this.#events = events;
    this.#clock = clock;
  }

  async add(jobs: JobSpec<T>[]): Promise<void> {
    for (const spec of jobs) this.#enqueue(spec);
    this.#pump();
  }

  async addFlow(flow: FlowSpec<T>): Promise<void> {
    if (this.#known(flow.parent.id)) return;
    const parent = this.#entry(flow.parent, "children");
    this.#live.set(parent.spec.id, parent);
    for (const child of flow.children) {
      if (this.#known(child.id)) continue;
      parent.pending += 1;
      const entry = this.#entry(child, "waiting");
      entry.parent = parent;
      this.#live.set(child.id, entry);
      this.#ready.push(entry);
    }
    if (parent.pending === 0) this.#release(parent);
    this.#pump();
  }

  work(processor: Processor<T>, concurrency: number): void {
    this.#processor = processor;
    this.#concurrency = Math.max(1, concurrency);
    this.#pump();
  }

  async schedule(id: string, everyMs: number, job: Omit<JobSpec<T>, "id" | "coalesce">): Promise<void> {
    if (this.#schedules.has(id)) return;
    // unref: a pending schedule never keeps the process alive on its own.
    const timer = setInterval(() => {
      const slot = Math.floor(this.#clock() / everyMs) * everyMs;
      void this.add([{ ...job, id: `${id}-${slot}` }]);
    }, everyMs).unref();
    this.#schedules.set(id, timer);
  }

  async failures(limit: number): Promise<{ count: number; recent: FailedJob[] }> {
    return { count: this.#failed.length, recent: this.#failed.slice(-limit).reverse() };
  }

  async counts(): Promise<JobCount[]> {
    const counts = new Map<string, JobCount>();
    const count = (name: string, state: JobCount["state"]) => {
      const key = `${state}:${name}`;
      counts.set(key, { name, state, count: (counts.get(key)?.count ?? 0) + 1 });
    };
    for (const { spec, state } of this.#live.values())
      count(spec.name, state === "children" ? "waiting" : state);
    for (const { name } of this.#failed) count(name, "failed");
    return [...counts.values()];
  }

  async reachable(): Promise<boolean> {
    return true;
  }

  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async close(graceMs = 25_000): Promise<void> {
    this.#closed = true;
    for (const timer of this.#schedules.values()) clearInterval(timer);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all([...this.#runs]), grace]);
  }

  #known(id: string): boolean {
    return this.#live.has(id) || this.#finished.has(id);
  }

  #entry(spec: JobSpec<T>, state: Entry<T>["state"]): Entry<T> {
    return { spec, attempt: 1, state, pending: 0, results: [] };
  }

  #enqueue(spec: JobSpec<T>): void {
    if (this.#known(spec.id) || this.#closed) return;
    if (spec.coalesce !== undefined) {
      const current = this.#coalescing.get(spec.coalesce);
      if (current?.state === "active") {
        current.next = spec;
        return;
      }
      if (current) return;
    }
    const entry = this.#entry(spec, "waiting");
    this.#live.set(spec.id, entry);
    if (spec.coalesce !== undefined) this.#coalescing.set(spec.coalesce, entry);
    this.#ready.push(entry);
  }

  #pump(): void {
    const processor = this.#processor;
    if (!processor) return;
    while (!this.#closed && this.#running < this.#concurrency && this.#ready.length > 0) {
      const entry = this.#ready.shift() as Entry<T>;
      entry.state = "active";
      this.#running += 1;
      const run = this.#run(processor, entry).finally(() => {
        this.#running -= 1;
        this.#runs.delete(run);
        this.#pump();
        this.#notifyIdle();
      });
      this.#runs.add(run);
    }
  }

  async #run(processor: Processor<T>, entry: Entry<T>): Promise<void> {
    const { spec } = entry;
    const job = { id: spec.id, name: spec.name, attempt: entry.attempt };
    try {
      const result = await processor({
        ...job,
        data: spec.data,
        childResults: async () => entry.results,
      });
      this.#events.completed?.(job, result);
      entry.parent?.results.push(result);
      this.#finish(entry);
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      const final = !isRetryable(error) || entry.attempt >= this.#policy.attempts;
      this.#events.failed?.(job, error, final);
      if (!final) {
        entry.attempt += 1;
        entry.state = "delayed";
        const timer = setTimeout(
          () => {
            this.#timers.delete(timer);
            entry.state = "waiting";
            this.#ready.push(entry);
            this.#pump();
          },
          backoffDelay(this.#policy, entry.attempt),
        );
        this.#timers.add(timer);
        return;
      }
      this.#failed.push({
        id: spec.id,
        name: spec.name,
        error: error.message,
        attempts: entry.attempt,
        failedAt: this.#clock(),
      });
      this.#finish(entry);
    }
  }

  /** A job is done for good: its id is remembered, its parent may run, a coalesced successor starts. */
  #finish(entry: Entry<T>): void {
    const { spec } = entry;
    this.#live.delete(spec.id);
    this.#finished.add(spec.id);
    if (this.#finished.size > REMEMBERED_IDS) {
      this.#finished.delete(this.#finished.values().next().value as string);
    }
    if (spec.coalesce !== undefined && this.#coalescing.get(spec.coalesce) === entry) {
      this.#coalescing.delete(spec.coalesce);
      if (entry.next) this.#enqueue(entry.next);
    }
    const parent = entry.parent;
    if (parent) {
      parent.pending -= 1;
      if (parent.pending === 0) this.#release(parent);
    }
  }

  #release(parent: Entry<T>): void {
    parent.state = "waiting";
    this.#ready.push(parent);
  }

  #isIdle(): boolean {
    return this.#running === 0 && this.#ready.length === 0 && this.#timers.size === 0;
  }

  #notifyIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
