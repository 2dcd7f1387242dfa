import { describe, expect, it } from "@jest/globals";
import { branchOfRef, expandRefPattern, patternsCover, patternsOverlap } from "./ref-patterns.js";

describe("branchOfRef", () => {
  it("names the branch of a branch ref and nothing for other refs", () => {
    expect(
      ["refs/heads/release/1", "refs/heads/main", "refs/tags/v1", "main", "refs/heads"].map(branchOfRef),
    ).toEqual(["release/1", "main", undefined, undefined, undefined]);
  });
});

describe("expandRefPattern", () => {
  it("turns GitHub's special names into patterns over full refs", () => {
    expect(expandRefPattern("~DEFAULT_BRANCH", { target: "branch", defaultBranch: "trunk" })).toBe(
      "refs/heads/trunk",
    );
    expect(expandRefPattern("~ALL", { target: "branch", defaultBranch: "main" })).toBe("refs/heads/**/*");
    expect(expandRefPattern("~ALL", { target: "tag", defaultBranch: "main" })).toBe("refs/tags/**/*");
    expect(expandRefPattern("refs/tags/v*", { target: "tag", defaultBranch: "main" })).toBe("refs/tags/v*");
  });
});

describe("patternsCover", () => {
  it.each([
    [["refs/heads/main"], "refs/heads/main", true],
    [["refs/heads/main"], "refs/heads/mainline", false],
    [["refs/tags/*"], "refs/tags/v*", true],
    [["refs/tags/v*"], "refs/tags/*", false],
    [["refs/tags/v?"], "refs/tags/v*", false],
    [["refs/tags/*"], "refs/tags/v1/hotfix", false],
    [["refs/heads/*"], "refs/heads/release/*", false],
    [["refs/heads/**/*"], "refs/heads/release/*", true],
    [["refs/heads/**/*"], "refs/heads/**/*", true],
    [["refs/heads/*", "refs/heads/*/**/*"], "refs/heads/**/*", true],
    [["refs/heads/release/**/*"], "refs/heads/release/2026/11", true],
    [["refs/heads/release/**/*"], "refs/heads/release", false],
    [["refs/heads/qa**/**/*"], "refs/heads/qa1/x/y", true],
    [["refs/heads/qa**"], "refs/heads/qa1/x", false],
    [["refs/tags/v[0-4]*", "refs/tags/v[5-9]*"], "refs/tags/v[0-9]*", true],
    [["refs/tags/v[0-4]*", "refs/tags/v[6-9]*"], "refs/tags/v[0-9]*", false],
    [["refs/tags/v[!0-9]*", "refs/tags/v[0-9]*"], "refs/tags/v?*", true],
    [["refs/tags/v[!0-9]*", "refs/tags/v[0-9]*"], "refs/tags/v*", false],
    [["refs/tags/v[a"], "refs/tags/v[a", true],
    [[], "refs/heads/main", false],
  ])("%j covers %s: %s", (patterns, pattern, expected) => {
    expect(patternsCover(patterns, pattern)).toBe(expected);
  });
});

describe("patternsOverlap", () => {
  it.each([
    ["refs/heads/main", "refs/heads/main", true],
    ["refs/heads/ma*", "refs/heads/main", true],
    ["refs/heads/release/**/*", "refs/heads/main", false],
    ["refs/tags/*-rc*", "refs/tags/v*", true],
    ["refs/tags/x*", "refs/tags/v*", false],
    ["refs/tags/v[!0-9]", "refs/tags/v[0-9]", false],
    ["refs/heads/dependabot/**/*", "refs/heads/**/*", true],
  ])("%s and %s overlap: %s", (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });
});
