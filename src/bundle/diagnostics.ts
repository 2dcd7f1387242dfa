/**
 * Problems found in a bundle, each located at a file, line, column and dotted YAML key, so a person
 * can jump to it and a program can act on it.
 */
import { compareStrings } from "../util/compare.js";

export interface BundleDiagnostic {
  /** The file as the reader should find it, such as `standards/rulebook.yml`. */
  file: string;
  /** 1-based; 1 when the problem concerns the whole file. */
  line: number;
  /** 1-based; 1 when the problem concerns the whole file. */
  column: number;
  /** Dotted YAML path such as `standards.pr-title.options.pattern`; empty for the file as a whole. */
  key: string;
  message: string;
  /** Errors make the bundle unusable; warnings do not. */
  severity: "error" | "warning";
}

/** One line: `standards/rulebook.yml:12:5 standards.pr-title.severity: expected one of …`. */
export function formatDiagnostic(diagnostic: BundleDiagnostic): string {
  const where = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`;
  const label = diagnostic.severity === "warning" ? "warning: " : "";
  const key = diagnostic.key === "" ? "" : `${diagnostic.key}: `;
  return `${where} ${key}${label}${diagnostic.message}`;
}

/** Every diagnostic on its own line, in reading order. */
export function formatDiagnostics(diagnostics: readonly BundleDiagnostic[]): string {
  return sortDiagnostics(diagnostics).map(formatDiagnostic).join("\n");
}

/** Reading order: by file, then line, then column, then key. */
export function sortDiagnostics(diagnostics: readonly BundleDiagnostic[]): BundleDiagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareStrings(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareStrings(a.key, b.key) ||
      compareStrings(a.message, b.message),
  );
}

/** A problem with a whole file (missing, too large) rather than a place in it. */
export function fileDiagnostic(
  file: string,
  message: string,
  severity: BundleDiagnostic["severity"] = "error",
): BundleDiagnostic {
  return { file, line: 1, column: 1, key: "", message, severity };
}
