/**
 * "The tests pass": an agent that cannot make a test pass marks the CI step `continue-on-error: true`, and
 * the test check turns green. The rulebook check names the line, refuses the green test check as
 * validation, and tells the agent to stop and ask.
 */
import { describe, expect, it } from "@jest/globals";
import { startApp } from "../support/github.js";
import { seedPullRequest, verdictIn } from "../support/scenario.js";

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

const ALLOWED_TO_FAIL = WORKFLOW.replace(
  "        run: npm test",
  "        continue-on-error: true\n        run: npm test",
);

async function judge(author: string, workflow: string) {
  const gh = await startApp();
  const repo = gh.fake.seedRepo({
    owner: "acme",
    name: "api",
    files: { ".github/workflows/ci.yml": WORKFLOW, "src/app.ts": "export {};\n" },
  });
  gh.fake.seedCheckRun(repo, {
    name: "test",
    headSha: repo.branches.get("main") as string,
    conclusion: "success",
  });
  if (author.endsWith("[bot]")) gh.fake.seedUser(author, { type: "Bot" });
  const pr = seedPullRequest(gh, repo, {
    author,
    head: "ci/tests",
    files: { ".github/workflows/ci.yml": workflow },
  });
  await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
  const [run] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
  const verdict = verdictIn(run?.output.summary);
  const of = (standard: string) => verdict.findings.filter((f) => f.standard === standard);
  return { run, verdict, of, head: pr.head.sha.slice(0, 7) };
}

describe("a CI test step made unable to fail", () => {
  it("is reported on its line, and the green test check is not counted as validation", async () => {
    const { run, of, head } = await judge("alice", ALLOWED_TO_FAIL);
    expect(run?.conclusion).toBe("failure");
    expect(of("tests-can-fail").map((f) => [f.path, f.line, f.message])).toEqual([
      [
        ".github/workflows/ci.yml",
        10,
        'Step "Test" of job "test" (npm test) has continue-on-error: true, so its failure leaves the job green, with no comment beside it citing a tracking issue; a test that cannot fail validates nothing',
      ],
    ]);
    expect(of("validation-complete").map((f) => f.message)).toEqual([
      'Required check "test" (github-actions) concluded success on ' +
        `${head}, but this pull request made its job unable to fail (.github/workflows/ci.yml:10: step "Test" of job "test" (npm test) has continue-on-error: true, so its failure leaves the job green); a check that cannot fail is not validation`,
    ]);
  });

  it("tells an agent to stop and ask instead of working around the finding", async () => {
    const { of } = await judge("coder-agent[bot]", ALLOWED_TO_FAIL);
    const [finding] = of("tests-can-fail");
    expect(finding?.remediation).toMatch(
      /^Stop and ask: letting a test step or job pass whatever its tests do/,
    );
  });

  it("passes a workflow change that leaves the tests able to fail", async () => {
    const { run, verdict } = await judge(
      "alice",
      WORKFLOW.replace("on: pull_request", "on: [pull_request, push]"),
    );
    expect(verdict.standards.find((s) => s.standard === "tests-can-fail")?.status).toBe("pass");
    expect(verdict.standards.find((s) => s.standard === "validation-complete")?.status).toBe("pass");
    expect(run?.conclusion).toBe("success");
  });
});
