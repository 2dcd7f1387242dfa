/**
 * `rulebook check` on a branch whose commit lets a CI test step pass whatever its tests do: the same
 * tests-can-fail finding, on the same line, as the rulebook check run gives.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import type { Verdict } from "../../src/engine/verdict.js";
import { runCli } from "../support/cli.js";
import { validateVerdict } from "../support/verdict-schema.js";
import { PR_TEMPLATE, RULEBOOK_YML, TempBundle } from "./bundle-fixture.js";
import { applyGitEnv, TempRepo } from "./git-repo.js";

const TESTS_CAN_FAIL = `  tests-can-fail:
    title: CI test steps and jobs can fail
    rule: ci-steps-can-fail
    severity: error
    rationale: A test that cannot fail validates nothing.
    remediation: Let the test step fail its job again and make the tests pass.
`;

const WORKFLOW = `name: CI
on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - name: Test
        run: npm test
`;

let restoreEnv: () => void;
let bundle: TempBundle;
const repos: TempRepo[] = [];
beforeAll(() => {
  restoreEnv = applyGitEnv();
  bundle = TempBundle.create({
    "rulebook.yml": `${RULEBOOK_YML}${TESTS_CAN_FAIL}`,
    "docs/tests-can-fail.md": "# Tests can fail\n\nNo continue-on-error on a test step.\n",
  });
});
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});
afterAll(() => {
  bundle.remove();
  restoreEnv();
});

/** A clone of acme/widgets whose main runs `npm test` in CI, with `workflow` committed on a feature branch. */
async function checkBranchWith(workflow: string): Promise<Verdict> {
  const repo = TempRepo.create();
  repos.push(repo);
  const base = repo.commit("ci: run the tests", {
    "README.md": "# Widgets\n",
    ".github/pull_request_template.md": PR_TEMPLATE,
    ".github/workflows/ci.yml": WORKFLOW,
  });
  repo.fakeOrigin("git@github.com:acme/widgets.git", "main", base);
  repo.git("checkout", "-q", "-b", "ci/tests");
  repo.commit("ci: tolerate failing tests", { ".github/workflows/ci.yml": workflow });
  const run = await runCli(["check", "--dir", repo.dir, "--bundle", bundle.dir, "--format", "json"], {
    readStdin: async () => "",
  });
  expect(run.stderr).toBe("");
  const verdict = JSON.parse(run.stdout) as Verdict;
  expect(validateVerdict(verdict)).toBe(true);
  expect(run.code).toBe(verdict.findings.some((f) => f.severity === "error") ? 1 : 0);
  return verdict;
}

describe("rulebook check on a workflow change", () => {
  it("reports continue-on-error added to the test step on its line", async () => {
    const verdict = await checkBranchWith(
      WORKFLOW.replace("        run: npm test", "        continue-on-error: true\n        run: npm test"),
    );
    const findings = verdict.findings.filter((f) => f.standard === "tests-can-fail");
    expect(findings.map((f) => [f.path, f.line, f.severity])).toEqual([
      [".github/workflows/ci.yml", 10, "error"],
    ]);
    expect(findings[0]?.message).toContain(
      'Step "Test" of job "test" (npm test) has continue-on-error: true',
    );
    expect(verdict.standards.find((s) => s.standard === "tests-can-fail")?.status).toBe("fail");
  });

  it("passes a workflow change that leaves the tests able to fail", async () => {
    const verdict = await checkBranchWith(
      WORKFLOW.replace("      - run: npm ci\n", "      - run: npm ci\n      - run: npm run build\n"),
    );
    expect(verdict.standards.find((s) => s.standard === "tests-can-fail")?.status).toBe("pass");
  });
});
