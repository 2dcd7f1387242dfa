/**
 * What a gatherer must fetch for a bundle: the fact kinds the bundle's rules require and the repository
 * files they read, for the scopes at hand. Gatherers ask this first so they fetch nothing more.
 */
import type { Bundle } from "../bundle/types.js";
import type { FactKey, Facts, Scope } from "../facts/schema.js";
import { rules as defaultRegistry } from "../rules/registry.js";
import type { Rule } from "../rules/types.js";

export interface FactNeeds {
  facts: Set<FactKey>;
  /** Repository paths, sorted and without duplicates. */
  paths: string[];
  /** Whether a rule reads the whole new content of a changed file at this path. */
  contents: (path: string) => boolean;
}

export function factNeeds(
  bundle: Bundle,
  scopes: readonly Scope[],
  registry: ReadonlyMap<string, Rule> = defaultRegistry,
): FactNeeds {
  const facts = new Set<FactKey>();
  const paths = new Set<string>();
  const contents: Array<(path: string) => boolean> = [];
  for (const standard of bundle.standards) {
    const rule = registry.get(standard.rule);
    if (!rule || !scopes.includes(rule.scope)) continue;
    for (const key of rule.requires) facts.add(key);
    // Profiles that select on custom properties need them, and listings of repositories do not carry them.
    if (standard.profiles.some((id) => Object.keys(bundle.profiles[id]?.properties ?? {}).length > 0)) {
      facts.add("repo.metadata");
    }
    const options = rule.options.safeParse(standard.options ?? {});
    if (options.success && rule.files) for (const path of rule.files(options.data)) paths.add(path);
    if (options.success && rule.changedFileContents) contents.push(rule.changedFileContents(options.data));
  }
  return { facts, paths: [...paths].sort(), contents: (path) => contents.some((reads) => reads(path)) };
}

/**
 * The issues the bundle's standards depend on in these facts (tracking issues cited by skipped tests), as
 * `owner/repo#n` keys, so the pipeline verifies them in one batched query before judging.
 */
export function issueReferencesToVerify(
  bundle: Bundle,
  facts: Facts,
  registry: ReadonlyMap<string, Rule> = defaultRegistry,
): string[] {
  const references = new Set<string>();
  for (const standard of bundle.standards) {
    const rule = registry.get(standard.rule);
    if (!rule?.issueReferences || !facts.scopes.includes(rule.scope)) continue;
    const options = rule.options.safeParse(standard.options ?? {});
    if (!options.success) continue;
    for (const reference of rule.issueReferences({ facts, options: options.data })) references.add(reference);
  }
  return [...references].sort();
}
