/**
 * The batched GraphQL gatherer and the plain REST one describe any org identically: random repositories
 * with random candidate files and random repository and organization rulesets (rules with parameters,
 * bypass actors) give equal facts, and so equal verdicts, either way.
 */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { defaultBundleDir, loadBundleDir } from "../../src/bundle/load.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { factNeeds } from "../../src/engine/needs.js";
import { gatherRepositoriesBatched } from "../../src/gather/batch.js";
import type { RepositoryPayload } from "../../src/gather/github.js";
import { gatherRepository } from "../../src/gather/repository.js";
import type { RulesetRule } from "../fake-github/state.js";
import { createFakeGitHub } from "../support/github.js";

const NOW = "2026-11-23T12:00:00Z";

const rule: fc.Arbitrary<RulesetRule> = fc.oneof(
  fc.constantFrom<RulesetRule>({ type: "deletion" }, { type: "non_fast_forward" }, { type: "update" }),
  fc
    .record({
      required_approving_review_count: fc.integer({ min: 0, max: 6 }),
      dismiss_stale_reviews_on_push: fc.boolean(),
      require_code_owner_review: fc.boolean(),
      require_last_push_approval: fc.boolean(),
      required_review_thread_resolution: fc.boolean(),
    })
    .map((parameters): RulesetRule => ({ type: "pull_request", parameters })),
  fc
    .record({
      strict_required_status_checks_policy: fc.boolean(),
      required_status_checks: fc.array(
        fc.record(
          {
            context: fc.constantFrom("rulebook", "test", "lint"),
            integration_id: fc.integer({ min: 1, max: 9 }),
          },
          { requiredKeys: ["context"] },
        ),
        { maxLength: 3 },
      ),
    })
    .map((parameters): RulesetRule => ({ type: "required_status_checks", parameters })),
  fc
    .record({
      operator: fc.constantFrom("starts_with", "regex"),
      pattern: fc.constantFrom("feat/", ".*"),
      negate: fc.boolean(),
    })
    .map((parameters): RulesetRule => ({ type: "branch_name_pattern", parameters })),
);

const bypassActor = fc.oneof(
  fc.record({
    actor_id: fc.integer({ min: 2, max: 99 }),
    actor_type: fc.constantFrom("Integration", "Team", "RepositoryRole"),
  }),
  fc.constant({ actor_id: 1, actor_type: "OrganizationAdmin" }),
  fc.constant({ actor_id: null, actor_type: "DeployKey" }),
);

const ruleset = fc.record({
  name: fc.constantFrom("default branch", "release tags", "hand-made"),
  target: fc.constantFrom("branch", "tag") as fc.Arbitrary<"branch" | "tag">,
  enforcement: fc.constantFrom("active", "evaluate", "disabled") as fc.Arbitrary<
    "active" | "evaluate" | "disabled"
  >,
  include: fc.subarray(["~DEFAULT_BRANCH", "refs/heads/release/*", "refs/tags/v*"], { minLength: 1 }),
  rules: fc.array(rule, { maxLength: 5 }),
  bypassActors: fc.array(
    fc.tuple(bypassActor, fc.constantFrom("always", "pull_request")).map(([actor, bypass_mode]) => ({
      ...actor,
      bypass_mode: bypass_mode as "always" | "pull_request",
    })),
    { maxLength: 3 },
  ),
});

const content = fc.constantFrom("", "# title\n", "* @acme/maintainers\n", "MIT License\n", "ünïcödé ✅\n");

describe("the batched gatherer agrees with the REST gatherer", () => {
  it("gives identical facts and verdicts for random orgs", async () => {
    const loaded = await loadBundleDir(defaultBundleDir(), { now: NOW });
    if (!loaded.ok) throw new Error("the default bundle is invalid");
    const bundle = loaded.bundle;
    const needs = factNeeds(bundle, ["repo"]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            defaultBranch: fc.constantFrom("main", "trunk"),
            files: fc.dictionary(fc.constantFrom(...needs.paths, "src/index.ts"), content, { maxKeys: 6 }),
            rulesets: fc.array(ruleset, { maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(ruleset, { maxLength: 2 }),
        async (repositories, orgRulesets) => {
          const fake = createFakeGitHub();
          const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id);
          const seeded = repositories.map((seed, i) => {
            const repo = fake.seedRepo({
              owner: "acme",
              name: `repo-${i}`,
              defaultBranch: seed.defaultBranch,
              files: seed.files,
            });
            for (const r of seed.rulesets) {
              fake.seedRuleset({
                repo,
                name: r.name,
                target: r.target,
                enforcement: r.enforcement,
                conditions: { ref_name: { include: r.include, exclude: [] } },
                rules: r.rules,
                bypassActors: r.bypassActors,
              });
            }
            return repo;
          });
          for (const r of orgRulesets) {
            fake.seedRuleset({
              org: "acme",
              name: r.name,
              target: r.target,
              enforcement: r.enforcement,
              rules: r.rules,
              bypassActors: r.bypassActors,
            });
          }
          const payloads = await Promise.all(
            seeded.map(
              async (repo) =>
                (await octokit.rest.repos.get({ owner: "acme", repo: repo.name }))
                  .data as unknown as RepositoryPayload,
            ),
          );
          const input = { needs: needs.facts, paths: needs.paths, now: NOW };
          const batched = await gatherRepositoriesBatched(octokit, payloads, input);
          for (const repository of payloads) {
            const rest = await gatherRepository(octokit, { ...input, repository });
            const fromBatch = batched.get(`acme/${repository.name}`)?.facts;
            expect(fromBatch).toEqual(rest);
            expect(await evaluate(bundle, fromBatch ?? rest)).toEqual(await evaluate(bundle, rest));
          }
          fake.assertNoViolations();
        },
      ),
      { numRuns: 30 },
    );
  });
});
