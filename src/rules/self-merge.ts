/**
 * No one merges their own work unreviewed, and no bot or agent merges work that no independent human
 * approved: agents merging their own pull requests is how unreviewed changes reach the default branch.
 */
import { z } from "zod";
import { describeTally, tallyApprovals } from "./support/approvals.js";
import { branchOfRef } from "./support/ref-patterns.js";
import { shortSha } from "./support/sha.js";
import { defineRule, notEvaluated } from "./types.js";

const options = z
  .object({
    /** Count only approvals submitted on the merged head, so nothing pushed after the approval slips in. */
    requireApprovalOnHead: z.boolean().default(true),
  })
  .strict();

export default defineRule({
  id: "self-merge",
  scope: "push",
  description:
    "A pull request merged by its author, a bot or an agent has an approving review from an independent human",
  options,
  requires: ["push.pullRequest"],
  check({ facts, options, isAgent }) {
    const push = facts.push;
    const pr = push?.pullRequest;
    if (pr === null) return [];
    if (!push || !pr) return notEvaluated("the pull request that produced this push was not looked up");
    const merger = pr.mergedBy;
    if (!merger) return notEvaluated(`GitHub did not say who merged #${pr.number}`);
    const author = pr.author.login;
    const selfMerged = merger.login.toLowerCase() === author.toLowerCase();
    const agentMerged = merger.type === "Bot" || isAgent(merger);
    if (!selfMerged && !agentMerged) return [];
    if (!pr.reviews) return notEvaluated(`the reviews of #${pr.number} were not gathered`);
    const head = shortSha(pr.headSha);
    const tally = tallyApprovals(pr.reviews, {
      excluded: [
        { login: author, role: "the author" },
        { login: merger.login, role: "the merger" },
      ],
      isAgent,
      ...(options.requireApprovalOnHead ? { headSha: pr.headSha } : {}),
    });
    if (tally.approvers.length > 0) return [];
    const by = selfMerged ? `its author ${merger.login}` : `${merger.login}, a bot or agent,`;
    const onHead = options.requireApprovalOnHead ? ` on its head ${head}` : "";
    const others = selfMerged ? author : `${author} and ${merger.login}`;
    const branch = branchOfRef(push.ref) ?? push.ref;
    return [
      {
        message: `Pull request #${pr.number} "${pr.title}" was merged by ${by} without an approving review from an independent human${onHead}`,
        expected: `an approving review${onHead} by a human other than ${others}, not a bot or agent`,
        found: describeTally(tally),
        remediation: `Have a human other than ${others} review #${pr.number} now and revert it if they find a problem; then have an administrator make the branch ruleset for ${branch} require an approving review (rule "pull_request", required_approving_review_count of at least 1, require_last_push_approval) and remove the bypass that let ${merger.login} merge without one.`,
      },
    ];
  },
});
