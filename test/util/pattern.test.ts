import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import { compilePattern, largestRepeat, matchesGlobs, patternsIn, zPattern } from "../../src/util/pattern.js";

describe("compilePattern", () => {
  it("matches anywhere unless anchored", () => {
    expect(compilePattern("feat").test("a feat b")).toBe(true);
    expect(compilePattern("^feat$").test("a feat b")).toBe(false);
  });

  it("runs a catastrophic-backtracking pattern in linear time", () => {
    // A backtracking engine would need about 2^50000 steps to fail this match; RE2 answers at once.
    expect(compilePattern("(a+)+$").test(`${"a".repeat(50_000)}!`)).toBe(false);
    expect(compilePattern("(a+)+!$").test(`${"a".repeat(50_000)}!`)).toBe(true);
  });

  it("refuses lookaround and over-long patterns with a message", () => {
    expect(zPattern.safeParse("(?<=a)b").success).toBe(false);
    expect(zPattern.safeParse("a".repeat(1001)).success).toBe(false);
    expect(zPattern.safeParse("^(feat|fix)/").success).toBe(true);
  });
});

describe("largestRepeat", () => {
  // [pattern, the largest count, the repetition that reaches it, whether nesting multiplied it]
  const table: Array<[string, number, string, boolean]> = [
    ["abc", 1, "", false],
    ["a*b+c?", 1, "", false],
    ["a{5}", 5, "`{5}`", false],
    ["a{2,7}b{3}", 7, "`{2,7}`", false],
    ["a{9,}", 9, "`{9,}`", false],
    ["(a{4}){8}", 32, "`{8}`", true],
    ["(a{4}|b){8}", 32, "`{8}`", true],
    ["((a{2}){3}){4}", 24, "`{4}`", true],
    ["(a{4})b{8}", 8, "`{8}`", false],
    ["(a{4})(b){8}", 8, "`{8}`", false],
    ["(?:x{3})+", 3, "`{3}`", false],
    ["(?i)(?P<key>[A-Z]{3}){10}", 30, "`{10}`", true],
    // A brace that repeats nothing is a literal to RE2.
    ["a{,5}", 1, "", false],
    ["a{x}", 1, "", false],
    // Braces in escapes and classes repeat nothing.
    ["\\{50\\}", 1, "", false],
    ["\\x{41}", 1, "", false],
    ["\\x{41}{3}", 3, "`{3}`", false],
    ["\\p{Greek}{4}", 4, "`{4}`", false],
    ["\\Qa{99}\\E", 1, "", false],
    ["\\Qa{99}", 1, "", false],
    ["[{99}]", 1, "", false],
    ["[]{99}]x{2}", 2, "`{2}`", false],
    ["[^]{99}]", 1, "", false],
    ["[[:alpha:]{99}]", 1, "", false],
    ["[\\]{99}]", 1, "", false],
    ["[a-z]{40}", 40, "`{40}`", false],
  ];
  it.each(table)("%s repeats at most %i times", (pattern, count, at, nested) => {
    // Every entry is valid RE2, which is all the scanner reads: a large count is refused, not a syntax error.
    if (count > 32) expect(() => compilePattern(pattern)).toThrow("repeats up to");
    else expect(() => compilePattern(pattern)).not.toThrow();
    expect(largestRepeat(pattern)).toEqual({ count, at, nested });
  });
});

describe("patternsIn", () => {
  it("finds every pattern a rule's options schema holds, however nested", () => {
    const schema = z.object({
      one: zPattern.optional(),
      many: z.array(zPattern).min(1).default([]),
      byName: z.record(z.string(), z.object({ pattern: zPattern })),
      either: z.union([zPattern, z.array(zPattern)]),
      plain: z.string(),
    });
    const value = schema.parse({
      one: "a",
      many: ["b", "c"],
      byName: { x: { pattern: "d" } },
      either: ["e", "f"],
      plain: "not a pattern",
    });
    expect(patternsIn(schema, value)).toEqual(["a", "b", "c", "d", "e", "f"]);
  });
});

describe("matchesGlobs", () => {
  it("selects with positive globs and excludes with negated ones", () => {
    expect(matchesGlobs("api-server", ["api-*", "!api-legacy"])).toBe(true);
    expect(matchesGlobs("api-legacy", ["api-*", "!api-legacy"])).toBe(false);
    expect(matchesGlobs("web", ["api-*"])).toBe(false);
  });

  it("treats an empty list as all or nothing, as asked", () => {
    expect(matchesGlobs("x", [], true)).toBe(true);
    expect(matchesGlobs("x", [])).toBe(false);
    expect(matchesGlobs("x", ["!y"], true)).toBe(true);
  });
});
