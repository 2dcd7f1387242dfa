/** The rulesets that govern a repository, read through the REST rulesets API. */
import type { RulesetFact } from "../facts/schema.js";
import type { Octokit } from "./github.js";

type RulesetDetail = {
  id: number;
  name: string;
  target?: string;
  enforcement: string;
  source_type?: string;
  source: string;
  conditions?: { ref_name?: { include?: string[]; exclude?: string[] } } | null;
  rules?: Array<{ type: string; parameters?: Record<string, unknown> }>;
  bypass_actors?: Array<{ actor_id?: number | null; actor_type: string; bypass_mode?: string }>;
};

export function toRulesetFact(r: RulesetDetail): RulesetFact {
  const refName = r.conditions?.ref_name;
  return {
    id: r.id,
    name: r.name,
    target: (r.target ?? "branch") as RulesetFact["target"],
    enforcement: r.enforcement as RulesetFact["enforcement"],
    sourceType: (r.source_type ?? "Repository") as RulesetFact["sourceType"],
    source: r.source,
    conditions: refName
      ? { refName: { include: refName.include ?? [], exclude: refName.exclude ?? [] } }
      : {},
    rules: (r.rules ?? []).map((rule) => ({
      type: rule.type,
      ...(rule.parameters ? { parameters: rule.parameters } : {}),
    })),
    bypassActors: (r.bypass_actors ?? []).map((a) => ({
      actorId: a.actor_id ?? null,
      actorType: a.actor_type,
      bypassMode: a.bypass_mode ?? "always",
    })),
  };
}

/** The rulesets that apply to a repository, its organization's included, with their rules and bypass actors. */
export async function listRulesets(octokit: Octokit, owner: string, repo: string): Promise<RulesetFact[]> {
  const summaries = await octokit.paginate(octokit.rest.repos.getRepoRulesets, {
    owner,
    repo,
    includes_parents: true,
    per_page: 100,
  });
  const details: RulesetFact[] = [];
  for (const summary of summaries) {
    const { data } = await octokit.rest.repos.getRepoRuleset({
      owner,
      repo,
      ruleset_id: summary.id,
      includes_parents: true,
    });
    details.push(toRulesetFact(data as RulesetDetail));
  }
  return details;
}
