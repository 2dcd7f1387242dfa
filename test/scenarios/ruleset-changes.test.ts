/**
 * Ruleset changes made by hand: one that leaves a repository weaker than the bundle declares, or
 * different from it, opens an RTFM issue naming who did it; one that only adds protection the bundle does
 * not mention is logged and listed on the dashboard instead.
 */
import { describe, expect, it } from "@jest/globals";
import { rtfmState } from "../../src/publish/rtfm.js";
import type { RepoState } from "../fake-github/index.js";
import { installationCreatedEvent, rulesetEvent } from "../fake-github/push.js";
import type { RulesetState } from "../fake-github/state.js";
import { DEFAULT_BRANCH_RULES, RELEASE_TAG_RULES } from "../support/compliant-repo.js";
import type { AppHarness } from "../support/github.js";
import { NOW, startConfiguredApp } from "../support/scenario.js";

/** acme/api protected as the default bundle declares; returns its default-branch ruleset. */
function seedProtectedRepo(gh: AppHarness): { api: RepoState; branch: RulesetState } {
  const api = gh.fake.seedRepo({ owner: "acme", name: "api" });
  const branch = gh.fake.seedRuleset({ repo: api, name: "default branch", rules: [...DEFAULT_BRANCH_RULES] });
  gh.fake.seedRuleset({
    repo: api,
    name: "release tags",
    target: "tag",
    conditions: { ref_name: { include: ["refs/tags/v*"], exclude: [] } },
    rules: RELEASE_TAG_RULES,
  });
  return { api, branch };
}

function rulesetIncidents(repo: RepoState) {
  return [...repo.issues.values()].filter((issue) => rtfmState(issue.body)?.kind === "event");
}

describe("ruleset changes made outside the bundle", () => {
  it("logs a change that adds protection, and lists it on the dashboard after the next sweep", async () => {
    const gh = await startConfiguredApp();
    const central = gh.fake.seedRepo({ owner: "acme", name: ".github" });
    const { api, branch } = seedProtectedRepo(gh);
    branch.rules.push({ type: "required_signatures" });

    await gh.deliver("repository_ruleset", {
      ...rulesetEvent(gh.fake, branch, "edited", "eve"),
      changes: { rules: { added: [{ type: "required_signatures" }] } },
    });

    expect(rulesetIncidents(api)).toEqual([]);
    await gh.deliver(
      "installation",
      installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo-admin"),
    );
    const dashboard = [...central.issues.values()].find((i) => i.labels.includes("rulebook-dashboard"));
    expect(dashboard?.body).toContain(
      [
        "## Ruleset changes outside the bundle",
        "",
        "Made by hand, and leaving every ruleset the bundle declares in force; consider declaring them in the bundle.",
        "",
        `- ${NOW} \`acme/api\`: ruleset \`default branch\` edited by \`@eve\` (rules added: required_signatures)`,
      ].join("\n"),
    );
  });

  it("opens an RTFM issue when the change weakens the repository against the bundle, with what is now missing", async () => {
    const gh = await startConfiguredApp();
    const { api, branch } = seedProtectedRepo(gh);
    branch.rules = branch.rules.filter((rule) => rule.type !== "non_fast_forward");

    await gh.deliver("repository_ruleset", {
      ...rulesetEvent(gh.fake, branch, "edited", "eve"),
      changes: { rules: { deleted: [{ type: "non_fast_forward" }] } },
    });

    const [issue, ...others] = rulesetIncidents(api);
    expect(others).toEqual([]);
    expect([issue?.title, issue?.assignees]).toEqual([
      "RTFM: The default branch is protected by a ruleset in acme/api",
      ["eve"],
    ]);
    expect(issue?.body).toContain(
      `- **Found:** Ruleset "default branch" (id ${branch.id}, branch, active) was edited by @\u200deve outside the bundle: rules deleted: non_fast_forward.`,
    );
    expect(issue?.body).toMatch(/- \*\*Found:\*\* .*non_fast_forward/);
    expect(issue?.body?.split("- **Found:**")).toHaveLength(3);
  });

  it("opens an RTFM issue when a ruleset the bundle declares is deleted, and none for an unrelated target", async () => {
    const gh = await startConfiguredApp();
    const { api, branch } = seedProtectedRepo(gh);
    const push = gh.fake.seedRuleset({ repo: api, name: "push limits", target: "push", rules: [] });
    await gh.deliver("repository_ruleset", rulesetEvent(gh.fake, push, "edited", "eve"));
    expect(rulesetIncidents(api)).toEqual([]);

    gh.fake.state.rulesets.delete(branch.id);
    await gh.deliver("repository_ruleset", rulesetEvent(gh.fake, branch, "deleted", "eve"));

    expect(rulesetIncidents(api).map((i) => i.title)).toEqual([
      "RTFM: The default branch is protected by a ruleset in acme/api",
    ]);
  });

  it("for an organization ruleset, logs rules added and reports anything else in the central repository", async () => {
    const gh = await startConfiguredApp();
    const central = gh.fake.seedRepo({ owner: "acme", name: ".github" });
    const org = gh.fake.seedRuleset({ org: "acme", name: "org branches", rules: [...DEFAULT_BRANCH_RULES] });

    await gh.deliver("repository_ruleset", {
      ...rulesetEvent(gh.fake, org, "edited", "eve"),
      changes: { rules: { added: [{ type: "required_signatures" }] } },
    });
    expect(rulesetIncidents(central)).toEqual([]);

    await gh.deliver("repository_ruleset", {
      ...rulesetEvent(gh.fake, org, "edited", "eve"),
      changes: { enforcement: { from: "active" } },
    });
    expect(rulesetIncidents(central).map((i) => i.title)).toEqual([
      "RTFM: The default branch is protected by a ruleset in acme/.github",
    ]);
  });
});
