/**
 * Where a check run stands, for rules that demand checks concluded `success` (required checks before a
 * merge, the app's own check after one). Only `success` passes; every other state is named as GitHub names it.
 */
import type { CheckRunFact } from "../../facts/schema.js";

/** `failed` covers failure, cancelled, timed_out, action_required and stale. */
export type CheckRunState = "success" | "pending" | "skipped" | "neutral" | "failed";

export function checkRunState(run: CheckRunFact): CheckRunState {
  switch (run.conclusion) {
    case null:
      return "pending";
    case "success":
    case "skipped":
    case "neutral":
      return run.conclusion;
    default:
      return "failed";
  }
}

/** GitHub's own word for the run's state: its conclusion once it has one, else its status. */
export function checkRunOutcome(run: CheckRunFact): string {
  return run.conclusion ?? run.status;
}

/** A check's name with the app that reported it, when known: `lint (github-actions)`. */
export function describeCheckRun(run: CheckRunFact): string {
  return run.app ? `"${run.name}" (${run.app.slug})` : `"${run.name}"`;
}
