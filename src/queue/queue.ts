/**
 * The job queue every replica shares: BullMQ on Redis when `REDIS_URL` is set (`bullmq.ts`), an embedded
 * in-process queue otherwise (`embedded.ts`). Both keep the same promises, checked by one test table:
 *
 * - a job id is added once: adding it again (a redelivered webhook) is a no-op;
 * - jobs with the same `coalesce` key coalesce: while one waits, another is not added; while one runs,
 *   the newest other is kept and runs after it;
 * - a job that throws is retried with exponential backoff, unless the error is permanent; one that still
 *   fails is kept, counted and logged, never dropped;
 * - a flow's parent runs once all its children have finished, whichever replicas ran them;
 * - a schedule adds one job per interval however many replicas ask for it.
 */

export interface JobSpec<T> {
  /** What kind of job it is: the pipeline that runs it. */
  name: string;
  data: T;
  /** Deterministic: a delivery id, or derived from one, or from a schedule's interval. */
  id: string;
  /** Jobs with the same key coalesce (see above); undefined for jobs that never do. */
  coalesce?: string;
}

export interface FlowSpec<T> {
  /** Runs once every child has finished, succeeded or finally failed. */
  parent: JobSpec<T>;
  children: JobSpec<T>[];
}

/** A job as its processor sees it. */
export interface RunningJob<T> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first run, 2 on the first retry. */
  attempt: number;
  /** What the children of a flow's parent returned (children that failed are left out). */
  childResults(): Promise<JobResult[]>;
}

/** What a job returns: a few fields for its log line and for a flow's parent. */
export type JobResult = Record<string, unknown>;

export type Processor<T> = (job: RunningJob<T>) => Promise<JobResult>;

/** A job that failed every attempt (or failed for good at once), as kept in the failed set. */
export interface FailedJob {
  id: string;
  name: string;
  error: string;
  attempts: number;
  /** Milliseconds since the epoch. */
  failedAt: number;
}

/** How many jobs of one kind (their `name`) are in one state; kinds and states with none are left out. */
export interface JobCount {
  name: string;
  state: "waiting" | "active" | "delayed" | "failed";
  count: number;
}

export interface RetryPolicy {
  /** Runs in all, the first included. */
  attempts: number;
  /** The first retry waits this long; each further one twice as long as the last. */
  backoffMs: number;
}

export interface QueueEvents {
  /** A job finished: its result, how long it ran. */
  completed?(job: { id: string; name: string; attempt: number }, result: JobResult): void;
  /** A run failed; `final` when no retry follows. */
  failed?(job: { id: string; name: string; attempt: number }, error: Error, final: boolean): void;
}

export interface JobQueue<T> {
  /** Adds jobs (in one round trip to Redis), each at most once by id. */
  add(jobs: JobSpec<T>[]): Promise<void>;
  /** Adds a parent and its children; the parent runs after them. */
  addFlow(flow: FlowSpec<T>): Promise<void>;
  /** Starts taking jobs, `concurrency` at a time in this process. */
  work(processor: Processor<T>, concurrency: number): void;
  /** Adds `job` every `everyMs`, once per interval across every replica that schedules the same `id`. */
  schedule(id: string, everyMs: number, job: Omit<JobSpec<T>, "id" | "coalesce">): Promise<void>;
  /** How many jobs are kept as failed, and the most recent ones. */
  failures(limit: number): Promise<{ count: number; recent: FailedJob[] }>;
  /** How many jobs of each kind wait (flows' parents included), run, wait for a later run, or failed. */
  counts(): Promise<JobCount[]>;
  /** Whether the queue's store answers (Redis, with a bounded wait); the embedded queue always does. */
  reachable(): Promise<boolean>;
  /**
   * Resolves once no job waits, runs or waits to be retried, and the outcome events of the jobs this
   * replica ran have fired (tests and scripts use it); schedules aside.
   */
  idle(): Promise<void>;
  /** Stops taking jobs, lets running ones finish (or hands them back after `graceMs`), and disconnects. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Whether a failed job is worth running again: GitHub's server errors, rate limits and timeouts pass,
 * and so does an error that carries no HTTP status (the network, a timeout). A 4xx other than a rate
 * limit will answer the same again, and so will a bug in the job's own data.
 */
export function isRetryable(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  if (typeof status !== "number") return !(error instanceof TypeError || error instanceof SyntaxError);
  if (status >= 500 || status === 429 || status === 408) return true;
  if (status !== 403) return false;
  const headers = (error as { response?: { headers?: Record<string, string | undefined> } }).response
    ?.headers;
  return headers?.["retry-after"] !== undefined || headers?.["x-ratelimit-remaining"] === "0";
}

/** The backoff before retry `attempt` (2 for the first retry). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return policy.backoffMs * 2 ** Math.max(0, attempt - 2);
}
