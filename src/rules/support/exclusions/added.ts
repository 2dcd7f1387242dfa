/**
 * The exclusions a pull request adds to one changed file: what the detectors find in its new content, on
 * the lines the patch adds. Shared by the `test-exclusion` rule and by `guarded-paths`, which names them
 * in its approval request. Pure.
 */
import type { ChangedFile } from "../../../facts/schema.js";
import { newContent } from "../new-content.js";
import { detectExclusions, readsExclusions } from "./detect.js";
import type { DetectedExclusion } from "./types.js";

/** An added exclusion with its line as written. */
export type AddedExclusion = DetectedExclusion & { text: string };

export type AddedExclusions =
  | { exclusions: AddedExclusion[]; commentable: boolean }
  /** The file could not be parsed: its exclusions are unknown. */
  | { unparsed: string }
  /** No diff was given and no content gathered: its added lines are unknown. */
  | { omitted: true };

const added = new WeakMap<ChangedFile, AddedExclusions | undefined>();

/** Undefined for a file no detector reads, or one the change removes. Computed once per file object. */
export function addedExclusions(file: ChangedFile): AddedExclusions | undefined {
  if (added.has(file)) return added.get(file);
  const result = compute(file);
  added.set(file, result);
  return result;
}

function compute(file: ChangedFile): AddedExclusions | undefined {
  if (file.status === "removed" || file.status === "unchanged" || file.binary) return undefined;
  if (!readsExclusions(file.path)) return undefined;
  const view = newContent(file);
  if (!view) return { omitted: true };
  const scan = detectExclusions(file.path, view.source);
  if (!scan) return undefined;
  // A file known only by its hunks may not parse as a whole; without its content it is judged line by line.
  if ("unparsed" in scan) return view.partial ? { omitted: true } : { unparsed: scan.unparsed };
  const lines = view.source.split("\n");
  return {
    exclusions: scan.exclusions
      .filter((e) => view.added(e.line, e.endLine ?? e.line))
      .map((e) => ({ ...e, text: (lines[e.line - 1] ?? "").trim() })),
    commentable: scan.commentable,
  };
}

/** What an exclusion does, in words, for findings and approval requests. */
export function describeExclusion(exclusion: DetectedExclusion): string {
  const { runner, setting, excluded, effect } = exclusion;
  return effect === "narrow"
    ? `narrows ${runner}'s run to ${JSON.stringify(excluded)} (${setting}), leaving every other test out`
    : `excludes ${JSON.stringify(excluded)} from ${runner}'s run (${setting})`;
}
