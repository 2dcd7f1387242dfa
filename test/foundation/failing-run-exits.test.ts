/**
 * A failing run still exits, and leaves nothing running: a Jest of its own runs suites that start a
 * Redis and the fake GitHub with the real helpers and then fail without stopping them (a failing
 * expectation, a test past its timeout, a `beforeAll` that throws). It must exit by itself, non-zero,
 * with every process those suites started gone.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Child, ROOT, waitUntil } from "../support/processes.js";

/** Long enough for a loaded machine to start Jest and the processes and run the suites. */
const RUN_BOUND_MS = 120_000;
/**
 * From the summary Jest prints when its suites are done to its exit: the teardowns only kill. Jest
 * itself says it "did not exit" one second after; a run that hangs never exits at all.
 */
const EXIT_BOUND_MS = 10_000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "rulebook-failing-run-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An exited child its parent has not reaped yet is a zombie: ended.
  return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1)?.startsWith("Z");
}

describe("a failing test run", () => {
  it(
    "exits by itself, non-zero, leaving none of the processes its tests started",
    async () => {
      const pidsFile = join(dir, "pids");
      const jest = new Child(
        "a Jest run of failing suites",
        process.execPath,
        [
          join(ROOT, "node_modules", "jest", "bin", "jest.js"),
          "--config",
          join(ROOT, "jest.config.js"),
          "--selectProjects",
          "github.com",
          "--roots",
          join(ROOT, "test", "fixtures", "failing-run"),
          "--testMatch",
          "**/*.fixture.ts",
          // In band, as on a machine of one or two cores: a process left running holds Jest itself.
          "--runInBand",
          "--ci",
        ],
        {
          cwd: ROOT,
          env: { ...process.env, NODE_OPTIONS: "--experimental-vm-modules", FAILING_RUN_PIDS: pidsFile },
        },
      );
      await waitUntil(
        "the Jest run to print its summary",
        () => jest.output.includes("Ran all test suites"),
        {
          timeoutMs: RUN_BOUND_MS,
          intervalMs: 100,
        },
      );
      await waitUntil("the Jest run to exit after its summary", () => !jest.alive, {
        timeoutMs: EXIT_BOUND_MS,
        intervalMs: 20,
      });
      const exit = await jest.exited;
      const output = jest.output;

      expect({ exit, output }).toMatchObject({ exit: { code: 1, signal: null } });
      expect(output).toContain("Tests:       3 failed, 3 total");
      const pids = readFileSync(pidsFile, "utf8").trim().split("\n").map(Number);
      // A Redis and a fake GitHub from each suite.
      expect(pids).toHaveLength(4);
      expect(pids.filter(running)).toEqual([]);
    },
    RUN_BOUND_MS + EXIT_BOUND_MS + 10_000,
  );
});
