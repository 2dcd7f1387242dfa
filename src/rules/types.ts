/**
 * The one small interface every rule implements: metadata, an options schema and a pure check.
 * A rule is code; a standard (bundle data) configures a rule with an id, severity and docs.
 */
import type { z } from "zod";
import type { Actor, FactKey, Facts, Scope } from "../facts/schema.js";

/** What a rule reports; the engine adds the standard, severity, remediation and docs link. */
export interface RuleFinding {
  message: string;
  path?: string;
  line?: number;
  endLine?: number;
  expected?: string;
  found?: string;
  /** A fix specific to this finding; the standard's remediation is used when absent. */
  remediation?: string;
  /** The thing judged has not finished yet (a required check still running): not a pass, not final either. */
  pending?: boolean;
}

/** A rule that cannot judge says why, and the engine lists it as "not evaluated", never as passed. */
interface NotEvaluated {
  notEvaluated: string;
}

export type RuleResult = RuleFinding[] | NotEvaluated;

export interface RuleContext<O> {
  facts: Facts;
  options: O;
  /** Canonical file content shipped in the bundle (templates), by bundle-relative path. */
  bundleFile(path: string): string | undefined;
  /** Whether an account is an AI agent or automation, per the bundle's `agents` settings. */
  isAgent(actor: Actor): boolean;
  /** Whether the pull request or push was authored by an agent (account, login list or co-author trailers). */
  authorIsAgent: boolean;
  /** The app's own check run name, which rules must not wait on. */
  checkName: string;
}

/** Who can act on a finding whose fix needs authority an agent lacks. */
export type Authority = "code-owners" | "bundle-owners" | "escalation-team";

export interface Rule<S extends z.ZodType = z.ZodType> {
  id: string;
  scope: Scope;
  description: string;
  options: S;
  /**
   * Set when fixing a finding needs authority an agent lacks (an approval, a ruleset, the bundle): on a
   * change written by an agent, the finding's fix then says to stop and whom to ask.
   */
  authority?: { ask: Authority; because: string };
  /** Facts the rule cannot judge without; when one is missing the engine reports "not evaluated". */
  requires: readonly FactKey[];
  /** Repository files the rule reads, so gatherers know what to fetch. */
  files?(options: z.infer<S>): string[];
  /** Changed files whose whole new content the rule reads as code, so gatherers fetch those and no others. */
  changedFileContents?(options: z.infer<S>): (path: string) => boolean;
  /**
   * Issues (`owner/repo#n`, lower case) the rule's verdict depends on, so the pipeline can verify them all
   * in one batched query before judging. Pure, like `check`.
   */
  issueReferences?(ctx: Pick<RuleContext<z.infer<S>>, "facts" | "options">): string[];
  /** Bundle files (templates) the options refer to, so the loader can check they exist. */
  bundleFiles?(options: z.infer<S>): string[];
  /** Pure; may be async only because some libraries (commitlint) are, never to do I/O. */
  check(ctx: RuleContext<z.infer<S>>): RuleResult | Promise<RuleResult>;
}

export function defineRule<S extends z.ZodType>(rule: Rule<S>): Rule<S> {
  return rule;
}

export function notEvaluated(reason: string): NotEvaluated {
  return { notEvaluated: reason };
}

export function isNotEvaluated(result: RuleResult): result is NotEvaluated {
  return !Array.isArray(result);
}
