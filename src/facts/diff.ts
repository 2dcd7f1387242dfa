/**
 * Unified-diff patches of one file (GitHub's `patch` field, or `git diff` output for a single file):
 * which lines of the new file the patch shows, and which of them it adds. Pure.
 */
import type { ChangedFile } from "./schema.js";

/** A line of the new file that a patch shows, numbered as in the new file. */
export interface PatchLine {
  line: number;
  text: string;
  /** True for a line the patch adds (`+`), false for a context line. */
  added: boolean;
}

export interface ParsedPatch {
  /** Context and added lines in order of their new-file line numbers. */
  lines: readonly PatchLine[];
  /**
   * The new-file line where the first change sits: the first added line, or for a removal the line that
   * now follows it (at least 1). Undefined when the patch has no hunk.
   */
  firstChangedLine?: number;
}

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Parses the hunks of a single file's patch. Text before the first hunk header (`diff --git`, `---`,
 * `+++`) is ignored; each hunk is read for exactly the line counts its header announces, so an added
 * line that starts with `++` is never mistaken for a file header.
 */
export function parsePatch(patch: string): ParsedPatch {
  const lines: PatchLine[] = [];
  let firstChangedLine: number | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  let next = 0;
  for (const raw of patch.split("\n")) {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (oldLeft === 0 && newLeft === 0) {
      const header = HUNK_HEADER.exec(text);
      if (!header) continue;
      oldLeft = header[1] === undefined ? 1 : Number(header[1]);
      newLeft = header[3] === undefined ? 1 : Number(header[3]);
      // An empty new range (`+5,0`) names the line before the gap; what follows it is line 6.
      next = newLeft === 0 ? Number(header[2]) + 1 : Number(header[2]);
      continue;
    }
    const marker = text[0];
    if (marker === "\\") continue; // "\ No newline at end of file"
    if (marker === "+") {
      firstChangedLine ??= next;
      lines.push({ line: next, text: text.slice(1), added: true });
      next += 1;
      newLeft -= 1;
    } else if (marker === "-") {
      firstChangedLine ??= Math.max(next, 1);
      oldLeft -= 1;
    } else {
      // A context line; some tools strip the single space of an empty context line.
      lines.push({ line: next, text: text.slice(1), added: false });
      next += 1;
      oldLeft -= 1;
      newLeft -= 1;
    }
    if (oldLeft < 0 || newLeft < 0) {
      // More lines than the header announced: a malformed hunk; stop reading it rather than guess.
      oldLeft = 0;
      newLeft = 0;
    }
  }
  return firstChangedLine === undefined ? { lines } : { lines, firstChangedLine };
}

/** Parsed patches by changed file: rules that read one file's patch share one parse of it. */
const parsedPatches = new WeakMap<ChangedFile, { patch: string; parsed: ParsedPatch }>();

/**
 * The parsed patch of a changed file, undefined when it has none. Parsed once per file object however many
 * rules ask (test-skip and guarded-paths both do), so the cache lives and dies with the facts; the patch
 * text is compared too, so a file object given another patch is parsed again.
 */
export function parsedPatchOf(file: ChangedFile): ParsedPatch | undefined {
  if (file.patch === undefined) return undefined;
  const cached = parsedPatches.get(file);
  if (cached?.patch === file.patch) return cached.parsed;
  const parsed = parsePatch(file.patch);
  parsedPatches.set(file, { patch: file.patch, parsed });
  return parsed;
}
