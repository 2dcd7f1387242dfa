import { describe, expect, it } from "@jest/globals";
import { prScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import type { Actor, ChangedFile, Review } from "../facts/schema.js";
import rule from "./deleted-tests.js";
import { DEFAULT_TEST_PATHS } from "./support/skip-detector.js";

const HEAD = "h".repeat(40);
const devin: Actor = { login: "devin-ai-integration[bot]", type: "Bot" };
const alice: Actor = { login: "alice", type: "User" };
const bob: Actor = { login: "bob", type: "User" };

const approve = (author: Actor, commitId = HEAD): Review => ({ author, state: "APPROVED", commitId });

/** A file whose patch removes `removed` and adds `added` lines at line 1. */
function changed(
  path: string,
  removed: string[],
  added: string[] = [],
  status: ChangedFile["status"] = "modified",
) {
  return {
    path,
    status,
    binary: false,
    patch: [
      `@@ -1,${removed.length} +${added.length === 0 ? 0 : 1},${added.length} @@`,
      ...removed.map((l) => `-${l}`),
      ...added.map((l) => `+${l}`),
    ].join("\n"),
  } satisfies ChangedFile;
}

const LOGIN_TESTS = ["it('logs in', () => {});", "it('logs out', () => {});"];
const byAgent = (files: ChangedFile[], reviews: Review[] = []) => prScope({ author: devin, files, reviews });
const byAlice = (files: ChangedFile[], reviews: Review[] = []) => prScope({ author: alice, files, reviews });

const AGENT_FIX =
  "Stop: do not delete tests to get a check green. Restore the removed tests; if removing them is truly part of the task, ask a human maintainer other than devin-ai-integration[bot] to review the removal and approve the pull request on hhhhhhh, and wait for that approval.";
const EXPECTED_AGENT =
  "as many test cases added as removed, or 1 approving review on hhhhhhh from a human other than devin-ai-integration[bot]";

testRule(rule, {
  valid: [
    {
      name: "tests rewritten in place: as many added as removed",
      facts: byAgent([
        changed("src/login.test.ts", LOGIN_TESTS, [
          "it('signs in', () => {});",
          "it('signs out', () => {});",
        ]),
      ]),
    },
    {
      name: "tests moved to another file",
      facts: byAgent([
        changed("src/login.test.ts", LOGIN_TESTS, [], "removed"),
        changed("src/session.test.ts", [], LOGIN_TESTS, "added"),
      ]),
    },
    {
      name: "an independent human approved the removal on the head",
      facts: byAgent(
        [changed("tests/test_login.py", ["def test_login():", "    assert login()"])],
        [approve(alice)],
      ),
    },
    {
      name: "removed lines that declare no test case (assertions, helpers)",
      facts: byAgent([changed("src/login.test.ts", ["  expect(a).toBe(1);", "function helper() {}"])]),
    },
    {
      name: "a test case removed from a file outside the test paths",
      facts: byAgent([changed("src/login.ts", ["it('logs in', () => {});"])]),
    },
    {
      name: "a deleted test file that held no test case (a shared fixture)",
      facts: byAgent([changed("tests/conftest.py", ["import pytest", "DB = 'x'"], [], "removed")]),
    },
    {
      name: "a test case mentioned in a removed comment is not one",
      facts: byAgent([changed("src/login.test.ts", ["// it('logs in', () => {});"])]),
    },
  ],
  invalid: [
    {
      name: "an agent deletes two test cases and adds none",
      facts: byAgent([changed("src/login.test.ts", LOGIN_TESTS)]),
      findings: [
        {
          message:
            'Removes 2 test cases ("logs in", "logs out") from src/login.test.ts; the pull request removes 2 test cases and adds 0, and no independent human approved it',
          path: "src/login.test.ts",
          line: 1,
          expected: EXPECTED_AGENT,
          found: "no independent approval",
          remediation: AGENT_FIX,
        },
      ],
    },
    {
      name: "an agent deletes a whole test file, and approvals by the author or a bot do not count",
      facts: byAgent(
        [changed("session/session_test.go", ["func TestExpiry(t *testing.T) {", "}"], [], "removed")],
        [approve(devin), approve({ login: "ci-bot", type: "Bot" })],
      ),
      findings: [
        {
          message:
            'Deletes the test file session/session_test.go and its 1 test case ("TestExpiry"); the pull request removes 1 test case and adds 0, and no independent human approved it',
          path: "session/session_test.go",
          expected: EXPECTED_AGENT,
          found: expect.stringContaining("ci-bot is a bot") as unknown as string,
          remediation: AGENT_FIX,
        },
      ],
    },
    {
      name: "a deleted test file whose diff GitHub left out counts as a loss however many tests are added",
      facts: byAgent([
        { path: "tests/test_big.py", status: "removed", binary: false },
        changed("tests/test_new.py", [], ["def test_a():", "    pass"], "added"),
      ]),
      findings: [
        {
          message:
            "Deletes the test file tests/test_big.py; the pull request removes at least 0 test cases and adds 1, and no independent human approved it",
          path: "tests/test_big.py",
          expected: EXPECTED_AGENT,
          found: "no independent approval",
          remediation: AGENT_FIX,
        },
      ],
    },
    {
      name: "a person's pull request is told to restore the tests or get an approval",
      facts: byAlice(
        [changed("src/test/java/LoginTest.java", ["  @Test", "  void logsIn() {}"])],
        [approve(bob, "o".repeat(40))],
      ),
      findings: [
        {
          message:
            'Removes 1 test case ("logsIn") from src/test/java/LoginTest.java; the pull request removes 1 test case and adds 0, and no independent human approved it',
          path: "src/test/java/LoginTest.java",
          line: 1,
          expected:
            "as many test cases added as removed, or 1 approving review on hhhhhhh from a human other than alice",
          found: "no independent approval; not counted: bob approved ooooooo, not the head hhhhhhh",
          remediation:
            "Restore the removed tests, or ask a reviewer other than alice to approve their removal on hhhhhhh.",
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "reviews were not gathered",
      facts: prScope({
        author: devin,
        files: [changed("src/login.test.ts", LOGIN_TESTS)],
        reviews: undefined,
      }),
      notEvaluated: "the pull request's files or reviews were not gathered",
    },
    {
      name: "removed lines longer than the parser reads: too large, never a pass",
      facts: byAgent([changed("src/login.test.ts", [...LOGIN_TESTS, `// ${"x".repeat(20_001)}`])]),
      notEvaluated:
        "too large: line 3 of the lines src/login.test.ts removes has 20004 characters, more than the 20000 read, so its test cases were not counted",
    },
  ],
});

describe("deleted-tests options", () => {
  it("uses the runners' conventional test paths by default", () => {
    expect(rule.options.parse({})).toEqual({
      paths: DEFAULT_TEST_PATHS,
      minApprovals: 1,
      requireApprovalOnHead: true,
    });
  });
});
