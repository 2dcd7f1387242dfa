import { describe, expect, it } from "@jest/globals";
import { matchProfile, profileMatches, profileUsesMetadata } from "../../src/engine/profiles.js";
import { type RepoFacts, RepoFactsSchema } from "../../src/facts/schema.js";
import { repoFacts } from "../support/facts.js";
import { profile } from "./fixtures.js";

function repo(overrides: Partial<RepoFacts> = {}): RepoFacts {
  return RepoFactsSchema.parse(repoFacts(overrides));
}

describe("profileMatches", () => {
  it.each([
    ["an empty profile, any active repository", profile("all"), repo(), true],
    ["an empty profile, an archived repository", profile("all"), repo({ archived: true }), false],
    [
      "a profile including archived ones",
      profile("p", { includeArchived: true }),
      repo({ archived: true }),
      true,
    ],
    ["an empty profile, a fork", profile("all"), repo({ fork: true }), false],
    ["a profile including forks", profile("p", { includeForks: true }), repo({ fork: true }), true],
    ["a name glob", profile("p", { repositories: ["api*"] }), repo({ name: "api-gateway" }), true],
    [
      "a name glob, case-insensitively",
      profile("p", { repositories: ["API*"] }),
      repo({ name: "api" }),
      true,
    ],
    [
      "an excluding glob",
      profile("p", { repositories: ["*", "!legacy-*"] }),
      repo({ name: "legacy-api" }),
      false,
    ],
    ["only an excluding glob", profile("p", { repositories: ["!legacy-*"] }), repo({ name: "api" }), true],
    [
      "a language, case-insensitively",
      profile("p", { languages: ["TypeScript"] }),
      repo({ language: "typescript" }),
      true,
    ],
    ["a language, no language", profile("p", { languages: ["TypeScript"] }), repo({ language: null }), false],
    ["any topic", profile("p", { topics: ["service", "web"] }), repo({ topics: ["cli", "web"] }), true],
    ["no topic in common", profile("p", { topics: ["service"] }), repo({ topics: ["cli"] }), false],
    [
      "a property value",
      profile("p", { properties: { tier: ["critical", "high"] } }),
      repo({ customProperties: { tier: "high" } }),
      true,
    ],
    [
      "any of a multi-value property",
      profile("p", { properties: { teams: ["payments"] } }),
      repo({ customProperties: { teams: ["search", "payments"] } }),
      true,
    ],
    [
      "an unset property",
      profile("p", { properties: { tier: ["critical"] } }),
      repo({ customProperties: { tier: null } }),
      false,
    ],
    ["an absent property", profile("p", { properties: { tier: ["critical"] } }), repo(), false],
    [
      "every property must match",
      profile("p", { properties: { tier: ["critical"], team: ["core"] } }),
      repo({ customProperties: { tier: "critical", team: "web" } }),
      false,
    ],
    [
      "a visibility",
      profile("p", { visibility: ["private", "internal"] }),
      repo({ visibility: "internal" }),
      true,
    ],
    ["another visibility", profile("p", { visibility: ["private"] }), repo({ visibility: "public" }), false],
  ])("%s -> %s", (_name, p, r, expected) => {
    expect(profileMatches(p, r)).toBe(expected);
  });
});

describe("matchProfile", () => {
  it("says why a profile does not match", () => {
    expect(
      matchProfile(
        profile("typescript", { languages: ["TypeScript", "JavaScript"] }),
        repo({ language: "Go" }),
      ),
    ).toEqual({
      status: "no-match",
      reason:
        "profile typescript needs one of the languages TypeScript, JavaScript; the repository has primary language Go",
    });
    expect(matchProfile(profile("svc", { topics: ["service"] }), repo())).toEqual({
      status: "no-match",
      reason: "profile svc needs one of the topics service; the repository has no topics",
    });
    expect(
      matchProfile(
        profile("crit", { properties: { tier: ["critical"] } }),
        repo({ customProperties: { tier: "low" } }),
      ),
    ).toEqual({
      status: "no-match",
      reason: "profile crit needs the custom property tier to be one of critical; it is low",
    });
    expect(matchProfile(profile("private", { visibility: ["private"] }), repo())).toEqual({
      status: "no-match",
      reason: "profile private needs visibility private; the repository is public",
    });
  });

  it("cannot tell without metadata when the profile filters on it, but can rule out by name first", () => {
    const typescript = profile("typescript", { repositories: ["api*"], languages: ["TypeScript"] });
    expect(matchProfile(typescript, repo({ name: "api" }), "not in a local checkout")).toEqual({
      status: "unknown",
      reason:
        "profile typescript selects on repository metadata, which is unavailable: not in a local checkout",
    });
    expect(matchProfile(typescript, repo({ name: "web" }), "not in a local checkout")).toEqual({
      status: "no-match",
      reason: "profile typescript does not select the name web (repositories: api*)",
    });
    expect(matchProfile(profile("all"), repo(), "not in a local checkout")).toEqual({ status: "match" });
  });
});

describe("profileUsesMetadata", () => {
  it.each([
    [profile("p"), false],
    [profile("p", { repositories: ["api"], includeArchived: true }), false],
    [profile("p", { visibility: ["public", "private", "internal"] }), false],
    [profile("p", { visibility: ["public"] }), true],
    [profile("p", { languages: ["Go"] }), true],
    [profile("p", { topics: ["service"] }), true],
    [profile("p", { properties: { tier: ["high"] } }), true],
  ])("%j -> %s", (p, expected) => {
    expect(profileUsesMetadata(p)).toBe(expected);
  });
});
