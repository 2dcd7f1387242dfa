/**
 * A merged pull request whose head did not carry a successful Rulebook check: it was merged while the check
 * failed, was still running or never ran, which takes an admin bypass or a ruleset that does not require it.
 */
import { z } from "zod";
import { checkRunOutcome, checkRunState, describeCheckRun } from "./support/check-runs.js";
import { compareRuleFindings } from "./support/finding-order.js";
import { branchOfRef } from "./support/ref-patterns.js";
import { shortSha } from "./support/sha.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

const options = z
  .object({
    /** The check that must have succeeded; the bundle's `settings.checkName` when absent. */
    check: z.string().min(1).optional(),
  })
  .strict();

export default defineRule({
  id: "bypassed-check",
  scope: "push",
  description: "A pull request is merged only after the Rulebook check concluded success on its head",
  options,
  requires: ["push.pullRequest"],
  check({ facts, options, checkName }) {
    const push = facts.push;
    const pr = push?.pullRequest;
    if (pr === null) return [];
    if (!push || !pr) return notEvaluated("the pull request that produced this push was not looked up");
    if (!pr.checkRuns) {
      return notEvaluated(`the check runs of #${pr.number}'s head ${shortSha(pr.headSha)} were not gathered`);
    }
    const name = options.check ?? checkName;
    const head = shortSha(pr.headSha);
    // This app's own check counts only when this app reported it: a job named "rulebook" elsewhere is no stand-in.
    const own = name === checkName ? facts.app?.id : undefined;
    const runs = pr.checkRuns.filter(
      (run) => run.name === name && (own === undefined || run.app?.id === own),
    );
    const merged = `Pull request #${pr.number} was merged${pr.mergedBy ? ` by ${pr.mergedBy.login}` : ""}`;
    const bypass = "an admin bypassed the ruleset, or no ruleset requires the check";
    const remediation = `Re-run "${name}" on ${head} and fix what it finds in a new pull request; have an administrator make "${name}" a required status check, pinned to the app that reports it, in the ruleset for ${branchOfRef(push.ref) ?? push.ref}${pr.mergedBy ? `, and remove ${pr.mergedBy.login}'s bypass` : ""}.`;
    if (runs.length === 0) {
      return [
        {
          message: `${merged} although its "${name}" check never ran on its head ${head}: ${bypass}`,
          expected: `"${name}" concluded success on ${head}`,
          found: "missing",
          remediation,
        },
      ];
    }
    const findings: RuleFinding[] = runs
      .filter((run) => checkRunState(run) !== "success")
      .map((run) => {
        const outcome = checkRunOutcome(run);
        const state = run.conclusion === null ? `was still ${outcome}` : `concluded ${outcome}`;
        return {
          message: `${merged} while its ${describeCheckRun(run)} check ${state} on its head ${head}: ${bypass}`,
          expected: `"${name}" concluded success on ${head}`,
          found: outcome,
          remediation,
        };
      });
    return findings.sort(compareRuleFindings);
  },
});
