/**
 * A ruleset created, edited or deleted by hand. Rulesets are declared in the bundle; a change made
 * through the UI or the API (an agent "fixing" a ruleset instead of stopping) is recorded as an RTFM issue
 * naming the actor, under each standard that declares a ruleset for that target.
 */
import type { Finding } from "../engine/verdict.js";
import { type Octokit, toActor, type UserPayload } from "../gather/github.js";
import { recordIncident } from "../github/issues.js";
import { incidentFor } from "./incidents.js";
import type { Services } from "./services.js";

export interface RulesetPayload {
  action: string;
  repository_ruleset: {
    id: number;
    name: string;
    target?: string;
    enforcement: string;
    source_type?: string;
    updated_at?: string;
  };
  changes?: {
    rules?: {
      added?: Array<{ type: string }>;
      deleted?: Array<{ type: string }>;
      updated?: Array<{ rule?: { type: string } }>;
    };
  } & Record<string, unknown>;
  repository?: { name: string; owner: { login: string } };
  organization?: { login: string };
  sender: UserPayload;
}

/** What changed, in a line: the rule types added, deleted and updated, and other changed fields. */
export function describeRulesetChange(payload: RulesetPayload): string {
  const parts: string[] = [];
  const rules = payload.changes?.rules;
  if (rules?.added?.length) parts.push(`rules added: ${rules.added.map((r) => r.type).join(", ")}`);
  if (rules?.deleted?.length) parts.push(`rules deleted: ${rules.deleted.map((r) => r.type).join(", ")}`);
  if (rules?.updated?.length)
    parts.push(`rules updated: ${rules.updated.map((r) => r.rule?.type ?? "?").join(", ")}`);
  const other = Object.keys(payload.changes ?? {}).filter((k) => k !== "rules");
  if (other.length) parts.push(`changed: ${other.join(", ")}`);
  return parts.length ? parts.join("; ") : `ruleset ${payload.action}`;
}

export async function onRulesetChange(
  octokit: Octokit,
  services: Services,
  payload: RulesetPayload,
): Promise<Array<{ standard: string; number: number; outcome: string }>> {
  const org = payload.repository?.owner.login ?? payload.organization?.login;
  if (!org) return [];
  // An org-level ruleset belongs to no repository: its incident goes to the central repository.
  const repository = payload.repository
    ? `${org}/${payload.repository.name}`
    : `${org}/${services.config.bundleRepo}`;
  const state = await services.bundles.get(octokit, org);
  const bundle = state.bundle;
  if (!bundle) return [];
  const ruleset = payload.repository_ruleset;
  const target = ruleset.target ?? "branch";
  const standards = bundle.standards.filter(
    (s) => s.rule === "ruleset" && (s.options as { target?: string } | undefined)?.target === target,
  );
  const actor = toActor(payload.sender);
  const written = [];
  for (const standard of standards) {
    const finding: Finding = {
      standard: standard.id,
      rule: standard.rule,
      severity: standard.severity,
      message: `Ruleset "${ruleset.name}" (id ${ruleset.id}, ${target}, ${ruleset.enforcement}) was ${payload.action} by @${actor.login} outside the bundle: ${describeRulesetChange(payload)}.`,
      expected: `rulesets change only through a reviewed change to the bundle (standard ${standard.id})`,
      found: `${payload.action} by @${actor.login}`,
      remediation: standard.remediation,
      docs: standard.docs,
    };
    const incident = incidentFor(bundle, standard, [finding], {
      repository,
      kind: "event",
      key: `ruleset:${ruleset.id}:${payload.action}:${ruleset.updated_at ?? ""}`,
      event: `repository_ruleset.${payload.action}`,
      time: services.now(),
      actor,
    });
    const result = await services.locks.run(`issue:${repository}:${standard.id}`, () =>
      recordIncident(octokit, incident),
    );
    written.push({ standard: standard.id, ...result });
  }
  return written;
}
