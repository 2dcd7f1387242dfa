import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { baseContentOf, parsedPatchOf, parsePatch } from "./diff.js";
import type { ChangedFile } from "./schema.js";

describe("parsePatch", () => {
  it("numbers context and added lines as in the new file, across hunks", () => {
    const patch = [
      "@@ -1,3 +1,4 @@",
      " import { it } from 'vitest';",
      "+import { x } from './x';",
      " ",
      " it('a', () => {});",
      "@@ -10,2 +11,3 @@ describe('b', () => {",
      "   it('b', () => {});",
      "-  it('c', () => {});",
      "+  it.skip('c', () => {});",
      "+  it('d', () => {});",
    ].join("\n");
    expect(parsePatch(patch)).toEqual({
      lines: [
        { line: 1, text: "import { it } from 'vitest';", added: false },
        { line: 2, text: "import { x } from './x';", added: true },
        { line: 3, text: "", added: false },
        { line: 4, text: "it('a', () => {});", added: false },
        { line: 11, text: "  it('b', () => {});", added: false },
        { line: 12, text: "  it.skip('c', () => {});", added: true },
        { line: 13, text: "  it('d', () => {});", added: true },
      ],
      removed: [{ line: 11, text: "  it('c', () => {});" }],
      firstChangedLine: 2,
    });
  });

  it("skips file headers and reads an added line starting with ++ as added", () => {
    const patch = [
      "diff --git a/a.md b/a.md",
      "--- a/a.md",
      "+++ b/a.md",
      "@@ -0,0 +1,2 @@",
      "+++ counter",
      "+--- rule",
    ].join("\n");
    expect(parsePatch(patch)).toEqual({
      lines: [
        { line: 1, text: "++ counter", added: true },
        { line: 2, text: "--- rule", added: true },
      ],
      removed: [],
      firstChangedLine: 1,
    });
  });

  it("treats hunk headers without counts as one line and ignores no-newline markers and CR", () => {
    const patch =
      "@@ -3 +3 @@\r\n-old\r\n\\ No newline at end of file\r\n+new\r\n\\ No newline at end of file";
    expect(parsePatch(patch)).toEqual({
      lines: [{ line: 3, text: "new", added: true }],
      removed: [{ line: 3, text: "old" }],
      firstChangedLine: 3,
    });
  });

  it("places a pure removal at the line that now follows it", () => {
    expect(parsePatch("@@ -4,3 +4,2 @@\n a\n-b\n c")).toEqual({
      lines: [
        { line: 4, text: "a", added: false },
        { line: 5, text: "c", added: false },
      ],
      removed: [{ line: 5, text: "b" }],
      firstChangedLine: 5,
    });
    expect(parsePatch("@@ -1,2 +0,0 @@\n-a\n-b")).toEqual({
      lines: [],
      removed: [
        { line: 1, text: "a" },
        { line: 2, text: "b" },
      ],
      firstChangedLine: 1,
    });
    expect(parsePatch("@@ -7,1 +6,0 @@\n-gone")).toEqual({
      lines: [],
      removed: [{ line: 7, text: "gone" }],
      firstChangedLine: 7,
    });
  });

  it("returns nothing for an empty patch or text without hunks", () => {
    expect(parsePatch("")).toEqual({ lines: [], removed: [] });
    expect(parsePatch("Binary files a/x.png and b/x.png differ")).toEqual({ lines: [], removed: [] });
  });

  it("reads a stripped empty context line as context", () => {
    expect(parsePatch("@@ -1,3 +1,3 @@\n a\n\n+c\n-d")?.lines).toEqual([
      { line: 1, text: "a", added: false },
      { line: 2, text: "", added: false },
      { line: 3, text: "c", added: true },
    ]);
  });

  it("refuses a hunk whose lines run past or fall short of the counts its header announced", () => {
    expect(parsePatch("@@ -1,1 +1,1 @@\n-a\n+b\n+c\n+d")).toBeUndefined();
    expect(parsePatch("@@ -1,3 +1,3 @@\n-a\n+b")).toBeUndefined();
  });

  it("gives a file with a malformed patch no parsed patch, so rules do not trust its lines", () => {
    const file: ChangedFile = {
      path: "a.ts",
      status: "modified",
      patch: "@@ -1,1 +1,1 @@\n-a\n+b\n+c",
      binary: false,
    };
    expect(parsedPatchOf(file)).toBeUndefined();
  });

  it("gives every line of a new file its number when the patch is built from any edit script", () => {
    const text = fc.string().map((s) => s.replace(/[\r\n]/g, ""));
    const op = fc.record({ kind: fc.constantFrom("keep", "add", "remove"), text });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), fc.nat(500), (ops, start) => {
        const oldCount = ops.filter((o) => o.kind !== "add").length;
        const newCount = ops.filter((o) => o.kind !== "remove").length;
        const body = ops.map((o) => `${o.kind === "keep" ? " " : o.kind === "add" ? "+" : "-"}${o.text}`);
        const header = `@@ -${start + 1},${oldCount} +${start + 1},${newCount} @@`;
        const expected = ops
          .filter((o) => o.kind !== "remove")
          .map((o, index) => ({
            line: start + 1 + index,
            text: o.text,
            added: o.kind === "add",
          }));
        expect(parsePatch([header, ...body].join("\n"))?.lines).toEqual(expected);
      }),
    );
  });
});

describe("parsedPatchOf", () => {
  it("parses a file's patch once, again when the file's patch changes, and gives nothing without one", () => {
    const file: ChangedFile = {
      path: "a.ts",
      status: "modified",
      patch: "@@ -1 +1 @@\n-a\n+b",
      binary: false,
    };
    const first = parsedPatchOf(file);
    expect(first).toEqual({
      lines: [{ line: 1, text: "b", added: true }],
      removed: [{ line: 1, text: "a" }],
      firstChangedLine: 1,
    });
    expect(parsedPatchOf(file)).toBe(first);
    expect(parsedPatchOf({ ...file })).not.toBe(first);
    file.patch = "@@ -1 +1 @@\n-a\n+c";
    expect(parsedPatchOf(file)).toEqual({
      lines: [{ line: 1, text: "c", added: true }],
      removed: [{ line: 1, text: "a" }],
      firstChangedLine: 1,
    });
    expect(parsedPatchOf({ path: "b.png", status: "added", binary: true })).toBeUndefined();
  });
});

describe("baseContentOf", () => {
  const file = (over: Partial<ChangedFile>): ChangedFile => ({
    path: "ci.yml",
    status: "modified",
    binary: false,
    ...over,
  });

  it("rebuilds the content before the change from the new content and the patch", () => {
    const content = "a\nB\nc\nd\nnew\n";
    const patch = "@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n-gone\n d\n+new\n";
    expect(baseContentOf(file({ content, patch }))).toBe("a\nb\nc\ngone\nd\n");
  });

  it("reads an added file as empty and a removed one as its removed lines", () => {
    expect(baseContentOf(file({ status: "added", content: "x\n" }))).toBe("");
    expect(baseContentOf(file({ status: "removed", patch: "@@ -1,2 +0,0 @@\n-x\n-y\n" }))).toBe("x\ny");
  });

  it("takes a rename without hunks as unchanged content", () => {
    expect(baseContentOf(file({ status: "renamed", previousPath: "old.yml", content: "x\n" }))).toBe("x\n");
  });

  it("gives undefined when the content is missing, the patch is absent or does not match", () => {
    expect(baseContentOf(file({ patch: "@@ -1 +1 @@\n-a\n+b\n" }))).toBeUndefined();
    expect(baseContentOf(file({ content: "b\n" }))).toBeUndefined();
    expect(baseContentOf(file({ content: "c\n", patch: "@@ -1 +1 @@\n-a\n+b\n" }))).toBeUndefined();
  });
});
