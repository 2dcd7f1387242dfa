/** Profiles as the loader resolves them select the repositories the bundle's author meant. */
import { describe, expect, it } from "@jest/globals";
import { formatDiagnostics } from "../../src/bundle/diagnostics.js";
import { parseBundle } from "../../src/bundle/parse.js";
import type { Bundle } from "../../src/bundle/types.js";
import { matchProfile } from "../../src/engine/profiles.js";
import { RepoFactsSchema } from "../../src/facts/schema.js";
import { repoFacts } from "../support/facts.js";
import { fakeRules } from "./fake-rules.js";

const RULEBOOK = `profiles:
  typescript:
    repositories: ["*", "!legacy-*"]
    languages: [TypeScript]
  critical-services:
    topics: [service]
    properties: { tier: [critical, high] }
    visibility: [private, internal]
  archives:
    includeArchived: true
    includeForks: true
standards:
  conventional-commits:
    title: Commit messages follow Conventional Commits
    rule: commit-message
    severity: error
    profiles: [typescript, critical-services]
    rationale: One style of commit message makes history searchable.
    remediation: Reword the commits.
`;

function loaded(): Bundle {
  const result = parseBundle(
    { "rulebook.yml": RULEBOOK, "docs/conventional-commits.md": "" },
    { source: "test", now: "2026-11-23T12:00:00Z", registry: fakeRules },
  );
  if (!result.ok) throw new Error(formatDiagnostics(result.errors));
  return result.bundle;
}

function matches(profile: string, repo: Parameters<typeof repoFacts>[0]): boolean {
  const found = loaded().profiles[profile];
  if (!found) throw new Error(`no profile ${profile}`);
  return matchProfile(found, RepoFactsSchema.parse(repoFacts(repo))).status === "match";
}

describe("profiles from a bundle", () => {
  it("all selects every repository that is neither archived nor a fork, without being declared", () => {
    expect(matches("all", { name: "api" })).toBe(true);
    expect(matches("all", { name: "api", archived: true })).toBe(false);
    expect(matches("all", { name: "api", fork: true })).toBe(false);
  });

  it("selects by name globs with exclusions and by language", () => {
    expect(matches("typescript", { name: "web", language: "TypeScript" })).toBe(true);
    expect(matches("typescript", { name: "legacy-web", language: "TypeScript" })).toBe(false);
    expect(matches("typescript", { name: "web", language: "Go" })).toBe(false);
  });

  it("selects by topics, custom properties and visibility together", () => {
    const service = { name: "billing", topics: ["service"], visibility: "private" as const };
    expect(matches("critical-services", { ...service, customProperties: { tier: "critical" } })).toBe(true);
    expect(matches("critical-services", { ...service, customProperties: { tier: "low" } })).toBe(false);
    expect(
      matches("critical-services", { ...service, customProperties: { tier: "high" }, visibility: "public" }),
    ).toBe(false);
    expect(matches("critical-services", { ...service, topics: [], customProperties: { tier: "high" } })).toBe(
      false,
    );
  });

  it("includes archived repositories and forks only when the profile says so", () => {
    expect(matches("archives", { name: "old", archived: true, fork: true })).toBe(true);
  });
});
