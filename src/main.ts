/**
 * The process entry: starts Probot's server with the app (or its setup flow when there are no credentials
 * yet), with Rulebook's GitHub client class, and stops it gracefully on SIGTERM or SIGINT: no new
 * deliveries, no new jobs, running jobs finished or handed back to the queue, and the process gone within
 * 30 seconds, as container orchestrators expect.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { run } from "probot";
import { readConfig } from "./app/config.js";
import type { Runtime } from "./app/runtime.js";
import { DEFAULT_THROTTLE, rulebookOctokit } from "./github/octokit.js";
import { createApp } from "./index.js";

/** How long running jobs get to finish; the rest of the 30 seconds is for closing connections. */
const JOBS_GRACE_MS = 20_000;
const EXIT_DEADLINE_MS = 29_000;

// Probot loads .env itself, but only inside `run`; the settings are needed before (values in .env win,
// as they do for Probot).
if (existsSync(".env")) Object.assign(process.env, parseEnv(readFileSync(".env", "utf8")));
const config = readConfig();
const runtimes: Runtime[] = [];

// Probot would share its own throttling through REDIS_URL; Rulebook's limits are its own (octokit.ts,
// content-budget.ts), so Probot is not given the URL.
const { REDIS_URL: _shared, ...probotEnv } = process.env;
const server = await run(createApp({ config, onStart: (runtime) => runtimes.push(runtime) }), {
  Octokit: rulebookOctokit({ ...DEFAULT_THROTTLE, concurrency: config.githubConcurrency }),
  env: probotEnv,
});

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    process.stderr.write(`${signal}: not stopped within ${EXIT_DEADLINE_MS / 1000}s, exiting\n`);
    process.exit(1);
  }, EXIT_DEADLINE_MS).unref();
  process.stderr.write(`${signal}: stopping the server and the workers\n`);
  await server.stop();
  await Promise.all(runtimes.map((runtime) => runtime.close(JOBS_GRACE_MS)));
  process.exit(0);
}
// Probot's own SIGINT handler exits as soon as the server stops, before running jobs finish.
process.removeAllListeners("SIGINT");
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
