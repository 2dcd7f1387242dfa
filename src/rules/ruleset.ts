/**
 * The branch or tag ruleset a standard declares is in force: active rulesets that cover each declared ref
 * together carry the declared rules, with no bypass the standard does not allow. Rulesets are declared in
 * the bundle, never fixed by hand: a hand change is drift, and the remediation says so.
 */
import { z } from "zod";
import type { RulesetFact } from "../facts/schema.js";
import { compareRuleFindings } from "./support/finding-order.js";
import { expandRefPattern, patternsCover, patternsOverlap, type RefContext } from "./support/ref-patterns.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

/** GitHub's ruleset rule types (repository and organization level). */
const RULE_TYPES = [
  "creation",
  "update",
  "deletion",
  "required_linear_history",
  "merge_queue",
  "required_deployments",
  "required_signatures",
  "pull_request",
  "required_status_checks",
  "non_fast_forward",
  "commit_message_pattern",
  "commit_author_email_pattern",
  "committer_email_pattern",
  "branch_name_pattern",
  "tag_name_pattern",
  "workflows",
  "code_scanning",
  "copilot_code_review",
  "license_compliance_scanning",
  "file_path_restriction",
  "max_file_path_length",
  "file_extension_restriction",
  "max_file_size",
] as const;

const ACTOR_TYPES = [
  "Integration",
  "OrganizationAdmin",
  "RepositoryRole",
  "Team",
  "DeployKey",
  "User",
] as const;

const options = z
  .object({
    target: z.enum(["branch", "tag"]),
    /** Full ref names or fnmatch patterns (`refs/tags/v*`), `~DEFAULT_BRANCH` or `~ALL`. */
    refs: z.array(z.string().min(1)).min(1),
    /** The weakest enforcement that counts: `evaluate` also accepts rulesets that only report. */
    enforcement: z.enum(["active", "evaluate"]).default("active"),
    pullRequest: z
      .object({
        minApprovals: z.number().int().min(0).max(10).default(0),
        dismissStaleReviews: z.boolean().default(false),
        requireCodeOwnerReview: z.boolean().default(false),
        requireLastPushApproval: z.boolean().default(false),
      })
      .strict()
      .optional(),
    requiredStatusChecks: z
      .array(
        z
          .object({
            context: z.string().min(1),
            /** `self`: pinned to this app; a number: pinned to that app (integration id); `any`: any source. */
            app: z.union([z.enum(["self", "any"]), z.number().int().positive()]).default("any"),
          })
          .strict(),
      )
      .default([]),
    nonFastForward: z.boolean().default(false),
    deletion: z.boolean().default(false),
    update: z.boolean().default(false),
    creation: z.boolean().default(false),
    /** Further rule types that must be present, by GitHub's name (`required_signatures`). */
    rules: z.array(z.enum(RULE_TYPES)).default([]),
    /** Bypass actors the covering rulesets may have; any other is a finding. Without `actorId`, any id. */
    allowedBypass: z
      .array(
        z
          .object({
            actorType: z.enum(ACTOR_TYPES),
            actorId: z.number().int().optional(),
            bypassMode: z.enum(["always", "pull_request", "exempt"]).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .superRefine((o, ctx) => {
    const prefix = o.target === "branch" ? "refs/heads/" : "refs/tags/";
    o.refs.forEach((ref, index) => {
      if (ref === "~ALL" || (ref === "~DEFAULT_BRANCH" && o.target === "branch") || ref.startsWith(prefix))
        return;
      ctx.addIssue({
        code: "custom",
        path: ["refs", index],
        message: `a ${o.target} ref is ${o.target === "branch" ? "~DEFAULT_BRANCH, " : ""}~ALL or a full ref name or pattern starting with ${prefix}`,
      });
    });
  });

type Options = z.infer<typeof options>;
type RuleEntry = RulesetFact["rules"][number];

/** What the covering rulesets lack for one requirement. */
interface Shortfall {
  message: string;
  expected: string;
  found: string;
  /** What the bundle's ruleset must do, for the remediation. */
  fix: string;
}

interface Requirement {
  /** The rule type the requirement is about; a ruleset without it cannot meet it. */
  type: string;
  check(rules: readonly RuleEntry[], covering: string): Shortfall | undefined;
}

function describeRuleset(ruleset: RulesetFact): string {
  const level = ruleset.sourceType.toLowerCase();
  const source = ruleset.sourceType !== "Repository" && ruleset.source ? ` of ${ruleset.source}` : "";
  return `${level} ruleset "${ruleset.name}" (id ${ruleset.id})${source}`;
}

function remediation(target: string, fix: string): string {
  return `Rulesets are declared in the standards bundle and applied from it, never by hand: have the bundle's maintainers bring the ${target} ruleset in line with this standard (${fix}). Do not create or edit rulesets in the repository or organization settings or through the API yourself: a hand change is drift and opens an RTFM issue.`;
}

function parametersOf(rules: readonly RuleEntry[], type: string): Array<Record<string, unknown>> {
  return rules.filter((rule) => rule.type === type).map((rule) => rule.parameters ?? {});
}

function presentTypes(rules: readonly RuleEntry[]): string {
  const types = [...new Set(rules.map((rule) => rule.type))].sort();
  return types.length > 0 ? types.join(", ") : "no rules";
}

function ruleTypeRequirement(type: string): Requirement {
  return {
    type,
    check: (rules, covering) =>
      rules.some((rule) => rule.type === type)
        ? undefined
        : {
            message: `${covering} lack the \`${type}\` rule`,
            expected: type,
            found: presentTypes(rules),
            fix: `it must have the \`${type}\` rule`,
          },
  };
}

/** A pull request setting: the most demanding value among the covering rulesets' pull_request rules counts. */
function pullRequestFlag(parameter: string, what: string): Requirement {
  return {
    type: "pull_request",
    check: (rules, covering) => {
      const settings = parametersOf(rules, "pull_request");
      if (settings.length === 0 || settings.some((p) => p[parameter] === true)) return undefined;
      return {
        message: `${covering} do not ${what}`,
        expected: `${parameter}: true`,
        found: `${parameter}: false`,
        fix: `its pull_request rule must set ${parameter}`,
      };
    },
  };
}

function approvalsRequirement(minimum: number): Requirement {
  return {
    type: "pull_request",
    check: (rules, covering) => {
      const settings = parametersOf(rules, "pull_request");
      if (settings.length === 0) return undefined;
      const required = Math.max(
        ...settings.map((p) =>
          typeof p.required_approving_review_count === "number" ? p.required_approving_review_count : 0,
        ),
      );
      if (required >= minimum) return undefined;
      return {
        message: `${covering} require ${required} approving review${required === 1 ? "" : "s"}; the standard requires at least ${minimum}`,
        expected: `at least ${minimum}`,
        found: String(required),
        fix: `its pull_request rule must require at least ${minimum} approving review${minimum === 1 ? "" : "s"}`,
      };
    },
  };
}

interface RequiredCheck {
  context: string;
  integrationId?: number;
}

function requiredChecksOf(rules: readonly RuleEntry[]): RequiredCheck[] {
  return parametersOf(rules, "required_status_checks").flatMap((p) => {
    const checks = Array.isArray(p.required_status_checks) ? p.required_status_checks : [];
    return checks.flatMap((check): RequiredCheck[] => {
      if (typeof check !== "object" || check === null) return [];
      const { context, integration_id } = check as { context?: unknown; integration_id?: unknown };
      if (typeof context !== "string") return [];
      return [{ context, ...(typeof integration_id === "number" ? { integrationId: integration_id } : {}) }];
    });
  });
}

function statusCheckRequirement(context: string, app: number | undefined, appLabel: string): Requirement {
  const wanted = app === undefined ? context : `${context} from ${appLabel}`;
  return {
    type: "required_status_checks",
    check: (rules, covering) => {
      const all = requiredChecksOf(rules);
      const named = all.filter((check) => check.context === context);
      if (named.length === 0) {
        const contexts = [...new Set(all.map((check) => check.context))].sort();
        return {
          message: `${covering} do not require the status check \`${context}\``,
          expected: wanted,
          found: contexts.length > 0 ? contexts.join(", ") : "no required status checks",
          fix: `its required_status_checks rule must require \`${context}\`${app === undefined ? "" : ` with integration_id ${app}`}`,
        };
      }
      if (app === undefined || named.some((check) => check.integrationId === app)) return undefined;
      const sources = [
        ...new Set(named.map((c) => (c.integrationId === undefined ? "any app" : `app ${c.integrationId}`))),
      ];
      return {
        message: `${covering} require the status check \`${context}\` from ${sources.join(" or ")}, not from ${appLabel}, so another source can satisfy it`,
        expected: wanted,
        found: sources.map((source) => `${context} from ${source}`).join(", "),
        fix: `its required_status_checks rule must pin \`${context}\` to integration_id ${app}`,
      };
    },
  };
}

function requirementsOf(o: Options, app: { id: number; slug: string } | undefined): Requirement[] {
  const types = new Set<string>(o.rules);
  if (o.creation) types.add("creation");
  if (o.update) types.add("update");
  if (o.deletion) types.add("deletion");
  if (o.nonFastForward) types.add("non_fast_forward");
  if (o.pullRequest) types.add("pull_request");
  if (o.requiredStatusChecks.length > 0) types.add("required_status_checks");
  const requirements = [...types].sort().map(ruleTypeRequirement);
  if (o.pullRequest) {
    const pr = o.pullRequest;
    if (pr.minApprovals > 0) requirements.push(approvalsRequirement(pr.minApprovals));
    if (pr.dismissStaleReviews) {
      requirements.push(
        pullRequestFlag("dismiss_stale_reviews_on_push", "dismiss approvals when new commits are pushed"),
      );
    }
    if (pr.requireCodeOwnerReview) {
      requirements.push(
        pullRequestFlag("require_code_owner_review", "require a review from the code owners"),
      );
    }
    if (pr.requireLastPushApproval) {
      requirements.push(
        pullRequestFlag(
          "require_last_push_approval",
          "require the last push to be approved by someone other than its author",
        ),
      );
    }
  }
  for (const check of o.requiredStatusChecks) {
    if (check.app === "any") requirements.push(statusCheckRequirement(check.context, undefined, "any app"));
    else if (check.app === "self") {
      const self = app as { id: number; slug: string };
      requirements.push(
        statusCheckRequirement(check.context, self.id, `this app (${self.slug}, id ${self.id})`),
      );
    } else requirements.push(statusCheckRequirement(check.context, check.app, `app ${check.app}`));
  }
  return requirements;
}

function bypassAllowed(
  actor: RulesetFact["bypassActors"][number],
  allowed: Options["allowedBypass"],
): boolean {
  return allowed.some(
    (a) =>
      a.actorType === actor.actorType &&
      (a.actorId === undefined || a.actorId === actor.actorId) &&
      (a.bypassMode === undefined || a.bypassMode === actor.bypassMode),
  );
}

function describeActor(actor: { actorType: string; actorId?: number | null | undefined }): string {
  return actor.actorId === null || actor.actorId === undefined
    ? actor.actorType
    : `${actor.actorType} ${actor.actorId}`;
}

/** How a ruleset of the right target relates to a declared ref: it covers it, or only touches it. */
function coverage(
  ruleset: RulesetFact,
  declared: string,
  context: RefContext,
): "covers" | string | undefined {
  const condition = ruleset.conditions.refName;
  const include = (condition?.include ?? []).map((p) => expandRefPattern(p, context));
  const excluding = (condition?.exclude ?? []).filter((p) =>
    patternsOverlap(expandRefPattern(p, context), declared),
  );
  const covered = patternsCover(include, declared);
  if (covered && excluding.length === 0) return "covers";
  if (excluding.length > 0 && covered)
    return `excludes it with ${excluding.map((p) => `\`${p}\``).join(", ")}`;
  const touching = (condition?.include ?? []).filter((p) =>
    patternsOverlap(expandRefPattern(p, context), declared),
  );
  if (touching.length > 0) return `includes only part of it: ${touching.map((p) => `\`${p}\``).join(", ")}`;
  return undefined;
}

export default defineRule({
  id: "ruleset",
  scope: "repo",
  description:
    "The declared branch or tag ruleset is active, covers its refs, and allows no undeclared bypass",
  options,
  requires: ["repo.rulesets"],
  check({ facts, options }) {
    const rulesets = facts.repo.rulesets ?? [];
    if (options.requiredStatusChecks.some((check) => check.app === "self") && !facts.app) {
      const why = facts.unavailable.app;
      return notEvaluated(
        `requiredStatusChecks pins a check to this app (app: self), but these facts do not say which app this is${why ? ` (${why})` : ""}`,
      );
    }
    const context: RefContext = { target: options.target, defaultBranch: facts.repo.defaultBranch };
    const requirements = requirementsOf(options, facts.app);
    const counts = (ruleset: RulesetFact) =>
      ruleset.enforcement === "active" ||
      (options.enforcement === "evaluate" && ruleset.enforcement === "evaluate");
    const mode = options.enforcement === "active" ? "active" : "active or evaluate-mode";
    const findings: RuleFinding[] = [];
    const bypassFindings = new Map<string, RuleFinding>();

    for (const ref of [...new Set(options.refs)]) {
      const declared = expandRefPattern(ref, context);
      const label = declared === ref ? `\`${ref}\`` : `\`${declared}\` (${ref})`;
      const ofTarget = rulesets.filter((r) => r.target === options.target);
      const covering = ofTarget.filter((r) => coverage(r, declared, context) === "covers");
      const counted = covering.filter(counts);
      const notCounted = covering.filter((r) => !counts(r));

      if (counted.length === 0) {
        const notes = [
          ...notCounted.map((r) => `${describeRuleset(r)} covers it but its enforcement is ${r.enforcement}`),
          ...ofTarget.flatMap((r) => {
            const relation = coverage(r, declared, context);
            return relation && relation !== "covers" ? [`${describeRuleset(r)} ${relation}`] : [];
          }),
        ];
        findings.push({
          message: `no ${mode} ${options.target} ruleset covers ${label}${notes.length > 0 ? `; ${notes.join("; ")}` : ""}`,
          expected: `an ${mode} ${options.target} ruleset covering ${declared}`,
          found:
            notCounted.length > 0
              ? notCounted.map((r) => `"${r.name}" (${r.enforcement})`).join(", ")
              : "no covering ruleset",
          remediation: remediation(options.target, `an ${mode} ruleset must cover ${declared}`),
        });
        continue;
      }

      const union = counted.flatMap((r) => r.rules);
      const coveringText = `the ${mode} ${options.target} rulesets covering ${label}`;
      for (const requirement of requirements) {
        const shortfall = requirement.check(union, coveringText);
        if (!shortfall) continue;
        // A ruleset that would meet the requirement but does not count is the likely cause: name it.
        const dormant = notCounted
          .filter(
            (r) =>
              r.rules.some((rule) => rule.type === requirement.type) &&
              requirement.check(r.rules, coveringText) === undefined,
          )
          .map((r) => `${describeRuleset(r)} has it but its enforcement is ${r.enforcement}`);
        findings.push({
          message: `${shortfall.message}${dormant.length > 0 ? `; ${dormant.join("; ")}` : ""}`,
          expected: shortfall.expected,
          found: shortfall.found,
          remediation: remediation(options.target, shortfall.fix),
        });
      }

      for (const ruleset of counted) {
        for (const actor of ruleset.bypassActors) {
          if (bypassAllowed(actor, options.allowedBypass)) continue;
          const message = `${describeRuleset(ruleset)}, which covers ${label}, lets ${describeActor(actor)} bypass it (bypass mode ${actor.bypassMode})`;
          const key = `${ruleset.id}\u0000${describeActor(actor)}\u0000${actor.bypassMode}`;
          if (bypassFindings.has(key)) continue;
          bypassFindings.set(key, {
            message,
            expected:
              options.allowedBypass.length === 0
                ? "no bypass actors"
                : `only ${options.allowedBypass.map((a) => `${describeActor(a)}${a.bypassMode ? ` (${a.bypassMode})` : ""}`).join(", ")}`,
            found: `${describeActor(actor)} (${actor.bypassMode})`,
            remediation: remediation(
              options.target,
              `remove ${describeActor(actor)} from the bypass list of "${ruleset.name}"`,
            ),
          });
        }
      }
    }
    return [...findings, ...bypassFindings.values()].sort(compareRuleFindings);
  },
});
