/** Hand-built bundles and small fake rules, so engine tests do not depend on the real rules or loader. */
import { z } from "zod";
import { ALL_PROFILE } from "../../src/bundle/parse.js";
import type { Bundle, Profile, Standard } from "../../src/bundle/types.js";
import type { FactKey, Scope } from "../../src/facts/schema.js";
import { defineRule, type Rule, type RuleContext, type RuleResult } from "../../src/rules/types.js";

export function profile(id: string, overrides: Partial<Profile> = {}): Profile {
  const { description: _, ...everyRepository } = ALL_PROFILE;
  return { ...everyRepository, id, ...overrides };
}

export function standard(id: string, rule: string, overrides: Partial<Standard> = {}): Standard {
  return {
    id,
    title: `Title of ${id}`,
    rule,
    severity: "error",
    options: {},
    rationale: `Why ${id} exists.`,
    docs: `docs/${id}.md`,
    remediation: `Fix ${id}.`,
    profiles: ["all"],
    exemptions: { actors: [], branches: [] },
    ...overrides,
  };
}

export function bundle(standards: Standard[], overrides: Partial<Bundle> = {}): Bundle {
  return {
    source: "test",
    version: "2026.11.0",
    settings: {
      checkName: "rulebook",
      escalateAfter: 3,
      agents: { logins: ["*-agent"], coAuthors: ["*noreply@anthropic.com*"] },
    },
    profiles: { all: profile("all") },
    standards,
    waivers: [],
    files: {},
    links: {},
    ...overrides,
  };
}

/** A rule that returns what `check` returns; by default it needs nothing and finds nothing. */
export function fakeRule(
  id: string,
  overrides: {
    scope?: Scope;
    requires?: FactKey[];
    options?: z.ZodType;
    check?: (ctx: RuleContext<unknown>) => RuleResult | Promise<RuleResult>;
  } = {},
): Rule {
  return defineRule({
    id,
    scope: overrides.scope ?? "pr",
    description: `fake rule ${id}`,
    options: overrides.options ?? z.object({}),
    requires: overrides.requires ?? [],
    check: overrides.check ?? (() => []),
  });
}

export function registryOf(...list: Rule[]): ReadonlyMap<string, Rule> {
  return new Map(list.map((rule) => [rule.id, rule]));
}
