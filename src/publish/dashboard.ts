/**
 * The compliance dashboard (pure): one issue in the central repository, rewritten in place after each
 * sweep, in the manner of Renovate's dependency dashboard. It must render on GitHub and stay under the
 * issue body limit for a large org, so it summarizes step by step when it has to. A hidden marker
 * remembers each repository's row, so a sweep of a few repositories rewrites it without judging the rest.
 * Whoever reads the issue's repository reads all of it, so it names only the repositories those readers
 * may see (`util/visibility.ts`) and counts the others.
 */

import { z } from "zod";
import type { Bundle } from "../bundle/types.js";
import type { StandardStatus, Verdict, WaiverUse } from "../engine/verdict.js";
import type { SkipInventory } from "../gather/skip-inventory.js";
import { plural } from "../util/plural.js";
import { mayName, type Visibility } from "../util/visibility.js";
import { cell, code, inline, quietLogin } from "./markdown.js";
import { readMarker, writeMarker } from "./markers.js";
import { renderSkipInventory } from "./skip-inventory.js";

/** GitHub refuses issue bodies over 65,536 characters. */
export const ISSUE_BODY_LIMIT = 65_536;
export const DASHBOARD_TITLE = "Rulebook compliance dashboard";

export interface RepositoryResult {
  repository: string;
  verdict?: Verdict;
  /** Why the repository could not be judged (an API failure after retries). */
  error?: string;
}

/** What the dashboard remembers of one repository: enough to render its row again. */
interface RememberedRepository {
  /** One status letter per standard, in the order of `DashboardState.standards` (see `STATUS_LETTER`). */
  s: string;
  /** Why the repository could not be judged. */
  e?: string;
  w?: WaiverUse[];
  /** Open RTFM issues: standard, number, URL. */
  i?: Array<[string, number, string]>;
}

/** The rows of the last rendering, by `owner/name`. */
export interface DashboardState {
  standards: string[];
  repositories: Record<string, RememberedRepository>;
}

const STATE_MARKER = "dashboard-state";

export const STATUS_LETTER: Record<StandardStatus, string> = {
  pass: "P",
  fail: "F",
  waived: "W",
  exempt: "X",
  "not-applicable": "N",
  "not-evaluated": "E",
};

export const WaiverUseSchema = z.object({
  standard: z.string(),
  repository: z.string(),
  owner: z.string(),
  reason: z.string(),
  expires: z.string(),
  status: z.enum(["active", "expired"]),
});

const DashboardStateSchema = z.object({
  standards: z.array(z.string()),
  repositories: z.record(
    z.string(),
    z.object({
      s: z.string(),
      e: z.string().optional(),
      w: z.array(WaiverUseSchema).optional(),
      i: z.array(z.tuple([z.string(), z.number(), z.string()])).optional(),
    }),
  ),
});

export function readDashboardState(body: string | null | undefined): DashboardState | undefined {
  return readMarker(body, STATE_MARKER, DashboardStateSchema);
}

/** Who reads the dashboard where it is written, and what each repository's visibility is. */
export interface Audience {
  /** The visibility of the repository the dashboard is written to. */
  readers: Visibility;
  /** Each repository's visibility, by `owner/name`; a repository not listed is taken as private. */
  visibilities: ReadonlyMap<string, Visibility>;
}

/** The audience of a report its reader asked for with a token that reads every repository. */
export const FULL_VIEW: Audience = { readers: "private", visibilities: new Map() };

/** What the audience may be shown: repositories by name, and text that names no other repository. */
interface Shown {
  named(repository: string): boolean;
  /** Whether a free text (an error, a reason) names none of the repositories left out. */
  quotable(text: string): boolean;
}

/** Runs of the characters of repository names in a text, lower-cased; a dot may also end a name. */
const NAME_RUN = /[a-z0-9_.-]+/g;

/** Whether `text` holds one of `names` (lower-case, no owner) as a whole word, alone or in `owner/name`. */
function mentionsAny(text: string, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  for (const [run] of text.toLowerCase().matchAll(NAME_RUN)) {
    const parts = run.split(".");
    for (let from = 0; from < parts.length; from++)
      for (let to = from + 1; to <= parts.length; to++)
        if (names.has(parts.slice(from, to).join("."))) return true;
  }
  return false;
}

function shownTo(audience: Audience, repositories: Iterable<string>): Shown {
  const named = (repository: string) =>
    mayName(audience.readers, audience.visibilities.get(repository) ?? "private");
  const withheld = [...new Set([...repositories, ...audience.visibilities.keys()])].filter((r) => !named(r));
  // A left-out repository's bare name stands for its `owner/name` too: "/" is no name character.
  const names = new Set(withheld.map((r) => r.slice(r.indexOf("/") + 1).toLowerCase()).filter(Boolean));
  return { named, quotable: (text) => !mentionsAny(text, names) };
}

/** What the readers of each visibility are, and the repositories they are not shown. */
const LEFT_OUT: Record<Exclude<Visibility, "private">, { kinds: string; readers: string }> = {
  public: { kinds: "private or internal", readers: "anyone can read this repository" },
  internal: { kinds: "private", readers: "every member of the enterprise can read this repository" },
};

/** The count of repositories left out, and where their names and details can be read. */
function leftOutLines(readers: Visibility, count: number): string[] {
  if (readers === "private" || count === 0) return [];
  const { kinds, readers: who } = LEFT_OUT[readers];
  return [
    "> [!NOTE]",
    `> ${count} ${kinds} ${count === 1 ? "repository is" : "repositories are"} counted in the totals but not named here: ${who}. See them with \`rulebook scan --org <org>\` and a token that reads them, or name a private dashboard repository in the bundle's \`settings.dashboardRepository\`.`,
    "",
  ];
}

export interface DashboardInput {
  /** The bundle, with the standards a sweep judges (those of repository scope). */
  bundle: Pick<Bundle, "source" | "version" | "standards">;
  /** Standards judged on pull requests and pushes instead, named so nobody looks for them here. */
  judgedElsewhere?: string[];
  /** A newer bundle that failed validation, reported loudly. */
  bundleProblem?: string;
  results: RepositoryResult[];
  openIssues: Array<{ repository: string; standard: string; number: number; url: string }>;
  /** Rows of repositories not in `results`, remembered from the dashboard as it was. */
  remembered?: DashboardState;
  /** Skipped tests found on the repositories' default branches. */
  skips?: SkipInventory[];
  /** How the bundle rolls out its standards, and, for those it only observes, what enforce would do. */
  rollout?: Rollout;
  /** Ruleset changes made outside the bundle that kept every declared ruleset in force, newest first. */
  rulesetChanges?: Array<{
    repository: string;
    ruleset: string;
    action: string;
    actor: string;
    time: string;
    change: string;
  }>;
  /** Jobs for this organization that failed every attempt lately: how many, and the newest few. */
  failedJobs?: { count: number; recent: FailedJobLine[] };
  /** Who reads the dashboard: it names only the repositories they may see. */
  audience: Audience;
  /**
   * A problem with where the dashboard is written, said at its top as it is: it names only what the
   * bundle, read by the same readers, names.
   */
  placementProblem?: string;
  time: string;
}

/** What enforce would do while the bundle observes: nothing of it is written to the repositories. */
export interface Rollout {
  /** `observe` (every standard), `enforce` (every standard), or `mixed`. */
  mode: "observe" | "enforce" | "mixed";
  /** Open pull requests whose check enforce would fail, on these standards. */
  checks: Array<{ repository: string; number: number; standards: string[] }>;
  /** Repositories whose drift issue enforce would open, with these standards as tasks. */
  drift: Array<{ repository: string; standards: string[] }>;
  /** Incidents (direct pushes, self-merges, …) enforce would have opened an RTFM issue for. */
  incidents: Array<{ repository: string; standard: string; event: string; time: string; actor?: string }>;
}

/** Entries each list of the rollout section shows at most. */
const ROLLOUT_LIMIT = 30;

function capped(lines: string[]): string[] {
  return lines.length > ROLLOUT_LIMIT
    ? [...lines.slice(0, ROLLOUT_LIMIT), `- … and ${lines.length - ROLLOUT_LIMIT} more`]
    : lines;
}

const MODE_LINE: Record<Rollout["mode"], string> = {
  observe:
    "Mode: **observe**. Rulebook judges and reports, and blocks nothing: checks conclude neutral where they would fail, and no RTFM issue is opened. Below is what enforce would do; turn it on with `mode: enforce` in the bundle's settings, in a pull request to the bundle whose `rulebook/bundle` check previews it.",
  mixed:
    "Mode: **mixed**. The bundle enforces some standards and only observes the others; below is what enforcing those too would do.",
  enforce: "Mode: **enforce**. Failing checks block merges and drift and incidents open RTFM issues.",
};

/** Entries left out of a list because they concern repositories not named here, as one line. */
function leftOutEntries(count: number): string[] {
  return count > 0
    ? [`- ${count} more ${count === 1 ? "entry" : "entries"} about repositories not named here`]
    : [];
}

/** The rollout section: the mode, and what enforce would do that observe does not. */
function rolloutLines(all: Rollout | undefined, shown: Shown): string[] {
  if (!all) return [];
  if (all.mode === "enforce") return [MODE_LINE.enforce, ""];
  const rollout: Rollout = {
    mode: all.mode,
    checks: all.checks.filter((c) => shown.named(c.repository)),
    drift: all.drift.filter((d) => shown.named(d.repository)),
    incidents: all.incidents.filter((i) => shown.named(i.repository) && shown.quotable(i.event)),
  };
  const leftOutChecks = all.checks.length - rollout.checks.length;
  const leftOutIssues =
    all.drift.length + all.incidents.length - rollout.drift.length - rollout.incidents.length;
  const ids = (standards: string[]) => standards.map((id) => code(id)).join(", ");
  const none = (what: string) => [`None: ${what}.`];
  return [
    MODE_LINE[rollout.mode],
    "",
    "## What enforce would do",
    "",
    "### Checks it would fail",
    "",
    ...(rollout.checks.length
      ? capped(rollout.checks.map((c) => `- ${c.repository}#${c.number}: ${ids(c.standards)}`))
      : leftOutChecks > 0
        ? []
        : none("no open pull request fails an observed standard")),
    ...leftOutEntries(leftOutChecks),
    "",
    "### RTFM issues it would open",
    "",
    ...(rollout.drift.length || rollout.incidents.length
      ? capped([
          ...rollout.drift.map((d) => `- ${d.repository}: one drift issue, with tasks ${ids(d.standards)}`),
          ...rollout.incidents.map(
            (i) =>
              `- ${i.repository}: ${code(i.standard)}, for the ${inline(i.event)} at ${i.time}${i.actor ? ` by ${quietLogin(i.actor)}` : ""}`,
          ),
        ])
      : leftOutIssues > 0
        ? []
        : none("no repository drifts from an observed standard, and no incident was observed")),
    ...leftOutEntries(leftOutIssues),
    "",
  ];
}

/** A job that failed for good: what it was about and why. */
export interface FailedJobLine {
  job: string;
  /** What it worked on: a repository, a pull request, the organization. */
  subject: string;
  error: string;
  time: string;
}

/**
 * Jobs that failed for good are said at the top: their work waits for the next sweep or an operator.
 * One whose subject or error names a repository not shown here is counted, not quoted.
 */
function failedJobLines(input: DashboardInput, shown: Shown): string[] {
  const failed = input.failedJobs;
  if (!failed || failed.count === 0) return [];
  const quoted = failed.recent.filter((f) => shown.quotable(f.subject) && shown.quotable(f.error));
  const leftOut = failed.recent.length - quoted.length;
  return [
    "> [!CAUTION]",
    `> ${plural(failed.count, "job")} failed after every retry; the next sweep redoes what they could not. Latest:`,
    ...quoted.map(
      (f) => `> - ${code(f.job)} ${inline(f.subject)} at ${f.time}: ${inline(f.error.replaceAll("\n", " "))}`,
    ),
    ...(leftOut > 0 ? [`> - ${leftOut} more about repositories not named here`] : []),
    "",
  ];
}

/** One repository's line of the dashboard, judged now or remembered. */
interface Row {
  repository: string;
  /** Status per standard; absent when the repository could not be judged. */
  statuses?: ReadonlyMap<string, StandardStatus>;
  waivers: WaiverUse[];
  error?: string;
}

type OpenIssue = DashboardInput["openIssues"][number];

const SYMBOL: Record<StandardStatus, string> = {
  pass: "✅",
  fail: "❌",
  waived: "🟡",
  exempt: "➖",
  "not-applicable": "·",
  "not-evaluated": "❔",
};

const COLUMNS: StandardStatus[] = ["pass", "fail", "waived", "not-applicable", "not-evaluated"];

function statusOf(row: Row, standard: string): StandardStatus {
  if (!row.statuses) return "not-evaluated";
  return row.statuses.get(standard) ?? "not-applicable";
}

function rowOf(result: RepositoryResult): Row {
  return {
    repository: result.repository,
    ...(result.verdict
      ? { statuses: new Map(result.verdict.standards.map((s) => [s.standard, s.status])) }
      : {}),
    waivers: result.verdict?.waivers ?? [],
    ...(result.error ? { error: result.error } : {}),
  };
}

/** A remembered row; a standard the bundle gained since is not evaluated until the repository is swept. */
function rememberedRow(
  repository: string,
  row: RememberedRepository,
  state: DashboardState,
  ids: string[],
): Row {
  const byLetter = new Map(Object.entries(STATUS_LETTER).map(([status, letter]) => [letter, status]));
  const known = new Map(state.standards.map((id, i) => [id, byLetter.get(row.s[i] ?? "") as StandardStatus]));
  return {
    repository,
    ...(row.e
      ? { error: row.e }
      : { statuses: new Map(ids.map((id) => [id, known.get(id) ?? "not-evaluated"])) }),
    waivers: row.w ?? [],
  };
}

function rememberedIssues(state: DashboardState | undefined, repositories: Set<string>): OpenIssue[] {
  return Object.entries(state?.repositories ?? {}).flatMap(([repository, row]) =>
    repositories.has(repository)
      ? (row.i ?? []).map(([standard, number, url]) => ({ repository, standard, number, url }))
      : [],
  );
}

function stateOf(rows: Row[], issues: OpenIssue[], ids: string[]): DashboardState {
  const repositories: Record<string, RememberedRepository> = {};
  for (const row of rows) {
    const open = issues.filter((i) => i.repository === row.repository);
    repositories[row.repository] = {
      s: ids.map((id) => STATUS_LETTER[statusOf(row, id)]).join(""),
      ...(row.error ? { e: row.error } : {}),
      ...(row.waivers.length ? { w: row.waivers } : {}),
      ...(open.length ? { i: open.map((i): [string, number, string] => [i.standard, i.number, i.url]) } : {}),
    };
  }
  return { standards: ids, repositories };
}

function totalsTable(input: DashboardInput, rows: Row[]): string[] {
  const lines = [
    "| Standard | Pass | Fail | Waived | N/A | Not evaluated |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const standard of input.bundle.standards) {
    const counts = new Map<StandardStatus, number>();
    for (const row of rows) {
      const status = statusOf(row, standard.id);
      const column = status === "exempt" ? "not-applicable" : status;
      counts.set(column, (counts.get(column) ?? 0) + 1);
    }
    lines.push(`| ${code(standard.id)} | ${COLUMNS.map((c) => counts.get(c) ?? 0).join(" | ")} |`);
  }
  return lines;
}

function matrix(input: DashboardInput, rows: Row[]): string[] {
  const ids = input.bundle.standards.map((s) => s.id);
  const lines = [
    `| Repository | ${ids.map((_, i) => `S${i + 1}`).join(" | ")} |`,
    `| --- | ${ids.map(() => ":-:").join(" | ")} |`,
  ];
  for (const row of rows) {
    lines.push(`| ${row.repository} | ${ids.map((id) => SYMBOL[statusOf(row, id)]).join(" | ")} |`);
  }
  lines.push("", ids.map((id, i) => `S${i + 1} ${code(id)}`).join(" · "));
  lines.push(
    "",
    Object.entries(SYMBOL)
      .map(([status, symbol]) => `${symbol} ${status}`)
      .join(" · "),
  );
  return lines;
}

function failingList(input: DashboardInput, rows: Row[]): string[] {
  return rows.flatMap((row) => {
    const failing = input.bundle.standards
      .filter((s) => statusOf(row, s.id) === "fail")
      .map((s) => code(s.id));
    if (row.error) return [`- ${row.repository}: not judged (${inline(row.error)})`];
    return failing.length ? [`- ${row.repository}: ${failing.join(", ")}`] : [];
  });
}

function waiverTable(rows: Row[]): string[] {
  const waivers = new Map<string, WaiverUse>();
  for (const row of rows) {
    for (const waiver of row.waivers) {
      waivers.set(`${waiver.repository}\u0000${waiver.standard}`, waiver);
    }
  }
  if (waivers.size === 0) return ["No waivers are in use."];
  return [
    "| Repository | Standard | Owner | Expires | Status | Reason |",
    "| --- | --- | --- | --- | --- | --- |",
    ...[...waivers.values()]
      .sort((a, b) => a.expires.localeCompare(b.expires) || a.repository.localeCompare(b.repository))
      .map(
        (w) =>
          `| ${w.repository} | ${code(w.standard)} | ${cell(code(w.owner))} | ${w.expires} | ${w.status === "expired" ? "⚠️ expired" : "active"} | ${cell(inline(w.reason))} |`,
      ),
  ];
}

/** Ruleset changes that were logged, not reported: none of them weakened what the bundle declares. */
function rulesetChangeLines(input: DashboardInput, shown: Shown): string[] {
  const changes = (input.rulesetChanges ?? []).filter(
    (c) => shown.named(c.repository) && shown.quotable(`${c.ruleset} ${c.change}`),
  );
  const leftOut = (input.rulesetChanges?.length ?? 0) - changes.length;
  if (changes.length === 0 && leftOut === 0) return [];
  return [
    "## Ruleset changes outside the bundle",
    "",
    "Made by hand, and leaving every ruleset the bundle declares in force; consider declaring them in the bundle.",
    "",
    ...changes.map(
      (c) =>
        // A dashboard entry must not ping the actor.
        `- ${c.time} ${code(c.repository)}: ruleset ${code(c.ruleset)} ${c.action} by ${quietLogin(c.actor)} (${inline(c.change)})`,
    ),
    ...leftOutEntries(leftOut),
    "",
  ];
}

/** One line per open issue, naming its standards (a repository's drift issue lists several). */
function issueLines(issues: OpenIssue[]): string[] {
  const byIssue = new Map<string, { issue: OpenIssue; standards: string[] }>();
  for (const issue of issues) {
    const key = `${issue.repository}#${issue.number}`;
    const entry = byIssue.get(key) ?? { issue, standards: [] };
    entry.standards.push(issue.standard);
    byIssue.set(key, entry);
  }
  return [...byIssue].map(
    ([key, { issue, standards }]) => `- [${key}](${issue.url}) ${standards.map((id) => code(id)).join(", ")}`,
  );
}

/** A row as its readers may see it: an error that names a repository left out is not quoted. */
function quotedRow(row: Row, shown: Shown): Row {
  // A waiver names the repositories it covers by a glob from the bundle, and reaches here through a row shown.
  const waivers = row.waivers.filter((w) => shown.quotable(`${w.repository} ${w.reason}`));
  const error =
    row.error && !shown.quotable(row.error) ? "its error names a repository not shown here" : row.error;
  return { ...row, waivers, ...(error ? { error } : {}) };
}

export function renderDashboard(input: DashboardInput): string {
  const judged = new Set(input.results.map((r) => r.repository));
  const ids = input.bundle.standards.map((s) => s.id);
  const remembered = input.remembered;
  const rows = [
    ...input.results.map(rowOf),
    ...Object.entries(remembered?.repositories ?? {})
      .filter(([repository]) => !judged.has(repository))
      .map(([repository, row]) => rememberedRow(repository, row, remembered as DashboardState, ids)),
  ].sort((a, b) => a.repository.localeCompare(b.repository));
  const shown = shownTo(
    input.audience,
    rows.map((r) => r.repository),
  );
  // The totals count every row; only the rows the readers may see are named, listed or remembered.
  const namedRows = rows.filter((r) => shown.named(r.repository)).map((r) => quotedRow(r, shown));
  // Sorted once, so the same issues always render (and are remembered) the same way.
  const openIssues = [
    ...input.openIssues,
    ...rememberedIssues(
      remembered,
      new Set(rows.filter((r) => !judged.has(r.repository)).map((r) => r.repository)),
    ),
  ]
    .filter((i) => shown.named(i.repository))
    .sort((a, b) => a.repository.localeCompare(b.repository) || a.number - b.number);
  const failing = (r: Row) => r.error !== undefined || ids.some((id) => statusOf(r, id) === "fail");
  const failingCount = rows.filter(failing).length;
  const failingRows = namedRows.filter(failing);
  const bundleProblem =
    input.bundleProblem === undefined || shown.quotable(input.bundleProblem)
      ? input.bundleProblem
      : "The newest bundle is invalid, and its errors name a repository not shown here: see the bundle's own check run.";
  const problems = [input.placementProblem, bundleProblem].flatMap((p) => (p === undefined ? [] : [p]));
  const head = [
    writeMarker("dashboard", { v: 1 }),
    `# ${DASHBOARD_TITLE}`,
    "",
    `Bundle ${code(input.bundle.source)} at ${code(input.bundle.version)} · swept ${input.time} · ${rows.length} repositories, ${failingCount} failing.`,
    "",
    ...problems.flatMap((problem) => [
      "> [!WARNING]",
      ...problem.split("\n").map((line) => `> ${inline(line)}`),
      "",
    ]),
    ...leftOutLines(input.audience.readers, rows.length - namedRows.length),
    ...failedJobLines(input, shown),
    ...rolloutLines(input.rollout, shown),
    "## Standards",
    "",
    ...totalsTable(input, rows),
    "",
    ...(input.judgedElsewhere?.length
      ? [
          `Judged on pull requests and pushes, in their \`rulebook\` check runs and RTFM issues: ${input.judgedElsewhere.map((id) => code(id)).join(", ")}.`,
          "",
        ]
      : []),
  ];
  const issues = ["## Open RTFM issues", "", ...(openIssues.length ? issueLines(openIssues) : ["None."]), ""];
  const skips = input.skips ? skipLines(input.skips, shown) : [];
  const tail = [
    ...skips,
    "## Waivers",
    "",
    ...waiverTable(namedRows),
    "",
    ...rulesetChangeLines(input, shown),
  ];
  // Most detailed first; each step drops detail until the body fits, with the remembered rows if they fit too.
  const variants = [
    ["## Repositories", "", ...matrix(input, namedRows), ""],
    ["## Failing repositories", "", ...matrix(input, failingRows), ""],
    ["## Failing repositories", "", ...failingList(input, failingRows), ""],
  ];
  // The marker remembers only what the readers may see; the sweep's store keeps the other rows.
  const state = writeMarker(STATE_MARKER, stateOf(namedRows, openIssues, ids));
  for (const memory of [state, undefined]) {
    for (const detail of variants) {
      const body = [...head, ...detail, ...issues, ...tail, ...(memory ? [memory] : [])].join("\n");
      if (body.length <= ISSUE_BODY_LIMIT) return body;
    }
  }
  const note = `\n… cut to fit GitHub's issue size limit; run \`rulebook scan --org <org>\` for the full report.\n`;
  return `${[...head, ...(variants[2] ?? []), ...issues, ...tail].join("\n").slice(0, ISSUE_BODY_LIMIT - note.length)}${note}`;
}

/** The skip inventory of the repositories the readers may see, and a count of the skips of the others. */
function skipLines(inventories: readonly SkipInventory[], shown: Shown): string[] {
  const named = inventories
    .filter((i) => shown.named(i.repository))
    .map((i) => (i.incomplete && !shown.quotable(i.incomplete) ? { ...i, incomplete: "not read whole" } : i));
  const leftOut = inventories.filter((i) => !shown.named(i.repository));
  const skips = leftOut.reduce((n, i) => n + i.skips.length + i.exclusions.length, 0);
  return renderSkipInventory(named, { repositories: leftOut.length, skips });
}
