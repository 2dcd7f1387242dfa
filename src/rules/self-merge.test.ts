import { describe, expect, it } from "@jest/globals";
import { pushScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import type { Actor, MergedPullRequest, Review } from "../facts/schema.js";
import rule from "./self-merge.js";

const HEAD = `d${"1".repeat(39)}`;
const OLD = `e${"2".repeat(39)}`;
const alice: Actor = { login: "alice", type: "User" };
const bob: Actor = { login: "bob", type: "User" };
const carol: Actor = { login: "carol", type: "User" };
const devin: Actor = { login: "devin-ai-integration[bot]", type: "Bot" };
const mergify: Actor = { login: "mergify[bot]", type: "Bot" };

const review = (author: Actor, state: Review["state"], commitId = HEAD, submittedAt?: string): Review => ({
  author,
  state,
  commitId,
  ...(submittedAt ? { submittedAt } : {}),
});

function merged(extra: Partial<MergedPullRequest>): ReturnType<typeof pushScope> {
  return pushScope({
    pullRequest: {
      number: 12,
      title: "feat: add login",
      author: alice,
      mergedBy: alice,
      headSha: HEAD,
      reviews: [],
      checkRuns: [],
      ...extra,
    },
  });
}

const selfMergeRemediation =
  'Have a human other than alice review #12 now and revert it if they find a problem; then have an administrator make the branch ruleset for main require an approving review (rule "pull_request", required_approving_review_count of at least 1, require_last_push_approval) and remove the bypass that let alice merge without one.';

const selfMerged = (found: string, onHead = " on its head d111111") => ({
  message: `Pull request #12 "feat: add login" was merged by its author alice without an approving review from an independent human${onHead}`,
  expected: `an approving review${onHead} by a human other than alice, not a bot or agent`,
  found,
  remediation: selfMergeRemediation,
});

testRule(rule, {
  valid: [
    { name: "a push that no pull request produced", facts: pushScope({ pullRequest: null }) },
    { name: "a pull request merged by another human", facts: merged({ mergedBy: bob }) },
    {
      name: "a self-merge approved on the head by an independent human",
      facts: merged({ reviews: [review(bob, "APPROVED")] }),
    },
    {
      name: "an agent's merge approved by a human who is neither author nor merger",
      facts: merged({ author: devin, mergedBy: mergify, reviews: [review(carol, "APPROVED")] }),
    },
    {
      name: "an approval on an older commit counts when the option allows it",
      facts: merged({ reviews: [review(bob, "APPROVED", OLD)] }),
      options: { requireApprovalOnHead: false },
    },
    {
      name: "a later comment does not cancel an approval",
      facts: merged({ reviews: [review(bob, "APPROVED"), review(bob, "COMMENTED")] }),
    },
  ],
  invalid: [
    {
      name: "merged by its author with no review at all",
      facts: merged({}),
      findings: [selfMerged("no independent approval")],
    },
    {
      name: "merged by its author who approved it themselves, with a bot's approval",
      facts: merged({
        reviews: [review(alice, "APPROVED"), review({ login: "coderabbitai[bot]", type: "Bot" }, "APPROVED")],
      }),
      findings: [
        selfMerged("no independent approval; not counted: alice is the author; coderabbitai[bot] is a bot"),
      ],
    },
    {
      name: "an approval on an older commit does not count on the merged head",
      facts: merged({ reviews: [review(bob, "APPROVED", OLD)] }),
      findings: [
        selfMerged("no independent approval; not counted: bob approved e222222, not the head d111111"),
      ],
    },
    {
      name: "an approval without a known commit does not count on the merged head",
      facts: merged({ reviews: [{ author: bob, state: "APPROVED" }] }),
      findings: [
        selfMerged(
          "no independent approval; not counted: bob approved an unknown commit, not the head d111111",
        ),
      ],
    },
    {
      name: "the latest decisive review wins: approval then change request, and a dismissed approval",
      facts: merged({
        reviews: [
          review(bob, "APPROVED", HEAD, "2026-11-20T10:00:00Z"),
          review(carol, "DISMISSED", HEAD, "2026-11-20T10:30:00Z"),
          review(bob, "CHANGES_REQUESTED", HEAD, "2026-11-20T11:00:00Z"),
        ],
      }),
      findings: [
        selfMerged(
          "no independent approval; not counted: bob requested changes; carol's review was dismissed",
        ),
      ],
    },
    {
      name: "reviews are ordered by submission time, not by list order",
      facts: merged({
        reviews: [
          review(bob, "CHANGES_REQUESTED", HEAD, "2026-11-20T11:00:00Z"),
          review(bob, "APPROVED", HEAD, "2026-11-20T10:00:00Z"),
        ],
      }),
      findings: [selfMerged("no independent approval; not counted: bob requested changes")],
    },
    {
      name: "an approver the bundle lists as an agent does not count",
      facts: merged({ reviews: [review({ login: "review-agent", type: "User" }, "APPROVED")] }),
      agentLogins: ["review-agent"],
      findings: [selfMerged("no independent approval; not counted: review-agent is an agent")],
    },
    {
      name: "with the option off, a self-merge with no approval still fails, without naming a head",
      facts: merged({}),
      options: { requireApprovalOnHead: false },
      findings: [selfMerged("no independent approval", "")],
    },
    {
      name: "a bot merged an agent's pull request whose only approval came from the merging bot",
      facts: merged({ author: devin, mergedBy: mergify, reviews: [review(mergify, "APPROVED")] }),
      findings: [
        {
          message:
            'Pull request #12 "feat: add login" was merged by mergify[bot], a bot or agent, without an approving review from an independent human on its head d111111',
          expected:
            "an approving review on its head d111111 by a human other than devin-ai-integration[bot] and mergify[bot], not a bot or agent",
          found: "no independent approval; not counted: mergify[bot] is the merger",
          remediation:
            'Have a human other than devin-ai-integration[bot] and mergify[bot] review #12 now and revert it if they find a problem; then have an administrator make the branch ruleset for main require an approving review (rule "pull_request", required_approving_review_count of at least 1, require_last_push_approval) and remove the bypass that let mergify[bot] merge without one.',
        },
      ],
    },
    {
      name: "a human's pull request merged by an agent account listed in the bundle",
      facts: merged({
        author: bob,
        mergedBy: { login: "ops-agent", type: "User" },
        reviews: [review(bob, "APPROVED")],
      }),
      agentLogins: ["ops-agent"],
      findings: [
        {
          message:
            'Pull request #12 "feat: add login" was merged by ops-agent, a bot or agent, without an approving review from an independent human on its head d111111',
          expected:
            "an approving review on its head d111111 by a human other than bob and ops-agent, not a bot or agent",
          found: "no independent approval; not counted: bob is the author",
          remediation:
            'Have a human other than bob and ops-agent review #12 now and revert it if they find a problem; then have an administrator make the branch ruleset for main require an approving review (rule "pull_request", required_approving_review_count of at least 1, require_last_push_approval) and remove the bypass that let ops-agent merge without one.',
        },
      ],
    },
    {
      name: "logins compare without case: the author approving under another spelling is still the author",
      facts: merged({
        author: { login: "Alice", type: "User" },
        reviews: [review({ login: "ALICE", type: "User" }, "APPROVED")],
      }),
      findings: [
        {
          message:
            'Pull request #12 "feat: add login" was merged by its author alice without an approving review from an independent human on its head d111111',
          expected: "an approving review on its head d111111 by a human other than Alice, not a bot or agent",
          found: "no independent approval; not counted: ALICE is the author",
          remediation:
            'Have a human other than Alice review #12 now and revert it if they find a problem; then have an administrator make the branch ruleset for main require an approving review (rule "pull_request", required_approving_review_count of at least 1, require_last_push_approval) and remove the bypass that let alice merge without one.',
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
    {
      name: "GitHub did not say who merged",
      facts: merged({ mergedBy: null }),
      notEvaluated: "GitHub did not say who merged #12",
    },
    {
      name: "the reviews of a self-merged pull request were not gathered",
      facts: merged({ reviews: undefined }),
      notEvaluated: "the reviews of #12 were not gathered",
    },
  ],
});

describe("self-merge options", () => {
  it("requires approval on the head by default and refuses unknown keys", () => {
    expect(rule.options.parse({})).toEqual({ requireApprovalOnHead: true });
    expect(rule.options.safeParse({ requireApprovalOnHEAD: false }).success).toBe(false);
  });
});
