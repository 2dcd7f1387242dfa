/**
 * Who counts as an independent human approver of a pull request: a person who is not its author (nor its
 * merger, for merged ones), not a bot and not an agent, whose latest decisive review approves, on the head
 * commit when that is demanded. Shared by the rules that gate guarded changes and merges.
 */

import type { Actor, Review } from "../../facts/schema.js";
import { compareStrings } from "../../util/compare.js";
import { shortSha } from "./sha.js";

/** Review states that decide a reviewer's standing; comments and pending drafts do not. */
const DECISIVE = new Set<Review["state"]>(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);

interface ApprovalPolicy {
  /** People whose own approval cannot count, with the role that disqualifies them ("the author"). */
  excluded: Array<{ login: string; role: string }>;
  isAgent(actor: Actor): boolean;
  /** When set, only approvals submitted on this commit count. */
  headSha?: string;
}

interface ApprovalTally {
  /** Logins of independent humans whose latest decisive review approves, sorted. */
  approvers: string[];
  /** Why each other reviewer's latest decisive review does not count, sorted by login. */
  discounted: string[];
}

/**
 * Each reviewer's latest APPROVED, CHANGES_REQUESTED or DISMISSED review. Reviews are taken in the order
 * GitHub lists them (oldest first), re-sorted by submission time when every review carries one.
 */
export function latestDecisiveReviews(reviews: readonly Review[]): Review[] {
  const ordered = reviews.every((review) => review.submittedAt !== undefined)
    ? [...reviews].sort((a, b) => Date.parse(a.submittedAt ?? "") - Date.parse(b.submittedAt ?? ""))
    : reviews;
  const latest = new Map<string, Review>();
  for (const review of ordered) {
    if (DECISIVE.has(review.state)) latest.set(review.author.login.toLowerCase(), review);
  }
  return [...latest.values()].sort((a, b) => compareLogins(a.author.login, b.author.login));
}

export function tallyApprovals(reviews: readonly Review[], policy: ApprovalPolicy): ApprovalTally {
  const approvers: string[] = [];
  const discounted: string[] = [];
  for (const review of latestDecisiveReviews(reviews)) {
    const login = review.author.login;
    const excluded = policy.excluded.find((person) => person.login.toLowerCase() === login.toLowerCase());
    if (review.state === "CHANGES_REQUESTED") discounted.push(`${login} requested changes`);
    else if (review.state === "DISMISSED") discounted.push(`${login}'s review was dismissed`);
    else if (excluded) discounted.push(`${login} is ${excluded.role}`);
    else if (review.author.type === "Bot") discounted.push(`${login} is a bot`);
    else if (policy.isAgent(review.author)) discounted.push(`${login} is an agent`);
    else if (policy.headSha !== undefined && review.commitId !== policy.headSha) {
      const on = review.commitId === undefined ? "an unknown commit" : shortSha(review.commitId);
      discounted.push(`${login} approved ${on}, not the head ${shortSha(policy.headSha)}`);
    } else approvers.push(login);
  }
  return { approvers, discounted };
}

/** One line for a finding: who approved and which reviews did not count. */
export function describeTally(tally: ApprovalTally): string {
  const approved =
    tally.approvers.length === 0 ? "no independent approval" : `approved by ${tally.approvers.join(", ")}`;
  return tally.discounted.length === 0
    ? approved
    : `${approved}; not counted: ${tally.discounted.join("; ")}`;
}

function compareLogins(a: string, b: string): number {
  return compareStrings(a.toLowerCase(), b.toLowerCase());
}
