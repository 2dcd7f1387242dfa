import { describe, expect, it } from "@jest/globals";
import { prScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import rule, { DEFAULT_BRANCH_PATTERN } from "./branch-name.js";

const SHA = "h".repeat(40);
const head = (ref: string) => prScope({ head: { ref, sha: SHA } });

function rename(from: string, to: string, suggested: boolean): string {
  return (
    `Rename the branch${suggested ? "" : " to a name matching the patterns"}: ` +
    `\`git branch -m ${from} ${to} && git push -u origin ${to}\`, then open a new pull request from \`${to}\` ` +
    "and close #7 (a pull request's head branch cannot change)."
  );
}

testRule(rule, {
  valid: [
    ...["feat/login", "fix/token-expiry", "docs/readme_v2", "revert/feat-login", "chore/bump.zod"].map(
      (ref) => ({
        name: `the default pattern accepts ${ref}`,
        facts: head(ref),
      }),
    ),
    ...[
      "dependabot/npm_and_yarn/zod-4.6.7",
      "renovate/zod-4.x",
      "release-please--branches--main",
      "gh-readonly-queue/main/pr-7-abc",
    ].map((ref) => ({ name: `automation's branch ${ref} is allowed`, facts: head(ref) })),
    {
      name: "any of several patterns",
      facts: head("JIRA-311-login"),
      options: { patterns: ["^(feat|fix)/", "^[A-Z]+-\\d+-[a-z-]+$"] },
    },
    {
      name: "a custom allow list",
      facts: head("agent/devin/try-1"),
      options: { allow: ["agent/**"] },
    },
  ],
  invalid: [
    {
      name: "a common prefix alias is renamed to its type",
      facts: head("feature/Login-Form"),
      findings: [
        {
          message: 'Head branch "feature/Login-Form" matches none of the branch name patterns',
          expected: DEFAULT_BRANCH_PATTERN,
          found: "feature/Login-Form",
          remediation: rename("feature/Login-Form", "feat/login-form", true),
        },
      ],
    },
    {
      name: "a nested name is flattened into one slug",
      facts: head("bugfix/API/Token(expiry)"),
      findings: [
        {
          message: 'Head branch "bugfix/API/Token(expiry)" matches none of the branch name patterns',
          expected: DEFAULT_BRANCH_PATTERN,
          found: "bugfix/API/Token(expiry)",
          remediation: rename("'bugfix/API/Token(expiry)'", "fix/api-token-expiry", true),
        },
      ],
    },
    {
      name: "no type to derive: a placeholder, and a name with shell characters is quoted",
      facts: head("devin/1732-add-login$"),
      findings: [
        {
          message: 'Head branch "devin/1732-add-login$" matches none of the branch name patterns',
          expected: DEFAULT_BRANCH_PATTERN,
          found: "devin/1732-add-login$",
          remediation: rename("'devin/1732-add-login$'", "<new-name>", false),
        },
      ],
    },
    {
      name: "a branch without a prefix",
      facts: head("main-fixes"),
      findings: [
        {
          message: 'Head branch "main-fixes" matches none of the branch name patterns',
          expected: DEFAULT_BRANCH_PATTERN,
          found: "main-fixes",
          remediation: rename("main-fixes", "<new-name>", false),
        },
      ],
    },
    {
      name: "custom patterns are listed, and a custom allow list replaces the default",
      facts: head("renovate/zod-4.x"),
      options: { patterns: ["^(feat|fix)/", "^[A-Z]+-\\d+-[a-z-]+$"], allow: ["agent/**"] },
      findings: [
        {
          message: 'Head branch "renovate/zod-4.x" matches none of the branch name patterns',
          expected: "^(feat|fix)/ or ^[A-Z]+-\\d+-[a-z-]+$",
          found: "renovate/zod-4.x",
          remediation: rename("renovate/zod-4.x", "<new-name>", false),
        },
      ],
    },
    {
      name: "before the pull request is opened (a local checkout) there is none to close",
      facts: prScope({ number: 0, head: { ref: "wip", sha: SHA } }),
      findings: [
        {
          message: 'Head branch "wip" matches none of the branch name patterns',
          expected: DEFAULT_BRANCH_PATTERN,
          found: "wip",
          remediation:
            "Rename the branch to a name matching the patterns: " +
            "`git branch -m wip <new-name> && git push -u origin <new-name>`, then open the pull request from `<new-name>`.",
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "a detached HEAD has no branch name to judge",
      facts: prScope({ number: 0, head: { ref: "HEAD", sha: SHA } }),
      notEvaluated: /^HEAD is detached/,
    },
  ],
});

describe("branch-name options", () => {
  it("rejects a pattern RE2 cannot run in linear time", () => {
    expect(rule.options.safeParse({ patterns: ["^(?=feat)"] }).success).toBe(false);
  });

  it("rejects an empty pattern list, which no branch could match", () => {
    expect(rule.options.safeParse({ patterns: [] }).success).toBe(false);
  });
});
