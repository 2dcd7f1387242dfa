/** Repository and organization rulesets, and the rules in effect on a branch. */
import { matchesGlobs } from "../../../src/util/pattern.js";
import { GitHubError, ok } from "../http.js";
import { paginated } from "../paginate.js";
import * as render from "../render.js";
import type { Router } from "../router.js";
import type { FakeState, RepoState, RulesetState } from "../state.js";

function matchesPatterns(
  value: string,
  patterns: readonly string[],
  special: Record<string, boolean>,
): boolean {
  return patterns.some((pattern) => special[pattern] ?? matchesGlobs(value, [pattern]));
}

/** Whether a ruleset's repository conditions select `repo` (a repository ruleset selects its own). */
export function rulesetAppliesToRepo(ruleset: RulesetState, repo: RepoState): boolean {
  if (ruleset.sourceType === "Repository") {
    return ruleset.source.toLowerCase() === `${repo.owner}/${repo.name}`.toLowerCase();
  }
  if (ruleset.source.toLowerCase() !== repo.owner.toLowerCase()) return false;
  const conditions = ruleset.conditions ?? {};
  if ("repository_name" in conditions && conditions.repository_name) {
    const { include = [], exclude = [] } = conditions.repository_name;
    const all = { "~ALL": true };
    if (!matchesPatterns(repo.name, include, all) || matchesPatterns(repo.name, exclude, all)) return false;
  }
  if ("repository_id" in conditions && conditions.repository_id) {
    if (!(conditions.repository_id.repository_ids ?? []).includes(repo.id)) return false;
  }
  if ("repository_property" in conditions && conditions.repository_property) {
    const has = (property: { name: string; property_values: string[] }) => {
      const value = repo.customProperties[property.name];
      const values = value === null || value === undefined ? [] : [value].flat();
      return values.some((candidate) => property.property_values.includes(candidate));
    };
    const { include = [], exclude = [] } = conditions.repository_property;
    if (!include.every(has) || exclude.some(has)) return false;
  }
  return true;
}

/** Whether a branch or tag ruleset's `ref_name` condition selects a full ref (`refs/heads/main`). */
function rulesetAppliesToRef(ruleset: RulesetState, repo: RepoState, ref: string): boolean {
  const refName = ruleset.conditions?.ref_name;
  if (!refName) return true;
  const special = { "~ALL": true, "~DEFAULT_BRANCH": ref === `refs/heads/${repo.defaultBranch}` };
  return (
    matchesPatterns(ref, refName.include ?? [], special) &&
    !matchesPatterns(ref, refName.exclude ?? [], special)
  );
}

/** Rulesets that govern a repository: its own, and (with `includesParents`) its organization's. */
export function rulesetsFor(state: FakeState, repo: RepoState, includesParents: boolean): RulesetState[] {
  return [...state.rulesets.values()].filter(
    (ruleset) =>
      (includesParents || ruleset.sourceType === "Repository") && rulesetAppliesToRepo(ruleset, repo),
  );
}

/** The active rules on a branch from every level, each naming the ruleset it comes from. */
export function effectiveBranchRules(state: FakeState, repo: RepoState, branch: string) {
  return rulesetsFor(state, repo, true)
    .filter(
      (ruleset) =>
        ruleset.enforcement === "active" &&
        ruleset.target === "branch" &&
        rulesetAppliesToRef(ruleset, repo, `refs/heads/${branch}`),
    )
    .flatMap((ruleset) =>
      ruleset.rules.map((rule) => ({
        ...rule,
        ruleset_source_type: ruleset.sourceType,
        ruleset_source: ruleset.source,
        ruleset_id: ruleset.id,
      })),
    );
}

/** What list endpoints show of a ruleset: no conditions, rules or bypass actors. */
function summary(ruleset: RulesetState) {
  const {
    conditions: _c,
    rules: _r,
    bypass_actors: _b,
    current_user_can_bypass: _u,
    ...rest
  } = render.ruleset(ruleset);
  return rest;
}

function targetFilter(targets: string | undefined): (ruleset: RulesetState) => boolean {
  if (!targets) return () => true;
  const wanted = new Set(targets.split(",").map((target) => target.trim()));
  return (ruleset) => wanted.has(ruleset.target);
}

/**
 * GitHub documents the organization ruleset endpoints, reads included, as needing the organization
 * "Administration" permission at write level; read-only apps use the repository endpoints instead.
 */
const ORG_RULESETS = "organization_administration:write";

export function registerRulesets(router: Router): Router {
  return router
    .on("GET /repos/{owner}/{repo}/rulesets", { permission: "metadata:read" }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      const rulesets = rulesetsFor(state, repo, request.query.includes_parents ?? true)
        .filter(targetFilter(request.query.targets))
        .map(summary);
      return paginated(request, rulesets);
    })
    .on(
      "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}",
      { permission: "metadata:read" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const ruleset = rulesetsFor(state, repo, request.query.includes_parents ?? true).find(
          (candidate) => candidate.id === request.params.ruleset_id,
        );
        if (!ruleset) throw GitHubError.notFound();
        return ok(render.ruleset(ruleset));
      },
    )
    .on("GET /orgs/{org}/rulesets", { permission: ORG_RULESETS }, (request, state) => {
      const org = request.params.org.toLowerCase();
      const rulesets = [...state.rulesets.values()]
        .filter((ruleset) => ruleset.sourceType === "Organization" && ruleset.source.toLowerCase() === org)
        .filter(targetFilter(request.query.targets))
        .map(summary);
      return paginated(request, rulesets);
    })
    .on("GET /orgs/{org}/rulesets/{ruleset_id}", { permission: ORG_RULESETS }, (request, state) => {
      const ruleset = state.rulesets.get(request.params.ruleset_id);
      if (
        ruleset?.sourceType !== "Organization" ||
        ruleset.source.toLowerCase() !== request.params.org.toLowerCase()
      ) {
        throw GitHubError.notFound();
      }
      return ok(render.ruleset(ruleset));
    })
    .on(
      "GET /repos/{owner}/{repo}/rules/branches/{branch}",
      { permission: "metadata:read" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        return paginated(request, effectiveBranchRules(state, repo, request.params.branch));
      },
    );
}
