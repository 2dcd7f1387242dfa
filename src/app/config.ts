/** The app's settings, from environment variables (see the README's configuration table). */
import type { Mode } from "../bundle/types.js";

export interface RulebookConfig {
  /** The org repository that holds the bundle. */
  bundleRepo: string;
  /** The bundle's folder in that repository. */
  bundlePath: string;
  /** How long a bundle is trusted before a conditional request checks for a new version. */
  bundleTtlSeconds: number;
  /** Hours between scheduled sweeps of every installation; 0 turns the schedule off. */
  sweepIntervalHours: number;
  /** Repositories swept at once per installation. */
  sweepConcurrency: number;
  /** A team (`org/team-slug` or `team-slug`) asked to review when an agent is past its escalation boundary. */
  escalationTeam?: string;
  /** Hours over which an agent's failures of one standard in one repository add up, across its pull requests. */
  escalationWindowHours: number;
  /** GitHub's web address: github.com, or the GitHub Enterprise Server Probot talks to (`GHE_HOST`). */
  webUrl: string;
  /** The rollout mode of standards whose bundle sets none: observe (report only) unless told enforce. */
  defaultMode: Mode;
  /** Redis, shared by every replica: the job queue, repository locks and caches. In-process without it. */
  redisUrl?: string;
  /** The job queue's name in Redis: replicas with the same name share the work. */
  queueName: string;
  /** Jobs this process runs at once; 0 (with Redis) makes a replica that only acknowledges webhooks. */
  workerConcurrency: number;
  /** Runs of a job in all before it is kept as failed (server errors, timeouts and rate limits retry). */
  jobAttempts: number;
  /** Seconds before a job's first retry; each further retry waits twice as long. */
  jobBackoffSeconds: number;
  /** Seconds a job's and a repository's lock outlive a replica that died holding them; then another takes over. */
  jobLockSeconds: number;
  /** Requests to GitHub this process sends at once per installation (GitHub allows 100 in all). */
  githubConcurrency: number;
  /** The bearer token `/metrics` asks for; served to anyone who reaches the port without it. */
  metricsToken?: string;
}

function mode(env: NodeJS.ProcessEnv, name: string): Mode {
  const raw = env[name];
  if (raw === undefined || raw === "") return "observe";
  if (raw === "observe" || raw === "enforce") return raw;
  throw new Error(`${name} must be "observe" or "enforce", got ${JSON.stringify(raw)}`);
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`${name} must be a number of at least ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): RulebookConfig {
  const workerConcurrency = number(env, "RULEBOOK_WORKER_CONCURRENCY", 8, 0);
  if (workerConcurrency === 0 && !env.REDIS_URL) {
    throw new Error(
      "RULEBOOK_WORKER_CONCURRENCY may be 0 only with REDIS_URL: without it, nothing else runs the jobs",
    );
  }
  return {
    bundleRepo: env.RULEBOOK_BUNDLE_REPO || ".github",
    bundlePath: (env.RULEBOOK_BUNDLE_PATH || "standards").replace(/^\/+|\/+$/g, ""),
    bundleTtlSeconds: number(env, "RULEBOOK_BUNDLE_TTL_SECONDS", 300, 0),
    sweepIntervalHours: number(env, "RULEBOOK_SWEEP_INTERVAL_HOURS", 24, 0),
    sweepConcurrency: number(env, "RULEBOOK_SWEEP_CONCURRENCY", 4, 1),
    escalationWindowHours: number(env, "RULEBOOK_ESCALATION_WINDOW_HOURS", 24, 1),
    defaultMode: mode(env, "RULEBOOK_DEFAULT_MODE"),
    webUrl: env.GHE_HOST ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}` : "https://github.com",
    ...(env.RULEBOOK_ESCALATION_TEAM ? { escalationTeam: env.RULEBOOK_ESCALATION_TEAM } : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    queueName: env.RULEBOOK_QUEUE_NAME || "rulebook",
    workerConcurrency,
    jobAttempts: number(env, "RULEBOOK_JOB_ATTEMPTS", 5, 1),
    jobBackoffSeconds: number(env, "RULEBOOK_JOB_BACKOFF_SECONDS", 10, 0),
    jobLockSeconds: number(env, "RULEBOOK_JOB_LOCK_SECONDS", 30, 1),
    githubConcurrency: number(env, "RULEBOOK_GITHUB_CONCURRENCY", 25, 1),
    ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
  };
}
