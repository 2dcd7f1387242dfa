/**
 * A real Redis for tests (Debian's `redis-server`), on a free local port, in memory only unless asked
 * for an append-only file. It can be killed and started again on the same port, as a test of a
 * Redis restart needs. `npm test` finds or installs redis-server before any test runs
 * (scripts/ensure-redis-server.ts); a test run without one fails saying what to install, never skips.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findRedisServer, MISSING_REDIS_SERVER } from "../../scripts/ensure-redis-server.js";
import { Child, freePort, waitUntil } from "./processes.js";

export interface RedisOptions {
  /** Keep an append-only file (fsync on every write), so a restart loses nothing; memory only otherwise. */
  appendOnly?: boolean;
}

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Stops Redis: SIGTERM (a clean shutdown) or SIGKILL (a crash); `start()` brings it back. */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts Redis again on the same port (after `stop`) and waits until it answers PING. */
  start(): Promise<void>;
  /** Stops, then starts again on the same port. */
  restart(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Stops Redis for good and deletes its files (teardown). */
  close(): Promise<void>;
  /** What redis-server printed. */
  output(): string;
  /** The process id of redis-server while it runs. */
  pid(): number | undefined;
}

/** The redis-server `npm test` found (or installed) first; a test without one fails saying what to install. */
function redisServer(): string {
  const binary = findRedisServer();
  if (!binary) throw new Error(MISSING_REDIS_SERVER);
  return binary;
}

/** Whether Redis on `port` answers PING with PONG. */
export function ping(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString("utf8").startsWith("+PONG")));
  });
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const binary = redisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "rulebook-redis-"));
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    // BullMQ needs keys never evicted.
    "--maxmemory-policy",
    "noeviction",
    "--loglevel",
    "warning",
    ...(options.appendOnly ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
  ];
  let child: Child | undefined;
  let output = "";

  const start = async () => {
    if (child?.alive) throw new Error("Redis is already running");
    const started = new Child(`redis-server on port ${port}`, binary, args, { cwd: dir });
    child = started;
    await started.until(
      waitUntil(`Redis to answer PING on port ${port}`, () => ping(port), { timeoutMs: 10_000 }),
    );
  };
  const stop = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
    if (!child) return;
    await child.stop(signal, 5_000);
    output += child.output;
    child = undefined;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async close() {
      await stop("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
    async restart(signal) {
      await stop(signal);
      await start();
    },
    output: () => output + (child?.output ?? ""),
    pid: () => child?.pid,
  };
}
