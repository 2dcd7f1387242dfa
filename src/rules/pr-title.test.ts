import { describe, expect, it } from "@jest/globals";
import { prScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import rule from "./pr-title.js";

const SHAPE =
  "type(scope)?: subject, type one of: build, chore, ci, docs, feat, fix, perf, refactor, revert, style, test";
const DESCRIBED = `Retitle the pull request as \`${SHAPE}\`: \`gh pr edit feat/login --title '<type>: <subject>'\`.`;
const NOT_TYPED = 'the title does not start with a type and a colon, as in "feat: add login"';
const FEAT_GUESS = '(if "feat" does not describe the change, use the type that does)';

testRule(rule, {
  valid: [
    { name: "a conventional title", facts: prScope({ title: "feat: add login" }) },
    { name: "a scope and a breaking mark", facts: prScope({ title: "feat(api)!: drop the v1 endpoints" }) },
    { name: "GitHub's revert title", facts: prScope({ title: 'Revert "feat: add login"' }) },
    {
      name: "a required scope from the list",
      facts: prScope({ title: "fix(web): keep the session" }),
      options: { scopes: ["api", "web"], requireScope: true },
    },
  ],
  invalid: [
    {
      name: "a plain sentence is one finding, with a header derived from its leading verb",
      facts: prScope({ title: "Add login" }),
      findings: [
        {
          message: `Pull request title "Add login": ${NOT_TYPED}`,
          expected: SHAPE,
          found: "Add login",
          remediation: `Retitle the pull request: \`gh pr edit feat/login --title 'feat: add login'\` ${FEAT_GUESS}.`,
        },
      ],
    },
    {
      name: "a capitalised type is lower-cased without a caveat, and is one problem, not also an unknown type",
      facts: prScope({ title: "Feat: add login" }),
      findings: [
        {
          message: 'Pull request title "Feat: add login": the type "Feat" is not lower-case',
          expected: SHAPE,
          found: "Feat: add login",
          remediation: "Retitle the pull request: `gh pr edit feat/login --title 'feat: add login'`.",
        },
      ],
    },
    {
      name: "a title with a quote is quoted for the shell",
      facts: prScope({ number: 42, title: "fix: Don't log the token." }),
      findings: [
        {
          message: `Pull request title "fix: Don't log the token.": the subject starts with a capital letter or is all capitals; the subject ends with "."`,
          expected: 'a subject starting in lower case; a subject not ending with "."',
          found: "fix: Don't log the token.",
          remediation: `Retitle the pull request: \`gh pr edit feat/login --title 'fix: don'\\''t log the token'\`.`,
        },
      ],
    },
    {
      name: "a verb that names no type gets a description, not a guess",
      facts: prScope({ title: "Update the README" }),
      findings: [
        {
          message: `Pull request title "Update the README": ${NOT_TYPED}`,
          expected: SHAPE,
          found: "Update the README",
          remediation: DESCRIBED,
        },
      ],
    },
    {
      name: "no suggestion when the derived header would still break a rule (a required scope)",
      facts: prScope({ title: "Add login" }),
      options: { requireScope: true },
      findings: [
        {
          message: `Pull request title "Add login": ${NOT_TYPED}`,
          expected: SHAPE.replace("(scope)?", "(scope)"),
          found: "Add login",
          remediation: DESCRIBED.replace("(scope)?", "(scope)"),
        },
      ],
    },
    {
      name: "a title over the configured length",
      facts: prScope({ title: "feat: add login with a remembered session" }),
      options: { headerMaxLength: 30 },
      findings: [
        {
          message:
            'Pull request title "feat: add login with a remembered session": the title is 41 characters long, more than the 30 allowed',
          expected: "a header of at most 30 characters",
          found: "feat: add login with a remembered session",
          remediation: DESCRIBED,
        },
      ],
    },
    {
      name: "a scope outside the list",
      facts: prScope({ title: "feat(db): add an index" }),
      options: { scopes: ["api", "web"] },
      findings: [
        {
          message: 'Pull request title "feat(db): add an index": the scope "db" is not one of api, web',
          expected: `${SHAPE}; scope one of: api, web`,
          found: "feat(db): add an index",
          remediation: `Retitle the pull request as \`${SHAPE}; scope one of: api, web\`: \`gh pr edit feat/login --title '<type>: <subject>'\`.`,
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "a title longer than commitlint is given: too large, never a pass",
      facts: prScope({ title: `feat: ${"x".repeat(995)}` }),
      notEvaluated:
        "too large: the header of the pull request title has 1001 characters, more than the 1000 read, so it was not checked",
    },
  ],
});

describe("pr-title options", () => {
  it("takes the header options only, so a commit-message option is a typo here", () => {
    expect(rule.options.safeParse({ ignoreMerges: false }).success).toBe(false);
  });
});
