import { describe, expect, it } from "@jest/globals";
import { compilePattern, matchesGlobs, zPattern } from "../../src/util/pattern.js";

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
