import { describe, expect, it } from "@jest/globals";
import { prScope } from "../../test/support/facts.js";
import { ruleContext, testRule } from "../../test/support/rule-tester.js";
import { workflowChange } from "../../test/support/workflow-change.js";
import type { Actor, ChangedFile, Review } from "../facts/schema.js";
import rule, { DEFAULT_GUARDED_PATHS } from "./guarded-paths.js";
import type { Rule } from "./types.js";

const HEAD = "h".repeat(40);
const OLD = "o".repeat(40);
const devin: Actor = { login: "devin-ai-integration[bot]", type: "Bot" };
const alice: Actor = { login: "alice", type: "User" };
const bob: Actor = { login: "bob", type: "User" };
const carol: Actor = { login: "carol", type: "User" };

const approve = (author: Actor, commitId = HEAD): Review => ({ author, state: "APPROVED", commitId });

const modified = (path: string, patch?: string): ChangedFile => ({
  path,
  status: "modified",
  binary: false,
  ...(patch !== undefined ? { patch } : {}),
});

const WORKFLOW_PATCH =
  "@@ -10,4 +10,4 @@ jobs:\n   test:\n     steps:\n-      - run: npm test\n+      - run: npm test || true\n       - run: npm run lint";

const byAgent = (files: ChangedFile[], reviews: Review[] = []) => prScope({ author: devin, files, reviews });

const WHO = "not devin-ai-integration[bot] (the author, an agent) and not a bot or agent";
const REMEDIATION = (path: string) =>
  `Ask a maintainer who is a human other than devin-ai-integration[bot] to review the change to ${path} and approve the pull request on hhhhhhh; push nothing after the approval, or it must be given again.`;

testRule(rule, {
  valid: [
    {
      name: "an agent changes a workflow and a human approved on the head",
      facts: byAgent([modified(".github/workflows/ci.yml", WORKFLOW_PATCH)], [approve(alice)]),
    },
    {
      name: "an agent changes only unguarded files",
      facts: byAgent([modified("src/index.ts", "@@ -1 +1 @@\n-a\n+b"), modified("docs/guide.md")]),
    },
    {
      name: "a human author's guarded change needs nothing by default",
      facts: prScope({ author: alice, files: [modified("CODEOWNERS")] }),
    },
    {
      name: "an author the bundle lists as an agent is judged, and a human approval suffices",
      facts: prScope({
        author: { login: "ops-agent", type: "User" },
        files: [modified("jest.config.ts")],
        reviews: [approve(bob)],
      }),
      agentLogins: ["ops-agent"],
    },
    {
      name: "an approval on an older commit counts when requireApprovalOnHead is off",
      facts: byAgent([modified("pytest.ini")], [approve(alice, OLD)]),
      options: { requireApprovalOnHead: false },
    },
    {
      name: "two approvals when two are required",
      facts: byAgent([modified("standards/rulebook.yml")], [approve(alice), approve(bob)]),
      options: { minApprovals: 2 },
    },
    {
      name: "a negated glob takes a file out of the guarded set",
      facts: byAgent([modified("standards/README.md")]),
      options: { paths: ["standards/**", "!standards/README.md"] },
    },
    {
      name: "custom paths replace the defaults",
      facts: byAgent([modified(".github/workflows/ci.yml")]),
      options: { paths: ["infra/**"] },
    },
  ],
  invalid: [
    {
      name: "the approval request names the tests a change takes out of the run",
      facts: byAgent([
        {
          ...modified(
            "jest.config.ts",
            '@@ -1,3 +1,4 @@\n export default {\n   testEnvironment: "node",\n+  testPathIgnorePatterns: ["/flaky/"],\n };',
          ),
          content: 'export default {\n  testEnvironment: "node",\n  testPathIgnorePatterns: ["/flaky/"],\n};',
        },
      ]),
      findings: [
        {
          message: `Changing jest.config.ts, a guarded path ("jest.config.*"), needs 1 approving review on hhhhhhh from an independent human, ${WHO}; the pull request has 0. The change takes tests out of the run: line 3 excludes "/flaky/" from Jest's run (testPathIgnorePatterns)`,
          path: "jest.config.ts",
          line: 3,
          expected: "1 approving review on hhhhhhh by a human other than devin-ai-integration[bot]",
          found: "no independent approval",
          remediation:
            'Ask a maintainer who is a human other than devin-ai-integration[bot] to review the change to jest.config.ts (it takes tests out of the run: line 3 excludes "/flaky/" from Jest\'s run (testPathIgnorePatterns)) and approve the pull request on hhhhhhh; push nothing after the approval, or it must be given again.',
        },
      ],
    },
    {
      name: "an agent weakens a workflow with no review: the finding sits at the first changed line",
      facts: byAgent([modified(".github/workflows/ci.yml", WORKFLOW_PATCH)]),
      findings: [
        {
          message: `Changing .github/workflows/ci.yml, a guarded path (".github/workflows/**"), needs 1 approving review on hhhhhhh from an independent human, ${WHO}; the pull request has 0`,
          path: ".github/workflows/ci.yml",
          line: 12,
          expected: "1 approving review on hhhhhhh by a human other than devin-ai-integration[bot]",
          found: "no independent approval",
          remediation: REMEDIATION(".github/workflows/ci.yml"),
        },
      ],
    },
    {
      name: "approvals that do not count: stale, by a bot, by the author, and a change request",
      facts: byAgent(
        [modified("CODEOWNERS", "@@ -1,2 +1,3 @@\n * @acme/core\n+/src/ @devin\n /docs/ @acme/docs")],
        [
          approve(alice, OLD),
          approve({ login: "coderabbitai[bot]", type: "Bot" }),
          approve(devin),
          { author: carol, state: "CHANGES_REQUESTED", commitId: HEAD },
        ],
      ),
      findings: [
        {
          message: `Changing CODEOWNERS, a guarded path ("CODEOWNERS"), needs 1 approving review on hhhhhhh from an independent human, ${WHO}; the pull request has 0`,
          path: "CODEOWNERS",
          line: 2,
          expected: "1 approving review on hhhhhhh by a human other than devin-ai-integration[bot]",
          found:
            "no independent approval; not counted: alice approved ooooooo, not the head hhhhhhh; carol requested changes; coderabbitai[bot] is a bot; devin-ai-integration[bot] is the author",
          remediation: REMEDIATION("CODEOWNERS"),
        },
      ],
    },
    {
      name: "one finding per guarded file, sorted by path; removed and renamed files are guarded too",
      facts: byAgent([
        { path: "tests/pytest.ini", previousPath: "pytest.ini", status: "renamed", binary: false },
        {
          path: ".github/CODEOWNERS",
          status: "removed",
          binary: false,
          patch: "@@ -1 +0,0 @@\n-* @acme/core",
        },
        {
          path: "vitest.config.mts",
          status: "added",
          binary: false,
          patch: "@@ -0,0 +1 @@\n+export default {};",
        },
        modified("src/a.ts"),
      ]),
      findings: [
        {
          message: `Removing .github/CODEOWNERS, a guarded path (".github/CODEOWNERS"), needs 1 approving review on hhhhhhh from an independent human, ${WHO}; the pull request has 0`,
          path: ".github/CODEOWNERS",
          expected: "1 approving review on hhhhhhh by a human other than devin-ai-integration[bot]",
          found: "no independent approval",
          remediation: REMEDIATION(".github/CODEOWNERS"),
        },
        {
          message: `Moving pytest.ini to tests/pytest.ini, a guarded path ("pytest.ini"), needs 1 approving review on hhhhhhh from an independent human, ${WHO}; the pull request has 0`,
          path: "tests/pytest.ini",
          expected: "1 approving review on hhhhhhh by a human other than devin-ai-integration[bot]",
          found: "no independent approval",
          remediation: REMEDIATION("tests/pytest.ini"),
        },
        {
          message: `Adding vitest.config.mts, a guarded path ("vitest.config.*"), needs 1 approving review on hhhhhhh from an independent human, ${WHO}; the pull request has 0`,
          path: "vitest.config.mts",
          line: 1,
          expected: "1 approving review on hhhhhhh by a human other than devin-ai-integration[bot]",
          found: "no independent approval",
          remediation: REMEDIATION("vitest.config.mts"),
        },
      ],
    },
    {
      name: "always: a human author's change is guarded too, with approvals on any commit",
      facts: prScope({
        author: alice,
        files: [modified(".github/rulebook/config.yml")],
        reviews: [approve(alice)],
      }),
      options: { always: true, requireApprovalOnHead: false },
      findings: [
        {
          message:
            'Changing .github/rulebook/config.yml, a guarded path (".github/rulebook/**"), needs 1 approving review from an independent human, not alice (the author) and not a bot or agent; the pull request has 0',
          path: ".github/rulebook/config.yml",
          expected: "1 approving review by a human other than alice",
          found: "no independent approval; not counted: alice is the author",
          remediation:
            "Ask a maintainer who is a human other than alice to review the change to .github/rulebook/config.yml and approve the pull request.",
        },
      ],
    },
    {
      name: "one approval when two are required",
      facts: byAgent([modified("docs/CODEOWNERS")], [approve(alice)]),
      options: { minApprovals: 2 },
      findings: [
        {
          message: `Changing docs/CODEOWNERS, a guarded path ("docs/CODEOWNERS"), needs 2 approving reviews on hhhhhhh from an independent human, ${WHO}; the pull request has 1`,
          path: "docs/CODEOWNERS",
          expected: "2 approving reviews on hhhhhhh by a human other than devin-ai-integration[bot]",
          found: "approved by alice",
          remediation: REMEDIATION("docs/CODEOWNERS"),
        },
      ],
    },
    {
      name: "an approval from an account the bundle lists as an agent does not count",
      facts: byAgent(
        [modified("standards/rulebook.yml")],
        [approve({ login: "review-agent", type: "User" })],
      ),
      agentLogins: ["review-agent"],
      findings: [
        {
          message: `Changing standards/rulebook.yml, a guarded path ("standards/**"), needs 1 approving review on hhhhhhh from an independent human, ${WHO}; the pull request has 0`,
          path: "standards/rulebook.yml",
          expected: "1 approving review on hhhhhhh by a human other than devin-ai-integration[bot]",
          found: "no independent approval; not counted: review-agent is an agent",
          remediation: REMEDIATION("standards/rulebook.yml"),
        },
      ],
    },
    {
      name: "an agent's co-authored change (authorIsAgent) by a human account is guarded",
      facts: prScope({ author: alice, files: [modified("jest.config.js")] }),
      authorIsAgent: true,
      findings: [
        {
          message:
            'Changing jest.config.js, a guarded path ("jest.config.*"), needs 1 approving review on hhhhhhh from an independent human, not alice (the author, an agent) and not a bot or agent; the pull request has 0',
          path: "jest.config.js",
          expected: "1 approving review on hhhhhhh by a human other than alice",
          found: "no independent approval",
          remediation:
            "Ask a maintainer who is a human other than alice to review the change to jest.config.js and approve the pull request on hhhhhhh; push nothing after the approval, or it must be given again.",
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "the reviews were not gathered",
      facts: prScope({ author: devin, files: [modified("CODEOWNERS")], reviews: undefined }),
      notEvaluated: "the pull request's files or reviews were not gathered",
    },
  ],
});

describe("guarded-paths options", () => {
  it("guards the gates by default, for agents only, with one approval on the head", () => {
    expect(rule.options.parse({})).toEqual({
      paths: DEFAULT_GUARDED_PATHS,
      always: false,
      minApprovals: 1,
      requireApprovalOnHead: true,
    });
  });

  it("refuses typos, an empty path list and zero approvals", () => {
    expect(rule.options.safeParse({ path: ["x"] }).success).toBe(false);
    expect(rule.options.safeParse({ paths: [] }).success).toBe(false);
    expect(rule.options.safeParse({ minApprovals: 0 }).success).toBe(false);
  });
});

describe("guarded-paths on a workflow that makes tests unable to fail", () => {
  it("names what the change makes unable to fail, so the approver sees it", async () => {
    const base = "on: pull_request\njobs:\n  test:\n    steps:\n      - run: npm test\n";
    const file = workflowChange(base, base.replace("npm test", "npm test || true"));
    const generic = rule as Rule;
    const findings = await generic.check(ruleContext(generic, { name: "workflow", facts: byAgent([file]) }));
    expect(Array.isArray(findings) && findings.map((f) => f.message)).toEqual([
      `Changing .github/workflows/ci.yml, a guarded path (".github/workflows/**"), needs 1 approving review on hhhhhhh from an independent human, ${WHO}; the pull request has 0; it makes tests unable to fail: step 1 of job "test" (npm test): npm test is followed by \`|| true\`, which always succeeds, so the step passes when the tests fail`,
    ]);
  });
});
