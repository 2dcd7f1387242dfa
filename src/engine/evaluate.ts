/**
 * The judging step of the pipeline: `evaluate(bundle, facts) -> verdict`. Pure and deterministic: no
 * I/O, no clock (the day comes from `facts.now`), and the same input gives the same JSON bytes.
 *
 * For each standard of the bundle, in this order: its rule must be known and judge one of the facts'
 * scopes, one of its profiles must select the repository, then an active waiver or an exemption sets it
 * aside; otherwise the facts its rule requires must be there, its options must validate, and the rule runs.
 * Anything that stops a standard from being judged makes it "not evaluated", which is never a pass.
 */
import type { z } from "zod";
import type { Bundle, Severity, Standard } from "../bundle/types.js";
import { type Actor, type Commit, type Facts, hasFact, type Scope } from "../facts/schema.js";
import { rules } from "../rules/registry.js";
import { branchOfRef } from "../rules/support/ref-patterns.js";
import type { Rule, RuleContext } from "../rules/types.js";
import { compareStrings } from "../util/compare.js";
import { matchesGlobs } from "../util/pattern.js";
import { type AgentDetector, createAgentDetector, loginMatches } from "./agents.js";
import { utcDay } from "./dates.js";
import { compareFindings } from "./order.js";
import { matchProfile } from "./profiles.js";
import { describeIssues, validateRuleResult } from "./rule-result.js";
import { stopAndAsk } from "./stop-and-ask.js";
import {
  type Finding,
  type NotEvaluatedStandard,
  type StandardResult,
  type StandardStatus,
  VERDICT_SCHEMA,
  type Verdict,
  type WaiverUse,
} from "./verdict.js";
import { waiversFor } from "./waivers.js";

/** The change a pull request or push scope judges: who made it, on which branch, with which commits. */
interface Change {
  kind: "pull request" | "push";
  author: Actor;
  branch?: string;
  commits: readonly Commit[];
}

interface Outcome {
  result: StandardResult;
  findings: Finding[];
  notEvaluated?: NotEvaluatedStandard;
}

/** What every standard of one evaluation shares. */
interface Evaluation {
  bundle: Bundle;
  facts: Facts;
  registry: ReadonlyMap<string, Rule>;
  /** The UTC day of `facts.now`; undefined when `now` is not an ISO 8601 timestamp. */
  today: string | undefined;
  waivers: WaiverUse[];
  agents: AgentDetector;
  authorIsAgent(scope: Scope): boolean;
}

function changeFor(facts: Facts, scope: Scope): Change | undefined {
  const pr = facts.pullRequest;
  const push = facts.push;
  const fromPr: Change | undefined = pr && {
    kind: "pull request",
    author: pr.author,
    branch: pr.head.ref,
    commits: pr.commits ?? [],
  };
  const branch = push && branchOfRef(push.ref);
  const fromPush: Change | undefined = push && {
    kind: "push",
    author: push.pusher,
    // A tag push has no branch, so branch exemptions never match it.
    ...(branch === undefined ? {} : { branch }),
    commits: push.commits,
  };
  switch (scope) {
    case "pr":
      return fromPr;
    case "push":
      return fromPush;
    case "repo":
      // A repository standard judged during a pull request or push shares that change's exemptions.
      return fromPr ?? fromPush;
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return "an unprintable value was thrown";
  }
}

/**
 * Where a page of the bundle (a standard's manual) is read: under `settings.docsUrl` when the bundle sets
 * it, else at the page's known web address (the org's `.github` repository at the bundle's commit, or
 * the shipped default at this Rulebook's tag), else its bundle-relative path.
 */
export function docsLink(bundle: Pick<Bundle, "settings" | "links">, docs: string): string {
  const docsUrl = bundle.settings.docsUrl;
  if (!docsUrl) return Object.hasOwn(bundle.links, docs) ? (bundle.links[docs] as string) : docs;
  let base = docsUrl;
  while (base.endsWith("/")) base = base.slice(0, -1);
  let path = docs.startsWith("./") ? docs.slice(2) : docs;
  while (path.startsWith("/")) path = path.slice(1);
  return `${base}/${path}`;
}

/** Before its effective date an error standard only warns; warnings and notices are unchanged. */
function effectiveSeverity(standard: Standard, today: string | undefined): Severity {
  return standard.severity === "error" && notYetInEffect(standard, today) ? "warning" : standard.severity;
}

function notYetInEffect(standard: Standard, today: string | undefined): boolean {
  return standard.since !== undefined && today !== undefined && today < standard.since;
}

function settled(standard: Standard, status: StandardStatus, reason?: string): Outcome {
  const result: StandardResult = { standard: standard.id, title: standard.title, status };
  if (reason !== undefined) result.reason = reason;
  return { result, findings: [] };
}

function notEvaluated(standard: Standard, reason: string, severity: Severity): Outcome {
  return {
    ...settled(standard, "not-evaluated", reason),
    notEvaluated: { standard: standard.id, reason, severity },
  };
}

/** Where each scope is judged, in the words a reader of a check run or an issue knows. */
const JUDGED_ON: Record<Scope, string> = {
  pr: "pull requests",
  push: "pushes to the default branch",
  repo: "the repository's files and settings, by the periodic sweep",
};
const NOT_ON: Record<Scope, string> = { pr: "a pull request", push: "a push", repo: "the repository" };

/** Why a standard of another scope is not judged here: `judged on pushes to the default branch, not on a pull request`. */
function elsewhere(scope: Scope, here: readonly Scope[]): string {
  return `judged on ${JUDGED_ON[scope]}, not on ${here.map((s) => NOT_ON[s]).join(" or ")}`;
}

/** Why no profile of the standard selects the repository, or undefined when one does. */
function selection(
  evaluation: Evaluation,
  standard: Standard,
): { status: StandardStatus; reason: string } | undefined {
  const { bundle, facts } = evaluation;
  const metadataUnavailable = hasFact(facts, "repo.metadata")
    ? undefined
    : facts.unavailable["repo.metadata"] || "fact repo.metadata was not gathered";
  const misses: string[] = [];
  const unknowns: string[] = [];
  for (const id of standard.profiles) {
    const profile = Object.hasOwn(bundle.profiles, id) ? bundle.profiles[id] : undefined;
    if (!profile) {
      unknowns.push(`profile ${id} is not defined in the bundle`);
      continue;
    }
    const match = matchProfile(profile, facts.repo, metadataUnavailable);
    if (match.status === "match") return undefined;
    (match.status === "unknown" ? unknowns : misses).push(match.reason);
  }
  // A profile that might select the repository, had its metadata been known, must not be read as "no".
  if (unknowns.length > 0) return { status: "not-evaluated", reason: unknowns.join("; ") };
  if (misses.length === 0) return { status: "not-applicable", reason: "the standard lists no profiles" };
  return { status: "not-applicable", reason: misses.join("; ") };
}

function exemption(standard: Standard, change: Change | undefined): string | undefined {
  if (!change) return undefined;
  const { actors, branches } = standard.exemptions;
  const login = change.author.login;
  if (actors.length > 0 && loginMatches(login, actors)) {
    const glob = actors.find((g) => !g.startsWith("!") && loginMatches(login, [g]));
    return `the ${change.kind} by ${login} is exempt (exemptions.actors: ${glob})`;
  }
  const branch = change.branch;
  if (branch !== undefined && branches.length > 0 && matchesGlobs(branch, branches)) {
    const glob = branches.find((g) => !g.startsWith("!") && matchesGlobs(branch, [g]));
    return `the ${change.kind} on branch ${branch} is exempt (exemptions.branches: ${glob})`;
  }
  return undefined;
}

function missingFact(rule: Rule, facts: Facts): string | undefined {
  for (const key of rule.requires) {
    if (!hasFact(facts, key)) return facts.unavailable[key] || `fact ${key} was not gathered`;
  }
  return undefined;
}

async function judge(evaluation: Evaluation, standard: Standard): Promise<Outcome> {
  const { bundle, facts, registry, today } = evaluation;
  const severity = effectiveSeverity(standard, today);
  const rule = registry.get(standard.rule);
  if (!rule) {
    return notEvaluated(standard, `rule ${standard.rule} is not known to this version of Rulebook`, severity);
  }
  if (!facts.scopes.includes(rule.scope)) {
    return settled(standard, "not-applicable", elsewhere(rule.scope, facts.scopes));
  }
  const selected = selection(evaluation, standard);
  if (selected?.status === "not-applicable") return settled(standard, "not-applicable", selected.reason);
  if (selected) return notEvaluated(standard, selected.reason, severity);
  if (today === undefined) {
    return notEvaluated(
      standard,
      `facts.now (${facts.now}) is not an ISO 8601 timestamp, so effective dates and waivers cannot be applied`,
      severity,
    );
  }

  // Waivers are sorted latest expiry first, so the reason names the one that lasts longest.
  const waiver = evaluation.waivers.find((w) => w.standard === standard.id && w.status === "active");
  if (waiver) {
    return settled(standard, "waived", `waived until ${waiver.expires} by ${waiver.owner}: ${waiver.reason}`);
  }
  const exempt = exemption(standard, changeFor(facts, rule.scope));
  if (exempt !== undefined) return settled(standard, "exempt", exempt);
  const missing = missingFact(rule, facts);
  if (missing !== undefined) return notEvaluated(standard, missing, severity);

  let options: unknown;
  try {
    const parsed = rule.options.safeParse(standard.options ?? {});
    if (!parsed.success) {
      return notEvaluated(
        standard,
        `options do not fit rule ${rule.id}: ${describeIssues(parsed.error as z.ZodError, "options")}`,
        severity,
      );
    }
    options = parsed.data;
  } catch (error) {
    return notEvaluated(
      standard,
      `options of rule ${rule.id} could not be validated: ${errorMessage(error)}`,
      severity,
    );
  }

  const context: RuleContext<unknown> = {
    facts,
    options,
    bundleFile: (path) => (Object.hasOwn(bundle.files, path) ? bundle.files[path] : undefined),
    isAgent: evaluation.agents.isAgent,
    authorIsAgent: evaluation.authorIsAgent(rule.scope),
    checkName: bundle.settings.checkName,
  };
  let raw: unknown;
  try {
    raw = await rule.check(context);
  } catch (error) {
    return notEvaluated(standard, `rule ${rule.id} failed: ${errorMessage(error)}`, severity);
  }
  const result = validateRuleResult(rule.id, raw);
  if ("notEvaluated" in result) return notEvaluated(standard, result.notEvaluated, severity);

  const downgraded = severity !== standard.severity;
  const docs = docsLink(bundle, standard.docs);
  const authority = context.authorIsAgent ? rule.authority : undefined;
  const findings = result.findings.map(
    ({ message, remediation, pending, ...place }): Finding => ({
      standard: standard.id,
      rule: rule.id,
      severity,
      message: downgraded
        ? `${message} (a warning until ${standard.since}; from that day this standard blocks merges)`
        : message,
      ...place,
      remediation: authority
        ? stopAndAsk(authority, remediation ?? standard.remediation)
        : (remediation ?? standard.remediation),
      docs,
      ...(pending === true ? { pending } : {}),
    }),
  );
  if (findings.length === 0) return settled(standard, "pass");

  const reasons: string[] = [];
  if (downgraded)
    reasons.push(`in effect from ${standard.since}; until then its errors are reported as warnings`);
  if (findings.every((f) => f.pending)) reasons.push("pending: waiting on something that has not finished");
  return { ...settled(standard, "fail", reasons.length > 0 ? reasons.join("; ") : undefined), findings };
}

async function judgeSafely(evaluation: Evaluation, standard: Standard): Promise<Outcome> {
  try {
    return await judge(evaluation, standard);
  } catch (error) {
    // Fail closed on any surprise: the standard is reported, never silently passed.
    const severity = effectiveSeverity(standard, evaluation.today);
    return notEvaluated(standard, `evaluation failed: ${errorMessage(error)}`, severity);
  }
}

/** Judges facts against a bundle's standards and returns the `rulebook.findings/v1` verdict. */
export async function evaluate(
  bundle: Bundle,
  facts: Facts,
  registry: ReadonlyMap<string, Rule> = rules,
): Promise<Verdict> {
  const today = utcDay(facts.now);
  const repository = `${facts.repo.owner}/${facts.repo.name}`;
  const agents = createAgentDetector(bundle.settings.agents);
  const authorIsAgent = new Map<Scope, boolean>();
  const evaluation: Evaluation = {
    bundle,
    facts,
    registry,
    today,
    waivers: today === undefined ? [] : waiversFor(bundle.waivers, repository, today),
    agents,
    authorIsAgent(scope) {
      let known = authorIsAgent.get(scope);
      if (known === undefined) {
        const change = changeFor(facts, scope);
        known = change !== undefined && agents.wroteChange(change.author, change.commits);
        authorIsAgent.set(scope, known);
      }
      return known;
    },
  };
  const outcomes = await Promise.all(bundle.standards.map((standard) => judgeSafely(evaluation, standard)));

  return {
    schema: VERDICT_SCHEMA,
    bundle: { source: bundle.source, version: bundle.version },
    findings: outcomes.flatMap((o) => o.findings).sort(compareFindings),
    notEvaluated: outcomes
      .flatMap((o) => (o.notEvaluated ? [o.notEvaluated] : []))
      .sort((a, b) => compareStrings(a.standard, b.standard) || compareStrings(a.reason, b.reason)),
    standards: outcomes
      .map((o) => o.result)
      .sort(
        (a, b) =>
          compareStrings(a.standard, b.standard) ||
          compareStrings(a.status, b.status) ||
          compareStrings(a.reason ?? "", b.reason ?? ""),
      ),
    waivers: evaluation.waivers,
  };
}
