/**
 * The verdict's stable order, so the same facts always give the same bytes and a reader sees what blocks
 * first. Strings compare by UTF-16 code units, never by locale, which would vary between machines.
 */
import type { Severity } from "../bundle/types.js";
import type { Finding } from "./verdict.js";

export const SEVERITY_ORDER: readonly Severity[] = ["error", "warning", "notice"];

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Absent values sort first: a finding about the whole change before findings at a place in it. */
function compareOptionalStrings(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return compareStrings(a, b);
}

function compareOptionalNumbers(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a - b;
}

/** Severity (error, warning, notice), standard, path, line, message; the remaining fields break ties. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    compareStrings(a.standard, b.standard) ||
    compareOptionalStrings(a.path, b.path) ||
    compareOptionalNumbers(a.line, b.line) ||
    compareStrings(a.message, b.message) ||
    compareOptionalNumbers(a.endLine, b.endLine) ||
    compareOptionalStrings(a.expected, b.expected) ||
    compareOptionalStrings(a.found, b.found) ||
    compareStrings(a.remediation, b.remediation) ||
    compareStrings(a.rule, b.rule) ||
    compareStrings(a.docs, b.docs) ||
    Number(a.pending === true) - Number(b.pending === true)
  );
}
