/**
 * A replica's jobs thread, started by `main.ts` when the queue is on Redis: it runs the queue's jobs and
 * keeps the sweep schedule on an event loop of its own, with its own Probot (installation tokens, logs)
 * and its own connections, so the main thread only answers webhooks and judging never delays an answer.
 * Told to stop, it stops taking jobs, finishes or hands back the running ones, and ends. Asked for its
 * metrics (jobs, GitHub's requests, sweeps and locks are recorded here), it sends them as data.
 */
import { readlinkSync } from "node:fs";
import { constants, setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { createProbot } from "probot";
import { readConfig } from "./app/config.js";
import { probotSettings } from "./app/probot-settings.js";
import type { Runtime } from "./app/runtime.js";
import { createApp } from "./index.js";
import { metricsJson } from "./metrics/metrics.js";

/** What the main thread sends: stop within `graceMs`. */
export interface StopMessage {
  stop: { graceMs: number };
}

/** What the main thread sends on a scrape: this thread's metrics, please (`metrics` pairs the reply). */
export interface MetricsRequest {
  metrics: number;
}

/** This thread's answer to a `MetricsRequest`. */
export interface MetricsReply {
  metrics: number;
  values: Awaited<ReturnType<typeof metricsJson>>;
}

/**
 * Judging yields the CPU to the webhook answers: on Linux each thread has a scheduling priority of its
 * own (its id is the last part of /proc/thread-self), so this thread alone runs below normal. Elsewhere
 * the threads share the process's priority.
 */
function yieldToWebhooks(): void {
  try {
    const thread = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    setPriority(thread, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not Linux, or not allowed: the same priority as the webhook thread.
  }
}

yieldToWebhooks();
const config = readConfig();
const { env, Octokit } = probotSettings(config, process.env);
const probot = createProbot({ env, overrides: { Octokit } });
let runtime: Runtime | undefined;
await probot.load(createApp({ config, role: "worker", onStart: (started) => (runtime = started) }));

parentPort?.on("message", async (message: StopMessage | MetricsRequest) => {
  if ("metrics" in message) {
    const reply: MetricsReply = { metrics: message.metrics, values: await metricsJson() };
    parentPort?.postMessage(reply);
    return;
  }
  await runtime?.close(message.stop.graceMs);
  // Ends this thread, not the process.
  process.exit(0);
});
