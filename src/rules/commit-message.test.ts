import { describe, expect, it } from "@jest/globals";
import { commit, prScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import rule from "./commit-message.js";

const BASE = "b".repeat(40);
const HEAD = "h".repeat(40);
const FIRST = `1a2b3c4${"0".repeat(33)}`;
const SECOND = `5d6e7f8${"0".repeat(33)}`;
const SHAPE =
  "type(scope)?: subject, type one of: build, chore, ci, docs, feat, fix, perf, refactor, revert, style, test";
const PUSH = "then `git push --force-with-lease`.";

function reword(short: string, change: string): string {
  return `Run \`git rebase -i ${BASE}\`, change \`pick ${short}\` to \`reword ${short}\` and ${change}, ${PUSH}`;
}

/** What a body line over config-conventional's 100 characters in FIRST's "fix: trim input" yields. */
const LONG_BODY_LINE = {
  message:
    'Commit 1a2b3c4 "fix: trim input" violates body-max-line-length: body\'s lines must not be longer than 100 characters',
  expected: "body lines of at most 100 characters",
  found: "fix: trim input",
  remediation: reword("1a2b3c4", "fix the body: body's lines must not be longer than 100 characters"),
};

const CLAUDE = { name: "Claude", email: "noreply@anthropic.com" };
const DEVIN = { name: "Devin", email: "158243242+devin-ai-integration[bot]@users.noreply.github.com" };

testRule(rule, {
  valid: [
    {
      name: "conventional headers with scope, breaking mark and body",
      facts: prScope({
        commits: [
          commit("feat(api)!: drop the v1 endpoints\n\nBREAKING CHANGE: clients must call /v2.", {
            sha: FIRST,
          }),
          commit("fix: handle an empty token", { sha: SECOND }),
        ],
      }),
    },
    { name: "a pull request without commits has nothing to judge", facts: prScope({ commits: [] }) },
    {
      name: "merge commits are ignored by default",
      facts: prScope({
        commits: [
          commit("Merge branch 'main' into feat/login", { sha: FIRST }),
          commit("Merge pull request #3 from acme/feat/x", { sha: SECOND }),
        ],
      }),
    },
    {
      name: "reverts, fixups and version bumps are ignored as commitlint does",
      facts: prScope({
        commits: [
          commit('Revert "feat: add login"\n\nThis reverts commit 1a2b3c4.', { sha: FIRST }),
          commit("fixup! feat: add login", { sha: SECOND }),
          commit("v1.2.3", { sha: HEAD }),
        ],
      }),
    },
    {
      name: "custom types replace the default list",
      facts: prScope({ commits: [commit("deps: bump zod to 4.6.7")] }),
      options: { types: ["feat", "fix", "deps"] },
    },
    {
      name: "a scope from the allowed list, and several scopes",
      facts: prScope({ commits: [commit("feat(api): add login"), commit("fix(api,web): share the token")] }),
      options: { scopes: ["api", "web"], requireScope: true },
    },
    {
      name: "a longer header limit",
      facts: prScope({ commits: [commit(`feat: ${"a".repeat(114)}`)] }),
      options: { headerMaxLength: 120 },
    },
    {
      name: "co-authors matching the allowed globs",
      facts: prScope({
        commits: [
          commit("feat: add login\n\nCo-authored-by: Claude <noreply@anthropic.com>", {
            coAuthors: [CLAUDE],
          }),
        ],
      }),
      options: { allowedCoAuthors: ["*noreply@anthropic.com*", "*Copilot*"] },
    },
    {
      name: "any co-author when allowedCoAuthors is not given",
      facts: prScope({ commits: [commit("feat: add login", { coAuthors: [DEVIN] })] }),
    },
  ],
  invalid: [
    {
      name: "an unconventional header gets both commitlint errors and a derived header",
      facts: prScope({ commits: [commit("Add login", { sha: FIRST })] }),
      findings: [
        {
          message: 'Commit 1a2b3c4 "Add login" violates subject-empty: subject may not be empty',
          expected: SHAPE,
          found: "Add login",
          remediation: reword(
            "1a2b3c4",
            'change the header to "feat: add login" (if "feat" does not describe the change, use the type that does)',
          ),
        },
        {
          message: 'Commit 1a2b3c4 "Add login" violates type-empty: type may not be empty',
          expected: SHAPE,
          found: "Add login",
          remediation: reword(
            "1a2b3c4",
            'change the header to "feat: add login" (if "feat" does not describe the change, use the type that does)',
          ),
        },
      ],
    },
    {
      name: "the head commit is amended rather than rebased",
      facts: prScope({ commits: [commit("feat: Add login.", { sha: HEAD })] }),
      findings: [
        {
          message:
            'Commit hhhhhhh "feat: Add login." violates subject-case: subject must not be sentence-case, start-case, pascal-case, upper-case',
          expected: "a subject starting in lower case",
          found: "feat: Add login.",
          remediation: `Run \`git commit --amend\` and change the header to "feat: add login", ${PUSH}`,
        },
        {
          message:
            'Commit hhhhhhh "feat: Add login." violates subject-full-stop: subject may not end with full stop',
          expected: 'a subject not ending with "."',
          found: "feat: Add login.",
          remediation: `Run \`git commit --amend\` and change the header to "feat: add login", ${PUSH}`,
        },
      ],
    },
    {
      name: "an unknown type has no derivable header",
      facts: prScope({ commits: [commit("wip: try the login", { sha: FIRST })] }),
      findings: [
        {
          message:
            'Commit 1a2b3c4 "wip: try the login" violates type-enum: type must be one of [build, chore, ci, docs, feat, fix, perf, refactor, revert, style, test]',
          expected: SHAPE,
          found: "wip: try the login",
          remediation: reword("1a2b3c4", `write the header as \`${SHAPE}\``),
        },
      ],
    },
    {
      name: "custom types reject a default type",
      facts: prScope({ commits: [commit("feat: add login", { sha: FIRST })] }),
      options: { types: ["fix"] },
      findings: [
        {
          message: 'Commit 1a2b3c4 "feat: add login" violates type-enum: type must be one of [fix]',
          expected: "type(scope)?: subject, type one of: fix",
          found: "feat: add login",
          remediation: reword("1a2b3c4", "write the header as `type(scope)?: subject, type one of: fix`"),
        },
      ],
    },
    {
      name: "a scope outside the list, and a missing required scope",
      facts: prScope({
        commits: [
          commit("feat(db): add an index", { sha: FIRST }),
          commit("fix: trim input", { sha: SECOND }),
        ],
      }),
      options: { types: ["feat", "fix"], scopes: ["api", "web"], requireScope: true },
      findings: [
        {
          message:
            'Commit 1a2b3c4 "feat(db): add an index" violates scope-enum: scope must be one of [api, web]',
          expected: "type(scope): subject, type one of: feat, fix; scope one of: api, web",
          found: "feat(db): add an index",
          remediation: reword(
            "1a2b3c4",
            "write the header as `type(scope): subject, type one of: feat, fix; scope one of: api, web`",
          ),
        },
        {
          message: 'Commit 5d6e7f8 "fix: trim input" violates scope-empty: scope may not be empty',
          expected: "type(scope): subject, type one of: feat, fix; scope one of: api, web",
          found: "fix: trim input",
          remediation: reword(
            "5d6e7f8",
            "write the header as `type(scope): subject, type one of: feat, fix; scope one of: api, web`",
          ),
        },
      ],
    },
    {
      name: "a header over the configured length",
      facts: prScope({ commits: [commit(`feat: ${"a".repeat(54)}`, { sha: FIRST })] }),
      options: { headerMaxLength: 50 },
      findings: [
        {
          message: `Commit 1a2b3c4 "feat: ${"a".repeat(54)}" violates header-max-length: header must not be longer than 50 characters, current length is 60`,
          expected: "a header of at most 50 characters",
          found: `feat: ${"a".repeat(54)}`,
          remediation: reword("1a2b3c4", `write the header as \`${SHAPE}\``),
        },
      ],
    },
    {
      name: "a body line over config-conventional's 100 characters",
      facts: prScope({ commits: [commit(`fix: trim input\n\n${"b".repeat(101)}`, { sha: FIRST })] }),
      findings: [LONG_BODY_LINE],
    },
    {
      name: "a long line after an issue reference is a body line: references do not start the footer",
      facts: prScope({
        commits: [commit(`fix: trim input\n\nRefs #12\n${"b".repeat(101)}`, { sha: FIRST })],
      }),
      findings: [LONG_BODY_LINE],
    },
    {
      name: "merge commits are linted when ignoreMerges is false, and rebasing drops them",
      facts: prScope({
        commits: [commit("Merge branch 'main' into feat/login", { sha: FIRST }), commit("feat: add login")],
      }),
      options: { ignoreMerges: false },
      findings: [
        {
          message: `Commit 1a2b3c4 "Merge branch 'main' into feat/login" violates subject-empty: subject may not be empty`,
          expected: SHAPE,
          found: "Merge branch 'main' into feat/login",
          remediation: `Drop the merge commit by rebasing onto the base: \`git rebase ${BASE}\`, ${PUSH}`,
        },
        {
          message: `Commit 1a2b3c4 "Merge branch 'main' into feat/login" violates type-empty: type may not be empty`,
          expected: SHAPE,
          found: "Merge branch 'main' into feat/login",
          remediation: `Drop the merge commit by rebasing onto the base: \`git rebase ${BASE}\`, ${PUSH}`,
        },
      ],
    },
    {
      name: "a co-author outside the allowed globs, also on an otherwise valid commit",
      facts: prScope({
        commits: [
          commit("feat: add login", { sha: FIRST, coAuthors: [CLAUDE, DEVIN] }),
          commit("Fixed the crash", { sha: HEAD, coAuthors: [DEVIN] }),
        ],
      }),
      options: { allowedCoAuthors: ["*", "!*devin-ai-integration*"] },
      findings: [
        {
          message: `Commit 1a2b3c4 "feat: add login" has co-author "Devin <${DEVIN.email}>", which allowedCoAuthors does not list`,
          expected: "a co-author matching one of: *, !*devin-ai-integration*",
          found: `Devin <${DEVIN.email}>`,
          remediation: reword(
            "1a2b3c4",
            `correct or remove the trailer \`Co-authored-by: Devin <${DEVIN.email}>\``,
          ),
        },
        {
          message: `Commit hhhhhhh "Fixed the crash" has co-author "Devin <${DEVIN.email}>", which allowedCoAuthors does not list`,
          expected: "a co-author matching one of: *, !*devin-ai-integration*",
          found: `Devin <${DEVIN.email}>`,
          remediation: `Run \`git commit --amend\` and correct or remove the trailer \`Co-authored-by: Devin <${DEVIN.email}>\`, ${PUSH}`,
        },
        {
          message: 'Commit hhhhhhh "Fixed the crash" violates subject-empty: subject may not be empty',
          expected: SHAPE,
          found: "Fixed the crash",
          remediation: `Run \`git commit --amend\` and change the header to "fix: the crash" (if "fix" does not describe the change, use the type that does), ${PUSH}`,
        },
        {
          message: 'Commit hhhhhhh "Fixed the crash" violates type-empty: type may not be empty',
          expected: SHAPE,
          found: "Fixed the crash",
          remediation: `Run \`git commit --amend\` and change the header to "fix: the crash" (if "fix" does not describe the change, use the type that does), ${PUSH}`,
        },
      ],
    },
    {
      name: "an empty allowedCoAuthors list allows no co-author",
      facts: prScope({ commits: [commit("feat: add login", { sha: FIRST, coAuthors: [CLAUDE] })] }),
      options: { allowedCoAuthors: [] },
      findings: [
        {
          message:
            'Commit 1a2b3c4 "feat: add login" has co-author "Claude <noreply@anthropic.com>", which allowedCoAuthors does not list',
          expected: "a co-author matching one of: (none allowed)",
          found: "Claude <noreply@anthropic.com>",
          remediation: reword(
            "1a2b3c4",
            "correct or remove the trailer `Co-authored-by: Claude <noreply@anthropic.com>`",
          ),
        },
      ],
    },
  ],
});

describe("commit-message options", () => {
  it("defaults to config-conventional's types, any scope and a 100-character header", () => {
    expect(rule.options.parse({})).toEqual({
      types: ["build", "chore", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test"],
      requireScope: false,
      headerMaxLength: 100,
      ignoreMerges: true,
    });
  });

  it("rejects a misspelt option", () => {
    expect(rule.options.safeParse({ ignoreMerge: false }).success).toBe(false);
  });

  it("rejects a type the header parser cannot read", () => {
    const result = rule.options.safeParse({ types: ["feat", "Hot-Fix"] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      "a type is lower-case letters, digits or _ (the header parser reads \\w+)",
    ]);
  });
});
