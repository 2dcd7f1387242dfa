/**
 * What a verdict adds up to, for the check run's conclusion and the CLI's exit code alike.
 */
import type { Bundle, Severity } from "../bundle/types.js";
import type { NotEvaluatedStandard, Verdict } from "./verdict.js";

export type Conclusion = "success" | "failure" | "pending";

export interface VerdictSummary {
  /** Findings by severity, pending ones included. */
  counts: Record<Severity, number>;
  /** Findings waiting on something still running. */
  pending: number;
  /** Standards that apply but could not be judged. */
  notEvaluated: number;
  /**
   * `failure` when an error finding stands that is not pending; `pending` when every error finding is
   * pending; else `success`. Standards not evaluated do not count here: see `blockingNotEvaluated`.
   */
  conclusion: Conclusion;
}

export function summarize(verdict: Verdict): VerdictSummary {
  const counts: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  let pending = 0;
  let blocking = 0;
  for (const finding of verdict.findings) {
    counts[finding.severity] += 1;
    if (finding.pending) pending += 1;
    else if (finding.severity === "error") blocking += 1;
  }
  const conclusion: Conclusion = blocking > 0 ? "failure" : counts.error > 0 ? "pending" : "success";
  return { counts, pending, notEvaluated: verdict.notEvaluated.length, conclusion };
}

/**
 * The standards not evaluated that would block a merge had they failed: error severity (after effective
 * dates, as the verdict records it), or, for verdicts that do not record it, the bundle's severity. A
 * caller that fails closed treats any of these as a failure; one that does not, reports them.
 */
export function blockingNotEvaluated(verdict: Verdict, bundle: Bundle): NotEvaluatedStandard[] {
  const bundleSeverity = new Map(bundle.standards.map((standard) => [standard.id, standard.severity]));
  return verdict.notEvaluated.filter(
    // A standard the bundle does not know cannot be shown harmless, so it blocks too.
    (entry) => (entry.severity ?? bundleSeverity.get(entry.standard) ?? "error") === "error",
  );
}
