/**
 * The verdict: the document the check run, the CLI and the sweeps all carry (`rulebook.findings/v1`).
 * Its JSON Schema ships in `schema/rulebook.findings.v1.json`.
 */
import type { Severity } from "../bundle/types.js";

export const VERDICT_SCHEMA = "rulebook.findings/v1";

export interface Finding {
  standard: string;
  rule: string;
  severity: Severity;
  message: string;
  path?: string;
  line?: number;
  endLine?: number;
  expected?: string;
  found?: string;
  remediation: string;
  docs: string;
  /** Waiting on something still running; the check stays in progress rather than failing. */
  pending?: boolean;
}

export type StandardStatus = "pass" | "fail" | "waived" | "exempt" | "not-applicable" | "not-evaluated";

export interface StandardResult {
  standard: string;
  title: string;
  status: StandardStatus;
  /** Why the status is not plain pass or fail (the exemption, waiver or missing fact). */
  reason?: string;
}

export interface WaiverUse {
  standard: string;
  repository: string;
  owner: string;
  reason: string;
  expires: string;
  status: "active" | "expired";
}

/** A standard that applies but could not be judged: never a pass. */
export interface NotEvaluatedStandard {
  standard: string;
  reason: string;
  /**
   * The severity its findings would have had (an error standard before its `since` date is a warning), so
   * callers can fail closed on the ones that would block. Added compatibly: older producers omit it.
   */
  severity?: Severity;
}

export interface Verdict {
  schema: typeof VERDICT_SCHEMA;
  bundle: { source: string; version: string };
  findings: Finding[];
  notEvaluated: NotEvaluatedStandard[];
  /** Every standard of the bundle and what became of it for these facts. */
  standards: StandardResult[];
  waivers: WaiverUse[];
}
