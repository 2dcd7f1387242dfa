/**
 * `rulebook check` on a branch that takes a test out of the run through a runner's configuration: the
 * shipped `no-excluded-tests` standard reports the exclusion on its line, with or without a token.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { defaultBundleDir } from "../../src/bundle/load.js";
import type { Verdict } from "../../src/engine/verdict.js";
import { runCli } from "../support/cli.js";
import { applyGitEnv, TempRepo } from "./git-repo.js";

const JEST_CONFIG = 'module.exports = {\n  testEnvironment: "node",\n};\n';
const WITH_EXCLUSION =
  'module.exports = {\n  testEnvironment: "node",\n  testPathIgnorePatterns: ["/flaky/"],\n};\n';

let restoreEnv: () => void;
beforeAll(() => {
  restoreEnv = applyGitEnv();
});
afterAll(() => restoreEnv());
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

/** A clone of acme/widgets with a Jest configuration on main, and a branch that changes it. */
function branchChanging(config: string, message: string): TempRepo {
  const repo = TempRepo.create();
  cleanup.push(() => repo.remove());
  const base = repo.commit("chore: start", { "README.md": "# Widgets\n", "jest.config.js": JEST_CONFIG });
  repo.fakeOrigin("git@github.com:acme/widgets.git", "main", base);
  repo.git("checkout", "-q", "-b", "test/quarantine");
  repo.commit(message, { "jest.config.js": config });
  return repo;
}

async function verdictOf(repo: TempRepo): Promise<Verdict> {
  const run = await runCli(["check", "--dir", repo.dir, "--bundle", defaultBundleDir(), "--format", "json"], {
    cwd: repo.dir,
  });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as Verdict;
}

describe("rulebook check and tests excluded by configuration", () => {
  it("reports testPathIgnorePatterns added to a Jest config on its line", async () => {
    const verdict = await verdictOf(branchChanging(WITH_EXCLUSION, "test: quarantine the flaky suite"));
    expect(verdict.standards.find((s) => s.standard === "no-excluded-tests")?.status).toBe("fail");
    expect(
      verdict.findings
        .filter((f) => f.standard === "no-excluded-tests")
        .map((f) => [f.path, f.line, f.message, f.found]),
    ).toEqual([
      [
        "jest.config.js",
        3,
        'Excludes "/flaky/" from Jest\'s run (testPathIgnorePatterns), with no tracking issue cited in a comment beside it',
        'testPathIgnorePatterns: ["/flaky/"],',
      ],
    ]);
  });

  it("without a token, lists an exclusion citing an issue as not verified, never as passed", async () => {
    const cited = WITH_EXCLUSION.replace('["/flaky/"],', '["/flaky/"], // until #12 is fixed');
    const verdict = await verdictOf(branchChanging(cited, "test: quarantine the flaky suite"));
    expect(verdict.standards.find((s) => s.standard === "no-excluded-tests")?.status).toBe("not-evaluated");
    expect(verdict.notEvaluated.find((n) => n.standard === "no-excluded-tests")?.reason).toMatch(
      /^1 exclusion\(s\) cite a tracking issue that was not verified \(.+\), so they neither pass nor fail: jest\.config\.js:3 cites acme\/widgets#12$/,
    );
  });

  it("passes a change that only raises the timeout", async () => {
    const verdict = await verdictOf(
      branchChanging(
        'module.exports = {\n  testEnvironment: "node",\n  testTimeout: 30000,\n};\n',
        "test: wait longer",
      ),
    );
    expect(verdict.standards.find((s) => s.standard === "no-excluded-tests")?.status).toBe("pass");
  });
});
