/**
 * Changes reach the default branch only by merging a pull request, and its history is never rewritten:
 * a direct or forced push there means the ruleset that should have stopped it is missing or was bypassed.
 */
import { z } from "zod";
import type { PushFacts } from "../facts/schema.js";
import { branchOfRef } from "./support/ref-patterns.js";
import { shortSha } from "./support/sha.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

/** How many commits a finding lists before it says how many more there are. */
const LISTED_COMMITS = 10;

export default defineRule({
  id: "direct-push",
  scope: "push",
  description: "The default branch changes only through merged pull requests and is never force-pushed",
  options: z.object({}).strict(),
  requires: ["push", "push.pullRequest"],
  check({ facts }) {
    const push = facts.push;
    if (!push || push.pullRequest === undefined) {
      return notEvaluated("the pull request that produced this push was not looked up");
    }
    const branch = facts.repo.defaultBranch;
    // A deletion removes nothing from the default branch's history; the push that creates the branch is a
    // new repository's first commit, made before any pull request could exist.
    if (branchOfRef(push.ref) !== branch || push.deleted || push.created) return [];
    const range = `${shortSha(push.before)}..${shortSha(push.after)}`;
    const pusher = push.pusher.login;
    const findings: RuleFinding[] = [];
    if (push.forced) {
      findings.push({
        message: `${pusher} force-pushed to ${branch} (${range}), replacing its history${listCommits(push, ", adding ")}; a branch ruleset on ${branch} that blocks force pushes (rule "non_fast_forward") should have stopped it`,
        expected: `no force pushes to ${branch}`,
        found: `forced push by ${pusher}`,
        remediation: `Find the commits the force push dropped with \`git log ${push.after}..${push.before}\` and restore any that were lost through a pull request; then have an administrator add or fix the branch ruleset on ${branch} so rule "non_fast_forward" applies with no bypass for ${pusher}.`,
      });
    }
    if (push.pullRequest === null) {
      findings.push({
        message: `${pusher} pushed${listCommits(push, " ")} directly to ${branch} (${range}) without a pull request; a branch ruleset on ${branch} that requires pull requests (rule "pull_request") should have stopped it`,
        expected: `changes reach ${branch} through a merged pull request`,
        found: `direct push by ${pusher}`,
        remediation: `Open a pull request that reviews ${range} after the fact (or reverts it); then have an administrator add or fix the branch ruleset on ${branch} so rule "pull_request" applies with no bypass that lets ${pusher} push directly.`,
      });
    }
    return findings;
  },
});

/** `prefix` then `3 commits (1a2b3c4, …)`, or nothing when the push listed no commits. */
function listCommits(push: PushFacts, prefix: string): string {
  const count = push.commits.length;
  if (count === 0) return "";
  const listed = push.commits.slice(0, LISTED_COMMITS).map((commit) => shortSha(commit.sha));
  const more = count > LISTED_COMMITS ? ` and ${count - LISTED_COMMITS} more` : "";
  return `${prefix}${count} commit${count === 1 ? "" : "s"} (${listed.join(", ")}${more})`;
}
