/**
 * The verdict's stable order, so the same facts always give the same bytes and a reader sees what blocks
 * first. Strings compare by UTF-16 code units, never by locale, which would vary between machines.
 */
import { SEVERITY_RANK } from "../bundle/schema.js";
import { compareStrings } from "../util/compare.js";
import type { Finding } from "./verdict.js";

function compareNumbers(a: number, b: number): number {
  return a - b;
}

/** Absent values sort first: a finding about the whole change before findings at a place in it. */
function compareOptional<T>(a: T | undefined, b: T | undefined, compare: (a: T, b: T) => number): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return compare(a, b);
}

/** Severity (error, warning, notice), standard, path, line, message; the remaining fields break ties. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    compareStrings(a.standard, b.standard) ||
    compareOptional(a.path, b.path, compareStrings) ||
    compareOptional(a.line, b.line, compareNumbers) ||
    compareStrings(a.message, b.message) ||
    compareOptional(a.endLine, b.endLine, compareNumbers) ||
    compareOptional(a.expected, b.expected, compareStrings) ||
    compareOptional(a.found, b.found, compareStrings) ||
    compareStrings(a.remediation, b.remediation) ||
    compareStrings(a.rule, b.rule) ||
    compareStrings(a.docs, b.docs) ||
    Number(a.pending === true) - Number(b.pending === true)
  );
}
