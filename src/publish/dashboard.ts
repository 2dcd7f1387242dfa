/**
 * The compliance dashboard (pure): one issue in the central repository, rewritten in place after each
 * sweep, in the manner of Renovate's dependency dashboard. It must render on GitHub and stay under the
 * issue body limit for a large org, so it summarizes step by step when it has to.
 */
import type { Bundle } from "../bundle/types.js";
import type { StandardStatus, Verdict, WaiverUse } from "../engine/verdict.js";
import { writeMarker } from "./markers.js";

/** GitHub refuses issue bodies over 65,536 characters. */
export const ISSUE_BODY_LIMIT = 65_536;
export const DASHBOARD_TITLE = "Rulebook compliance dashboard";

export interface RepositoryResult {
  repository: string;
  verdict?: Verdict;
  /** Why the repository could not be judged (an API failure after retries). */
  error?: string;
}

export interface DashboardInput {
  bundle: Pick<Bundle, "source" | "version" | "standards">;
  /** A newer bundle that failed validation, reported loudly. */
  bundleProblem?: string;
  results: RepositoryResult[];
  openIssues: Array<{ repository: string; standard: string; number: number; url: string }>;
  time: string;
}

const SYMBOL: Record<StandardStatus, string> = {
  pass: "✅",
  fail: "❌",
  waived: "🟡",
  exempt: "➖",
  "not-applicable": "·",
  "not-evaluated": "❔",
};

const COLUMNS: StandardStatus[] = ["pass", "fail", "waived", "not-applicable", "not-evaluated"];

function statusOf(result: RepositoryResult, standard: string): StandardStatus {
  if (!result.verdict) return "not-evaluated";
  return result.verdict.standards.find((s) => s.standard === standard)?.status ?? "not-applicable";
}

function totalsTable(input: DashboardInput): string[] {
  const lines = [
    "| Standard | Pass | Fail | Waived | N/A | Not evaluated |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const standard of input.bundle.standards) {
    const counts = new Map<StandardStatus, number>();
    for (const result of input.results) {
      const status = statusOf(result, standard.id);
      const column = status === "exempt" ? "not-applicable" : status;
      counts.set(column, (counts.get(column) ?? 0) + 1);
    }
    lines.push(`| \`${standard.id}\` | ${COLUMNS.map((c) => counts.get(c) ?? 0).join(" | ")} |`);
  }
  return lines;
}

function matrix(input: DashboardInput, results: RepositoryResult[]): string[] {
  const ids = input.bundle.standards.map((s) => s.id);
  const lines = [
    `| Repository | ${ids.map((_, i) => `S${i + 1}`).join(" | ")} |`,
    `| --- | ${ids.map(() => ":-:").join(" | ")} |`,
  ];
  for (const result of results) {
    lines.push(`| ${result.repository} | ${ids.map((id) => SYMBOL[statusOf(result, id)]).join(" | ")} |`);
  }
  lines.push("", ids.map((id, i) => `S${i + 1} \`${id}\``).join(" · "));
  lines.push(
    "",
    Object.entries(SYMBOL)
      .map(([status, symbol]) => `${symbol} ${status}`)
      .join(" · "),
  );
  return lines;
}

function failingList(input: DashboardInput, results: RepositoryResult[]): string[] {
  return results.flatMap((result) => {
    const failing = input.bundle.standards
      .filter((s) => statusOf(result, s.id) === "fail")
      .map((s) => `\`${s.id}\``);
    if (result.error) return [`- ${result.repository}: not judged (${result.error})`];
    return failing.length ? [`- ${result.repository}: ${failing.join(", ")}`] : [];
  });
}

function waiverTable(results: RepositoryResult[]): string[] {
  const waivers = new Map<string, WaiverUse>();
  for (const result of results) {
    for (const waiver of result.verdict?.waivers ?? []) {
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
          `| ${w.repository} | \`${w.standard}\` | ${w.owner} | ${w.expires} | ${w.status === "expired" ? "⚠️ expired" : "active"} | ${w.reason.replaceAll("|", "\\|").replaceAll("\n", " ")} |`,
      ),
  ];
}

export function renderDashboard(input: DashboardInput): string {
  const results = [...input.results].sort((a, b) => a.repository.localeCompare(b.repository));
  const failingRepos = results.filter(
    (r) => r.error || r.verdict?.standards.some((s) => s.status === "fail"),
  );
  const head = [
    writeMarker("dashboard", { v: 1 }),
    `# ${DASHBOARD_TITLE}`,
    "",
    `Bundle \`${input.bundle.source}\` at \`${input.bundle.version}\` · swept ${input.time} · ${results.length} repositories, ${failingRepos.length} failing.`,
    "",
    ...(input.bundleProblem ? ["> [!WARNING]", `> ${input.bundleProblem.replaceAll("\n", "\n> ")}`, ""] : []),
    "## Standards",
    "",
    ...totalsTable(input),
    "",
  ];
  const issues = [
    "## Open RTFM issues",
    "",
    ...(input.openIssues.length
      ? [...input.openIssues]
          .sort((a, b) => a.repository.localeCompare(b.repository) || a.number - b.number)
          .map((i) => `- [${i.repository}#${i.number}](${i.url}) \`${i.standard}\``)
      : ["None."]),
    "",
  ];
  const tail = ["## Waivers", "", ...waiverTable(results), ""];
  // Most detailed first; each step drops detail until the body fits.
  const variants = [
    ["## Repositories", "", ...matrix(input, results), ""],
    ["## Failing repositories", "", ...matrix(input, failingRepos), ""],
    ["## Failing repositories", "", ...failingList(input, failingRepos), ""],
  ];
  for (const detail of variants) {
    const body = [...head, ...detail, ...issues, ...tail].join("\n");
    if (body.length <= ISSUE_BODY_LIMIT) return body;
  }
  const note = `\n… cut to fit GitHub's issue size limit; run \`rulebook scan --org <org>\` for the full report.\n`;
  return `${[...head, ...(variants[2] ?? []), ...issues, ...tail].join("\n").slice(0, ISSUE_BODY_LIMIT - note.length)}${note}`;
}
