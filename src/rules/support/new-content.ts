/**
 * A changed file's new content and which of its lines a pull request adds, for rules that read changed
 * files whole. Pure.
 */
import { parsedPatchOf } from "../../facts/diff.js";
import type { ChangedFile } from "../../facts/schema.js";

export interface NewContent {
  source: string;
  /** True when only the lines the patch shows are known (the others are blank). */
  partial: boolean;
  /** Whether the pull request adds any line from `from` to `to`. */
  added: (from: number, to: number) => boolean;
}

/**
 * The file's new content and which of its lines the pull request adds. Without the gathered content, the
 * lines the patch shows stand in for it (others left blank), so constructs outside the hunks are not seen.
 */
export function newContent(file: ChangedFile): NewContent | undefined {
  const patch = parsedPatchOf(file);
  const addedLines = new Set(patch?.lines.filter((l) => l.added).map((l) => l.line));
  const everyLineAdded = file.status === "added" && file.patch === undefined;
  const added = (from: number, to: number) => {
    for (let line = from; line <= to; line++) if (everyLineAdded || addedLines.has(line)) return true;
    return false;
  };
  if (file.content !== undefined && (patch || everyLineAdded))
    return { source: file.content, partial: false, added };
  if (!patch) return undefined;
  const shown: string[] = [];
  for (const line of patch.lines) {
    while (shown.length < line.line - 1) shown.push("");
    shown[line.line - 1] = line.text;
  }
  return { source: shown.join("\n"), partial: true, added };
}
