/**
 * Custom properties select profiles, yet repository listings may not carry them: the gatherer reads them
 * when a profile needs them and the payload lacks them, and says so when it cannot.
 */
import { describe, expect, it } from "@jest/globals";
import { factNeeds } from "../../src/engine/needs.js";
import { gatherRepository } from "../../src/gather/repository.js";
import { bundle, profile, standard } from "../engine/fixtures.js";
import { createFakeGitHub } from "../support/github.js";

const NOW = "2026-11-23T12:00:00Z";
const ROUTE = "GET /repos/{owner}/{repo}/properties/values";

function setup() {
  const fake = createFakeGitHub();
  fake.seedRepo({ owner: "acme", name: "pay", customProperties: { tier: "critical" } });
  const installation = fake.installationFor("acme");
  // As a repository listing without custom properties would describe it.
  const repository = { name: "pay", owner: { login: "acme" }, default_branch: "main" };
  return { fake, octokit: fake.octokit(installation.id), repository };
}

describe("gathering custom properties", () => {
  it("reads them when the payload lacks them and a profile needs them", async () => {
    const { fake, octokit, repository } = setup();
    const facts = await gatherRepository(octokit, {
      repository,
      needs: new Set(["repo.metadata"]),
      paths: [],
      now: NOW,
    });
    expect(facts.repo.customProperties).toEqual({ tier: "critical" });
    expect(fake.requests.count(ROUTE)).toBe(1);
  });

  it("reads nothing when the payload carries them or no profile needs them", async () => {
    const { fake, octokit, repository } = setup();
    await gatherRepository(octokit, {
      repository: { ...repository, custom_properties: { tier: "critical" } },
      needs: new Set(["repo.metadata"]),
      paths: [],
      now: NOW,
    });
    await gatherRepository(octokit, { repository, needs: new Set(), paths: [], now: NOW });
    expect(fake.requests.count(ROUTE)).toBe(0);
  });

  it("marks the metadata unavailable when GitHub will not answer, so profiles cannot silently not match", async () => {
    const { fake, octokit, repository } = setup();
    fake.faults.inject(ROUTE, { status: 502 });
    const facts = await gatherRepository(octokit, {
      repository,
      needs: new Set(["repo.metadata"]),
      paths: [],
      now: NOW,
    });
    expect(facts.unavailable["repo.metadata"]).toMatch(
      /^GitHub did not answer the repository's custom properties \(HTTP 502\)/,
    );
  });
});

describe("factNeeds", () => {
  const withProfile = (properties: Record<string, string[]>) =>
    bundle(
      [
        standard("runbook", "required-file", {
          options: { paths: ["RUNBOOK.md"] },
          profiles: ["p"],
        }),
      ],
      { profiles: { p: profile("p", { properties }) } },
    );

  it("asks for repository metadata only when a profile selects on custom properties", () => {
    expect(factNeeds(withProfile({ tier: ["critical"] }), ["repo"]).facts.has("repo.metadata")).toBe(true);
    expect(factNeeds(withProfile({}), ["repo"]).facts.has("repo.metadata")).toBe(false);
    expect(factNeeds(withProfile({ tier: ["critical"] }), ["repo"]).paths).toEqual(["RUNBOOK.md"]);
  });
});
