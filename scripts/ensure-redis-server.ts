/**
 * The first step of `npm test`: the queue and replica tests run against a real Redis, so find
 * `redis-server`, or install it where that needs no one's help (Debian or Ubuntu, as root), or stop at
 * once with one line saying what to install, before the type check, the linter and Jest spend minutes.
 *
 *   tsx scripts/ensure-redis-server.ts
 *
 * The tests find the binary with the same `findRedisServer`. Where it looks: `REDIS_SERVER` (a path),
 * then the PATH, then `REDIS_SERVER_DIRS` (a PATH-like list; by default the usual places a package
 * manager puts it, which a non-login shell's PATH may lack). `ENSURE_REDIS_UID` makes the script decide
 * as that user id instead of its own, so a test can play root, or not, without being it.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const USUAL_DIRS = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/opt/homebrew/bin"];

export const MISSING_REDIS_SERVER =
  "redis-server is needed by the queue and replica tests: install it " +
  "(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), " +
  "or set REDIS_SERVER to its path";

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function dirsOf(list: string | undefined): string[] {
  return (list ?? "").split(delimiter).filter(Boolean);
}

/** The first executable `name` in `dirs`. */
function findIn(name: string, dirs: string[]): string | undefined {
  return dirs.map((dir) => join(dir, name)).find(isExecutableFile);
}

/** The redis-server the tests run, or undefined when there is none. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.REDIS_SERVER) return isExecutableFile(env.REDIS_SERVER) ? env.REDIS_SERVER : undefined;
  const usual = env.REDIS_SERVER_DIRS === undefined ? USUAL_DIRS : dirsOf(env.REDIS_SERVER_DIRS);
  return findIn("redis-server", [...dirsOf(env.PATH), ...usual]);
}

/** Runs a command with its output shown; whether it succeeded. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): boolean {
  return spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"], env }).status === 0;
}

/** Finds redis-server or installs it; on failure, the one line to print. */
export function ensureRedisServer(env: NodeJS.ProcessEnv = process.env): { ok: true } | { error: string } {
  if (findRedisServer(env)) return { ok: true };
  if (env.REDIS_SERVER) return { error: `REDIS_SERVER is ${env.REDIS_SERVER}, not an executable file` };
  const uid = env.ENSURE_REDIS_UID === undefined ? process.getuid?.() : Number(env.ENSURE_REDIS_UID);
  const aptGet = findIn("apt-get", dirsOf(env.PATH));
  if (uid !== 0 || !aptGet) return { error: MISSING_REDIS_SERVER };
  console.error("redis-server is needed by the queue and replica tests: installing it with apt-get");
  const installEnv = { ...env, DEBIAN_FRONTEND: "noninteractive" };
  if (!run(aptGet, ["update"], installEnv) || !run(aptGet, ["install", "-y", "redis-server"], installEnv))
    return { error: `apt-get could not install redis-server: ${MISSING_REDIS_SERVER}` };
  if (!findRedisServer(env))
    return { error: `apt-get installed redis-server but it is not found: ${MISSING_REDIS_SERVER}` };
  return { ok: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = ensureRedisServer();
  if ("error" in result) {
    console.error(result.error);
    process.exit(1);
  }
}
