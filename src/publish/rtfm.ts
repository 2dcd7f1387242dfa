/**
 * RTFM incident issues, rendered (pure): for what no check could stop (a direct push, a self-merge, a
 * bypassed check, a ruleset changed by hand), one issue per repository and standard. The body quotes the
 * violated standard, gives the evidence, names the gate that was missing, and asks the responsible party
 * to pause and find the root cause. Drift found by sweeps has an issue of its own kind (`drift.ts`).
 */

import { z } from "zod";
import type { Standard } from "../bundle/types.js";
import type { Finding } from "../engine/verdict.js";
import type { Actor } from "../facts/schema.js";
import { code, commitRef, docsReference, fenced, inline, mention, quote } from "./markdown.js";
import { type InvalidMarkerHandler, readMarker, warnInvalidMarker, writeMarker } from "./markers.js";

export const RTFM_LABEL = "rtfm";
/** How many evidence keys an issue remembers, so a redelivered webhook is recognised. */
const SEEN_LIMIT = 50;

/**
 * Event issues record something that happened and stay open for a root cause. `drift` marks the
 * per-standard drift issues of earlier versions, which sweeps close in favour of one issue per repository.
 */
type IncidentKind = "event" | "drift";

export interface Incident {
  /** `owner/name` of the repository the issue is about. */
  repository: string;
  standard: Pick<Standard, "id" | "title" | "severity" | "rationale" | "remediation">;
  docs: string;
  kind: IncidentKind;
  /** Identifies this occurrence, so delivering the same webhook again changes nothing. */
  key: string;
  /** What revealed it: `push`, `repository_ruleset.edited`, `sweep`, ... */
  event: string;
  actor?: Actor;
  sha?: string;
  time: string;
  findings: Finding[];
  /** The gate that should have stopped it and was missing or bypassed. */
  gate: string;
  /** Owners the bundle's profiles name for the repository (`@user`, `@org/team`). */
  profileOwners?: string[];
  /** The repository's CODEOWNERS when the caller already read it (null: it has none), saving a read. */
  codeowners?: string | null;
  /** Whom the issue names as owners: CODEOWNERS owners of the affected paths and the profile owners. */
  owners?: string[];
}

/** Which issue it is: one per repository, standard and kind. */
const RtfmIdentitySchema = z.object({
  repository: z.string(),
  standard: z.string(),
  kind: z.enum(["event", "drift"]),
});

const RtfmStateSchema = RtfmIdentitySchema.extend({
  count: z.number().int().positive(),
  seen: z.array(z.string()),
});

export type RtfmState = z.infer<typeof RtfmStateSchema>;

export function rtfmTitle(incident: Pick<Incident, "standard" | "repository">): string {
  return `RTFM: ${incident.standard.title} in ${incident.repository}`;
}

/** The identity of an RTFM issue: one per repository, standard and kind. */
export function rtfmMatches(
  body: string | null | undefined,
  repository: string,
  standard: string,
  kind: IncidentKind,
  onInvalid?: InvalidMarkerHandler,
) {
  const state = rtfmState(body, onInvalid);
  return state?.repository === repository && state.standard === standard && state.kind === kind;
}

/**
 * The issue's state. When only its count or evidence was damaged, the issue keeps its identity and
 * starts over from one occurrence with no evidence recorded; when its identity was, it is no RTFM issue.
 */
export function rtfmState(
  body: string | null | undefined,
  onInvalid: InvalidMarkerHandler = warnInvalidMarker,
): RtfmState | undefined {
  let problem: string | undefined;
  const state = readMarker(body, "rtfm", RtfmStateSchema, (message) => {
    problem = message;
  });
  if (state || problem === undefined) return state;
  onInvalid(problem);
  const identity = readMarker(body, "rtfm", RtfmIdentitySchema, () => {});
  return identity ? { ...identity, count: 1, seen: [] } : undefined;
}

/** A value as a code span, or a fenced block under the list item when it spans lines. */
function valueLine(label: string, value: string): string {
  if (!value.includes("\n")) return `  - ${label}: ${code(value)}`;
  return `  - ${label}:\n\n${fenced("", value).replace(/^/gm, "    ")}\n`;
}

function evidenceLines(incident: Incident): string[] {
  const lines = [`- **Event:** ${code(incident.event)}`, `- **When:** ${incident.time}`];
  if (incident.actor)
    lines.push(`- **Actor:** ${mention(`@${incident.actor.login}`)} (${incident.actor.type})`);
  if (incident.sha) lines.push(`- **Commit:** ${commitRef(incident.sha)}`);
  for (const finding of incident.findings) {
    const where = finding.path
      ? ` at ${code(`${finding.path}${finding.line ? `:${finding.line}` : ""}`)}`
      : "";
    lines.push(`- **Found${where}:** ${inline(finding.message).replace(/\n/g, "\n  ")}`);
    if (finding.expected !== undefined) lines.push(valueLine("expected", finding.expected));
    if (finding.found !== undefined) lines.push(valueLine("found", finding.found));
  }
  return lines;
}

/** The comment added when an open issue's standard is broken again. */
export function renderRecurrence(incident: Incident, count: number): string {
  return [`### Occurrence ${count}`, "", ...evidenceLines(incident)].join("\n");
}

export function renderRtfmBody(incident: Incident, previous?: RtfmState): string {
  const seen = [...(previous?.seen ?? []), incident.key].slice(-SEEN_LIMIT);
  const state: RtfmState = {
    repository: incident.repository,
    standard: incident.standard.id,
    kind: incident.kind,
    count: (previous?.count ?? 0) + 1,
    seen,
  };
  const s = incident.standard;
  return [
    writeMarker("rtfm", state),
    `The standard **${inline(s.title)}** (${code(s.id)}, ${s.severity}) was broken in ${code(incident.repository)}.`,
    "",
    // --- owners (CODEOWNERS and the bundle's profiles) ---
    ...(incident.owners?.length ? [`Owners: ${incident.owners.map(mention).join(" ")}`, ""] : []),
    // --- end of owners ---
    "### The standard",
    "",
    quote(s.rationale),
    "",
    `Manual: ${docsReference(incident.docs)} (or ${code(`rulebook explain ${s.id}`)})`,
    "",
    "### Evidence",
    "",
    ...evidenceLines(incident),
    "",
    "### The gate that was missing or bypassed",
    "",
    inline(incident.gate),
    "",
    "### What the responsible party must do",
    "",
    "1. **Pause.** Do not push, merge or change settings in this repository until this issue has a root cause.",
    "2. **Capture the context:** what you were doing, which instructions you followed, what failed first.",
    `3. **Name the violated standard** (${code(s.id)}) and read its manual above.`,
    "4. **Write the root cause in this issue:** why the step was skipped or the gate was worked around.",
    "5. **Propose the change that stops it recurring** (a ruleset, a bundle change, a CI step), as a pull request to the central bundle where it belongs.",
    "",
    `How to fix: ${inline(s.remediation.trim())}`,
    "",
    `Occurrences: ${state.count} · last seen ${incident.time}`,
  ].join("\n");
}
