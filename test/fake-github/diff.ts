/**
 * Line diffs as GitHub shows them in a file's `patch`: unified hunks with three lines of context,
 * git's hunk headers (a count of 1 is omitted) and "\ No newline at end of file" markers.
 */

export interface FileDiff {
  patch: string;
  additions: number;
  deletions: number;
}

const CONTEXT = 3;
const NO_NEWLINE = "\\ No newline at end of file";

interface Line {
  text: string;
  /** The last line of a text that does not end with a newline differs from the same line with one. */
  missingNewline: boolean;
}

function toLines(text: string): Line[] {
  if (text === "") return [];
  const parts = text.split("\n");
  const endsWithNewline = parts[parts.length - 1] === "";
  if (endsWithNewline) parts.pop();
  return parts.map((line, index) => ({
    text: line,
    missingNewline: !endsWithNewline && index === parts.length - 1,
  }));
}

const same = (a: Line, b: Line) => a.text === b.text && a.missingNewline === b.missingNewline;

type Op = { kind: " " | "-" | "+"; line: Line };

/** The edit script: common prefix and suffix trimmed, the middle by longest common subsequence. */
function editScript(before: Line[], after: Line[]): Op[] {
  let start = 0;
  while (start < before.length && start < after.length && same(before[start] as Line, after[start] as Line)) {
    start++;
  }
  let endBefore = before.length;
  let endAfter = after.length;
  while (
    endBefore > start &&
    endAfter > start &&
    same(before[endBefore - 1] as Line, after[endAfter - 1] as Line)
  ) {
    endBefore--;
    endAfter--;
  }
  const a = before.slice(start, endBefore);
  const b = after.slice(start, endAfter);
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = same(a[i] as Line, b[j] as Line)
        ? (lcs[(i + 1) * width + j + 1] as number) + 1
        : Math.max(lcs[(i + 1) * width + j] as number, lcs[i * width + j + 1] as number);
    }
  }
  const middle: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && same(a[i] as Line, b[j] as Line)) {
      middle.push({ kind: " ", line: a[i++] as Line });
      j++;
    } else if (
      j < b.length &&
      (i === a.length || (lcs[i * width + j + 1] as number) >= (lcs[(i + 1) * width + j] as number))
    ) {
      middle.push({ kind: "+", line: b[j++] as Line });
    } else {
      middle.push({ kind: "-", line: a[i++] as Line });
    }
  }
  // Deletions before additions within a change, as git prints them.
  const ordered: Op[] = [];
  let pending: Op[] = [];
  for (const op of middle) {
    if (op.kind === " ") {
      ordered.push(...pending.filter((p) => p.kind === "-"), ...pending.filter((p) => p.kind === "+"), op);
      pending = [];
    } else {
      pending.push(op);
    }
  }
  ordered.push(...pending.filter((p) => p.kind === "-"), ...pending.filter((p) => p.kind === "+"));
  return [
    ...before.slice(0, start).map((line): Op => ({ kind: " ", line })),
    ...ordered,
    ...before.slice(endBefore).map((line): Op => ({ kind: " ", line })),
  ];
}

function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** The unified diff between two versions of a file; empty when they are equal. */
export function diffText(before: string, after: string): FileDiff {
  const ops = editScript(toLines(before), toLines(after));
  const changed = ops.flatMap((op, index) => (op.kind === " " ? [] : [index]));
  if (changed.length === 0) return { patch: "", additions: 0, deletions: 0 };

  // Group changes whose context windows touch into hunks.
  const hunks: Array<[number, number]> = [];
  for (const index of changed) {
    const last = hunks[hunks.length - 1];
    if (last && index - last[1] <= 2 * CONTEXT) last[1] = index;
    else hunks.push([index, index]);
  }

  const lines: string[] = [];
  for (const [first, last] of hunks) {
    const from = Math.max(0, first - CONTEXT);
    const to = Math.min(ops.length - 1, last + CONTEXT);
    let oldStart = 1;
    let newStart = 1;
    for (const op of ops.slice(0, from)) {
      if (op.kind !== "+") oldStart++;
      if (op.kind !== "-") newStart++;
    }
    const slice = ops.slice(from, to + 1);
    const oldCount = slice.filter((op) => op.kind !== "+").length;
    const newCount = slice.filter((op) => op.kind !== "-").length;
    lines.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const op of slice) {
      lines.push(`${op.kind}${op.line.text}`);
      if (op.line.missingNewline) lines.push(NO_NEWLINE);
    }
  }
  return {
    patch: lines.join("\n"),
    additions: ops.filter((op) => op.kind === "+").length,
    deletions: ops.filter((op) => op.kind === "-").length,
  };
}
