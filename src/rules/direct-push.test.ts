import { describe, expect, it } from "@jest/globals";
import { commit, pushScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import rule from "./direct-push.js";

const mergedPr = {
  number: 12,
  title: "feat: add login",
  author: { login: "bob", type: "User" as const },
  mergedBy: { login: "carol", type: "User" as const },
  headSha: "d".repeat(40),
};

const sha = (digit: string) => digit.repeat(40);

const DIRECT_REMEDIATION =
  'Open a pull request that reviews aaaaaaa..ccccccc after the fact (or reverts it); then have an administrator add or fix the branch ruleset on main so rule "pull_request" applies with no bypass that lets alice push directly.';
const FORCED_REMEDIATION = `Find the commits the force push dropped with \`git log ${sha("c")}..${sha("a")}\` and restore any that were lost through a pull request; then have an administrator add or fix the branch ruleset on main so rule "non_fast_forward" applies with no bypass for alice.`;

testRule(rule, {
  valid: [
    { name: "a push produced by merging a pull request", facts: pushScope({ pullRequest: mergedPr }) },
    {
      name: "a direct push to another branch",
      facts: pushScope({ ref: "refs/heads/feat/login", pullRequest: null }),
    },
    {
      name: "a forced push to another branch",
      facts: pushScope({ ref: "refs/heads/feat/login", forced: true, pullRequest: null }),
    },
    {
      name: "a tag that shares the default branch's name",
      facts: pushScope({ ref: "refs/tags/main", pullRequest: null }),
    },
    {
      name: "a branch deletion, even forced",
      facts: pushScope({
        ref: "refs/heads/main",
        deleted: true,
        forced: true,
        after: "0".repeat(40),
        pullRequest: null,
      }),
    },
    {
      name: "the push that creates a new repository's default branch",
      facts: pushScope({ created: true, before: "0".repeat(40), pullRequest: null }),
    },
    {
      name: "a push to a branch named like the default branch's prefix",
      facts: pushScope({ ref: "refs/heads/main-old", pullRequest: null }),
    },
  ],
  invalid: [
    {
      name: "a direct push of two commits",
      facts: pushScope({
        pullRequest: null,
        commits: [commit("fix: a", { sha: sha("1") }), commit("fix: b", { sha: sha("2") })],
      }),
      findings: [
        {
          message:
            'alice pushed 2 commits (1111111, 2222222) directly to main (aaaaaaa..ccccccc) without a pull request; a branch ruleset on main that requires pull requests (rule "pull_request") should have stopped it',
          expected: "changes reach main through a merged pull request",
          found: "direct push by alice",
          remediation: DIRECT_REMEDIATION,
        },
      ],
    },
    {
      name: "a direct push whose payload listed no commits, to a default branch called trunk",
      facts: pushScope(
        { ref: "refs/heads/trunk", pullRequest: null, pusher: { login: "release-bot[bot]", type: "Bot" } },
        { repo: { owner: "acme", name: "api", defaultBranch: "trunk" } },
      ),
      findings: [
        {
          message:
            'release-bot[bot] pushed directly to trunk (aaaaaaa..ccccccc) without a pull request; a branch ruleset on trunk that requires pull requests (rule "pull_request") should have stopped it',
          expected: "changes reach trunk through a merged pull request",
          found: "direct push by release-bot[bot]",
          remediation:
            'Open a pull request that reviews aaaaaaa..ccccccc after the fact (or reverts it); then have an administrator add or fix the branch ruleset on trunk so rule "pull_request" applies with no bypass that lets release-bot[bot] push directly.',
        },
      ],
    },
    {
      name: "a forced push that also came from no pull request gives both findings",
      facts: pushScope({ forced: true, pullRequest: null, commits: [commit("fix: a", { sha: sha("1") })] }),
      findings: [
        {
          message:
            'alice force-pushed to main (aaaaaaa..ccccccc), replacing its history, adding 1 commit (1111111); a branch ruleset on main that blocks force pushes (rule "non_fast_forward") should have stopped it',
          expected: "no force pushes to main",
          found: "forced push by alice",
          remediation: FORCED_REMEDIATION,
        },
        {
          message:
            'alice pushed 1 commit (1111111) directly to main (aaaaaaa..ccccccc) without a pull request; a branch ruleset on main that requires pull requests (rule "pull_request") should have stopped it',
          expected: "changes reach main through a merged pull request",
          found: "direct push by alice",
          remediation: DIRECT_REMEDIATION,
        },
      ],
    },
    {
      name: "a forced push is flagged even when it carries a merged pull request's commit",
      facts: pushScope({ forced: true, pullRequest: mergedPr }),
      findings: [
        {
          message:
            'alice force-pushed to main (aaaaaaa..ccccccc), replacing its history; a branch ruleset on main that blocks force pushes (rule "non_fast_forward") should have stopped it',
          expected: "no force pushes to main",
          found: "forced push by alice",
          remediation: FORCED_REMEDIATION,
        },
      ],
    },
    {
      name: "a push of many commits lists ten and counts the rest",
      facts: pushScope({
        pullRequest: null,
        commits: Array.from({ length: 12 }, (_, i) =>
          commit(`fix: ${i}`, { sha: i.toString(16).repeat(40) }),
        ),
      }),
      findings: [
        {
          message:
            'alice pushed 12 commits (0000000, 1111111, 2222222, 3333333, 4444444, 5555555, 6666666, 7777777, 8888888, 9999999 and 2 more) directly to main (aaaaaaa..ccccccc) without a pull request; a branch ruleset on main that requires pull requests (rule "pull_request") should have stopped it',
          expected: "changes reach main through a merged pull request",
          found: "direct push by alice",
          remediation: DIRECT_REMEDIATION,
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "whether a pull request produced the push was not looked up",
      facts: pushScope({ pullRequest: undefined }),
      notEvaluated: "the pull request that produced this push was not looked up",
    },
  ],
});

describe("direct-push options", () => {
  it("takes no options", () => {
    expect(rule.options.safeParse({ branches: ["main"] }).success).toBe(false);
  });
});
