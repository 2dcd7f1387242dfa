import { describe, expect, it } from "@jest/globals";
import { prScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import { workflowChange } from "../../test/support/workflow-change.js";
import type { CheckRunFact } from "../facts/schema.js";
import rule from "./required-checks.js";
import type { RuleFinding } from "./types.js";

const ACTIONS = { id: 15368, slug: "github-actions" };
const CIRCLE = { id: 18001, slug: "circleci-checks" };
const RULEBOOK = { id: 4242, slug: "rulebook" };

function run(
  name: string,
  conclusion: CheckRunFact["conclusion"],
  extra: Partial<CheckRunFact> = {},
): CheckRunFact {
  return {
    name,
    status: conclusion === null ? "in_progress" : "completed",
    conclusion,
    app: ACTIONS,
    ...extra,
  };
}

const withRuns = (checkRuns: CheckRunFact[], base: CheckRunFact[] = []) =>
  prScope({ checkRuns, baseCheckRuns: { sha: "b".repeat(40), runs: base } });

/** The four checks that run on every commit of main in these cases. */
const USUAL = [
  run("lint", "success"),
  run("test", "success"),
  run("typecheck", "success"),
  run("e2e", "success"),
];

const missingUsual = (label: string) => ({
  message: `Check ${label} ran on main's head commit bbbbbbb but never ran on hhhhhhh: validation that skips a usual check is incomplete; was the tool installed and the job started?`,
  expected: "success",
  found: "missing",
  remediation: `Make ${label} run on pull requests to main as it runs on main (check the workflow's \`on:\` triggers, path filters and job name), then push a commit so it runs on hhhhhhh and concludes success.`,
});

const failed = (name: string, conclusion: string, hint = ""): RuleFinding => ({
  message: `Required check "${name}" (github-actions) concluded ${conclusion} on hhhhhhh${hint}`,
  expected: "success",
  found: conclusion,
  remediation: `Read the log of "${name}" (github-actions) on hhhhhhh, fix the cause and push; re-run it only if it failed for a reason outside this change.`,
});

const stillRunning = (name: string, status: string) => ({
  message: `Required check "${name}" (github-actions) is still ${status} on hhhhhhh; the pull request cannot pass until it concludes success`,
  expected: "success",
  found: status,
  pending: true,
});

const missing = (label: string, from = "") => ({
  message: `Required check ${label} never ran on hhhhhhh${from}: was the tool installed and the job started?`,
  expected: "success",
  found: "missing",
  remediation: `Install or enable the tool that reports ${label} and make it run on pull requests to main (check the workflow's \`on:\` triggers, path filters and job name), then push a commit so it runs on hhhhhhh. Do not remove the requirement.`,
});

testRule(rule, {
  valid: [
    {
      name: "every named check concluded success",
      facts: withRuns([run("lint", "success"), run("test", "success"), run("typecheck", "success")]),
      options: { checks: ["lint", "test", "typecheck"] },
    },
    {
      name: "a pinned check succeeded from the pinned app while another app's run of that name failed",
      facts: withRuns([run("test", "success", { app: CIRCLE }), run("test", "failure")]),
      options: { checks: [{ name: "test", app: "circleci-checks" }] },
    },
    {
      name: "checks that are not required may fail when checks are named",
      facts: withRuns([run("lint", "success"), run("experimental", "failure")]),
      options: { checks: ["lint"] },
    },
    {
      name: "naming this app's own check does not make the rule wait on itself",
      facts: withRuns([run("lint", "success"), run("rulebook", null, { app: RULEBOOK })]),
      options: { checks: ["lint", "rulebook"] },
    },
    {
      name: "with no checks named, every other check succeeded and the minimum ran",
      facts: withRuns([run("build", "success"), run("rulebook", null, { app: RULEBOOK })]),
    },
    {
      name: "with no checks named, this app's runs under other names are not waited on",
      facts: prScope(
        {
          checkRuns: [run("build", "success"), run("rulebook summary", null, { app: RULEBOOK })],
          baseCheckRuns: { runs: [] },
        },
        { app: RULEBOOK },
      ),
    },
    {
      name: "a minimum of 0 accepts a pull request on which no other check ran",
      facts: withRuns([run("rulebook", "failure", { app: RULEBOOK })]),
      options: { minimum: 0 },
    },
    {
      name: "with no checks named, every check that ran on the base branch's head ran and succeeded",
      facts: withRuns(USUAL, USUAL),
    },
    {
      name: "with no checks named, a check skipped on the base branch is not expected",
      facts: withRuns([run("lint", "success")], [run("lint", "success"), run("docs", "skipped")]),
    },
    {
      name: "with no checks named, checks that run only on the base branch are not expected",
      facts: withRuns(
        [run("lint", "success")],
        [run("lint", "success"), run("deploy-production", "success")],
      ),
      options: { baseOnly: ["deploy-*"] },
    },
    {
      name: "with no checks named, this app's own run on the base branch is not expected",
      facts: prScope(
        {
          checkRuns: [run("lint", "success")],
          baseCheckRuns: {
            runs: [run("lint", "success"), run("rulebook summary", "success", { app: RULEBOOK })],
          },
        },
        { app: RULEBOOK },
      ),
    },
    {
      name: "the same name from two apps, both successful",
      facts: withRuns([run("test", "success"), run("test", "success", { app: CIRCLE })]),
      options: { checks: ["test"] },
    },
  ],
  invalid: [
    {
      name: "a named check that never ran",
      facts: withRuns([run("lint", "success")]),
      options: { checks: ["lint", "test"] },
      findings: [missing('"test"')],
    },
    {
      name: "a pinned check that ran only from another app",
      facts: withRuns([run("test", "success")]),
      options: { checks: [{ name: "test", app: "circleci-checks" }] },
      findings: [
        missing(
          '"test" (circleci-checks)',
          " (it ran only from github-actions, which is not the pinned app)",
        ),
      ],
    },
    {
      name: "a pinned check whose only run has no known app",
      facts: withRuns([{ name: "test", status: "completed", conclusion: "success" }]),
      options: { checks: [{ name: "test", app: "circleci-checks" }] },
      findings: [
        missing(
          '"test" (circleci-checks)',
          " (it ran only from an unknown app, which is not the pinned app)",
        ),
      ],
    },
    {
      name: "each failing conclusion is named as such",
      facts: withRuns([
        run("a", "failure"),
        run("b", "cancelled"),
        run("c", "timed_out"),
        run("d", "action_required"),
        run("e", "stale"),
      ]),
      options: { checks: ["a", "b", "c", "d", "e"] },
      findings: [
        failed("a", "failure"),
        failed("b", "cancelled", ": it was cancelled before it finished"),
        failed("c", "timed_out", ": it ran out of time before it finished"),
        failed("d", "action_required", ": it waits for someone to act on it"),
        failed("e", "stale", ": GitHub marked it stale after it stayed incomplete for 14 days"),
      ],
    },
    {
      name: "skipped and neutral are not success",
      facts: withRuns([run("docs", "skipped"), run("coverage", "neutral")]),
      options: { checks: ["coverage", "docs"] },
      findings: [
        {
          message:
            'Required check "coverage" (github-actions) concluded neutral on hhhhhhh; neutral is not success',
          expected: "success",
          found: "neutral",
          remediation:
            'Read the output of "coverage" (github-actions) on hhhhhhh and fix what it reports until it concludes success.',
        },
        {
          message:
            'Required check "docs" (github-actions) was skipped on hhhhhhh; a skipped check validates nothing',
          expected: "success",
          found: "skipped",
          remediation:
            'Make "docs" (github-actions) run on hhhhhhh instead of being skipped (check its job\'s `if:` condition and path filters), so it can conclude success.',
        },
      ],
    },
    {
      name: "every unfinished status is pending, never success",
      facts: withRuns([
        run("a", null, { status: "queued" }),
        run("b", null, { status: "in_progress" }),
        run("c", null, { status: "waiting" }),
        run("d", null, { status: "requested" }),
        run("e", null, { status: "pending" }),
      ]),
      options: { checks: ["a", "b", "c", "d", "e"] },
      findings: [
        stillRunning("a", "queued"),
        stillRunning("b", "in_progress"),
        stillRunning("c", "waiting"),
        stillRunning("d", "requested"),
        stillRunning("e", "pending"),
      ],
    },
    {
      name: "an unpinned check with runs from two apps fails when one of them fails",
      facts: withRuns([run("test", "success", { app: CIRCLE }), run("test", "failure")]),
      options: { checks: ["test"] },
      findings: [failed("test", "failure")],
    },
    {
      name: "a check run without a known app is still named",
      facts: withRuns([{ name: "lint", status: "completed", conclusion: "failure" }]),
      options: { checks: ["lint"] },
      findings: [
        {
          message: 'Required check "lint" concluded failure on hhhhhhh',
          expected: "success",
          found: "failure",
          remediation:
            'Read the log of "lint" on hhhhhhh, fix the cause and push; re-run it only if it failed for a reason outside this change.',
        },
      ],
    },
    {
      name: "with no checks named, a pull request on which only this app's check ran",
      facts: withRuns([run("rulebook", null, { app: RULEBOOK })]),
      findings: [
        {
          message:
            'Only 0 check run(s) other than "rulebook" ran on hhhhhhh; at least 1 must run and succeed: is CI installed and does it run on pull requests to main?',
          expected: "at least 1 check run(s)",
          found: "none",
          remediation:
            "Install CI for this repository and make its workflows run on pull requests to main (check their `on:` triggers and path filters), then push a commit so they run on the head.",
        },
      ],
    },
    {
      name: "with no checks named, fewer runs than the minimum, one of them failing",
      facts: withRuns([run("build", "success"), run("test", "failure")]),
      options: { minimum: 3 },
      findings: [
        {
          message:
            'Only 2 check run(s) other than "rulebook" ran on hhhhhhh; at least 3 must run and succeed: is CI installed and does it run on pull requests to main?',
          expected: "at least 3 check run(s)",
          found: "build, test",
          remediation:
            "Install CI for this repository and make its workflows run on pull requests to main (check their `on:` triggers and path filters), then push a commit so they run on the head.",
        },
        failed("test", "failure"),
      ],
    },
    {
      name: "with no checks named, every other run must succeed and one still running is pending",
      facts: withRuns([
        run("build", "success"),
        run("e2e", null, { status: "queued" }),
        run("rulebook", null),
      ]),
      findings: [stillRunning("e2e", "queued")],
    },
    {
      name: "with no checks named, 2 of the usual 4 checks ran: the other two are named",
      facts: withRuns([run("lint", "success"), run("test", "success")], USUAL),
      findings: [missingUsual('"e2e" (github-actions)'), missingUsual('"typecheck" (github-actions)')],
    },
    {
      name: "with no checks named, a usual check reported by another app does not stand in",
      facts: withRuns([run("test", "success")], [run("test", "success", { app: CIRCLE })]),
      findings: [missingUsual('"test" (circleci-checks)')],
    },
    {
      name: "with no checks named, a usual check that was cancelled on the head fails, named as such",
      facts: withRuns(
        [run("lint", "success"), run("test", "cancelled")],
        [run("lint", "success"), run("test", "failure")],
      ),
      findings: [failed("test", "cancelled", ": it was cancelled before it finished")],
    },
    {
      name: "with no checks named, a usual check that was skipped on the head is not a pass",
      facts: withRuns(
        [run("lint", "success"), run("test", "skipped")],
        [run("lint", "success"), run("test", "success")],
      ),
      findings: [
        {
          message:
            'Required check "test" (github-actions) was skipped on hhhhhhh; a skipped check validates nothing',
          expected: "success",
          found: "skipped",
          remediation:
            'Make "test" (github-actions) run on hhhhhhh instead of being skipped (check its job\'s `if:` condition and path filters), so it can conclude success.',
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "with no checks named, the base branch's check runs were not gathered",
      facts: prScope({ checkRuns: [run("lint", "success")] }),
      notEvaluated: "the check runs of main's head commit were not gathered",
    },
    {
      name: "the check runs were not gathered",
      facts: prScope({ checkRuns: undefined }),
      notEvaluated: "the check runs of the pull request's head were not gathered",
    },
  ],
});

/** A workflow whose "Unit tests" job runs npm test on a matrix, and the pull request that changes it. */
const WORKFLOW = `on: pull_request
jobs:
  unit:
    name: Unit tests
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [20, 22]
    steps:
      - run: npm ci
      - run: npm test
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: npm run lint
`;
const allowedToFail = (comment = "") =>
  workflowChange(
    WORKFLOW,
    WORKFLOW.replace(
      "      - run: npm test",
      `      - run: npm test\n        continue-on-error: true${comment}`,
    ),
  );
const crossCheck = (files: ReturnType<typeof workflowChange>[], extra: Parameters<typeof prScope>[1] = {}) =>
  prScope(
    {
      files,
      checkRuns: [
        run("Unit tests (20)", "success"),
        run("Unit tests (22)", "success"),
        run("lint", "success"),
      ],
      baseCheckRuns: { sha: "b".repeat(40), runs: [run("Unit tests (20)", "success")] },
    },
    extra,
  );
const cannotFail = (name: string): RuleFinding => ({
  message: `Required check "${name}" (github-actions) concluded success on hhhhhhh, but this pull request made its job unable to fail (.github/workflows/ci.yml:12: step 2 of job "unit" (npm test) has continue-on-error: true, so its failure leaves the job green); a check that cannot fail is not validation`,
  expected: "success from a job whose tests can fail it",
  found: "success that could not have been a failure",
  remediation: `Undo the change at .github/workflows/ci.yml:12 so that "${name}" (github-actions) can fail again (the tests-can-fail finding says how), push, and let it conclude success on its own.`,
});

testRule(rule, {
  valid: [
    {
      name: "a changed workflow whose test jobs can still fail",
      facts: crossCheck([workflowChange(WORKFLOW, `${WORKFLOW}\n`)]),
    },
    {
      name: "a test step allowed to fail with an open tracking issue cited beside it",
      facts: crossCheck([allowedToFail(" # until #12 is fixed")], { issues: { "acme/api#12": "open" } }),
    },
    {
      name: "a lint job allowed to fail",
      facts: crossCheck([workflowChange(WORKFLOW, `${WORKFLOW}    continue-on-error: true\n`)]),
    },
  ],
  invalid: [
    {
      name: "a check whose job name is built from an expression, known up to it",
      facts: crossCheck([
        workflowChange(
          WORKFLOW,
          WORKFLOW.replace("    name: Unit tests", `    name: Unit tests (\${{ matrix.node }})`).replace(
            "      - run: npm test",
            "      - run: npm test\n        continue-on-error: true",
          ),
        ),
      ]),
      options: { checks: ["Unit tests (20)"] },
      findings: [cannotFail("Unit tests (20)")],
    },
    {
      name: "a usual check whose job this pull request made unable to fail, in every matrix run",
      facts: crossCheck([allowedToFail()]),
      findings: [cannotFail("Unit tests (20)"), cannotFail("Unit tests (22)")],
    },
    {
      name: "a named required check whose job this pull request made unable to fail",
      facts: crossCheck([allowedToFail()]),
      options: { checks: ["Unit tests (22)", "lint"] },
      findings: [cannotFail("Unit tests (22)")],
    },
    {
      name: "a test step allowed to fail citing a closed issue",
      facts: crossCheck([allowedToFail(" # until #12 is fixed")], { issues: { "acme/api#12": "closed" } }),
      options: { checks: ["Unit tests (20)"] },
      findings: [cannotFail("Unit tests (20)")],
    },
  ],
  notEvaluated: [
    {
      name: "every check passed but a changed workflow could not be read",
      facts: crossCheck([{ ...allowedToFail(), content: undefined }]),
      notEvaluated:
        "changed workflows could not be read, so a passing check may come from a job this pull request made unable to fail: the version of .github/workflows/ci.yml before the change could not be rebuilt from its diff",
    },
    {
      name: "the changed files were not gathered",
      facts: prScope({ files: undefined, checkRuns: [run("lint", "success")] }),
      notEvaluated: /./,
    },
  ],
});

describe("required-checks options", () => {
  it("defaults to every check with a minimum of one", () => {
    expect(rule.options.parse({})).toEqual({ checks: [], minimum: 1, baseOnly: [] });
  });

  it("refuses typos, unknown keys in a pinned check and negative minimums", () => {
    expect(rule.options.safeParse({ check: ["lint"] }).success).toBe(false);
    expect(rule.options.safeParse({ checks: [{ name: "lint", slug: "github-actions" }] }).success).toBe(
      false,
    );
    expect(rule.options.safeParse({ checks: [""] }).success).toBe(false);
    expect(rule.options.safeParse({ minimum: -1 }).success).toBe(false);
  });
});
