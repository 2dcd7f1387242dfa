/**
 * The queue on BullMQ and Redis, shared by any number of replicas (see `queue.ts` for its promises).
 *
 * - A job's id is its BullMQ job id: adding an id Redis holds (waiting, running, kept) is a no-op.
 * - Coalescing is BullMQ's deduplication with `keepLastIfActive`: a job added while one of its key waits
 *   is dropped, while one runs it is kept (the newest only) and added when that one finishes.
 * - Retries are BullMQ's exponential backoff; a permanent error is an `UnrecoverableError`; finally
 *   failed jobs stay in the failed set.
 * - A flow is a FlowProducer flow whose children may fail without holding the parent back.
 * - A schedule is one job scheduler: every replica upserts the same one, and its job ids are per interval.
 * - A replica that dies mid-job loses nothing: the job's lock expires and another worker takes it
 *   (stalled-job recovery).
 */
import { FlowProducer, type Job, type JobsOptions, Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import {
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

interface BullQueueOptions {
  redisUrl: string;
  /** The queue's name; replicas that share it share the jobs. */
  name: string;
  policy: RetryPolicy;
  /**
   * How long a running job's lock lasts unrenewed (BullMQ's 30 s by default): a replica that dies
   * mid-job hands the job to another after about this long, and as often stalled jobs are looked for.
   */
  lockMs?: number;
  events?: QueueEvents;
  /** Called with connection errors, which BullMQ otherwise only emits. */
  onError?: (error: Error) => void;
}

/** How long a finished job's id is kept, so a redelivery within it is a no-op. */
const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
/** How long `idle()` waits, once Redis holds no work, for the outcome events of this replica's jobs. */
const UNREPORTED_GRACE_MS = 2_000;

/** BullMQ's sets of job ids, and the state each counts as. */
const COUNTED_SETS: [string, JobCount["state"]][] = [
  ["wait", "waiting"],
  ["prioritized", "waiting"],
  ["waiting-children", "waiting"],
  ["active", "active"],
  ["delayed", "delayed"],
  ["failed", "failed"],
];

/**
 * Counts the jobs of each set (KEYS, lists or sorted sets of ids) by name, read from each job's hash
 * (ARGV[1] is the prefix of their keys), in one round trip; answers `{set index, name, count}` triples.
 * BullMQ counts a state's jobs, but not by name.
 */
const COUNT_BY_NAME = `
local found = {}
for i, key in ipairs(KEYS) do
  local ids
  if redis.call("TYPE", key).ok == "list" then
    ids = redis.call("LRANGE", key, 0, -1)
  else
    ids = redis.call("ZRANGE", key, 0, -1)
  end
  local names = {}
  for _, id in ipairs(ids) do
    local name = redis.call("HGET", ARGV[1] .. id, "name")
    if name then names[name] = (names[name] or 0) + 1 end
  end
  for name, count in pairs(names) do table.insert(found, { i, name, count }) end
end
return found
`;

/** How long `reachable()` waits for Redis to answer. */
const PING_TIMEOUT_MS = 2_000;

/** How often `idle()` looks at the counts. */
const IDLE_POLL_MS = 25;

/** The BullMQ job id for a queue id: BullMQ refuses integers and ids with a colon. */
function bullId(id: string): string {
  const safe = id.replaceAll(":", ".");
  return /^\d+$/.test(safe) ? `job-${safe}` : safe;
}

export class BullQueue<T> implements JobQueue<T> {
  readonly #options: BullQueueOptions;
  /** Adding jobs and reading counts: commands fail fast instead of waiting for Redis forever. */
  readonly #client: Redis;
  readonly #queue: Queue;
  readonly #flows: FlowProducer;
  #worker?: Worker;
  #workerClient?: Redis;
  /** The jobs this replica runs now: closing waits for them, not for BullMQ's pause. */
  readonly #running = new Set<Promise<unknown>>();
  /**
   * Jobs this replica took whose outcome event has not fired yet: BullMQ records a job as completed or
   * failed in Redis before it emits the event here, so the counts alone can say idle too early.
   */
  readonly #unreported = new Map<string, number>();

  constructor(options: BullQueueOptions) {
    this.#options = options;
    this.#client = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
    this.#client.on("error", (error: Error) => options.onError?.(error));
    this.#queue = new Queue(options.name, { connection: this.#client });
    this.#flows = new FlowProducer({ connection: this.#client });
    this.#queue.on("error", (error) => options.onError?.(error));
    this.#flows.on("error", (error) => options.onError?.(error));
    // Connect and load the scripts now, so the first webhook does not wait for it.
    this.#queue.waitUntilReady().catch((error: Error) => options.onError?.(error));
  }

  #jobOptions(spec: Pick<JobSpec<T>, "id" | "coalesce">): JobsOptions {
    const { attempts, backoffMs } = this.#options.policy;
    return {
      jobId: bullId(spec.id),
      attempts,
      backoff: { type: "exponential", delay: backoffMs },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: false,
      ...(spec.coalesce !== undefined
        ? { deduplication: { id: spec.coalesce, keepLastIfActive: true } }
        : {}),
    };
  }

  async add(jobs: JobSpec<T>[]): Promise<void> {
    const [only, ...more] = jobs;
    if (!only) return;
    // One job (a delivery's usual lot) is one script call; `addBulk` wraps even one in a transaction.
    if (more.length === 0) {
      await this.#queue.add(only.name, only.data, this.#jobOptions(only));
      return;
    }
    await this.#queue.addBulk(
      jobs.map((spec) => ({ name: spec.name, data: spec.data, opts: this.#jobOptions(spec) })),
    );
  }

  async addFlow(flow: FlowSpec<T>): Promise<void> {
    const queueName = this.#options.name;
    await this.#flows.add({
      name: flow.parent.name,
      queueName,
      data: flow.parent.data,
      opts: this.#jobOptions(flow.parent),
      children: flow.children.map((child) => ({
        name: child.name,
        queueName,
        data: child.data,
        // A child that fails for good is set aside, so the parent still runs and reports it.
        opts: { ...this.#jobOptions(child), ignoreDependencyOnFailure: true },
      })),
    });
  }

  work(processor: Processor<T>, concurrency: number): void {
    const { events, onError, redisUrl, name, lockMs } = this.#options;
    // Workers block on Redis: their connection must retry forever (BullMQ duplicates it to block).
    const client = new Redis(redisUrl, { maxRetriesPerRequest: null });
    client.on("error", (error: Error) => onError?.(error));
    this.#workerClient = client;
    const worker = new Worker(
      name,
      async (job: Job) => {
        this.#taken(job.id ?? "", 1);
        const running = processor({
          id: job.id ?? "",
          name: job.name,
          data: job.data as T,
          attempt: job.attemptsMade + 1,
          childResults: async () => Object.values(await job.getChildrenValues<JobResult>()),
        });
        this.#running.add(running);
        try {
          return await running;
        } catch (error) {
          if (!isRetryable(error)) throw new UnrecoverableError((error as Error).message);
          throw error;
        } finally {
          this.#running.delete(running);
        }
      },
      {
        connection: client,
        concurrency,
        ...(lockMs === undefined ? {} : { lockDuration: lockMs, stalledInterval: lockMs }),
      },
    );
    worker.on("completed", (job, result: JobResult) => {
      this.#taken(job.id ?? "", -1);
      events?.completed?.({ id: job.id ?? "", name: job.name, attempt: job.attemptsMade }, result);
    });
    worker.on("failed", (job, error) => {
      if (!job) return;
      this.#taken(job.id ?? "", -1);
      const final = error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
      events?.failed?.({ id: job.id ?? "", name: job.name, attempt: job.attemptsMade }, error, final);
    });
    worker.on("error", (error) => onError?.(error));
    this.#worker = worker;
  }

  /** Counts a job taken (+1) or its outcome reported (-1). */
  #taken(id: string, change: 1 | -1): void {
    const count = (this.#unreported.get(id) ?? 0) + change;
    if (count > 0) this.#unreported.set(id, count);
    else this.#unreported.delete(id);
  }

  async schedule(id: string, everyMs: number, job: Omit<JobSpec<T>, "id" | "coalesce">): Promise<void> {
    const { jobId: _jobId, ...opts } = this.#jobOptions({ id });
    await this.#queue.upsertJobScheduler(id, { every: everyMs }, { name: job.name, data: job.data, opts });
  }

  async failures(limit: number): Promise<{ count: number; recent: FailedJob[] }> {
    const [count, jobs] = await Promise.all([
      this.#queue.getFailedCount(),
      this.#queue.getFailed(0, Math.max(0, limit - 1)),
    ]);
    return {
      count,
      recent: jobs.map((job) => ({
        id: job.id ?? "",
        name: job.name,
        error: job.failedReason,
        attempts: job.attemptsMade,
        failedAt: job.finishedOn ?? job.timestamp,
      })),
    };
  }

  async counts(): Promise<JobCount[]> {
    const keys = this.#queue.keys;
    const sets = COUNTED_SETS.map(([set]) => keys[set] as string);
    const found = (await this.#client.eval(COUNT_BY_NAME, sets.length, ...sets, this.#queue.toKey(""))) as [
      number,
      string,
      number,
    ][];
    const counts = new Map<string, JobCount>();
    for (const [set, name, count] of found) {
      const state = COUNTED_SETS[set - 1]?.[1] ?? "waiting";
      const key = `${state}:${name}`;
      counts.set(key, { name, state, count: (counts.get(key)?.count ?? 0) + count });
    }
    return [...counts.values()];
  }

  async reachable(): Promise<boolean> {
    const timeout = new Promise<false>((resolve) =>
      setTimeout(() => resolve(false), PING_TIMEOUT_MS).unref(),
    );
    const answered = this.#client.ping().then(
      () => true,
      () => false,
    );
    return Promise.race([answered, timeout]);
  }

  async idle(): Promise<void> {
    let quietSince: number | undefined;
    for (;;) {
      // A schedule always holds its next run, delayed: that one is not work to wait for. Listed before
      // the counts, so a job that moves between the two readings is still seen in one of them.
      const schedules = (await this.#queue.getDelayed()).filter((job) =>
        job.id?.startsWith("repeat:"),
      ).length;
      const { delayed = 0, ...others } = await this.#queue.getJobCounts(
        "waiting",
        "active",
        "delayed",
        "prioritized",
        "waiting-children",
      );
      const quiet = delayed <= schedules && Object.values(others).every((n) => n === 0);
      quietSince = quiet ? (quietSince ?? Date.now()) : undefined;
      // A job whose lock this replica lost is finished by another and never reported here: its wait is bounded.
      const reported = this.#unreported.size === 0 || Date.now() - (quietSince ?? 0) > UNREPORTED_GRACE_MS;
      if (quiet && reported) {
        this.#unreported.clear();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
    }
  }

  #closing: Promise<void> | undefined;

  close(graceMs = 25_000): Promise<void> {
    // Closing twice (a second signal, a test's teardown) waits for the first close instead of redoing it.
    this.#closing ??= this.#close(graceMs);
    return this.#closing;
  }

  async #close(graceMs: number): Promise<void> {
    const worker = this.#worker;
    if (worker) {
      // No new jobs; running ones finish. Those still running after the grace period are handed back:
      // their lock lapses and another replica takes them (stalled-job recovery). BullMQ's own waiting
      // pause is not used: once the jobs finish it connects again, even to a worker closed meanwhile.
      await worker.pause(true);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), graceMs);
      });
      let finished: "done" | "late" = "done";
      // A job the worker was already fetching when paused may start after the first look.
      while (this.#running.size > 0 && finished === "done") {
        finished = await Promise.race([
          Promise.allSettled([...this.#running]).then(() => "done" as const),
          grace,
        ]);
      }
      clearTimeout(timer);
      await worker.close(finished === "late");
    }
    await this.#flows.close();
    await this.#queue.close();
    await this.#workerClient?.quit().catch(() => undefined);
    await this.#client.quit().catch(() => undefined);
  }
}
