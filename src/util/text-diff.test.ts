import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { diffText, matchSequences, summarizeDiff, type TextDiffOptions } from "./text-diff.js";

const LABELS = { fileLabel: "a/f", canonicalLabel: "b/f" };
const exact: TextDiffOptions = { whitespace: "line-endings", ...LABELS, maxDiffLines: 10_000 };

/** Applies a unified diff (as diffText renders it, uncapped) to the lines of a text. */
function applyUnified(text: string, unified: string): string {
  const source = text.split("\n");
  source.pop();
  const out: string[] = [];
  let next = 0;
  for (const line of unified.split("\n").slice(2)) {
    const hunk = /^@@ -(\d+),(\d+) /.exec(line);
    if (hunk) {
      const start = Number(hunk[1]);
      const count = Number(hunk[2]);
      const first = count === 0 ? start : start - 1;
      out.push(...source.slice(next, first));
      next = first;
    } else if (line.startsWith(" ")) {
      out.push(source[next] as string);
      next++;
    } else if (line.startsWith("-")) next++;
    else if (line.startsWith("+")) out.push(line.slice(1));
  }
  out.push(...source.slice(next));
  return out.map((l) => `${l}\n`).join("");
}

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = table[i] as number[];
      row[j] =
        a[i - 1] === b[j - 1]
          ? (table[i - 1]?.[j - 1] ?? 0) + 1
          : Math.max(table[i - 1]?.[j] ?? 0, row[j - 1] ?? 0);
    }
  }
  return table[a.length]?.[b.length] ?? 0;
}

const smallLines = fc.array(fc.constantFrom("a", "b", "c", "d", ""), { maxLength: 12 });

describe("diffText", () => {
  it("finds nothing between equal texts, nor between line-ending variants", () => {
    expect(diffText("a\nb\n", "a\nb\n", exact)).toBeUndefined();
    expect(diffText("a\r\nb\r\n", "a\nb\n", exact)).toBeUndefined();
    expect(diffText("a\rb\r", "a\nb\n", exact)).toBeUndefined();
    expect(diffText("", "", exact)).toBeUndefined();
  });

  it("ignores trailing whitespace, the final newline and trailing blank lines in trailing mode only", () => {
    const trailing = { ...exact, whitespace: "trailing" as const };
    expect(diffText("a  \nb\t\n\n\n", "a\nb", trailing)).toBeUndefined();
    expect(diffText("  a\nb\n", "a\nb\n", trailing)?.kind).toBe("whitespace");
    expect(diffText("a\n\nb\n", "a\nb\n", trailing)?.kind).toBe("extra");
  });

  it("ignores indentation, inner spacing and blank lines in all mode, keeping the file's line numbers", () => {
    const all = { ...exact, whitespace: "all" as const };
    expect(diffText("\n  a   b\n\n\tc\n", "a b\nc", all)).toBeUndefined();
    const diff = diffText("\n\n  a\n\nX\n", "a\nc\n", all);
    expect(diff).toMatchObject({ kind: "changed", line: 5, expected: "c", found: "X" });
  });

  it("reports a missing final newline only where every byte counts", () => {
    expect(diffText("a\nb", "a\nb\n", exact)).toMatchObject({
      kind: "final-newline",
      line: 2,
      description: "line 2, the last, lacks the newline that ends the canonical copy",
    });
    expect(diffText("a\nb\n", "a\nb", exact)).toMatchObject({
      kind: "final-newline",
      line: 2,
      description: "line 2 ends with a newline where the canonical copy ends without one",
    });
  });

  it("describes the first difference of each kind", () => {
    expect(diffText("a\nc\n", "a\nb\nc\n", exact)).toEqual({
      kind: "missing",
      line: 2,
      description: "1 line of the canonical copy is missing before line 2",
      expected: "b",
      added: 1,
      removed: 0,
      hunks: 1,
      unified: "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n+b\n c",
    });
    expect(diffText("a\n", "a\nb\nc\n", exact)?.description).toBe(
      "the file ends at line 1, 2 lines short of the canonical copy",
    );
    expect(diffText("", "a\n", exact)?.description).toBe("the file has no content");
    expect(diffText("a\nx\ny\n", "a\n", exact)).toMatchObject({
      kind: "extra",
      line: 2,
      description: "line 2 is not in the canonical copy",
      found: "x",
      removed: 2,
      added: 0,
    });
    expect(diffText("a\n", "", exact)?.unified).toBe("--- a/f\n+++ b/f\n@@ -1,1 +0,0 @@\n-a");
  });

  it("splits distant changes into hunks with three lines of context", () => {
    const canonical = `${Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n")}\n`;
    const file = canonical.replace("l2\n", "L2\n").replace("l17\n", "L17\n");
    const diff = diffText(file, canonical, exact);
    expect(diff?.hunks).toBe(2);
    expect(diff?.unified.split("\n").filter((l) => l.startsWith("@@"))).toEqual([
      "@@ -1,6 +1,6 @@",
      "@@ -15,6 +15,6 @@",
    ]);
    expect(summarizeDiff(diff as NonNullable<typeof diff>)).toBe("2 lines to add, 2 to remove, in 2 hunks");
  });

  it("cuts very long lines in what it shows", () => {
    const diff = diffText(`${"x".repeat(300)}\n`, "y\n", exact);
    expect(diff?.found).toBe(`${"x".repeat(200)}…`);
  });

  it("shows the middle of very different large files as replaced wholesale", () => {
    const canonical = `${Array.from({ length: 1500 }, (_, i) => `c${i}`).join("\n")}\n`;
    const file = `${Array.from({ length: 1500 }, (_, i) => `f${i}`).join("\n")}\n`;
    const diff = diffText(file, canonical, exact);
    expect(diff).toMatchObject({ kind: "changed", line: 1, added: 1500, removed: 1500, hunks: 1 });
    expect(applyUnified(file, diff?.unified ?? "")).toBe(canonical);
  });

  it("renders a diff that turns the file into the canonical copy", () => {
    fc.assert(
      fc.property(smallLines, smallLines, (fileLines, canonicalLines) => {
        const file = fileLines.map((l) => `${l}\n`).join("");
        const canonical = canonicalLines.map((l) => `${l}\n`).join("");
        const diff = diffText(file, canonical, exact);
        if (file === canonical) return diff === undefined;
        return diff !== undefined && applyUnified(file, diff.unified) === canonical;
      }),
    );
  });

  it("counts the fewest lines to add and remove", () => {
    fc.assert(
      fc.property(smallLines, smallLines, (fileLines, canonicalLines) => {
        const diff = diffText(
          fileLines.map((l) => `${l}\n`).join(""),
          canonicalLines.map((l) => `${l}\n`).join(""),
          exact,
        );
        const common = lcsLength(fileLines, canonicalLines);
        return (
          (diff?.removed ?? 0) === fileLines.length - common &&
          (diff?.added ?? 0) === canonicalLines.length - common
        );
      }),
    );
  });
});

describe("matchSequences", () => {
  it("pairs a longest common subsequence, in increasing order of both indices", () => {
    fc.assert(
      fc.property(smallLines, smallLines, (a, b) => {
        const pairs = matchSequences(a, b);
        const increasing = pairs.every(
          ([i, j], n) => n === 0 || (i > (pairs[n - 1]?.[0] ?? -1) && j > (pairs[n - 1]?.[1] ?? -1)),
        );
        return increasing && pairs.every(([i, j]) => a[i] === b[j]) && pairs.length === lcsLength(a, b);
      }),
    );
    expect(matchSequences(["A", "B", "C"], ["B", "C", "A"])).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });
});
