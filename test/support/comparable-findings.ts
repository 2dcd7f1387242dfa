/** What the app and the CLI must agree on in a verdict: a standard's findings, field by field. */
import type { Finding } from "../../src/engine/verdict.js";

/** The fields a finding is compared on: everything an agent acts upon. */
const COMPARED = [
  "standard",
  "rule",
  "severity",
  "message",
  "path",
  "line",
  "expected",
  "found",
  "remediation",
  "docs",
] as const;

/** The findings of `standard`, each reduced to the fields compared. */
export function comparableFindings(findings: Finding[], standard: string) {
  return findings
    .filter((finding) => finding.standard === standard)
    .map((finding) =>
      Object.fromEntries(COMPARED.flatMap((key) => (key in finding ? [[key, finding[key]]] : []))),
    );
}
