/**
 * The app side of `npm run bench:sweep`'s scale runs, alone in its process so that its peak RSS is the
 * app's: Probot with the real app, its requests sent over loopback HTTP to the fake GitHub that
 * `bench-sweep.ts --serve` runs in another process. Bundled and run by plain Node (no TypeScript loader
 * in the process), with the heap limit left as Node sets it. Reads `{ port, appId, privateKey, event }`
 * on stdin, sweeps the installation once, prints `{ seconds, cpuSeconds, rssMB }` (CPU time is less
 * swayed than wall time by other work on a shared machine).
 */
import { performance } from "node:perf_hooks";
import { Probot, ProbotOctokit } from "probot";
import { readConfig } from "../src/app/config.js";
import { createApp, runtimeOf } from "../src/index.js";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const API = "https://api.github.com";

interface Input {
  port: number;
  appId: number;
  privateKey: string;
  event: Record<string, unknown>;
}

async function readInput(): Promise<Input> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Input;
}

const input = await readInput();
const local = `http://127.0.0.1:${input.port}`;
// Every URL the app asks for, pagination links included, goes to the fake GitHub on loopback.
const fetchLocal = (url: string | URL | Request, init?: RequestInit) =>
  fetch(String(url instanceof Request ? url.url : url).replace(API, local), init);
const probot = new Probot({
  appId: input.appId,
  privateKey: input.privateKey,
  secret: "bench",
  logLevel: "warn",
  // As in the tests: no retries or throttling, so the figure is the app's work, not its waiting.
  Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    retry: { enabled: false },
    throttle: { ...(options.throttle as object), enabled: false },
  })),
  request: { fetch: fetchLocal },
});
await probot.load(
  createApp({
    config: readConfig({ RULEBOOK_SWEEP_INTERVAL_HOURS: "0", RULEBOOK_JOB_ATTEMPTS: "1" }),
    clock: () => NOW,
  }),
);
const started = performance.now();
const cpu = process.cpuUsage();
await probot.receive({ id: "bench-sweep", name: "installation", payload: input.event } as never);
// The delivery only queued the sweep: its jobs (listing, batches, dashboard) run in this process.
await runtimeOf(probot)?.idle();
const seconds = (performance.now() - started) / 1000;
const { user, system } = process.cpuUsage(cpu);
const cpuSeconds = (user + system) / 1e6;
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds, rssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
process.exit(0);
