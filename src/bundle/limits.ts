/**
 * Bounds on what a bundle may contain, so a hostile or broken bundle costs a clear error rather than
 * memory or time. Readers (disk, GitHub) and the parser share them.
 */
import { type BundleDiagnostic, fileDiagnostic } from "./diagnostics.js";

export const BUNDLE_LIMITS = {
  /** Largest single file of a bundle (bytes). */
  maxFileBytes: 1024 * 1024,
  /** Most files in one bundle. */
  maxFiles: 500,
  /** Largest sum of all file sizes of one bundle (bytes). */
  maxTotalBytes: 10 * 1024 * 1024,
  /** Largest `rulebook.yml` (bytes); far beyond any real bundle, small enough to parse quickly. */
  maxYamlBytes: 256 * 1024,
  /** Most alias expansions the YAML may perform (the `yaml` package's `maxAliasCount`). */
  maxAliasCount: 100,
  /** Deepest nesting of mappings and lists in `rulebook.yml`. */
  maxDepth: 32,
  /** Longest chain of `extends`. */
  maxExtendsDepth: 5,
} as const;

/** Directories a bundle reader never descends into. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(["node_modules", ".git"]);

export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export function fileTooLarge(file: string, bytes: number): BundleDiagnostic {
  return fileDiagnostic(
    file,
    `file is ${bytes} bytes; a bundle file may be at most ${BUNDLE_LIMITS.maxFileBytes} bytes`,
  );
}

export function tooManyFiles(file: string): BundleDiagnostic {
  return fileDiagnostic(
    file,
    `the bundle has more than ${BUNDLE_LIMITS.maxFiles} files; this file is over the limit (move large or unrelated files out of the bundle)`,
  );
}

export function bundleTooLarge(file: string, total: number): BundleDiagnostic {
  return fileDiagnostic(
    file,
    `with this file the bundle reaches ${total} bytes; a bundle may total at most ${BUNDLE_LIMITS.maxTotalBytes} bytes`,
  );
}

/**
 * Checks a bundle's files against the limits, in path order, and names the first file over each one.
 * `display` turns a bundle-relative path into the path shown to the reader.
 */
export function checkFileLimits(
  files: Record<string, string>,
  display: (path: string) => string,
): BundleDiagnostic[] {
  const errors: BundleDiagnostic[] = [];
  let total = 0;
  let count = 0;
  for (const path of Object.keys(files).sort()) {
    count += 1;
    if (count === BUNDLE_LIMITS.maxFiles + 1) errors.push(tooManyFiles(display(path)));
    const bytes = byteLength(files[path] ?? "");
    if (bytes > BUNDLE_LIMITS.maxFileBytes) errors.push(fileTooLarge(display(path), bytes));
    const before = total;
    total += bytes;
    if (before <= BUNDLE_LIMITS.maxTotalBytes && total > BUNDLE_LIMITS.maxTotalBytes) {
      errors.push(bundleTooLarge(display(path), total));
    }
  }
  return errors;
}
