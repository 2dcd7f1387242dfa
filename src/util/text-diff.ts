/**
 * A pure line diff on jsdiff: how a repository's file differs from its canonical copy in the bundle. It finds
 * the first difference (a line number in the repository's file, with the lines on each side), counts the
 * lines to add and remove, and renders a compact unified diff that turns the file into the canonical copy.
 */
import { diffArrays } from "diff";
import { plural } from "./plural.js";

/**
 * Which differences count:
 * - `line-endings`: every byte counts except CRLF/CR versus LF (a missing final newline counts);
 * - `trailing`: also ignores whitespace at the end of lines, the final newline and blank lines at the end;
 * - `all`: also ignores leading whitespace, the amount of whitespace inside lines, and blank lines.
 */
export type WhitespaceMode = "line-endings" | "trailing" | "all";

export interface TextDiffOptions {
  whitespace: WhitespaceMode;
  /** Label of the repository's file in the `---` header. */
  fileLabel: string;
  /** Label of the canonical copy in the `+++` header. */
  canonicalLabel: string;
  /** Most lines the unified diff keeps, headers included; the rest is summed up in one last line. */
  maxDiffLines?: number;
}

/**
 * What the first difference is: a line that differs (`changed`, or `whitespace` when only whitespace does),
 * lines the canonical copy has and the file lacks (`missing`), lines only the file has (`extra`), or only
 * the newline at the end of the last line (`final-newline`).
 */
type DifferenceKind = "changed" | "whitespace" | "missing" | "extra" | "final-newline";

interface TextDiff {
  kind: DifferenceKind;
  /** 1-based line of the repository's file where the first difference is (its last line when it is at the end). */
  line: number;
  /** Where and how the file first departs from the canonical copy, as a phrase: "line 3 differs". */
  description: string;
  /** The canonical copy's line at the first difference; absent when the file has a line too many there. */
  expected?: string;
  /** The file's line at the first difference; absent when the file lacks lines there. */
  found?: string;
  /** Lines the file lacks (the diff's `+` lines). */
  added: number;
  /** Lines the file has too many (the diff's `-` lines). */
  removed: number;
  hunks: number;
  /** A unified diff from the file to the canonical copy (apply it to the file), capped at `maxDiffLines`. */
  unified: string;
}

const DEFAULT_MAX_DIFF_LINES = 40;
const CONTEXT_LINES = 3;
/** Longer lines are cut in `expected`, `found` and the diff: they are for reading, the file is the truth. */
const MAX_SHOWN_LINE = 200;
/** Beyond this many edits the remaining middle is shown as replaced wholesale, keeping time and memory bounded. */
const MAX_EDIT_DISTANCE = 1000;

interface Line {
  /** 1-based line number in its text. */
  number: number;
  text: string;
  /** What is compared, after the whitespace mode's normalisation. */
  key: string;
  /** The text's last line, without a newline after it (only tracked in `line-endings` mode). */
  noNewline: boolean;
}

type Op =
  | { type: "equal"; a: number; b: number }
  | { type: "delete"; a: number }
  | { type: "insert"; b: number };

function linesOf(text: string, whitespace: WhitespaceMode): Line[] {
  const normalised = text.replace(/\r\n?/g, "\n");
  const endsWithNewline = normalised === "" || normalised.endsWith("\n");
  const raw = normalised.split("\n");
  if (endsWithNewline) raw.pop();
  const lines = raw.map((lineText, index): Line => {
    const key =
      whitespace === "line-endings"
        ? lineText
        : whitespace === "trailing"
          ? lineText.trimEnd()
          : lineText.trim().replace(/\s+/gu, " ");
    return { number: index + 1, text: lineText, key, noNewline: false };
  });
  if (whitespace === "line-endings") {
    const last = lines.at(-1);
    if (last && !endsWithNewline) last.noNewline = true;
    return lines;
  }
  if (whitespace === "all") return lines.filter((line) => line.key !== "");
  while (lines.length > 0 && lines.at(-1)?.key === "") lines.pop();
  return lines;
}

function sameLine(a: Line, b: Line): boolean {
  return a.key === b.key && a.noNewline === b.noNewline;
}

/**
 * Pairs of indices (into `a` and into `b`) of a longest common subsequence of two sequences of strings,
 * in increasing order. Used for lines here and for markdown headings by the required-file rule.
 */
export function matchSequences(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const ops = editScript(a, b, (x, y) => x === y);
  return ops.flatMap((op): Array<[number, number]> => (op.type === "equal" ? [[op.a, op.b]] : []));
}

/**
 * A shortest edit script from `a` to `b` (jsdiff's Myers diff). Past `MAX_EDIT_DISTANCE` edits, the part
 * between the common prefix and suffix is replaced wholesale.
 */
function editScript<T>(a: readonly T[], b: readonly T[], equal: (x: T, y: T) => boolean): Op[] {
  const changes = diffArrays(a as T[], b as T[], { comparator: equal, maxEditLength: MAX_EDIT_DISTANCE });
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  const equalRun = (count: number) => {
    for (let n = 0; n < count; n++) ops.push({ type: "equal", a: i++, b: j++ });
  };
  if (changes === undefined) {
    let prefix = 0;
    while (prefix < a.length && prefix < b.length && equal(a[prefix] as T, b[prefix] as T)) prefix++;
    let suffix = 0;
    while (
      suffix < a.length - prefix &&
      suffix < b.length - prefix &&
      equal(a[a.length - 1 - suffix] as T, b[b.length - 1 - suffix] as T)
    )
      suffix++;
    equalRun(prefix);
    while (i < a.length - suffix) ops.push({ type: "delete", a: i++ });
    while (j < b.length - suffix) ops.push({ type: "insert", b: j++ });
    equalRun(suffix);
    return ops;
  }
  for (const change of changes) {
    if (change.removed) for (let n = 0; n < change.count; n++) ops.push({ type: "delete", a: i++ });
    else if (change.added) for (let n = 0; n < change.count; n++) ops.push({ type: "insert", b: j++ });
    else equalRun(change.count);
  }
  return ops;
}

function clip(text: string): string {
  return text.length > MAX_SHOWN_LINE ? `${text.slice(0, MAX_SHOWN_LINE)}…` : text;
}

interface Change {
  /** Index in `ops` of the change's first edit. */
  start: number;
  /** Index in `ops` just past the change's last edit. */
  end: number;
}

/** Runs of consecutive edits. */
function changesOf(ops: Op[]): Change[] {
  const changes: Change[] = [];
  for (let i = 0; i < ops.length; i++) {
    if (ops[i]?.type === "equal") continue;
    const start = i;
    while (i < ops.length && ops[i]?.type !== "equal") i++;
    changes.push({ start, end: i });
  }
  return changes;
}

function renderUnified(ops: Op[], file: Line[], canonical: Line[], options: TextDiffOptions): string[] {
  const changes = changesOf(ops);
  // Changes whose context overlaps share a hunk.
  const groups: Change[][] = [];
  for (const change of changes) {
    const group = groups.at(-1);
    const last = group?.at(-1);
    if (group && last && change.start - last.end <= 2 * CONTEXT_LINES) group.push(change);
    else groups.push([change]);
  }
  const out = [`--- ${options.fileLabel}`, `+++ ${options.canonicalLabel}`];
  for (const group of groups) {
    const from = Math.max(0, (group[0] as Change).start - CONTEXT_LINES);
    const to = Math.min(ops.length, (group.at(-1) as Change).end + CONTEXT_LINES);
    const body: string[] = [];
    const emit = (prefix: string, line: Line) => {
      body.push(`${prefix}${clip(line.text)}`);
      if (line.noNewline) body.push("\\ No newline at end of file");
    };
    let oldStart: number | undefined;
    let newStart: number | undefined;
    let oldCount = 0;
    let newCount = 0;
    let i = from;
    while (i < to) {
      const op = ops[i] as Op;
      if (op.type === "equal") {
        const line = file[op.a] as Line;
        oldStart ??= line.number;
        newStart ??= (canonical[op.b] as Line).number;
        oldCount++;
        newCount++;
        emit(" ", line);
        i++;
        continue;
      }
      // Within a change, the file's lines go first, then the canonical copy's, as diff(1) prints them.
      let j = i;
      const inserts: Line[] = [];
      while (j < to && ops[j]?.type !== "equal") {
        const edit = ops[j] as Op;
        if (edit.type === "delete") {
          const line = file[edit.a] as Line;
          oldStart ??= line.number;
          oldCount++;
          emit("-", line);
        } else if (edit.type === "insert") inserts.push(canonical[edit.b] as Line);
        j++;
      }
      for (const line of inserts) {
        newStart ??= line.number;
        newCount++;
        emit("+", line);
      }
      i = j;
    }
    out.push(
      `@@ -${rangeOf(oldStart, oldCount, ops, from, "a", file)} +${rangeOf(newStart, newCount, ops, from, "b", canonical)} @@`,
    );
    // One by one: spreading a hunk of a million lines as arguments overflows the call stack.
    for (const line of body) out.push(line);
  }
  return out;
}

/** A hunk's `start,count`; with no line on that side, the start is the line before the hunk, as diff(1) writes it. */
function rangeOf(
  start: number | undefined,
  count: number,
  ops: Op[],
  from: number,
  side: "a" | "b",
  lines: Line[],
): string {
  if (start !== undefined) return `${start},${count}`;
  let before = 0;
  for (let i = from - 1; i >= 0; i--) {
    const op = ops[i] as Op;
    const index =
      side === "a" ? (op.type === "insert" ? undefined : op.a) : op.type === "delete" ? undefined : op.b;
    if (index !== undefined) {
      before = (lines[index] as Line).number;
      break;
    }
  }
  return `${before},0`;
}

function capped(lines: string[], max: number): string {
  if (lines.length <= max) return lines.join("\n");
  const kept = lines.slice(0, Math.max(1, max - 1));
  kept.push(`… ${lines.length - kept.length} more diff lines not shown`);
  return kept.join("\n");
}

/**
 * How `found` (the repository's file) differs from `canonical`, or undefined when they are the same under
 * the whitespace mode.
 */
export function diffText(found: string, canonical: string, options: TextDiffOptions): TextDiff | undefined {
  const file = linesOf(found, options.whitespace);
  const wanted = linesOf(canonical, options.whitespace);
  const ops = editScript(file, wanted, sameLine);
  const changes = changesOf(ops);
  const first = changes[0];
  if (!first) return undefined;

  const edits = ops.slice(first.start, first.end);
  const removedLines = edits.flatMap((op) => (op.type === "delete" ? [file[op.a] as Line] : []));
  const addedLines = edits.flatMap((op) => (op.type === "insert" ? [wanted[op.b] as Line] : []));
  const lastLine = file.at(-1)?.number ?? 1;
  let kind: DifferenceKind;
  let line: number;
  let description: string;
  const removed = removedLines[0];
  const added = addedLines[0];
  if (removed && added) {
    line = removed.number;
    if (removed.text === added.text) {
      kind = "final-newline";
      description = removed.noNewline
        ? `line ${line}, the last, lacks the newline that ends the canonical copy`
        : `line ${line} ends with a newline where the canonical copy ends without one`;
    } else if (removed.text.trim().replace(/\s+/gu, " ") === added.text.trim().replace(/\s+/gu, " ")) {
      kind = "whitespace";
      description = `line ${line} differs in whitespace only`;
    } else {
      kind = "changed";
      description = `line ${line} differs`;
    }
  } else if (removed) {
    kind = "extra";
    line = removed.number;
    description = `line ${line} is not in the canonical copy`;
  } else {
    kind = "missing";
    const next = ops.slice(first.end).find((op) => op.type === "equal");
    const count = plural(addedLines.length, "line");
    if (next) {
      line = (file[next.a] as Line).number;
      description = `${count} of the canonical copy ${addedLines.length === 1 ? "is" : "are"} missing before line ${line}`;
    } else if (file.length === 0) {
      line = 1;
      description = "the file has no content";
    } else {
      line = lastLine;
      description = `the file ends at line ${line}, ${count} short of the canonical copy`;
    }
  }

  const diff = renderUnified(ops, file, wanted, options);
  return {
    kind,
    line,
    description,
    ...(added ? { expected: clip(added.text) } : {}),
    ...(removed ? { found: clip(removed.text) } : {}),
    added: ops.filter((op) => op.type === "insert").length,
    removed: ops.filter((op) => op.type === "delete").length,
    hunks: diff.filter((l) => l.startsWith("@@ ")).length,
    unified: capped(diff, options.maxDiffLines ?? DEFAULT_MAX_DIFF_LINES),
  };
}

/** The size of a difference: "2 lines to add, 1 to remove, in 1 hunk". */
export function summarizeDiff(diff: TextDiff): string {
  return `${plural(diff.added, "line")} to add, ${diff.removed} to remove, in ${plural(diff.hunks, "hunk")}`;
}
