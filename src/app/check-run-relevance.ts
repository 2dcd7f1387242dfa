/**
 * Whether another app's completed check run can change a pull request's verdict. Only standards whose
 * rule reads the pull request's check runs can be moved by one; a `required-checks` standard that names
 * its checks is moved only by those (and, when pinned to an app, only by that app's run). Deciding this
 * first spares the whole judgement, and its requests, for every CI job nobody judges.
 */
import type { Bundle } from "../bundle/types.js";
import { rules as defaultRegistry } from "../rules/registry.js";
import type { Rule } from "../rules/types.js";

interface CompletedRun {
  name: string;
  app?: { slug?: string | null } | null;
}

const NamedCheck = (check: unknown): { name: string; app?: string } | undefined => {
  if (typeof check === "string") return { name: check };
  if (check && typeof check === "object" && typeof (check as { name?: unknown }).name === "string") {
    const { name, app } = check as { name: string; app?: unknown };
    return typeof app === "string" ? { name, app } : { name };
  }
  return undefined;
};

/** Whether any standard of the bundle reads a pull request's check runs: only then can a completion matter. */
export function bundleReadsCheckRuns(
  bundle: Bundle,
  registry: ReadonlyMap<string, Rule> = defaultRegistry,
): boolean {
  return bundle.standards.some((standard) => {
    const rule = registry.get(standard.rule);
    return rule?.scope === "pr" && rule.requires.includes("pr.checkRuns");
  });
}

export function checkRunCanChangeVerdict(
  bundle: Bundle,
  run: CompletedRun,
  registry: ReadonlyMap<string, Rule> = defaultRegistry,
): boolean {
  return bundle.standards.some((standard) => {
    const rule = registry.get(standard.rule);
    if (rule?.scope !== "pr" || !rule.requires.includes("pr.checkRuns")) return false;
    if (rule.id !== "required-checks") return true;
    const options = rule.options.safeParse(standard.options ?? {});
    const checks = options.success ? ((options.data as { checks?: unknown[] }).checks ?? []) : [];
    // Without named checks, every check that ran is judged.
    if (!options.success || checks.length === 0) return true;
    return checks.some((check) => {
      const named = NamedCheck(check);
      return named?.name === run.name && (named.app === undefined || named.app === run.app?.slug);
    });
  });
}
