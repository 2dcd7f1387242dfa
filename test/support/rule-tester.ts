/**
 * A RuleTester in the manner of ESLint's: a table of valid and invalid cases per rule, each invalid case
 * with the exact findings expected (or the exact "not evaluated" reason).
 */
import { describe, expect, it } from "@jest/globals";
import { createAgentDetector } from "../../src/engine/agents.js";
import type { Facts } from "../../src/facts/schema.js";
import { isNotEvaluated, type Rule, type RuleContext, type RuleFinding } from "../../src/rules/types.js";

export interface RuleCase {
  name: string;
  facts: Facts;
  options?: unknown;
  /** Canonical bundle files the case provides (path -> content). */
  bundleFiles?: Record<string, string>;
  /** Overrides the default agent detection (type Bot) for this case. */
  authorIsAgent?: boolean;
  agentLogins?: string[];
}

export interface InvalidCase extends RuleCase {
  findings: RuleFinding[];
}

export interface NotEvaluatedCase extends RuleCase {
  notEvaluated: string | RegExp;
}

/** Agents are told apart as the engine tells them, with the case's `agentLogins` as the bundle's globs. */
export function ruleContext(rule: Rule, c: RuleCase): RuleContext<unknown> {
  const options = rule.options.parse(c.options ?? {});
  const agents = createAgentDetector({ logins: c.agentLogins ?? [], coAuthors: [] });
  const change = c.facts.pullRequest
    ? { author: c.facts.pullRequest.author, commits: c.facts.pullRequest.commits ?? [] }
    : c.facts.push && { author: c.facts.push.pusher, commits: c.facts.push.commits };
  return {
    facts: c.facts,
    options,
    bundleFile: (path) => c.bundleFiles?.[path],
    isAgent: agents.isAgent,
    authorIsAgent: c.authorIsAgent ?? (change ? agents.wroteChange(change.author, change.commits) : false),
    checkName: "rulebook",
  };
}

export function testRule(
  rule: Rule,
  cases: { valid: RuleCase[]; invalid: InvalidCase[]; notEvaluated?: NotEvaluatedCase[] },
): void {
  describe(`rule ${rule.id}`, () => {
    describe("valid", () => {
      for (const c of cases.valid) {
        it(c.name, async () => {
          expect(await rule.check(ruleContext(rule, c))).toEqual([]);
        });
      }
    });
    describe("invalid", () => {
      for (const c of cases.invalid) {
        it(c.name, async () => {
          expect(await rule.check(ruleContext(rule, c))).toEqual(c.findings);
        });
      }
    });
    if (cases.notEvaluated?.length) {
      describe("not evaluated", () => {
        for (const c of cases.notEvaluated ?? []) {
          it(c.name, async () => {
            const result = await rule.check(ruleContext(rule, c));
            expect(isNotEvaluated(result)).toBe(true);
            if (isNotEvaluated(result)) expect(result.notEvaluated).toMatch(c.notEvaluated);
          });
        }
      });
    }
  });
}
