/**
 * The drift issue of a repository, rendered (pure): one RTFM issue per repository that lists, as a GitHub
 * task list, every standard a sweep found it failing, with a section per standard (why it exists, what
 * was found, how to fix it, the gate that let it in). It is rewritten in place: an item is ticked when a
 * sweep finds its standard fixed, and the issue closes when every item is. A hidden marker carries the
 * items, so the next sweep knows what it listed and since when.
 */
import { z } from "zod";
import type { Standard } from "../bundle/types.js";
import type { Finding } from "../engine/verdict.js";
import { code, docsReference, inline, mention, quote } from "./markdown.js";
import { type InvalidMarkerHandler, readMarker, warnInvalidMarker, writeMarker } from "./markers.js";
import { rtfmState } from "./rtfm.js";

const MARKER = "drift";

/** One standard the issue lists: open until a sweep finds it fixed. */
const DriftItemSchema = z.object({
  standard: z.string(),
  title: z.string(),
  /** When a sweep first found it failing (this time). */
  since: z.string(),
  /** When a sweep found it fixed, and how (`met`, `waived`, …); absent while it still fails. */
  fixed: z.object({ at: z.string(), how: z.string() }).optional(),
});
export type DriftItem = z.infer<typeof DriftItemSchema>;

const DriftIdentitySchema = z.object({ repository: z.string() });
const DriftStateSchema = DriftIdentitySchema.extend({ items: z.array(DriftItemSchema) });
type DriftState = z.infer<typeof DriftStateSchema>;

/**
 * The issue's state. When only its items were damaged (someone edited the marker), the issue keeps its
 * identity with no items, and the next sweep lists them again; when its identity was, it is no drift issue.
 */
export function readDriftState(
  body: string | null | undefined,
  onInvalid: InvalidMarkerHandler = warnInvalidMarker,
): DriftState | undefined {
  let problem: string | undefined;
  const state = readMarker(body, MARKER, DriftStateSchema, (message) => {
    problem = message;
  });
  if (state || problem === undefined) return state;
  onInvalid(problem);
  const identity = readMarker(body, MARKER, DriftIdentitySchema, () => {});
  return identity ? { ...identity, items: [] } : undefined;
}

export function driftTitle(repository: string): string {
  return `RTFM: ${repository} drifts from the organization's standards`;
}

/** A standard that fails now, with what the issue says about it. */
export interface FailingStandard {
  standard: Pick<Standard, "id" | "title" | "severity" | "rationale" | "remediation">;
  docs: string;
  findings: Finding[];
  /** The gate that should have kept the drift out. */
  gate: string;
}

/**
 * The items after a sweep: a listed standard that fails again stays open (or opens again, since now),
 * one that no longer fails is ticked with how (`resolution` names it: met, waived, no longer a standard);
 * a standard that fails and was not listed is added. A standard not judged this time is left as it was.
 */
export function nextDriftItems(
  previous: readonly DriftItem[],
  failing: readonly FailingStandard[],
  resolution: (standard: string) => string | undefined,
  time: string,
): DriftItem[] {
  const items = previous.map((item): DriftItem => {
    const failure = failing.find((f) => f.standard.id === item.standard);
    if (failure) {
      const { fixed: _, ...open } = item;
      return item.fixed
        ? { ...open, title: failure.standard.title, since: time }
        : { ...open, title: failure.standard.title };
    }
    const how = item.fixed ? undefined : resolution(item.standard);
    return how ? { ...item, fixed: { at: time, how } } : item;
  });
  for (const failure of failing) {
    if (previous.some((item) => item.standard === failure.standard.id)) continue;
    items.push({ standard: failure.standard.id, title: failure.standard.title, since: time });
  }
  return items;
}

export function openItems(items: readonly DriftItem[]): DriftItem[] {
  return items.filter((item) => !item.fixed);
}

function findingLines(finding: Finding): string[] {
  const where = finding.path ? ` at ${code(`${finding.path}${finding.line ? `:${finding.line}` : ""}`)}` : "";
  const lines = [`- **Found${where}:** ${inline(finding.message).replace(/\n/g, "\n  ")}`];
  if (finding.expected !== undefined) lines.push(`  - expected: ${code(finding.expected)}`);
  if (finding.found !== undefined) lines.push(`  - found: ${code(finding.found)}`);
  return lines;
}

function section(item: DriftItem, failure: FailingStandard | undefined): string[] {
  const heading = `### ${code(item.standard)} — ${inline(item.title)}`;
  if (item.fixed || !failure) {
    return [
      heading,
      "",
      `Fixed: ${item.fixed?.how ?? "no longer failing"} as of the sweep at ${item.fixed?.at ?? ""}.`,
      "",
    ];
  }
  const s = failure.standard;
  return [
    heading,
    "",
    quote(s.rationale),
    "",
    `Severity ${s.severity} · failing since the sweep at ${item.since} · manual: ${docsReference(failure.docs)} (or ${code(`rulebook explain ${s.id}`)})`,
    "",
    ...failure.findings.flatMap(findingLines),
    "",
    `**How to fix:** ${inline(s.remediation.trim())}`,
    "",
    `**The gate that let it in:** ${inline(failure.gate)}`,
    "",
  ];
}

interface DriftIssue {
  repository: string;
  items: DriftItem[];
  failing: readonly FailingStandard[];
  /** Whom the issue names: CODEOWNERS owners of the affected paths and the profiles' owners. */
  owners: readonly string[];
}

/** The issue's body: the same items and findings always give the same text, so an unchanged body is not written. */
export function renderDriftBody(issue: DriftIssue): string {
  const open = openItems(issue.items);
  const state: DriftState = { repository: issue.repository, items: issue.items };
  const failureOf = (id: string) => issue.failing.find((f) => f.standard.id === id);
  return [
    writeMarker(MARKER, state),
    open.length > 0
      ? `${code(issue.repository)} drifts from ${open.length === 1 ? "1 of the organization's standards" : `${open.length} of the organization's standards`}. Each is a task below: a sweep ticks it once the repository meets the standard again, and this issue closes when every task is ticked.`
      : `${code(issue.repository)} meets every standard this issue listed.`,
    "",
    ...(issue.owners.length ? [`Owners: ${issue.owners.map(mention).join(" ")}`, ""] : []),
    ...issue.items.map(
      (item) =>
        `- [${item.fixed ? "x" : " "}] ${code(item.standard)} ${inline(item.title)}${item.fixed ? ` (${item.fixed.how})` : ""}`,
    ),
    "",
    ...issue.items.flatMap((item) => section(item, failureOf(item.standard))),
    "### What to do",
    "",
    "1. Fix each open task in a pull request to this repository, as its section says; the next sweep ticks it.",
    "2. If a standard does not fit this repository, ask the bundle's owners for a waiver (with an owner, a reason and an expiry) instead of working around it.",
    "3. Say in a comment here what let the drift in, so the gate can be fixed where it belongs.",
  ].join("\n");
}

/** The open RTFM issues of a repository, one entry per standard: each incident, and each open item of the drift issue. */
export function openIssueEntries(
  issues: ReadonlyArray<{ number: number; state: string; body?: string | null; html_url?: string }>,
): Array<{ standard: string; number: number; url: string }> {
  return issues
    .filter((issue) => issue.state === "open")
    .flatMap((issue) => {
      const url = issue.html_url ?? "";
      const drift = readDriftState(issue.body);
      if (drift)
        return openItems(drift.items).map((item) => ({ standard: item.standard, number: issue.number, url }));
      const incident = rtfmState(issue.body);
      return incident ? [{ standard: incident.standard, number: issue.number, url }] : [];
    });
}
