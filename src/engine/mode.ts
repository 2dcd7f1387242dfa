/**
 * Rollout modes (pure): which standards a bundle enforces and which it only observes, and what that makes
 * of a verdict. An observed standard is judged and reported like any other, but it blocks no merge (the
 * check concludes `neutral` where it would fail) and opens no RTFM issue.
 */
import type { Bundle, Mode } from "../bundle/types.js";
import { blockingNotEvaluated, summarize } from "./summary.js";
import type { Verdict } from "./verdict.js";

/** A standard's mode: its own, else the bundle's `settings.mode`, else `fallback` (the app's default). */
export function modeOf(
  bundle: Pick<Bundle, "settings" | "standards">,
  standard: string,
  fallback: Mode,
): Mode {
  return bundle.standards.find((s) => s.id === standard)?.mode ?? bundle.settings.mode ?? fallback;
}

export type CheckConclusion = "success" | "failure" | "neutral" | "pending";

interface CheckOutcome {
  conclusion: CheckConclusion;
  /** Standards that block the merge: an error finding stands, or an error standard could not be judged. */
  blocking: string[];
  /** Of those, the ones only observed: enforce would fail the check on them. */
  observed: string[];
}

/**
 * The check run's conclusion: `failure` when an enforced standard blocks; `pending` while every error
 * finding waits on something still running; `neutral` when only observed standards block; else `success`.
 * A standard that could not be judged blocks like a failure (fail closed), in its own mode.
 */
export function checkOutcome(verdict: Verdict, bundle: Bundle, fallback: Mode): CheckOutcome {
  const summary = summarize(verdict);
  const blocking = [
    ...new Set([
      ...verdict.findings.filter((f) => f.severity === "error" && !f.pending).map((f) => f.standard),
      ...blockingNotEvaluated(verdict, bundle).map((n) => n.standard),
    ]),
  ].sort();
  const observed = blocking.filter((id) => modeOf(bundle, id, fallback) === "observe");
  const conclusion: CheckConclusion =
    blocking.length > observed.length
      ? "failure"
      : summary.conclusion === "pending"
        ? "pending"
        : observed.length > 0
          ? "neutral"
          : "success";
  return { conclusion, blocking, observed };
}
