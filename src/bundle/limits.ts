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
  /** Most standards in a bundle, those of the bundle it extends included. */
  maxStandards: 200,
  /**
   * Most regular expressions in all the standards' options: each is matched against every repository's
   * text, so this bounds what one bundle asks of a sweep (each pattern is bounded by `PATTERN_LIMITS`).
   */
  maxPatterns: 100,
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
 * Checks a bundle's files, given by their size in bytes, against the limits, in path order, and names the
 * first file over each one. `display` turns a bundle-relative path into the path shown to the reader.
 */
export function checkSizeLimits(
  sizes: Record<string, number>,
  display: (path: string) => string,
): BundleDiagnostic[] {
  const errors: BundleDiagnostic[] = [];
  let total = 0;
  let count = 0;
  for (const path of Object.keys(sizes).sort()) {
    count += 1;
    if (count === BUNDLE_LIMITS.maxFiles + 1) errors.push(tooManyFiles(display(path)));
    const bytes = sizes[path] ?? 0;
    if (bytes > BUNDLE_LIMITS.maxFileBytes) errors.push(fileTooLarge(display(path), bytes));
    const before = total;
    total += bytes;
    if (before <= BUNDLE_LIMITS.maxTotalBytes && total > BUNDLE_LIMITS.maxTotalBytes) {
      errors.push(bundleTooLarge(display(path), total));
    }
  }
  return errors;
}

/** `checkSizeLimits` for files already read. */
export function checkFileLimits(
  files: Record<string, string>,
  display: (path: string) => string,
): BundleDiagnostic[] {
  const sizes = Object.fromEntries(Object.entries(files).map(([path, text]) => [path, byteLength(text)]));
  return checkSizeLimits(sizes, display);
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A bundle file's bytes as text. Bytes that are not UTF-8 are an error at the file and the line of the
 * first bad byte, never silently replaced with U+FFFD.
 */
export function decodeBundleFile(
  file: string,
  bytes: Uint8Array,
): { text: string } | { error: BundleDiagnostic } {
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    // The longest prefix that decodes, allowing a cut multi-byte character at its end, ends at the bad
    // sequence or just inside it; the sequence starts at its last lead byte.
    let low = 0;
    let high = bytes.length;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (decodes(bytes.subarray(0, middle))) low = middle;
      else high = middle - 1;
    }
    if (!decodes(bytes.subarray(0, low), false)) {
      while (low > 0 && ((bytes[low - 1] ?? 0) & 0xc0) === 0x80) low--;
      if (low > 0 && (bytes[low - 1] ?? 0) >= 0xc0) low--;
    }
    const before = bytes.subarray(0, low);
    const line = before.filter((byte) => byte === 0x0a).length + 1;
    const column = low - before.lastIndexOf(0x0a);
    return {
      error: {
        file,
        line,
        column,
        key: "",
        message: `byte ${low + 1} is not valid UTF-8; save the file as UTF-8`,
        severity: "error",
      },
    };
  }
}

function decodes(bytes: Uint8Array, allowCutEnd = true): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: allowCutEnd });
    return true;
  } catch {
    return false;
  }
}
