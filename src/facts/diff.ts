/**
 * Unified-diff patches of one file (GitHub's `patch` field, or `git diff` output for a single file):
 * which lines of the new file the patch shows, and which of them it adds. Pure.
 */
import { parsePatch as parseUnifiedDiff, type StructuredPatchHunk } from "diff";
import type { ChangedFile } from "./schema.js";

/** A line of the new file that a patch shows, numbered as in the new file. */
interface PatchLine {
  line: number;
  text: string;
  /** True for a line the patch adds (`+`), false for a context line. */
  added: boolean;
}

interface ParsedPatch {
  /** Context and added lines in order of their new-file line numbers. */
  lines: readonly PatchLine[];
  /** Removed lines, numbered as in the old file, in order. */
  removed: ReadonlyArray<{ line: number; text: string }>;
  /**
   * The new-file line where the first change sits: the first added line, or for a removal the line that
   * now follows it (at least 1). Undefined when the patch has no hunk.
   */
  firstChangedLine?: number;
}

/**
 * Reads the hunks of a single file's patch with jsdiff. Text before the first hunk header (`diff --git`,
 * `---`, `+++`) is skipped, and each hunk is read for exactly the line counts its header announces, so an
 * added line that starts with `++` is never mistaken for a file header. A malformed patch (a hunk whose
 * lines do not match its counts) gives undefined: its line numbers cannot be trusted.
 */
export function parsePatch(patch: string): ParsedPatch | undefined {
  let hunks: StructuredPatchHunk[];
  try {
    hunks = parseUnifiedDiff(patch).flatMap((file) => file.hunks);
  } catch {
    return undefined;
  }
  const lines: PatchLine[] = [];
  const removed: Array<{ line: number; text: string }> = [];
  let firstChangedLine: number | undefined;
  for (const hunk of hunks) {
    let next = hunk.newStart;
    let nextOld = hunk.oldStart;
    for (const raw of hunk.lines) {
      const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      const marker = text[0];
      if (marker === "\\") continue; // "\ No newline at end of file"
      if (marker === "-") {
        firstChangedLine ??= Math.max(next, 1);
        removed.push({ line: nextOld, text: text.slice(1) });
        nextOld += 1;
        continue;
      }
      if (marker === "+") firstChangedLine ??= next;
      else nextOld += 1;
      // A context line; some tools strip the single space of an empty context line.
      lines.push({ line: next, text: text.slice(1), added: marker === "+" });
      next += 1;
    }
  }
  return firstChangedLine === undefined ? { lines, removed } : { lines, removed, firstChangedLine };
}

/** Parsed patches by changed file: rules that read one file's patch share one parse of it. */
const parsedPatches = new WeakMap<ChangedFile, { patch: string; parsed: ParsedPatch | undefined }>();

/**
 * The parsed patch of a changed file, undefined when it has none or it is malformed. Parsed once per file object however many
 * rules ask (test-skip and guarded-paths both do), so the cache lives and dies with the facts; the patch
 * text is compared too, so a file object given another patch is parsed again.
 */
export function parsedPatchOf(file: ChangedFile): ParsedPatch | undefined {
  if (file.patch === undefined) return undefined;
  const cached = parsedPatches.get(file);
  if (cached !== undefined && cached.patch === file.patch) return cached.parsed;
  const parsed = parsePatch(file.patch);
  parsedPatches.set(file, { patch: file.patch, parsed });
  return parsed;
}

/**
 * A changed file's content before the change, rebuilt from its new content and its patch: the patch is
 * taken against the merge base, so this is what the pull request changed, never what the base branch
 * changed since, and it costs no request. An added file had none (""); a removed file is its removed
 * lines. Undefined when it cannot be rebuilt: no patch, no new content, or a patch that does not match
 * the content.
 */
export function baseContentOf(file: ChangedFile): string | undefined {
  if (file.status === "added") return "";
  if (file.patch === undefined || file.patch === "") {
    // A rename or copy with identical content has no hunks to show.
    return (file.status === "renamed" || file.status === "copied") && file.content !== undefined
      ? file.content
      : undefined;
  }
  const patch = parsedPatchOf(file);
  if (!patch) return undefined;
  if (file.status === "removed") return patch.removed.map((line) => line.text).join("\n");
  if (file.content === undefined) return undefined;
  const newLines = file.content.split("\n");
  const added = new Set<number>();
  for (const line of patch.lines) {
    if (newLines[line.line - 1] !== line.text) return undefined;
    if (line.added) added.add(line.line);
  }
  const kept = newLines.filter((_, index) => !added.has(index + 1));
  const removed = new Map(patch.removed.map((line) => [line.line, line.text]));
  const base: string[] = [];
  let next = 0;
  while (next < kept.length || removed.has(base.length + 1)) {
    const text = removed.get(base.length + 1);
    if (text !== undefined) base.push(text);
    else base.push(kept[next++] ?? "");
  }
  return base.join("\n");
}
