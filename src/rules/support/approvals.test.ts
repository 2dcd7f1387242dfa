import { describe, expect, it } from "@jest/globals";
import type { Actor, Review } from "../../facts/schema.js";
import { describeTally, latestDecisiveReviews, tallyApprovals } from "./approvals.js";

const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);

function review(login: string, state: Review["state"], extra: Partial<Review> = {}): Review {
  return { author: { login, type: "User" }, state, commitId: HEAD, ...extra };
}

const policy = {
  excluded: [{ login: "Author", role: "the author" }],
  isAgent: (actor: Actor) => actor.login.endsWith("-agent"),
};

describe("latestDecisiveReviews", () => {
  it("keeps each reviewer's latest decisive review, ignoring comments, sorted by login", () => {
    const reviews = [
      review("zed", "APPROVED"),
      review("amy", "CHANGES_REQUESTED"),
      review("amy", "COMMENTED"),
      review("Zed", "DISMISSED"),
      review("amy", "APPROVED"),
      review("bob", "PENDING"),
    ];
    expect(latestDecisiveReviews(reviews).map((r) => [r.author.login, r.state])).toEqual([
      ["amy", "APPROVED"],
      ["Zed", "DISMISSED"],
    ]);
  });

  it("orders by submission time when every review has one", () => {
    const reviews = [
      review("amy", "APPROVED", { submittedAt: "2026-01-02T00:00:00Z" }),
      review("amy", "CHANGES_REQUESTED", { submittedAt: "2026-01-01T00:00:00Z" }),
    ];
    expect(latestDecisiveReviews(reviews).map((r) => r.state)).toEqual(["APPROVED"]);
  });
});

describe("tallyApprovals", () => {
  it("counts independent human approvals and says why each other review does not count", () => {
    const tally = tallyApprovals(
      [
        review("amy", "APPROVED"),
        review("author", "APPROVED"),
        review("ci", "APPROVED", { author: { login: "ci", type: "Bot" } }),
        review("code-agent", "APPROVED"),
        review("dan", "CHANGES_REQUESTED"),
        review("eve", "DISMISSED"),
        review("fay", "APPROVED", { commitId: OLD }),
        review("gus", "APPROVED", { commitId: undefined }),
      ],
      { ...policy, headSha: HEAD },
    );
    expect(tally).toEqual({
      approvers: ["amy"],
      discounted: [
        "author is the author",
        "ci is a bot",
        "code-agent is an agent",
        "dan requested changes",
        "eve's review was dismissed",
        "fay approved bbbbbbb, not the head aaaaaaa",
        "gus approved an unknown commit, not the head aaaaaaa",
      ],
    });
  });

  it("accepts approvals on any commit when no head is demanded", () => {
    expect(tallyApprovals([review("fay", "APPROVED", { commitId: OLD })], policy).approvers).toEqual(["fay"]);
  });
});

describe("describeTally", () => {
  it.each([
    [{ approvers: [], discounted: [] }, "no independent approval"],
    [{ approvers: ["amy", "bob"], discounted: [] }, "approved by amy, bob"],
    [
      { approvers: [], discounted: ["dan requested changes", "eve is an agent"] },
      "no independent approval; not counted: dan requested changes; eve is an agent",
    ],
  ])("%j reads %p", (tally, text) => {
    expect(describeTally(tally)).toBe(text);
  });
});
