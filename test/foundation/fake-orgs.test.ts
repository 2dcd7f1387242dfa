/** Installations and tokens, an organization's repositories and properties, and rulesets in the fake. */
import { describe, expect, it } from "@jest/globals";
import { createFakeGitHub, startApp } from "../support/github.js";

describe("the app and its installations", () => {
  it("authenticates as the app with its JWT and as an installation with a minted token", async () => {
    const gh = await startApp();
    gh.fake.seedRepo({ owner: "acme", name: "api" });
    gh.fake.seedRepo({ owner: "acme", name: "web" });
    const installation = gh.fake.seedInstallation({ account: "acme", repositories: ["web"] });
    const app = await gh.probot.auth();
    const { data: me } = await app.rest.apps.getAuthenticated();
    expect([me?.id, me?.slug]).toEqual([gh.fake.state.appId, "rulebook"]);
    const { data: installations } = await app.rest.apps.listInstallations();
    expect(
      installations.map((item) => [
        item.id,
        item.account && "login" in item.account ? item.account.login : null,
      ]),
    ).toEqual([[installation.id, "acme"]]);
    const octokit = await gh.probot.auth(installation.id);
    const { data } = await octokit.rest.apps.listReposAccessibleToInstallation();
    expect([data.total_count, data.repository_selection, data.repositories.map((repo) => repo.name)]).toEqual(
      [1, "selected", ["web"]],
    );
    expect(gh.fake.requests.counts()).toEqual({
      "GET /app": 1,
      "GET /app/installations": 1,
      "POST /app/installations/{installation_id}/access_tokens": 1,
      "GET /installation/repositories": 1,
    });
  });
});

describe("an organization's repositories", () => {
  it("lists them with language, topics, visibility, archived and fork, and reads custom properties", async () => {
    const fake = createFakeGitHub();
    fake.seedRepo({
      owner: "acme",
      name: "api",
      language: "TypeScript",
      topics: ["service"],
      customProperties: { team: "core", tier: ["1"] },
    });
    fake.seedRepo({ owner: "acme", name: "old", visibility: "public", archived: true, fork: true });
    const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id);
    const { data } = await octokit.rest.repos.listForOrg({ org: "acme", sort: "full_name" });
    expect(
      data.map(({ name, language, topics, visibility, archived, fork }) => ({
        name,
        language,
        topics,
        visibility,
        archived,
        fork,
      })),
    ).toEqual([
      {
        name: "api",
        language: "TypeScript",
        topics: ["service"],
        visibility: "private",
        archived: false,
        fork: false,
      },
      { name: "old", language: null, topics: [], visibility: "public", archived: true, fork: true },
    ]);
    const { data: properties } = await octokit.rest.repos.customPropertiesForReposGetRepositoryValues({
      owner: "acme",
      repo: "api",
    });
    expect(properties).toEqual([
      { property_name: "team", value: "core" },
      { property_name: "tier", value: ["1"] },
    ]);
    const { data: repo } = await octokit.rest.repos.get({ owner: "acme", repo: "api" });
    expect([repo.full_name, repo.default_branch, repo.custom_properties]).toEqual([
      "acme/api",
      "main",
      { team: "core", tier: ["1"] },
    ]);
  });
});

describe("rulesets", () => {
  function setup() {
    const fake = createFakeGitHub();
    const api = fake.seedRepo({ owner: "acme", name: "api", customProperties: { tier: "1" } });
    fake.seedRepo({ owner: "acme", name: "sandbox" });
    const own = fake.seedRuleset({ repo: api, name: "api main", rules: [{ type: "deletion" }] });
    const org = fake.seedRuleset({
      org: "acme",
      name: "org tags",
      target: "tag",
      conditions: {
        ref_name: { include: ["~ALL"], exclude: [] },
        repository_name: { include: ["~ALL"], exclude: ["sandbox"] },
      },
      rules: [{ type: "non_fast_forward" }],
    });
    const tier = fake.seedRuleset({
      org: "acme",
      name: "tier 1 branches",
      conditions: {
        ref_name: { include: ["~DEFAULT_BRANCH", "refs/heads/release/*"], exclude: [] },
        repository_property: { include: [{ name: "tier", property_values: ["1"] }], exclude: [] },
      },
      rules: [{ type: "required_linear_history" }],
    });
    fake.seedRuleset({ org: "acme", name: "trial", enforcement: "disabled", rules: [{ type: "creation" }] });
    const installation = fake.seedInstallation({ account: "acme" });
    return { fake, octokit: fake.octokit(installation.id), installation, own, org, tier };
  }

  it("lists a repository's rulesets with its organization's, or without them", async () => {
    const { octokit } = setup();
    const names = async (owner: string, repo: string, includes_parents?: boolean) =>
      (
        await octokit.rest.repos.getRepoRulesets({
          owner,
          repo,
          ...(includes_parents === undefined ? {} : { includes_parents }),
        })
      ).data.map((ruleset) => [ruleset.name, ruleset.source_type, ruleset.rules === undefined]);
    expect(await names("acme", "api")).toEqual([
      ["api main", "Repository", true],
      ["org tags", "Organization", true],
      ["tier 1 branches", "Organization", true],
      ["trial", "Organization", true],
    ]);
    expect(await names("acme", "api", false)).toEqual([["api main", "Repository", true]]);
    expect(await names("acme", "sandbox")).toEqual([["trial", "Organization", true]]);
  });

  it("returns one ruleset with its rules, from the repository or the organization", async () => {
    const { octokit, own, tier, installation } = setup();
    const get = (ruleset_id: number) =>
      octokit.rest.repos.getRepoRuleset({ owner: "acme", repo: "api", ruleset_id });
    const { data } = await get(own.id);
    expect([data.name, data.rules]).toEqual(["api main", [{ type: "deletion" }]]);
    const { data: inherited } = await get(tier.id);
    expect([inherited.source_type, inherited.rules]).toEqual([
      "Organization",
      [{ type: "required_linear_history" }],
    ]);
    // The organization endpoints need organization administration *write*, which app.yml does not ask for.
    await expect(
      octokit.rest.repos.getOrgRuleset({ org: "acme", ruleset_id: tier.id }),
    ).rejects.toMatchObject({
      status: 403,
    });
    installation.permissions.organization_administration = "write";
    const { data: fromOrg } = await octokit.rest.repos.getOrgRuleset({ org: "acme", ruleset_id: tier.id });
    expect([fromOrg.source, fromOrg.conditions]).toEqual([
      "acme",
      {
        ref_name: { include: ["~DEFAULT_BRANCH", "refs/heads/release/*"], exclude: [] },
        repository_property: { include: [{ name: "tier", property_values: ["1"] }], exclude: [] },
      },
    ]);
    const listed = await octokit.rest.repos.getOrgRulesets({ org: "acme", targets: "tag" });
    expect(listed.data.map((ruleset) => ruleset.name)).toEqual(["org tags"]);
    await expect(
      octokit.rest.repos.getRepoRuleset({ owner: "acme", repo: "sandbox", ruleset_id: own.id }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("gives the active rules in effect on a branch, each naming its ruleset", async () => {
    const { octokit, own, tier } = setup();
    const rules = async (repo: string, branch: string) =>
      (await octokit.rest.repos.getBranchRules({ owner: "acme", repo, branch })).data;
    expect(await rules("api", "main")).toEqual([
      { type: "deletion", ruleset_source_type: "Repository", ruleset_source: "acme/api", ruleset_id: own.id },
      {
        type: "required_linear_history",
        ruleset_source_type: "Organization",
        ruleset_source: "acme",
        ruleset_id: tier.id,
      },
    ]);
    expect((await rules("api", "release/1.0")).map((rule) => rule.type)).toEqual(["required_linear_history"]);
    expect(await rules("api", "feat/x")).toEqual([]);
    expect(await rules("sandbox", "main")).toEqual([]);
  });
});
