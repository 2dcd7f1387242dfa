/**
 * A pull request does not make a CI test step or job unable to fail, unless a comment beside the change
 * cites an open tracking issue: a test step marked `continue-on-error`, a `|| true` after the test command,
 * an `if: false`, a test job or matrix entry dropped, all turn a red check green while every test still
 * "runs". The workflows are read by `support/cannot-fail.ts`, which `required-checks` reads too.
 */
import { z } from "zod";
import { matchesGlobs } from "../util/pattern.js";
import {
  type CannotFail,
  type CannotFailCause,
  cannotFailInPullRequest,
  WORKFLOW_PATHS,
} from "./support/cannot-fail.js";
import { compareRuleFindings } from "./support/finding-order.js";
import { trackingOf, zReferenceForms } from "./support/issue-references.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

const options = z
  .object({
    /** The forms of tracking reference a comment may use; each is verified on GitHub. */
    references: zReferenceForms,
    /** Globs of the workflow files judged. */
    paths: z.array(z.string().min(1)).min(1).default(WORKFLOW_PATHS),
  })
  .strict();

const REMEDIATIONS: Record<CannotFailCause, (item: CannotFail) => string> = {
  "continue-on-error": (item) =>
    `Take out the continue-on-error at ${where(item)} so a failure is no longer ignored, and make the failing tests pass; a flaky test is fixed, or skipped in the code with a tracking issue, not the whole step.`,
  "status-discarded": (item) =>
    `Let the exit status of the test command at ${where(item)} fail the step, not a fallback that always succeeds: take out \`|| true\`, \`; exit 0\` or \`set +e\`, put \`set -o pipefail\` (or \`shell: bash\`) before a pipe, or exit with \`$?\`. Then make the failing tests pass.`,
  "never-runs": (item) =>
    `Take out the always-false if: at ${where(item)} so the tests run again, and make what fails pass.`,
  "job-removed": (item) =>
    `Restore job "${item.job}" in ${item.path}, or move its tests into another job of a changed workflow, so they keep running on every pull request.`,
  "matrix-entry-removed": (item) =>
    `Restore the matrix entry of job "${item.job}" at ${where(item)} so the tests keep running where they ran before.`,
};

function where(item: CannotFail): string {
  return item.line === undefined ? item.path : `${item.path}:${item.line}`;
}

export default defineRule({
  id: "ci-steps-can-fail",
  scope: "pr",
  authority: {
    ask: "code-owners",
    because:
      "letting a test step or job pass whatever its tests do needs a tracking issue that the owners of the workflow accept",
  },
  description:
    "Changed workflows do not make a test step or job unable to fail without citing an open tracking issue in a comment",
  options,
  requires: ["pr.files"],
  changedFileContents: (options) => (path) => matchesGlobs(path, options.paths),
  issueReferences({ facts, options }) {
    const { found } = cannotFailInPullRequest(facts, options);
    return [...new Set(found.flatMap((item) => item.references))].sort();
  },
  check({ facts, options }) {
    if (!facts.pullRequest?.files) return notEvaluated("the pull request's changed files were not gathered");
    const { found, unreadable } = cannotFailInPullRequest(facts, options);
    if (unreadable.length > 0)
      return notEvaluated(
        `changed workflows could not be read, so their tests were not judged: ${unreadable.join("; ")}`,
      );
    const findings: RuleFinding[] = [];
    const unverified: string[] = [];
    for (const item of found) {
      const tracking = trackingOf(item.references, facts.issues);
      if (tracking.kind === "tracked") continue;
      if (tracking.kind === "unverified") {
        unverified.push(`${where(item)} cites ${item.references.join(", ")}`);
        continue;
      }
      const { known } = tracking;
      const citing =
        known.length === 0
          ? "with no comment beside it citing a tracking issue"
          : `citing ${known.map(([ref, state]) => `${ref}, which ${state === "closed" ? "is closed" : "does not exist or cannot be read"}`).join("; ")}`;
      findings.push({
        message: `${capitalize(item.description)}, ${citing}; a test that cannot fail validates nothing`,
        path: item.path,
        ...(item.line !== undefined ? { line: item.line } : {}),
        expected:
          "the tests can fail the check, or a comment on the line or just above citing an open tracking issue",
        found: item.found,
        remediation: REMEDIATIONS[item.cause](item),
      });
    }
    if (findings.length === 0 && unverified.length > 0) {
      const why = facts.unavailable.issues ?? "the tracking issues were not looked up on GitHub";
      return notEvaluated(
        `${unverified.length} change(s) that let tests pass whatever they do cite a tracking issue that was not verified (${why}): ${unverified.join("; ")}`,
      );
    }
    return findings.sort(compareRuleFindings);
  },
});

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
