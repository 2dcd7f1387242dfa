/**
 * What a replica tells Prometheus about its work (prom-client, served at `/metrics` by `server.ts`): how
 * fast webhooks are answered and why some are refused, how deep the queue is and how long jobs run,
 * GitHub's requests and rate limits per installation, the content budget, sweeps and lock waits.
 *
 * Each thread records into its own registry. With Redis the jobs run in a worker thread, so the main
 * thread asks it for `metricsJson()` on each scrape and serves both together (`exposition`). Queue depths
 * are read from the queue (Redis, shared by replicas) at scrape time, by the thread that serves.
 */
import {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from "prom-client";

const registry = new Registry();

/** Why a webhook was refused, as the `reason` label says it. */
export type RefusalReason = "too_large" | "bad_signature" | "bad_payload" | "not_queued" | "timeout";

export const webhookAckSeconds = new Histogram({
  name: "rulebook_webhook_ack_seconds",
  help: "Time from a webhook's arrival to its answer, by HTTP status",
  labelNames: ["status"] as const,
  // GitHub fails a delivery not answered within 10 s.
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const webhooksRefused = new Counter({
  name: "rulebook_webhooks_refused_total",
  help: "Webhook deliveries refused, by reason",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export const jobDurationSeconds = new Histogram({
  name: "rulebook_job_duration_seconds",
  help: "Time a job ran, by kind and outcome (done, retrying, failed)",
  labelNames: ["kind", "outcome"] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [registry],
});

const githubRequests = new Counter({
  name: "rulebook_github_requests_total",
  help: "HTTP requests sent to GitHub, retries included, by installation and API (rest, graphql)",
  labelNames: ["installation", "api"] as const,
  registers: [registry],
});

const githubRateLimitRemaining = new Gauge({
  name: "rulebook_github_rate_limit_remaining",
  help: "What GitHub's last answer said is left of the installation's hourly rate limit, by API",
  labelNames: ["installation", "api"] as const,
  aggregator: "min",
  registers: [registry],
});

const sweepDurationSeconds = new Histogram({
  name: "rulebook_sweep_duration_seconds",
  help: "Time from an organization sweep's start to its dashboard, by installation",
  labelNames: ["installation"] as const,
  buckets: [10, 30, 60, 300, 600, 1800, 3600, 7200, 14400, 43200],
  registers: [registry],
});

const sweepRepositoriesPerSecond = new Gauge({
  name: "rulebook_sweep_repositories_per_second",
  help: "Repositories the last complete sweep of an installation judged per second",
  labelNames: ["installation"] as const,
  aggregator: "max",
  registers: [registry],
});

const sweepLastCompleteSeconds = new Gauge({
  name: "rulebook_sweep_last_complete_timestamp_seconds",
  help: "When the last complete sweep of an installation wrote its dashboard (Unix time)",
  labelNames: ["installation"] as const,
  aggregator: "max",
  registers: [registry],
});

export const lockWaits = new Counter({
  name: "rulebook_lock_waits_total",
  help: "Times a job waited for another holder's lock, by lock kind (redis, process)",
  labelNames: ["lock"] as const,
  registers: [registry],
});

export const lockWaitSeconds = new Histogram({
  name: "rulebook_lock_wait_seconds",
  help: "Time a job waited for another holder's lock, by lock kind (redis, process)",
  labelNames: ["lock"] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
  registers: [registry],
});

/** The content budget's windows, as the `window` label names them. */
const WINDOW_NAMES: Record<number, string> = { 60: "minute", 3600: "hour" };

/** The last count seen of each installation's content window, with the window's end. */
const contentWindows = new Map<
  string,
  { installation: string; window: string; count: number; endsAt: number }
>();

new Gauge({
  name: "rulebook_content_writes",
  help: "Content-creating requests (issues, comments, reviews) counted in the installation's current minute and hour",
  labelNames: ["installation", "window"] as const,
  aggregator: "max",
  registers: [registry],
  collect() {
    this.reset();
    const now = Date.now();
    for (const { installation, window, count, endsAt } of contentWindows.values()) {
      // A window that ended counts nothing any more: the next write starts a new one.
      this.set({ installation, window }, endsAt > now ? count : 0);
    }
  },
});

/** Records the content budget's count of a window (`seconds` long, ending in `endsInMs`) after a take. */
export function recordContentWrites(
  installation: string,
  seconds: number,
  endsInMs: number,
  count: number,
): void {
  const window = WINDOW_NAMES[seconds] ?? `${seconds}s`;
  const endsAt = Date.now() + endsInMs;
  contentWindows.set(`${installation}:${window}`, { installation, window, count, endsAt });
}

/** How many jobs of one kind are in one state (`JobQueue.counts()`). */
interface QueueDepth {
  name: string;
  state: string;
  count: number;
}

type QueueDepths = () => Promise<QueueDepth[]>;

/** Where the queue gauge reads its depths; set by the runtime that adds jobs (one per replica). */
let queueDepths: QueueDepths | undefined;

export function readQueueDepthsFrom(source: QueueDepths): void {
  queueDepths = source;
}

/** Stops reading depths from `source` (its queue closed), unless another source took its place. */
export function forgetQueueDepths(source: QueueDepths): void {
  if (queueDepths === source) queueDepths = undefined;
}

new Gauge({
  name: "rulebook_jobs",
  help: "Jobs in the queue by kind and state (waiting, active, delayed, failed); with Redis, of every replica",
  labelNames: ["kind", "state"] as const,
  // Every replica reads the same Redis: summing them would count each job once per replica.
  aggregator: "max",
  registers: [registry],
  async collect() {
    this.reset();
    if (!queueDepths) return;
    const depths = await queueDepths().catch(() => []);
    for (const { name, state, count } of depths) this.set({ kind: name, state }, count);
  },
});

/** Records a wait for a lock another holder had; `lock` names its kind. */
export function recordLockWait(lock: "redis" | "process", seconds: number): void {
  lockWaits.inc({ lock });
  lockWaitSeconds.observe({ lock }, seconds);
}

/** Records a whole-organization sweep that finished: its duration, its rate, and when. */
export function recordSweep(
  installation: number,
  startedAt: number,
  repositories: number,
  now = Date.now(),
): void {
  const labels = { installation: String(installation) };
  const seconds = Math.max(0, (now - startedAt) / 1000);
  sweepDurationSeconds.observe(labels, seconds);
  sweepRepositoriesPerSecond.set(labels, seconds > 0 ? repositories / seconds : 0);
  sweepLastCompleteSeconds.set(labels, now / 1000);
}

/** Which API a request went to, by its URL: GraphQL is `/graphql` (`/api/graphql` on GHES). */
function apiOf(url: string): "rest" | "graphql" {
  return new URL(url, "https://api.github.invalid").pathname.endsWith("/graphql") ? "graphql" : "rest";
}

/** Records a request GitHub answered, and what its headers say is left of the rate limit. */
export function recordGitHubRequest(installation: string, url: string, headers?: Headers): void {
  const api = apiOf(url);
  githubRequests.inc({ installation, api });
  const remaining = headers?.get("x-ratelimit-remaining");
  if (remaining != null && remaining !== "" && Number.isFinite(Number(remaining))) {
    githubRateLimitRemaining.set({ installation, api }, Number(remaining));
  }
}

/** This thread's metrics as data, for the thread that serves them. */
export function metricsJson(): Promise<MetricObjectWithValues<MetricValue<string>>[]> {
  return registry.getMetricsAsJSON();
}

/** The Prometheus text of this thread's metrics together with `others` (other threads' `metricsJson()`). */
export async function exposition(
  others: MetricObjectWithValues<MetricValue<string>>[][] = [],
): Promise<{ contentType: string; text: string }> {
  if (others.length === 0) return { contentType: registry.contentType, text: await registry.metrics() };
  const merged = AggregatorRegistry.aggregate([await registry.getMetricsAsJSON(), ...others]);
  return { contentType: registry.contentType, text: await merged.metrics() };
}
