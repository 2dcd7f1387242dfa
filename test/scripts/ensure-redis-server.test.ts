/**
 * `npm test`'s first step decides, from the PATH, the usual places and who runs it, whether redis-server
 * is there, can be installed, or must be asked for. Each case runs the script as `npm test` does, on a
 * PATH of its own and with stand-ins for redis-server and apt-get: nothing is really installed.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { MISSING_REDIS_SERVER } from "../../scripts/ensure-redis-server.js";
import { ROOT } from "../support/processes.js";

let dir: string;
/** A PATH with only what a case puts there. */
let bin: string;
/** Stands for the usual places (/usr/sbin, /usr/bin, ...). */
let usual: string;
/** What the stand-in apt-get was asked, a line per call. */
let aptLog: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rulebook-ensure-redis-"));
  bin = join(dir, "bin");
  usual = join(dir, "usual");
  aptLog = join(dir, "apt-get.log");
  mkdirSync(bin);
  mkdirSync(usual);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function executable(path: string, body: string): void {
  writeFileSync(path, `#!${process.execPath}\n${body}\n`);
  chmodSync(path, 0o755);
}

function fakeRedisServer(where: string): void {
  executable(join(where, "redis-server"), "");
}

/**
 * An apt-get that logs its arguments and DEBIAN_FRONTEND, and whose `install redis-server` puts a
 * stand-in redis-server in the usual places, as Debian's package puts it in /usr/bin; or fails.
 */
function fakeAptGet(outcome: "installs" | "fails"): void {
  executable(
    join(bin, "apt-get"),
    `const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(aptLog)}, JSON.stringify({ args, frontend: process.env.DEBIAN_FRONTEND }) + "\\n");
if (${JSON.stringify(outcome)} === "fails") process.exit(100);
if (args[0] === "install") {
  fs.writeFileSync(${JSON.stringify(join(usual, "redis-server"))}, "#!/bin/sh\\n", { mode: 0o755 });
}`,
  );
}

function aptCalls(): Array<{ args: string[]; frontend?: string }> {
  if (!existsSync(aptLog)) return [];
  return readFileSync(aptLog, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

/** Runs the script as `npm test` does, as `uid`, with only `bin` on the PATH. */
function ensure(uid: number, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/ensure-redis-server.ts"], {
    cwd: ROOT,
    env: { PATH: bin, REDIS_SERVER_DIRS: usual, ENSURE_REDIS_UID: String(uid), HOME: dir, ...env },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm test's first step: redis-server", () => {
  it("goes on when redis-server is on the PATH, installing nothing", () => {
    fakeRedisServer(bin);
    fakeAptGet("installs");

    expect(ensure(0)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(aptCalls()).toEqual([]);
  });

  it("goes on when redis-server is only in a usual place the PATH lacks (as /usr/sbin)", () => {
    fakeRedisServer(usual);

    expect(ensure(1000)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("takes the redis-server REDIS_SERVER names, and says so when there is none there", () => {
    fakeRedisServer(usual);
    const named = join(dir, "redis-server-7");

    expect(ensure(0, { REDIS_SERVER: named })).toEqual({
      code: 1,
      stdout: "",
      stderr: `REDIS_SERVER is ${named}, not an executable file\n`,
    });
    executable(named, "");
    expect(ensure(0, { REDIS_SERVER: named })).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("installs it with apt-get as root, non-interactively, then goes on", () => {
    fakeAptGet("installs");

    const result = ensure(0);

    expect(result.code).toBe(0);
    expect(aptCalls()).toEqual([
      { args: ["update"], frontend: "noninteractive" },
      { args: ["install", "-y", "redis-server"], frontend: "noninteractive" },
    ]);
    expect(existsSync(join(usual, "redis-server"))).toBe(true);
  });

  it("stops with one line saying what to install when it is not root", () => {
    fakeAptGet("installs");

    expect(ensure(1000)).toEqual({ code: 1, stdout: "", stderr: `${MISSING_REDIS_SERVER}\n` });
    expect(aptCalls()).toEqual([]);
  });

  it("stops with one line saying what to install when there is no apt-get", () => {
    expect(ensure(0)).toEqual({ code: 1, stdout: "", stderr: `${MISSING_REDIS_SERVER}\n` });
  });

  it("stops, ending with one line saying what to install, when apt-get fails", () => {
    fakeAptGet("fails");

    const result = ensure(0);

    expect(result.code).toBe(1);
    expect(aptCalls()).toEqual([{ args: ["update"], frontend: "noninteractive" }]);
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(
      `apt-get could not install redis-server: ${MISSING_REDIS_SERVER}`,
    );
  });
});
