/**
 * The app at work: the queue (BullMQ when `REDIS_URL` is set, embedded otherwise), its workers, the sweep
 * schedule, and one log line per job run. A job whose delivery it is logs "delivery handled" (or "delivery
 * failed"); jobs that others added log "job done" ("job failed"), a sweep's dashboard job logs "sweep
 * done" with the sweep's totals, and the schedule's job "scheduled sweep started". A job that fails for good is logged as such and counted on its
 * organization's dashboard.
 */
import { ContentBudget } from "../github/content-budget.js";
import { type RequestTally, tallyRequests } from "../github/request-hooks.js";
import { forgetQueueDepths, jobDurationSeconds, readQueueDepthsFrom } from "../metrics/metrics.js";
import { BullQueue } from "../queue/bullmq.js";
import { EmbeddedQueue } from "../queue/embedded.js";
import {
  isRetryable,
  type JobQueue,
  type Processor,
  type QueueEvents,
  type RetryPolicy,
  type RunningJob,
} from "../queue/queue.js";
import type { Connected } from "./backing.js";
import { recordFailure } from "./failures.js";
import {
  type Job,
  type JobData,
  type JobEnv,
  jobOf,
  orgOf,
  repositoryOf,
  runJob,
  subjectOf,
} from "./jobs.js";
import type { JobApp, Services } from "./services.js";

export interface Runtime {
  services: Services;
  /** Adds a delivery's jobs: the whole of the webhook's work, and one round trip to Redis at most. */
  enqueue(jobs: Job[]): Promise<void>;
  /** Adds the schedule's job now: every installation is swept. `id` makes it once-only. */
  sweepAll(id: string): Promise<void>;
  /** Resolves once no job waits, runs or waits to be retried. */
  idle(): Promise<void>;
  /** Jobs kept as failed: how many, and the newest. */
  failures: JobQueue<JobData>["failures"];
  /** Whether the queue's store answers: Redis, when there is one. */
  ready(): Promise<boolean>;
  /** Stops taking jobs, finishes or hands back running ones within `graceMs`, disconnects. */
  close(graceMs?: number): Promise<void>;
}

const SWEEP_SCHEDULE = "sweep-all";

/**
 * What a runtime does: everything (`all`, one event loop for a single process), or one side of a replica
 * split in two: `web` only adds the deliveries' jobs, while `worker` (in the replica's jobs thread) runs
 * them and keeps the sweep schedule, so judging never delays the answer to a webhook.
 */
export type RuntimeRole = "all" | "web" | "worker";

/** Whether a job is its delivery's own (its id is the delivery's), rather than added by another job. */
function ownJob(job: RunningJob<JobData>): boolean {
  return job.id === job.data.origin.delivery && job.data.kind !== "sweep-all";
}

/** The log line of a job: the delivery it came from, and the event or, for added jobs, what it is. */
function lineOf(job: RunningJob<JobData>): Record<string, unknown> {
  const { data } = job;
  const repository = repositoryOf(data);
  return {
    // The schedule's job stands for its interval: its id (one per interval) is what its sweeps carry.
    delivery: data.kind === "sweep-all" ? job.id : data.origin.delivery,
    event: data.origin.event,
    ...(ownJob(job) ? {} : { job: data.kind }),
    ...(repository ? { repository } : {}),
    ...(job.attempt > 1 ? { attempt: job.attempt } : {}),
  };
}

function messages(job: RunningJob<JobData>): { done: string; failed: string } {
  if (ownJob(job)) return { done: "delivery handled", failed: "delivery failed" };
  if (job.data.kind === "dashboard") return { done: "sweep done", failed: "sweep failed" };
  if (job.data.kind === "sweep-all")
    return { done: "scheduled sweep started", failed: "scheduled sweep failed" };
  return { done: "job done", failed: "job failed" };
}

export function startRuntime(
  app: JobApp,
  services: Services,
  backing: Connected,
  clock: () => number = Date.now,
  role: RuntimeRole = "all",
  /** Told of every job that finishes or fails (`rulebook sweep` follows its sweep through them). */
  events: QueueEvents = {},
): Runtime {
  const { config } = services;
  const policy: RetryPolicy = { attempts: config.jobAttempts, backoffMs: config.jobBackoffSeconds * 1000 };
  const queue: JobQueue<JobData> = config.redisUrl
    ? new BullQueue<JobData>({
        redisUrl: config.redisUrl,
        name: config.queueName,
        policy,
        lockMs: config.jobLockSeconds * 1000,
        events,
        onError: (error) => app.log.error({ err: error }, "job queue error"),
      })
    : new EmbeddedQueue<JobData>(policy, events, clock);
  const env: JobEnv = { app, services, queue, budget: new ContentBudget(services.store, undefined, clock) };

  const work: Processor<JobData> = async (job) => {
    const tally: RequestTally = { requests: 0 };
    const line = lineOf(job);
    const { done, failed } = messages(job);
    const timer = jobDurationSeconds.startTimer({ kind: job.data.kind });
    try {
      const outcome = await tallyRequests(tally, () => runJob(env, job));
      timer({ outcome: "done" });
      app.log.info({ ...line, ...outcome, requests: tally.requests }, done);
      return outcome;
    } catch (error) {
      const final = !isRetryable(error) || job.attempt >= policy.attempts;
      timer({ outcome: final ? "failed" : "retrying" });
      app.log.error(
        { ...line, err: error, requests: tally.requests, ...(final ? {} : { retrying: true }) },
        failed,
      );
      const org = orgOf(job.data);
      if (final && org) {
        await recordFailure(services.store, org, job.id, {
          job: job.data.kind,
          subject: subjectOf(job.data),
          error: (error as Error).message,
          time: services.now(),
        }).catch(() => undefined);
      }
      throw error;
    }
  };
  // A replica with no workers only acknowledges webhooks; the others run the jobs.
  const runsJobs = role !== "web";
  // The thread that serves /metrics reads the queue's depths; a jobs thread leaves that to it.
  const depths = () => queue.counts();
  if (role !== "worker") readQueueDepthsFrom(depths);
  if (runsJobs && config.workerConcurrency > 0) queue.work(work, config.workerConcurrency);

  const hours = config.sweepIntervalHours;
  if (runsJobs && hours > 0) {
    const origin = { delivery: SWEEP_SCHEDULE, event: "schedule" };
    queue
      .schedule(SWEEP_SCHEDULE, hours * 3_600_000, { name: "sweep-all", data: { kind: "sweep-all", origin } })
      .catch((error: unknown) => app.log.error({ err: error }, "could not schedule the sweep"));
  }

  return {
    services,
    enqueue: (jobs) => queue.add(jobs),
    sweepAll: (id) =>
      queue.add([jobOf({ kind: "sweep-all", origin: { delivery: id, event: "schedule" } }, id)]),
    idle: () => queue.idle(),
    failures: (limit) => queue.failures(limit),
    ready: () => queue.reachable(),
    async close(graceMs) {
      forgetQueueDepths(depths);
      await queue.close(graceMs);
      await backing.close();
    },
  };
}
