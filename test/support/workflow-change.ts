/** Changed workflow files for tests: the new content and the patch GitHub would give for it. */
import { structuredPatch } from "diff";
import type { ChangedFile } from "../../src/facts/schema.js";

/**
 * The change from `base` to `head` (null: the file is added or removed), as GitHub lists it: the new
 * content and a patch of hunks with three lines of context.
 */
export function workflowChange(
  base: string | null,
  head: string | null,
  path = ".github/workflows/ci.yml",
): ChangedFile {
  const hunks = structuredPatch(path, path, base ?? "", head ?? "", "", "", { context: 3 }).hunks;
  const patch = hunks
    .map((hunk) =>
      [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines].join(
        "\n",
      ),
    )
    .join("\n");
  const status = base === null ? "added" : head === null ? "removed" : "modified";
  return {
    path,
    status,
    binary: false,
    ...(patch === "" ? {} : { patch }),
    ...(head === null ? {} : { content: head }),
  };
}

/**
 * A workflow whose reported lines are marked with a trailing `#<<`: the text without the marks, and the
 * marked line numbers.
 */
export function marked(text: string): { text: string; lines: number[] } {
  const lines = text.split("\n");
  const reported = lines.flatMap((line, index) => (line.endsWith(" #<<") ? [index + 1] : []));
  return {
    text: lines.map((line) => (line.endsWith(" #<<") ? line.slice(0, -4) : line)).join("\n"),
    lines: reported,
  };
}
