/**
 * Child processes started by tests, recorded a pid file each in a directory named by
 * RULEBOOK_TEST_PID_DIR, and killed from there on a path that always runs: the test environment when a
 * test file ends, Jest's global teardown when the run ends (test/support/jest/). Plain JavaScript, as
 * Jest loads those hooks without transforming them; child-records.d.ts gives the TypeScript side its types.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const PID_DIR_VARIABLE = "RULEBOOK_TEST_PID_DIR";

/**
 * Records a child in `process.env`'s pid directory, if any; returns the file, deleted once the child
 * has exited (`forgetChild`).
 * @param {{ pid: number | undefined, command: string, name: string }} child
 * @returns {string | undefined}
 */
export function recordChild({ pid, command, name }) {
  const dir = process.env[PID_DIR_VARIABLE];
  if (!dir || pid === undefined) return undefined;
  const file = join(dir, `${pid}.json`);
  writeFileSync(file, JSON.stringify({ pid, command, name }));
  return file;
}

/** @param {string | undefined} file */
export function forgetChild(file) {
  if (file) rmSync(file, { force: true });
}

/**
 * Whether `pid` still runs `command` (a zombie has ended; a pid reused by another program since is not
 * ours); true where /proc cannot tell.
 * @param {{ pid: number, command: string }} record
 */
function runs({ pid, command }) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1)?.[0];
    return state !== "Z" && readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith(command);
  } catch {
    return process.platform !== "linux";
  }
}

/**
 * Kills (SIGKILL) every child recorded in `dir` and its subdirectories that still runs, waits until
 * they are gone, and deletes `dir`. Returns what it killed, for a message.
 * @param {string} dir
 * @param {number} [timeoutMs]
 * @returns {Promise<string[]>}
 */
export async function killRecordedChildren(dir, timeoutMs = 10_000) {
  /** @type {Array<{ pid: number, command: string, name: string }>} */
  const records = [];
  const collect = (/** @type {string} */ at) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) collect(path);
      else if (entry.name.endsWith(".json")) {
        try {
          records.push(JSON.parse(readFileSync(path, "utf8")));
        } catch {
          // Deleted meanwhile: that child has exited.
        }
      }
    }
  };
  try {
    collect(dir);
  } catch {
    return [];
  }
  const left = records.filter(runs);
  for (const { pid } of left) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  const deadline = Date.now() + timeoutMs;
  while (left.some(runs)) {
    if (Date.now() > deadline) {
      const names = left.filter(runs).map(({ name, pid }) => `${name} (pid ${pid})`);
      throw new Error(`SIGKILL did not end ${names.join(", ")} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  rmSync(dir, { recursive: true, force: true });
  return left.map(({ name, pid }) => `${name} (pid ${pid})`);
}
