/**
 * Replicas of the app as they run in production: each a real Probot server (`node lib/main.js`, the
 * build of src/) in a process of its own, configured only through environment variables, talking to
 * the fake GitHub over HTTP (Probot's `GHE_HOST`/`GHE_PROTOCOL` make its base URL
 * `http://HOST/api/v3`, and GraphQL `http://HOST/api/graphql`) and, when given, to Redis.
 *
 *   const replicas = await startReplicas(3, { githubHost: github.host, privateKey, redisUrl: redis.url });
 *   await replicas[0].deliver({ name: "pull_request", id, body });
 *   await replicas[1].kill();          // SIGKILL: a crash
 *   await stopReplicas(replicas);      // SIGTERM: a graceful shutdown
 *
 * `node lib/main.js` starts about twice as fast as `tsx src/main.ts`, so lib/ is rebuilt (tsc) when a
 * source is newer than it, once, under a lock other test files wait on.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { LogRecord } from "./app-harness.js";
import { APP_ID, signWebhook, WEBHOOK_SECRET } from "./app-identity.js";
import { Child, type Exit, freePort, ROOT, sleep, waitUntil } from "./processes.js";

export interface ReplicaOptions {
  /** The fake GitHub's `host:port` (served over plain HTTP). */
  githubHost: string;
  /** The app's private key (PEM); the fake holds its public key. */
  privateKey: string;
  redisUrl?: string;
  /** More settings (`RULEBOOK_*`, `LOG_LEVEL`), over the defaults. */
  env?: Record<string, string>;
  /** Node's own flags, e.g. `["--cpu-prof", "--cpu-prof-dir=/tmp/profiles"]` to see where a replica's time goes. */
  nodeArgs?: string[];
}

export interface Delivery {
  /** The event name (`X-GitHub-Event`). */
  name: string;
  /** The delivery GUID (`X-GitHub-Delivery`); a redelivery keeps it. */
  id: string;
  /** The exact bytes posted. */
  body: string;
  /** `X-Hub-Signature-256`; the body signed with the webhook secret unless given. */
  signature?: string;
}

export interface DeliveryAnswer {
  status: number;
  text: string;
  /** From sending the request to reading the whole answer. */
  milliseconds: number;
}

/** What Probot logs once it answered a delivery: its HTTP log line, with the time it took (pino-http). */
export interface AnswerLine extends LogRecord {
  req: { id: string };
  res: { statusCode: number };
  responseTime: number;
}

/** The replicas' log lines of the webhook answers they sent, by delivery id. */
export function answerLines(replicas: readonly Replica[]): Map<string, AnswerLine> {
  const lines = new Map<string, AnswerLine>();
  for (const replica of replicas) {
    for (const line of replica.logs) {
      const answer = line as Partial<AnswerLine>;
      if (typeof answer.responseTime === "number" && answer.req?.id)
        lines.set(answer.req.id, answer as AnswerLine);
    }
  }
  return lines;
}

export interface Replica {
  name: string;
  /** `http://127.0.0.1:PORT` */
  url: string;
  child: Child;
  /** What the app logged (pino's JSON lines), parsed, oldest first. */
  logs: LogRecord[];
  /** Posts a signed delivery to the webhook path, as GitHub does. */
  deliver(delivery: Delivery): Promise<DeliveryAnswer>;
  /** SIGKILL: the process dies mid-work, as on a crash or an OOM kill. */
  kill(): Promise<Exit>;
  /** SIGTERM: a graceful shutdown; waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<Exit>;
}

export const WEBHOOK_PATH = "/api/github/webhooks";

/** Kept-alive connections, as GitHub's deliveries reuse theirs; no limit, as deliveries come from many hosts. */
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

/**
 * A POST with `node:http`, lighter than `fetch` when a burst of them is timed from one process. A kept-alive
 * socket the server closed meanwhile fails at once: the request is sent again, once, on a new one.
 */
function post(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  retried = false,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: "127.0.0.1", port, path, method: "POST", headers, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (request.reusedSocket && error.code === "ECONNRESET" && !retried) {
        resolve(post(port, path, headers, body, true));
      } else reject(error);
    });
    request.end(body);
  });
}

/** Posts a signed delivery to the webhook path on `port`, as GitHub does, and times the answer. */
export async function deliverTo(port: number, delivery: Delivery): Promise<DeliveryAnswer> {
  const body = Buffer.from(delivery.body);
  const headers = {
    "content-type": "application/json",
    "content-length": String(body.length),
    "user-agent": "GitHub-Hookshot/fake",
    "x-github-event": delivery.name,
    "x-github-delivery": delivery.id,
    "x-hub-signature-256": delivery.signature ?? signWebhook(delivery.body),
  };
  // GitHub signs before it sends: the time is the request's alone.
  const started = performance.now();
  const { status, text } = await post(port, WEBHOOK_PATH, headers, body);
  return { status, text, milliseconds: performance.now() - started };
}

/** Environment variables Probot or the app read, dropped from the test's own environment. */
const APP_VARIABLES =
  /^(APP_ID|PRIVATE_KEY(_PATH)?|WEBHOOK_(SECRET|PATH|PROXY_URL)|GHE_(HOST|PROTOCOL)|GH_ORG|REDIS_URL|PORT|HOST|LOG_.*|SENTRY_DSN|NODE_ENV|NODE_OPTIONS|RULEBOOK_.*)$/;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(join(ROOT, "lib", "main.js")).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Builds lib/ with tsc unless it is newer than every source. Test files running at once share one
 * build: the first takes a lock (a directory), the others wait for it to go.
 */
export async function buildApp(): Promise<{ built: boolean; milliseconds: number }> {
  const started = Date.now();
  mkdirSync(join(ROOT, "lib"), { recursive: true });
  const lock = join(ROOT, "lib", ".build-lock");
  for (;;) {
    if (builtAt() > newestSource(join(ROOT, "src")))
      return { built: false, milliseconds: Date.now() - started };
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another build is running, or one died holding the lock two minutes ago.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmdirSync(lock);
      } catch {}
      await sleep(250);
    }
  }
  try {
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      { cwd: ROOT },
    );
  } finally {
    rmdirSync(lock);
  }
  return { built: true, milliseconds: Date.now() - started };
}

/** The environment one replica runs with: the test's own, minus anything Probot or the app read, plus ours. */
export function replicaEnv(name: string, options: ReplicaOptions, port: number): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !APP_VARIABLES.test(name)),
  );
  return {
    ...inherited,
    NODE_ENV: "production",
    APP_ID: String(APP_ID),
    PRIVATE_KEY: options.privateKey,
    WEBHOOK_SECRET,
    // A first path segment names the replica in the fake's log of served requests.
    GHE_HOST: `${options.githubHost}/${name}`,
    GHE_PROTOCOL: "http",
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
    // The replicas play an organization that turned enforcement on: checks block and issues open.
    RULEBOOK_DEFAULT_MODE: "enforce",
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  };
}

/** Starts one replica and waits until it answers `GET /ping`. */
export async function startReplica(name: string, options: ReplicaOptions): Promise<Replica> {
  const port = await freePort();
  // Probot reads `.env` from the working directory over the environment: run where there is none.
  const cwd = mkdtempSync(join(tmpdir(), "rulebook-replica-"));
  const logs: LogRecord[] = [];
  const child = new Child(
    name,
    process.execPath,
    [...(options.nodeArgs ?? []), join(ROOT, "lib", "main.js")],
    {
      cwd,
      env: replicaEnv(name, options, port),
      // Replicas log a line per request and per job: read when asked, never while a burst is timed.
      stdoutToFile: true,
      onLine: (line) => {
        try {
          logs.push(JSON.parse(line) as LogRecord);
        } catch {
          logs.push({ level: 30, msg: line });
        }
      },
    },
  );
  void child.exited.then(() => rmSync(cwd, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  await child.until(
    waitUntil(`${name} to answer /ping`, async () => (await fetch(`${url}/ping`)).ok, {
      timeoutMs: 30_000,
      intervalMs: 25,
    }),
  );
  return {
    name,
    url,
    child,
    get logs() {
      child.drain();
      return logs;
    },
    deliver: (delivery) => deliverTo(port, delivery),
    kill: () => child.stop("SIGKILL"),
    stop: (graceMs = 15_000) => child.stop("SIGTERM", graceMs),
  };
}

/** Starts `count` replicas (`replica-1`, ...) at once. */
export function startReplicas(count: number, options: ReplicaOptions): Promise<Replica[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => startReplica(`replica-${i + 1}`, options)));
}

/** Stops every replica still running, gracefully. */
export async function stopReplicas(replicas: readonly Replica[]): Promise<void> {
  await Promise.all(replicas.filter((replica) => replica.child.alive).map((replica) => replica.stop()));
}

/** Every replica's log lines with message `msg`, each with the replica's name. */
export function logsOf(replicas: readonly Replica[], msg: string): Array<LogRecord & { replica: string }> {
  return replicas.flatMap((replica) =>
    replica.logs.filter((log) => log.msg === msg).map((log) => ({ ...log, replica: replica.name })),
  );
}

export interface ScheduledSweeps {
  /** When each sweep was scheduled (the schedule's job id ends with it), oldest first, once each. */
  scheduledAt: number[];
  /** Dashboards written per scheduled sweep: one each when N replicas sweep once. */
  dashboards: Map<number, number>;
  /** How many times the schedule's job ran (it fans the sweep out), on any replica. */
  runs: number;
}

/**
 * The sweeps the schedule started, from the replicas' logs: a sweep's jobs carry the schedule's job
 * id (`repeat:sweep-all:<scheduled millis>`) as their origin, and its dashboard job logs "sweep done";
 * the schedule's job itself logs "scheduled sweep started".
 */
export function scheduledSweeps(replicas: readonly Replica[]): ScheduledSweeps {
  const dashboards = new Map<number, number>();
  for (const line of logsOf(replicas, "sweep done")) {
    const scheduled = /^repeat:sweep-all:(\d+)$/.exec(String(line.delivery))?.[1];
    if (scheduled !== undefined)
      dashboards.set(Number(scheduled), (dashboards.get(Number(scheduled)) ?? 0) + 1);
  }
  return {
    scheduledAt: [...dashboards.keys()].sort((a, b) => a - b),
    dashboards,
    runs: logsOf(replicas, "scheduled sweep started").length,
  };
}
