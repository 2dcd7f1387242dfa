/**
 * A ruleset created, edited or deleted by hand. Rulesets are declared in the bundle; a change made
 * through the UI or the API (an agent "fixing" a ruleset instead of stopping) that leaves a repository
 * weaker than the bundle declares, or different from it, is recorded as an RTFM issue naming the actor,
 * under each ruleset standard it breaks. A change that keeps every declared ruleset in force (protection
 * the bundle does not mention, added on top) is logged and listed on the dashboard instead.
 */
import { z } from "zod";
import type { Bundle, Standard } from "../bundle/types.js";
import { evaluate } from "../engine/evaluate.js";
import { factNeeds } from "../engine/needs.js";
import type { Finding } from "../engine/verdict.js";
import { type Octokit, type RepositoryPayload, toActor, type UserPayload } from "../gather/github.js";
import { gatherRepository } from "../gather/repository.js";
import type { Store } from "../state/store.js";
import { incidentFor } from "./incidents.js";
import { type IncidentRecord, recordOrObserve } from "./observed.js";
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
  repository?: RepositoryPayload;
  organization?: { login: string };
  sender: UserPayload;
}

/** What changed, in a line: the rule types added, deleted and updated, and other changed fields. */
function describeRulesetChange(payload: RulesetPayload): string {
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

/** A ruleset change that kept the repository as the bundle declares it: logged for the dashboard. */
const RulesetChangeSchema = z.object({
  repository: z.string(),
  ruleset: z.string(),
  id: z.number(),
  action: z.string(),
  actor: z.string(),
  time: z.string(),
  change: z.string(),
});
type RulesetChange = z.infer<typeof RulesetChangeSchema>;

/** How many logged changes the dashboard lists per organization. */
const LOGGED_CHANGES = 20;
const changesKey = (org: string) => `ruleset-changes:${org.toLowerCase()}`;

/** The ruleset changes logged for an organization, newest first; entries that do not parse are dropped. */
export async function loggedRulesetChanges(store: Store, org: string): Promise<RulesetChange[]> {
  const entries = Object.values(await store.hashGetAll(changesKey(org))).flatMap((raw) => {
    try {
      const parsed = RulesetChangeSchema.safeParse(JSON.parse(raw));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
  return entries.sort((a, b) => b.time.localeCompare(a.time) || a.repository.localeCompare(b.repository));
}

async function logRulesetChange(store: Store, org: string, key: string, change: RulesetChange) {
  await store.hashSet(changesKey(org), key, JSON.stringify(change));
  const all = await store.hashGetAll(changesKey(org));
  const kept = new Set(
    (await loggedRulesetChanges(store, org)).slice(0, LOGGED_CHANGES).map((c) => JSON.stringify(c)),
  );
  for (const [field, raw] of Object.entries(all))
    if (!kept.has(raw)) await store.hashDelete(changesKey(org), field);
}

/**
 * Whether an organization ruleset's change can only add protection: rules added and nothing else
 * changed. Anything else (deletion, rules removed or updated, enforcement, conditions, bypass actors)
 * may weaken some repository, and an organization ruleset covers too many to judge each one here.
 */
function onlyAddsRules(payload: RulesetPayload): boolean {
  if (payload.action !== "edited") return false;
  const changes = payload.changes ?? {};
  const rules = changes.rules;
  return (
    Object.keys(changes).every((k) => k === "rules") &&
    (rules?.added?.length ?? 0) > 0 &&
    !rules?.deleted?.length &&
    !rules?.updated?.length
  );
}

/**
 * Judges the repository's rulesets, as they are after the change, against the bundle's ruleset standards
 * for the target: the findings of each standard that fails (the change weakened the repository or made
 * it diverge), and nothing for one that holds. A standard that cannot be judged counts as failing.
 */
async function judgeAfterChange(
  octokit: Octokit,
  services: Services,
  bundle: Bundle,
  standards: Standard[],
  repository: RepositoryPayload,
): Promise<Map<string, Finding[]>> {
  const declared = { ...bundle, standards };
  const app = await services.identity();
  const facts = await gatherRepository(octokit, {
    repository,
    needs: factNeeds(declared, ["repo"]).facts,
    paths: [],
    now: services.now(),
    ...(app ? { app } : {}),
  });
  const verdict = await evaluate(declared, facts);
  const failing = new Map<string, Finding[]>();
  for (const result of verdict.standards) {
    if (result.status === "fail" || result.status === "not-evaluated") {
      failing.set(
        result.standard,
        verdict.findings.filter((f) => f.standard === result.standard),
      );
    }
  }
  return failing;
}

export async function onRulesetChange(
  octokit: Octokit,
  services: Services,
  payload: RulesetPayload,
): Promise<IncidentRecord[]> {
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
  const key = `ruleset:${ruleset.id}:${payload.action}:${ruleset.updated_at ?? ""}`;
  // Only a change that leaves the repository weaker than, or different from, what the bundle declares
  // is an incident; one that adds protection the bundle does not mention is logged.
  const failing = payload.repository
    ? await judgeAfterChange(octokit, services, bundle, standards, payload.repository)
    : new Map(onlyAddsRules(payload) ? [] : standards.map((s) => [s.id, [] as Finding[]]));
  const change = describeRulesetChange(payload);
  if (standards.length === 0 || failing.size === 0) {
    await logRulesetChange(services.store, org, key, {
      repository,
      ruleset: ruleset.name,
      id: ruleset.id,
      action: payload.action,
      actor: actor.login,
      time: services.now(),
      change,
    });
    return [];
  }
  const written = [];
  for (const standard of standards.filter((s) => failing.has(s.id))) {
    const finding: Finding = {
      standard: standard.id,
      rule: standard.rule,
      severity: standard.severity,
      message: `Ruleset "${ruleset.name}" (id ${ruleset.id}, ${target}, ${ruleset.enforcement}) was ${payload.action} by @${actor.login} outside the bundle: ${change}.`,
      expected: `rulesets change only through a reviewed change to the bundle (standard ${standard.id})`,
      found: `${payload.action} by @${actor.login}`,
      remediation: standard.remediation,
      docs: standard.docs,
    };
    const incident = incidentFor(bundle, standard, [finding, ...(failing.get(standard.id) ?? [])], {
      repository,
      kind: "event",
      key,
      event: `repository_ruleset.${payload.action}`,
      time: services.now(),
      actor,
    });
    written.push(await recordOrObserve(octokit, services, bundle, incident));
  }
  return written;
}
