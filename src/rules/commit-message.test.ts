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

const NOT_TYPED = 'the header does not start with a type and a colon, as in "feat: add login"';

/** What a body line over config-conventional's 100 characters in FIRST's "fix: trim input" yields. */
const LONG_BODY_LINE = {
  message:
    'Commit 1a2b3c4 "fix: trim input": a line after the header is 101 characters long, more than the 100 allowed',
  expected: "body lines of at most 100 characters",
  found: "b".repeat(101),
  remediation: reword("1a2b3c4", "wrap the lines after the header at 100 characters"),
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
      name: "an unconventional header is one finding, in plain words, with a derived header",
      facts: prScope({ commits: [commit("Add login", { sha: FIRST })] }),
      findings: [
        {
          message: `Commit 1a2b3c4 "Add login": ${NOT_TYPED}`,
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
      name: "the head commit is amended rather than rebased, and its two problems share one finding",
      facts: prScope({ commits: [commit("feat: Add login.", { sha: HEAD })] }),
      findings: [
        {
          message:
            'Commit hhhhhhh "feat: Add login.": the subject starts with a capital letter or is all capitals; the subject ends with "."',
          expected: 'a subject starting in lower case; a subject not ending with "."',
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
            'Commit 1a2b3c4 "wip: try the login": the type "wip" is not one of build, chore, ci, docs, feat, fix, perf, refactor, revert, style, test',
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
          message: 'Commit 1a2b3c4 "feat: add login": the type "feat" is not one of fix',
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
          message: 'Commit 1a2b3c4 "feat(db): add an index": the scope "db" is not one of api, web',
          expected: "type(scope): subject, type one of: feat, fix; scope one of: api, web",
          found: "feat(db): add an index",
          remediation: reword(
            "1a2b3c4",
            "write the header as `type(scope): subject, type one of: feat, fix; scope one of: api, web`",
          ),
        },
        {
          message:
            'Commit 5d6e7f8 "fix: trim input": the header names no scope, as in "feat(api): add login"',
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
          message: `Commit 1a2b3c4 "feat: ${"a".repeat(54)}": the header is 60 characters long, more than the 50 allowed`,
          expected: "a header of at most 50 characters",
          found: `feat: ${"a".repeat(54)}`,
          remediation: reword("1a2b3c4", `write the header as \`${SHAPE}\``),
        },
      ],
    },
    {
      name: "a body line over config-conventional's 100 characters is quoted, not the header",
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
          message: `Commit 1a2b3c4 "Merge branch 'main' into feat/login", a merge commit: ${NOT_TYPED}`,
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
          message: `Commit 1a2b3c4 "feat: add login": its co-author "Devin <${DEVIN.email}>" is not one allowedCoAuthors lists`,
          expected: "co-authors matching one of: *, !*devin-ai-integration*",
          found: `Co-authored-by: Devin <${DEVIN.email}>`,
          remediation: reword(
            "1a2b3c4",
            `correct or remove the trailer \`Co-authored-by: Devin <${DEVIN.email}>\``,
          ),
        },
        {
          message: `Commit hhhhhhh "Fixed the crash": ${NOT_TYPED}; its co-author "Devin <${DEVIN.email}>" is not one allowedCoAuthors lists`,
          expected: `${SHAPE}; co-authors matching one of: *, !*devin-ai-integration*`,
          found: `Fixed the crash\nCo-authored-by: Devin <${DEVIN.email}>`,
          remediation: `Run \`git commit --amend\` and change the header to "fix: the crash" (if "fix" does not describe the change, use the type that does), and correct or remove the trailer \`Co-authored-by: Devin <${DEVIN.email}>\`, ${PUSH}`,
        },
      ],
    },
    {
      name: "every problem of one commit in one finding: header, long lines and an unknown co-author",
      facts: prScope({
        commits: [
          commit(`Fixed the crash\n\n${"b".repeat(101)}\nshort\n${"c".repeat(120)}`, {
            sha: HEAD,
            coAuthors: [DEVIN],
          }),
        ],
      }),
      options: { allowedCoAuthors: ["*<noreply@anthropic.com>"] },
      findings: [
        {
          message: `Commit hhhhhhh "Fixed the crash": ${NOT_TYPED}; 2 lines after the header are longer than the 100 characters allowed; its co-author "Devin <${DEVIN.email}>" is not one allowedCoAuthors lists`,
          expected: `${SHAPE}; body lines of at most 100 characters; co-authors matching one of: *<noreply@anthropic.com>`,
          found: [
            "Fixed the crash",
            "b".repeat(101),
            "c".repeat(120),
            `Co-authored-by: Devin <${DEVIN.email}>`,
          ].join("\n"),
          remediation: `Run \`git commit --amend\` and change the header to "fix: the crash" (if "fix" does not describe the change, use the type that does), and wrap the lines after the header at 100 characters, and correct or remove the trailer \`Co-authored-by: Devin <${DEVIN.email}>\`, ${PUSH}`,
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
            'Commit 1a2b3c4 "feat: add login": its co-author "Claude <noreply@anthropic.com>" is not one allowedCoAuthors lists',
          expected: "co-authors matching one of: (none allowed)",
          found: "Co-authored-by: Claude <noreply@anthropic.com>",
          remediation: reword(
            "1a2b3c4",
            "correct or remove the trailer `Co-authored-by: Claude <noreply@anthropic.com>`",
          ),
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "a header longer than commitlint is given: too large, never a pass",
      facts: prScope({ commits: [commit(`feat: ${"x".repeat(995)}`, { sha: FIRST })] }),
      notEvaluated:
        "too large: the header of the message of commit 1a2b3c4 has 1001 characters, more than the 1000 read, so it was not checked",
    },
    {
      name: "a message longer than is read: too large",
      facts: prScope({
        commits: [
          commit("feat: add login", { sha: SECOND }),
          commit(`fix: keep the session\n\n${"x\n".repeat(10_000)}`, { sha: FIRST }),
        ],
      }),
      notEvaluated:
        "too large: the message of commit 1a2b3c4 has 20023 characters, more than the 16384 read, so it was not checked",
    },
    {
      name: "a message line longer than is read: too large",
      facts: prScope({
        commits: [commit(`fix: keep the session\n\nCo-authored-by: ${"x".repeat(4_000)}`, { sha: FIRST })],
      }),
      notEvaluated:
        "too large: line 3 of the message of commit 1a2b3c4 has 4016 characters, more than the 4000 read, so it was not checked",
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
