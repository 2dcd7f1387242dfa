/**
 * The process entry: serves the app on Rulebook's webhook server (`server.ts`), or Probot's setup flow
 * when there are no credentials yet, with Rulebook's GitHub client class, and stops it gracefully on
 * SIGTERM or SIGINT: no new deliveries, no new jobs, running jobs finished or handed back to the queue,
 * and the process gone within 30 seconds, as container orchestrators expect.
 *
 * With the queue on Redis, the jobs run in a thread of their own (`jobs-thread.ts`) and this thread only
 * answers webhooks: a burst of deliveries is acknowledged at once however much judging is under way.
 * Without Redis, the embedded queue lives in this process, so one event loop does both.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { Worker } from "node:worker_threads";
import { createProbot, type Probot, run } from "probot";
import { SmeeClient } from "smee-client";
import { readConfig } from "./app/config.js";
import { probotSettings } from "./app/probot-settings.js";
import type { Runtime } from "./app/runtime.js";
import { createApp } from "./index.js";
import type { MetricsReply, MetricsRequest, StopMessage } from "./jobs-thread.js";
import { exposition } from "./metrics/metrics.js";
import { createWebhookServer } from "./server.js";

/** How long running jobs get to finish; the rest of the 30 seconds is for closing connections. */
const JOBS_GRACE_MS = 20_000;
const EXIT_DEADLINE_MS = 29_000;
/** How long a scrape waits for the jobs thread's metrics before it serves this thread's alone. */
const THREAD_METRICS_MS = 2_000;

// Probot loads .env itself, but only inside `run`; the settings are needed before (values in .env win,
// as they do for Probot).
if (existsSync(".env")) Object.assign(process.env, parseEnv(readFileSync(".env", "utf8")));
const config = readConfig();
const runtimes: Runtime[] = [];
const threaded = config.redisUrl !== undefined && config.workerConcurrency > 0;
let jobsThread: Worker | undefined;
let stopping = false;

/** Starts the jobs thread; if it ever ends unasked, so does the replica, to be restarted whole. */
function startJobsThread(): Worker {
  // Built code only (lib/): a thread does not inherit a TypeScript loader the process was started with.
  const thread = new Worker(new URL("./jobs-thread.js", import.meta.url));
  thread.once("error", (error) => process.stderr.write(`the jobs thread failed: ${error.stack ?? error}\n`));
  thread.once("exit", (code) => {
    if (stopping) return;
    process.stderr.write(`the jobs thread ended (code ${code}): stopping the replica\n`);
    process.exit(1);
  });
  return thread;
}

const onStart = (runtime: Runtime) => {
  runtimes.push(runtime);
  // Only once the app runs: in Probot's setup flow there are no credentials to work with.
  if (threaded) jobsThread = startJobsThread();
};
const { env, Octokit } = probotSettings(config, process.env);
const app = createApp({ config, role: threaded ? "web" : "all", onStart });

/**
 * Probot with the app's credentials and Probot's defaults for its log (level info; JSON in production),
 * or `undefined` without credentials.
 */
function credentialedProbot(): Probot | undefined {
  const logFormat = env.LOG_FORMAT || (env.NODE_ENV === "production" ? "json" : "pretty");
  try {
    return createProbot({
      env: { LOG_LEVEL: "info", ...env, LOG_FORMAT: logFormat },
      overrides: { Octokit },
    });
  } catch {
    return undefined;
  }
}

let metricsRequests = 0;

/** The jobs thread's metrics as data, or none when it does not answer in time. */
function threadMetrics(thread: Worker): Promise<MetricsReply["values"] | undefined> {
  const request: MetricsRequest = { metrics: ++metricsRequests };
  return new Promise((resolve) => {
    const onMessage = (reply: MetricsReply) => {
      if (reply.metrics !== request.metrics) return;
      done(reply.values);
    };
    const timer = setTimeout(() => done(undefined), THREAD_METRICS_MS);
    const done = (values: MetricsReply["values"] | undefined) => {
      clearTimeout(timer);
      thread.off("message", onMessage);
      resolve(values);
    };
    thread.on("message", onMessage);
    thread.postMessage(request);
  });
}

/** This replica's metrics: this thread's, with the jobs thread's when there is one. */
async function replicaMetrics() {
  const values = jobsThread ? await threadMetrics(jobsThread) : undefined;
  return exposition(values ? [values] : []);
}

/** Ready when the queue's Redis answers (always, without Redis). */
async function ready(): Promise<boolean> {
  const checks = await Promise.all(runtimes.map((runtime) => runtime.ready()));
  return checks.every(Boolean);
}

/** Serves the app on `src/server.ts` (and forwards a smee.io channel to it in development). */
async function serve(probot: Probot): Promise<{ stop(): Promise<void> }> {
  await probot.load(app);
  const webhookPath = env.WEBHOOK_PATH || "/api/github/webhooks";
  const httpServer = createWebhookServer({
    probot,
    webhookPath,
    log: probot.log,
    ready,
    metrics: replicaMetrics,
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
  });
  const port = Number(env.PORT) || 3000;
  const host = env.HOST || "localhost";
  await new Promise<void>((resolve, reject) => httpServer.once("error", reject).listen(port, host, resolve));
  probot.log.info(`Listening on http://${host}:${port}`);
  const proxy = env.WEBHOOK_PROXY_URL
    ? new SmeeClient({
        source: env.WEBHOOK_PROXY_URL,
        target: `http://${host}:${port}${webhookPath}`,
        logger: probot.log,
      })
    : undefined;
  await proxy?.start();
  return {
    async stop() {
      await proxy?.stop();
      await new Promise<void>((resolve, reject) =>
        httpServer.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

// Without credentials, Probot's own server runs its setup flow, which registers the app from app.yml.
const probot = credentialedProbot();
const server = probot ? await serve(probot) : await run(app, { Octokit, env });

/** Asks the jobs thread to stop within `graceMs` and waits until it has ended. */
function stopJobsThread(thread: Worker, graceMs: number): Promise<void> {
  const ended = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
  thread.postMessage({ stop: { graceMs } } satisfies StopMessage);
  return ended;
}

async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    process.stderr.write(`${signal}: not stopped within ${EXIT_DEADLINE_MS / 1000}s, exiting\n`);
    process.exit(1);
  }, EXIT_DEADLINE_MS).unref();
  process.stderr.write(`${signal}: stopping the server and the workers\n`);
  await server.stop();
  await Promise.all([
    ...runtimes.map((runtime) => runtime.close(JOBS_GRACE_MS)),
    ...(jobsThread ? [stopJobsThread(jobsThread, JOBS_GRACE_MS)] : []),
  ]);
  process.exit(0);
}
// Probot's own SIGINT handler exits as soon as the server stops, before running jobs finish.
process.removeAllListeners("SIGINT");
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
