/**
 * Turns failing standards of a verdict into RTFM incidents: what happened, who did it, and the gate that
 * should have stopped it.
 */
import type { Bundle, Standard } from "../bundle/types.js";
import { docsLink } from "../engine/evaluate.js";
import { profileMatches } from "../engine/profiles.js";
import type { Finding, Verdict } from "../engine/verdict.js";
import type { Actor, RepoFacts } from "../facts/schema.js";
import type { BundleProblem } from "../github/bundle-source.js";
import type { Incident } from "../publish/rtfm.js";
import type { RulebookConfig } from "./config.js";

/** The gate that enforces each rule, named in the issue so the missing piece is plain. */
const GATES: Record<string, string> = {
  "direct-push":
    "A branch ruleset on the default branch that requires a pull request and blocks force pushes (the `ruleset` standards of the bundle) was missing, or someone with bypass rights used it.",
  "self-merge":
    "A ruleset requiring an approving review from someone other than the author (and the last pusher) was missing or bypassed.",
  "bypassed-check":
    "The required status check `rulebook`, pinned to this app in the default branch ruleset, was missing or bypassed: the pull request merged while it was not green.",
  ruleset:
    "Rulesets are declared in the central bundle and reviewed there; this one no longer matches what the bundle declares.",
  "required-file":
    "The organization's repository template or sync process did not put this file in place, and nothing blocked its absence.",
  "consistent-file":
    "The shared configuration is copied from the bundle; this repository's copy drifted from it and nothing blocked the change.",
};

export function gateFor(rule: string): string {
  return GATES[rule] ?? `No gate enforced the \`${rule}\` rule before this happened.`;
}

/** Where and how an incident happened: everything but the standard and its findings. */
type IncidentContext = Pick<Incident, "repository" | "kind" | "key" | "event" | "time" | "actor" | "sha"> & {
  /** The repository's facts, to tell which of the standard's profiles select it (for their owners). */
  repo?: RepoFacts;
};

/**
 * The owners the bundle names for a standard's repositories: those of its profiles that select the
 * repository, or of all its profiles when the repository is not known.
 */
export function profileOwners(bundle: Bundle, standard: Standard, repo?: RepoFacts): string[] {
  const profiles = standard.profiles.flatMap((id) => {
    const profile = bundle.profiles[id];
    return profile && (!repo || profileMatches(profile, repo)) ? [profile] : [];
  });
  return [...new Set(profiles.flatMap((p) => p.owners))];
}

/** One incident per standard that failed in a verdict, carrying that standard's findings. */
export function incidentsFromVerdict(bundle: Bundle, verdict: Verdict, context: IncidentContext): Incident[] {
  const byStandard = new Map<string, Finding[]>();
  for (const finding of verdict.findings) {
    byStandard.set(finding.standard, [...(byStandard.get(finding.standard) ?? []), finding]);
  }
  const failing = verdict.standards.filter((s) => s.status === "fail");
  return failing.flatMap((result) => {
    const standard = bundle.standards.find((s) => s.id === result.standard);
    if (!standard) return [];
    return [incidentFor(bundle, standard, byStandard.get(standard.id) ?? [], context)];
  });
}

export function incidentFor(
  bundle: Bundle,
  standard: Standard,
  findings: Finding[],
  context: IncidentContext,
): Incident {
  return {
    repository: context.repository,
    standard,
    docs: docsLink(bundle, standard.docs),
    kind: context.kind,
    key: context.key,
    event: context.event,
    ...(context.actor ? { actor: context.actor } : {}),
    ...(context.sha ? { sha: context.sha } : {}),
    time: context.time,
    findings,
    gate: gateFor(standard.rule),
    profileOwners: profileOwners(bundle, standard, context.repo),
  };
}

/**
 * An invalid bundle version, as an incident in the central repository: every error, the commit, and
 * who pushed it when a push revealed it. Keyed by the commit, so each broken version is recorded once.
 */
export function brokenBundleIncident(
  config: Pick<RulebookConfig, "bundleRepo" | "bundlePath">,
  org: string,
  problem: BundleProblem,
  context: { event: string; time: string; actor?: Actor },
): Incident {
  const docs = "docs/bundle-format.md";
  return {
    repository: `${org}/${config.bundleRepo}`,
    standard: {
      id: "valid-bundle",
      title: "The rulebook bundle is valid",
      severity: "error",
      rationale:
        "Every check in the organization judges against this bundle. An invalid version cannot be applied: until it is fixed, checks use the last valid version, or fail closed when there is none.",
      remediation: `Run \`rulebook validate --bundle ${config.bundlePath}\` on a checkout of this repository and fix every error it lists.`,
    },
    docs,
    kind: "event",
    key: `bundle:${problem.sha}`,
    event: context.event,
    ...(context.actor ? { actor: context.actor } : {}),
    sha: problem.sha,
    time: context.time,
    findings: problem.errors.map((message) => ({
      standard: "valid-bundle",
      rule: "bundle",
      severity: "error",
      message,
      remediation: "Fix this key as the message says.",
      docs,
    })),
    gate: "The bundle's own pull request check (`rulebook/bundle`) was missing, failing or bypassed when this version was merged.",
  };
}
