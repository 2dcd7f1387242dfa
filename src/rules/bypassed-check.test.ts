import { describe, expect, it } from "@jest/globals";
import { pushScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import type { CheckRunFact, MergedPullRequest } from "../facts/schema.js";
import rule from "./bypassed-check.js";

const RULEBOOK = { id: 4242, slug: "rulebook" };
const ACTIONS = { id: 15368, slug: "github-actions" };
const HEAD = `d${"1".repeat(39)}`;

function merged(checkRuns: CheckRunFact[] | undefined, extra: Partial<MergedPullRequest> = {}) {
  return {
    number: 12,
    title: "feat: add login",
    author: { login: "devin-ai-integration[bot]", type: "Bot" as const },
    mergedBy: { login: "alice", type: "User" as const },
    headSha: HEAD,
    reviews: [],
    ...(checkRuns ? { checkRuns } : {}),
    ...extra,
  };
}

const done = (conclusion: CheckRunFact["conclusion"], extra: Partial<CheckRunFact> = {}): CheckRunFact => ({
  name: "rulebook",
  status: conclusion === null ? "in_progress" : "completed",
  conclusion,
  app: RULEBOOK,
  ...extra,
});

const REMEDIATION =
  'Re-run "rulebook" on d111111 and fix what it finds in a new pull request; have an administrator make "rulebook" a required status check, pinned to the app that reports it, in the ruleset for main, and remove alice\'s bypass.';
const BYPASS = "an admin bypassed the ruleset, or no ruleset requires the check";

testRule(rule, {
  valid: [
    {
      name: "the rulebook check concluded success on the merged head",
      facts: pushScope({
        pullRequest: merged([done("success"), done("failure", { name: "lint", app: ACTIONS })]),
      }),
    },
    {
      name: "a push that no pull request produced is another rule's business",
      facts: pushScope({ pullRequest: null }),
    },
    {
      name: "a configured check name is judged instead of the app's own",
      facts: pushScope({ pullRequest: merged([done("success", { name: "ci / gate", app: ACTIONS })]) }),
      options: { check: "ci / gate" },
    },
    {
      name: "another app's failing run of the same name is ignored when the app is known",
      facts: pushScope(
        { pullRequest: merged([done("success"), done("failure", { app: ACTIONS })]) },
        { app: RULEBOOK },
      ),
    },
  ],
  invalid: [
    {
      name: "merged while the check failed",
      facts: pushScope({ pullRequest: merged([done("failure")]) }),
      findings: [
        {
          message: `Pull request #12 was merged by alice while its "rulebook" (rulebook) check concluded failure on its head d111111: ${BYPASS}`,
          expected: '"rulebook" concluded success on d111111',
          found: "failure",
          remediation: REMEDIATION,
        },
      ],
    },
    {
      name: "merged while the check was still running",
      facts: pushScope({ pullRequest: merged([done(null, { status: "queued" })]) }),
      findings: [
        {
          message: `Pull request #12 was merged by alice while its "rulebook" (rulebook) check was still queued on its head d111111: ${BYPASS}`,
          expected: '"rulebook" concluded success on d111111',
          found: "queued",
          remediation: REMEDIATION,
        },
      ],
    },
    {
      name: "merged although the check never ran",
      facts: pushScope({ pullRequest: merged([done("success", { name: "lint", app: ACTIONS })]) }),
      findings: [
        {
          message: `Pull request #12 was merged by alice although its "rulebook" check never ran on its head d111111: ${BYPASS}`,
          expected: '"rulebook" concluded success on d111111',
          found: "missing",
          remediation: REMEDIATION,
        },
      ],
    },
    {
      name: "a successful impostor from another app does not stand in for the app's own check",
      facts: pushScope({ pullRequest: merged([done("success", { app: ACTIONS })]) }, { app: RULEBOOK }),
      findings: [
        {
          message: `Pull request #12 was merged by alice although its "rulebook" check never ran on its head d111111: ${BYPASS}`,
          expected: '"rulebook" concluded success on d111111',
          found: "missing",
          remediation: REMEDIATION,
        },
      ],
    },
    {
      name: "with the app unknown, any failing run of the name fails, on a merger GitHub did not name",
      facts: pushScope({
        ref: "refs/heads/trunk",
        pullRequest: merged([done("success"), done("cancelled", { app: ACTIONS })], { mergedBy: null }),
      }),
      findings: [
        {
          message: `Pull request #12 was merged while its "rulebook" (github-actions) check concluded cancelled on its head d111111: ${BYPASS}`,
          expected: '"rulebook" concluded success on d111111',
          found: "cancelled",
          remediation:
            'Re-run "rulebook" on d111111 and fix what it finds in a new pull request; have an administrator make "rulebook" a required status check, pinned to the app that reports it, in the ruleset for trunk.',
        },
      ],
    },
    {
      name: "a configured check that was skipped",
      facts: pushScope({ pullRequest: merged([done("skipped", { name: "gate", app: ACTIONS })]) }),
      options: { check: "gate" },
      findings: [
        {
          message: `Pull request #12 was merged by alice while its "gate" (github-actions) check concluded skipped on its head d111111: ${BYPASS}`,
          expected: '"gate" concluded success on d111111',
          found: "skipped",
          remediation:
            'Re-run "gate" on d111111 and fix what it finds in a new pull request; have an administrator make "gate" a required status check, pinned to the app that reports it, in the ruleset for main, and remove alice\'s bypass.',
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "the merged pull request's check runs were not gathered",
      facts: pushScope({ pullRequest: merged(undefined) }),
      notEvaluated: "the check runs of #12's head d111111 were not gathered",
    },
  ],
});

describe("bypassed-check options", () => {
  it("refuses unknown keys and an empty check name", () => {
    expect(rule.options.safeParse({ checkName: "rulebook" }).success).toBe(false);
    expect(rule.options.safeParse({ check: "" }).success).toBe(false);
    expect(rule.options.parse({})).toEqual({});
  });
});
