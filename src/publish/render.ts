/**
 * Renderers of a verdict (pure): the `rulebook.findings/v1` JSON document, terminal text for the CLI,
 * markdown for the check run and the CLI, and check-run annotations. Every one carries, per finding, the
 * standard, the place, what was expected and found, the exact fix and the docs link.
 */
import type { Bundle, Severity } from "../bundle/types.js";
import { type Conclusion, summarize, type VerdictSummary } from "../engine/summary.js";
import { type Finding, type StandardResult, VERDICT_SCHEMA, type Verdict } from "../engine/verdict.js";
import { plural } from "../util/plural.js";
import { RULEBOOK_VERSION } from "../util/version.js";
import { cell, code, details, docsReference, fenced, inline } from "./markdown.js";

/** GitHub's limit for a check run's `output.summary` and `output.text`. */
export const CHECK_RUN_TEXT_LIMIT = 65_535;
/** GitHub accepts at most this many annotations per check-run request. */
const ANNOTATIONS_PER_REQUEST = 50;

const KEY_ORDER = {
  verdict: ["schema", "bundle", "findings", "notEvaluated", "standards", "waivers"],
  bundle: ["source", "version"],
  finding: [
    "standard",
    "rule",
    "severity",
    "message",
    "path",
    "line",
    "endLine",
    "expected",
    "found",
    "remediation",
    "docs",
    "pending",
  ],
  notEvaluated: ["standard", "reason", "severity"],
  standard: ["standard", "title", "status", "reason"],
  waiver: ["standard", "repository", "owner", "reason", "expires", "status"],
} as const;

/** Known keys in contract order, then any later additions alphabetically; undefined values dropped. */
function ordered(value: object, keys: readonly string[]): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const extra = Object.keys(source)
    .filter((key) => !keys.includes(key))
    .sort();
  const result: Record<string, unknown> = {};
  for (const key of [...keys, ...extra]) if (source[key] !== undefined) result[key] = source[key];
  return result;
}

function canonical(verdict: Verdict): Record<string, unknown> {
  return ordered(
    {
      ...verdict,
      bundle: ordered(verdict.bundle, KEY_ORDER.bundle),
      findings: verdict.findings.map((f) => ordered(f, KEY_ORDER.finding)),
      notEvaluated: verdict.notEvaluated.map((n) => ordered(n, KEY_ORDER.notEvaluated)),
      standards: verdict.standards.map((s) => ordered(s, KEY_ORDER.standard)),
      waivers: verdict.waivers.map((w) => ordered(w, KEY_ORDER.waiver)),
    },
    KEY_ORDER.verdict,
  );
}

/** Exactly the `rulebook.findings/v1` document: stable key order, 2-space indent, final newline. */
export function renderJson(verdict: Verdict): string {
  return `${JSON.stringify(canonical(verdict), null, 2)}\n`;
}

/** `1 error`, `2 errors`. */
/** `2 errors, 1 warning, 0 notices, 3 not evaluated` (and pending findings when there are any). */
function describeCounts(summary: VerdictSummary): string {
  const { counts } = summary;
  const parts = [
    plural(counts.error, "error"),
    plural(counts.warning, "warning"),
    plural(counts.notice, "notice"),
  ];
  if (summary.pending > 0) parts.push(`${summary.pending} pending`);
  parts.push(`${summary.notEvaluated} not evaluated`);
  return parts.join(", ");
}

const OUTCOME: Record<Conclusion, string> = { failure: "Blocked", pending: "Pending", success: "Passed" };

/**
 * One line for a check run title or a terminal: the outcome and the counts. A verdict without blocking
 * findings but with standards not evaluated is "Incomplete", never "Passed". When every standard that
 * blocks is only `observed` (the bundle's rollout mode), the outcome says what enforce would do.
 */
export function renderTitle(verdict: Verdict, observed: readonly string[] = []): string {
  const summary = summarize(verdict);
  const blocking = verdict.findings
    .filter((f) => f.severity === "error" && !f.pending)
    .map((f) => f.standard);
  const onlyObserved = summary.conclusion === "failure" && blocking.every((id) => observed.includes(id));
  const outcome = onlyObserved
    ? "Would block once enforced"
    : summary.conclusion === "success" && summary.notEvaluated > 0
      ? "Incomplete"
      : OUTCOME[summary.conclusion];
  return `${outcome}: ${describeCounts(summary)}`;
}

/** What observe mode means for these standards, in one sentence. */
function observeSentence(observed: readonly string[], quote: (id: string) => string): string {
  return `Observe mode: the bundle only observes ${observed.map(quote).join(", ")}, so this check blocks nothing; with \`mode: enforce\` it would fail.`;
}

function location(finding: Pick<Finding, "path" | "line" | "endLine">): string | undefined {
  if (finding.path === undefined) return undefined;
  if (finding.line === undefined) return finding.path;
  const end = finding.endLine !== undefined && finding.endLine !== finding.line ? `-${finding.endLine}` : "";
  return `${finding.path}:${finding.line}${end}`;
}

function severityLabel(finding: Finding): string {
  return finding.pending ? `${finding.severity} (pending)` : finding.severity;
}

function indentContinuation(text: string, indent: string): string {
  return text.replace(/\n/g, `\n${indent}`);
}

/**
 * Terminal text: a block per finding, then what was not evaluated, what observe mode means for the
 * `observed` standards, then a one-line summary.
 */
export function renderText(verdict: Verdict, observed: readonly string[] = []): string {
  const blocks: string[] = [];
  for (const finding of verdict.findings) {
    const where = location(finding);
    const lines = [`${severityLabel(finding)}  ${finding.standard}${where ? `  ${where}` : ""}`];
    const field = (label: string, value: string | undefined) => {
      if (value !== undefined)
        lines.push(`  ${label.padEnd(9)} ${indentContinuation(value, " ".repeat(12))}`);
    };
    lines.push(`  ${indentContinuation(finding.message, "  ")}`);
    field("expected:", finding.expected);
    field("found:", finding.found);
    field("fix:", finding.remediation);
    field("docs:", finding.docs);
    blocks.push(lines.join("\n"));
  }
  if (verdict.notEvaluated.length > 0) {
    blocks.push(
      [
        "not evaluated, which is never a pass:",
        ...verdict.notEvaluated.map((n) => `  ${n.standard}: ${indentContinuation(n.reason, "    ")}`),
      ].join("\n"),
    );
  }
  if (observed.length > 0) blocks.push(observeSentence(observed, (id) => id));
  blocks.push(
    `rulebook: ${renderTitle(verdict, observed)} (bundle ${verdict.bundle.source} ${verdict.bundle.version})`,
  );
  return `${blocks.join("\n\n")}\n`;
}

interface MarkdownOptions {
  /** The change was written by an AI agent: open with a plain instruction to stop and read the standard. */
  agentAuthor?: boolean;
  /** Cut the markdown to at most this many characters (a check run allows `CHECK_RUN_TEXT_LIMIT`). */
  maxLength?: number;
  /** Shown in the footer so the evaluation can be replayed from the recorded facts. */
  replay?: { factsDigest: string };
  /** The bundle the verdict came from, to quote why each failing standard exists. */
  bundle?: Pick<Bundle, "standards">;
  /** Blocking standards the bundle only observes: the check is neutral on them, and says so. */
  observed?: readonly string[];
}

function agentParagraph(): string {
  return (
    "**Stop. Do not work around this check.** This change was written by an AI agent and breaks the " +
    "organization's standards. Read each standard's manual before changing anything (linked below, or " +
    "`rulebook explain <id>`), then fix the cause. Do not skip or delete tests, disable rules, rewrite " +
    "history to hide the finding, or change rulesets or the bundle to get a green check. If you cannot fix " +
    "the cause, stop and ask a human."
  );
}

/** A nested list item; a multi-line value becomes a fenced block inside it. */
function valueItem(label: string, value: string): string {
  if (!value.includes("\n")) return `  - ${label}: ${code(value)}`;
  return `  - ${label}:\n\n${indentContinuation(`    ${fenced("", value)}`, "    ")}\n`;
}

/** One finding; a fix the previous finding of its standard already gave is not repeated. */
function findingDetail(finding: Finding, previous: Finding | undefined): string {
  const where = location(finding);
  const lines = [
    `- **${severityLabel(finding)}**${where ? ` at ${code(where)}` : ""}: ${indentContinuation(inline(finding.message), "  ")}`,
  ];
  if (finding.expected !== undefined) lines.push(valueItem("Expected", finding.expected));
  if (finding.found !== undefined) lines.push(valueItem("Found", finding.found));
  const fix =
    previous?.remediation === finding.remediation
      ? "as above"
      : indentContinuation(inline(finding.remediation), "    ");
  lines.push(`  - Fix: ${fix}`);
  return lines.join("\n");
}

/** The first sentence of a rationale: why the standard exists, in a line; the manual has the rest. */
function firstSentence(text: string): string {
  const flat = text.trim().replace(/\s+/g, " ");
  const end = flat.search(/[.!?](?:\s|$)/);
  return end === -1 ? flat : flat.slice(0, end + 1);
}

/** The failing standards, each with why it exists, its manual, and its findings. */
function failingSection(verdict: Verdict, bundle: MarkdownOptions["bundle"]): string {
  const titles = new Map(verdict.standards.map((s) => [s.standard, s.title]));
  const standards = [...new Set(verdict.findings.map((f) => f.standard))];
  const sections: string[] = [`### ${plural(standards.length, "standard")} not met`];
  for (const id of standards) {
    const findings = verdict.findings.filter((f) => f.standard === id);
    const standard = bundle?.standards.find((s) => s.id === id);
    const title = standard?.title ?? titles.get(id);
    const docs = findings[0]?.docs;
    sections.push(
      `#### ${code(id)}${title ? ` — ${inline(title.replace(/\r?\n/g, " "))}` : ""}${docs ? ` (${docsReference(docs, "manual")})` : ""}`,
      standard?.rationale ? `Why: ${inline(firstSentence(standard.rationale))}` : "",
      findings.map((finding, i) => findingDetail(finding, findings[i - 1])).join("\n"),
    );
  }
  return sections.filter((section) => section !== "").join("\n\n");
}

function compactFinding(finding: Finding): string {
  const where = location(finding);
  return `- **${severityLabel(finding)}** ${code(finding.standard)}${where ? ` ${code(where)}` : ""}: ${cell(inline(finding.message))}`;
}

/** What the reader of a summary calls each status of a standard that has no findings. */
const OTHER_STATUSES: Array<[StandardResult["status"], string]> = [
  ["not-evaluated", "Not evaluated, which is never a pass"],
  ["waived", "Waived"],
  ["exempt", "Exempt"],
  ["pass", "Met"],
  ["not-applicable", "Not applicable here"],
];

/**
 * Every standard without findings, in one collapsed section: those that could not be judged (with why),
 * waived and exempt ones (with whose say-so), those met, and those that do not apply, grouped by why.
 */
function othersSection(verdict: Verdict): string | undefined {
  const failing = new Set(verdict.findings.map((f) => f.standard));
  const others = verdict.standards.filter((s) => !failing.has(s.standard) && s.status !== "fail");
  if (others.length === 0) return undefined;
  const lines: string[] = [];
  for (const [status, label] of OTHER_STATUSES) {
    const group = others.filter((s) => s.status === status);
    if (group.length === 0) continue;
    const byReason = new Map<string, string[]>();
    for (const s of group)
      byReason.set(s.reason ?? "", [...(byReason.get(s.reason ?? "") ?? []), s.standard]);
    for (const [reason, ids] of byReason) {
      const list = ids.map((id) => code(id)).join(", ");
      lines.push(`- **${label}:** ${list}${reason ? ` — ${indentContinuation(inline(reason), "  ")}` : ""}`);
    }
  }
  const counts = OTHER_STATUSES.flatMap(([status, label]) => {
    const n = others.filter((s) => s.status === status).length;
    return n ? [`${n} ${label.split(",")[0]?.toLowerCase()}`] : [];
  });
  const heading = others.length === 1 ? "The other standard" : `The other ${others.length} standards`;
  return details(`${heading}: ${counts.join(", ")}`, lines.join("\n"));
}

function footer(verdict: Verdict, replay: MarkdownOptions["replay"]): string {
  const parts = [`Bundle ${code(verdict.bundle.source)} version ${code(verdict.bundle.version)}`];
  if (replay) parts.push(`facts digest ${code(replay.factsDigest)}`);
  return `${CLI_LINE}\n\n<sub>${parts.join(" · ")} · schema ${code(verdict.schema)}</sub>`;
}

// --- How an agent gets this verdict before pushing (one line, kept in every shortened summary). ---
const CLI_LINE = `**Get this verdict before you push:** in a clone of Rulebook ${RULEBOOK_VERSION}, \`npm ci && npm install --global .\`; then, in your checkout, \`rulebook check --format json\` (with \`GITHUB_TOKEN\` set or \`gh\` logged in, it judges everything this check judges).`;
// --- end ---

/** The summary of the collapsed JSON block; agents find the block by it. */
export const JSON_SUMMARY = `Machine-readable verdict (${VERDICT_SCHEMA})`;

/** The `rulebook.findings/v1` document, collapsed, complete and fenced so that no value can break out. */
function machineBlock(verdict: Verdict): string {
  return details(JSON_SUMMARY, fenced("json", renderJson(verdict)));
}

function join(parts: Array<string | undefined>): string {
  return `${parts.filter((p) => p !== undefined && p !== "").join("\n\n")}\n`;
}

/**
 * Markdown for a check run's summary and the CLI, to be read in one screen: the outcome, the failing
 * standards with their findings, then the other standards and the JSON document, both collapsed. When
 * `maxLength` is set the text never exceeds it: per-finding detail goes first (the JSON block keeps every
 * finding); when even the JSON block cannot fit, a shortened list of findings says how many were left out
 * and how to get them all.
 */
export function renderMarkdown(verdict: Verdict, options: MarkdownOptions = {}): string {
  const observed = options.observed ?? [];
  const head = [
    `## Rulebook — ${renderTitle(verdict, observed)}`,
    observed.length > 0 ? `> [!NOTE]\n> ${observeSentence(observed, code)}` : undefined,
    options.agentAuthor && verdict.findings.length > 0 ? agentParagraph() : undefined,
  ];
  const failing = verdict.findings.length > 0 ? failingSection(verdict, options.bundle) : undefined;
  const others = othersSection(verdict);
  const machine = machineBlock(verdict);
  const tail = footer(verdict, options.replay);

  const full = join([...head, failing, others, machine, tail]);
  const max = options.maxLength;
  if (max === undefined || full.length <= max) return full;

  const withoutDetail = join([
    ...head,
    `_Per-finding detail was left out to fit GitHub's limit of ${max} characters; the JSON block below holds every finding, and \`rulebook check --format markdown\` prints the full text._`,
    others,
    machine,
    tail,
  ]);
  if (withoutDetail.length <= max) return withoutDetail;

  return fitFindingList(verdict, max, head, others, tail);
}

/** The last resort: as many one-line findings as fit, and a note counting the rest. */
function fitFindingList(
  verdict: Verdict,
  max: number,
  head: Array<string | undefined>,
  others: string | undefined,
  tail: string,
): string {
  const total = verdict.findings.length;
  const note = (shown: number) =>
    shown === total
      ? `_The JSON block was left out to fit GitHub's limit of ${max} characters. Get it with \`rulebook check --format json\`._`
      : `_${total - shown} of ${total} findings were left out, and the JSON block too, to fit GitHub's limit of ${max} characters. Get all of them with \`rulebook check --format json\`._`;
  const render = (lines: string[]) =>
    join([...head, ["### Findings", ...lines].join("\n"), note(lines.length), others, tail]);

  // Greedy by length, then exact: drop lines until the rendered text fits.
  const lines: string[] = [];
  let used = render([]).length;
  for (const finding of verdict.findings) {
    const line = compactFinding(finding);
    if (used + line.length + 1 > max) break;
    lines.push(line);
    used += line.length + 1;
  }
  let text = render(lines);
  while (text.length > max && lines.length > 0) {
    lines.pop();
    text = render(lines);
  }
  return hardCut(text, max);
}

const CUT_MARK = "\n\n_(cut to fit GitHub's limit; run `rulebook check --format json` for everything)_\n";

/** Cuts at a character boundary when even the fixed parts are too long (a tiny limit, a huge bundle). */
function hardCut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= CUT_MARK.length) return text.slice(0, max);
  let end = max - CUT_MARK.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // never split a surrogate pair
  return text.slice(0, end) + CUT_MARK;
}

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

const ANNOTATION_LEVEL: Record<Severity, CheckRunAnnotation["annotation_level"]> = {
  error: "failure",
  warning: "warning",
  notice: "notice",
};

/** GitHub caps an annotation's message at 64 KB. */
const ANNOTATION_MESSAGE_LIMIT = 64 * 1024;

/** Check-run annotations for the findings that have a path (whole-file ones at line 1). */
export function toAnnotations(verdict: Verdict): CheckRunAnnotation[] {
  return verdict.findings.flatMap((finding) => {
    if (finding.path === undefined) return [];
    const start = Math.max(1, finding.line ?? 1);
    const lines = [finding.message];
    if (finding.expected !== undefined) lines.push(`Expected: ${finding.expected}`);
    if (finding.found !== undefined) lines.push(`Found: ${finding.found}`);
    lines.push(`Fix: ${finding.remediation}`, `Docs: ${finding.docs}`);
    return [
      {
        path: finding.path,
        start_line: start,
        end_line: Math.max(start, finding.endLine ?? start),
        annotation_level: ANNOTATION_LEVEL[finding.severity],
        title: `${finding.standard} (${severityLabel(finding)})`,
        message: hardCut(lines.join("\n"), ANNOTATION_MESSAGE_LIMIT),
      },
    ];
  });
}

/** Splits `items` into batches of `size` (GitHub takes 50 annotations per request). */
export function chunk<T>(items: readonly T[], size: number = ANNOTATIONS_PER_REQUEST): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
