import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { decodeBundleFile } from "../../src/bundle/limits.js";
import { readYaml } from "../../src/bundle/yaml-source.js";

describe("decodeBundleFile", () => {
  it("reads UTF-8, a byte-order mark aside, and names the first bad byte of anything else", () => {
    expect(decodeBundleFile("a.md", Buffer.from("h\u00e9 \u{1f600}\n"))).toEqual({
      text: "h\u00e9 \u{1f600}\n",
    });
    expect(decodeBundleFile("a.md", Buffer.from([0x61, 0x0a, 0x62, 0xc3]))).toMatchObject({
      error: {
        file: "a.md",
        line: 2,
        column: 2,
        message: "byte 4 is not valid UTF-8; save the file as UTF-8",
      },
    });
  });

  it("accepts exactly what a strict decoder accepts, never throwing, with the bad byte inside the file", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const decoded = decodeBundleFile("f", bytes);
        let strict: string | undefined;
        try {
          strict = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        } catch {}
        if (strict !== undefined) return "text" in decoded && decoded.text === strict;
        return "error" in decoded && decoded.error.line >= 1 && /^byte (\d+) /.test(decoded.error.message);
      }),
    );
  });
});

describe("readYaml limits", () => {
  it("reports 10,000 levels of nesting as too deep, at the line it starts, in any notation", () => {
    const cases = {
      flow: `a: 1\nb: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`,
      map: `a: 1\nb: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n`,
      compact: `a: 1\nb:\n  ${"- ".repeat(10_000)}x\n`,
      unclosed: `a: 1\nb: ${"[".repeat(10_000)}\n`,
    };
    for (const text of Object.values(cases)) {
      const result = readYaml("rulebook.yml", text);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({
        line: expect.any(Number),
        message: "nested more than 32 levels deep; a bundle never needs this much nesting",
      });
      expect(result.errors[0]?.line).toBeGreaterThanOrEqual(2);
    }
  });

  it("accepts nesting up to the limit", () => {
    expect(readYaml("rulebook.yml", `a: ${"[".repeat(31)}${"]".repeat(31)}\n`).ok).toBe(true);
  });

  it("makes an unknown tag an error at its line and key", () => {
    const result = readYaml("rulebook.yml", "a: 1\nb:\n  c: !vault secret\n");
    expect(result).toMatchObject({
      ok: false,
      errors: [{ file: "rulebook.yml", line: 3, column: 6, key: "b.c" }],
      warnings: [],
    });
  });

  it("never throws on deeply nested or tagged text, whatever the brackets", () => {
    const piece = fc.constantFrom("[", "]", "{", "}", "- ", "a: ", "\n  ", "!t ", "&x ", "*x ", ", ", "? ");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), fc.nat(60), (pieces, depth) => {
        const text = `${"[".repeat(depth)}${pieces.join("")}`;
        expect(() => readYaml("rulebook.yml", text)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
