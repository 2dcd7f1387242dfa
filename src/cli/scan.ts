/**
 * `rulebook scan --org ORG`: a read-only report of every repository of an organization against its bundle,
 * with the facts, engine and bundle the app's sweep uses. Nothing on GitHub is changed.
 */
import { readConfig } from "../app/config.js";
import type { Bundle } from "../bundle/types.js";
import { evaluate } from "../engine/evaluate.js";
import { type FactNeeds, factNeeds } from "../engine/needs.js";
import { summarize } from "../engine/summary.js";
import type { Octokit, RepositoryPayload } from "../gather/github.js";
import { gatherRepository } from "../gather/repository.js";
import type { BundleLocation } from "../github/bundle-source.js";
import { listLabelledIssues } from "../github/issues.js";
import {
  type DashboardInput,
  FULL_VIEW,
  type RepositoryResult,
  renderDashboard,
} from "../publish/dashboard.js";
import { openIssueEntries } from "../publish/drift.js";
import { fenced, inline } from "../publish/markdown.js";
import { renderJson, renderText } from "../publish/render.js";
import { RTFM_LABEL } from "../publish/rtfm.js";
import { dashboardBundle } from "../sweep/sweep.js";
import { compareStrings } from "../util/compare.js";
import { mapLimit } from "../util/concurrency.js";
import { requireBundle } from "./bundle.js";
import { type CliIO, type Command, EXIT, optionValue, type ParsedArgs, UsageError } from "./command.js";
import {
  apiFailure,
  appIdentity,
  createOctokit,
  failure,
  GitHubError,
  type OrgBundle,
  orgBundle,
  webUrl,
} from "./github.js";
import { startProgress } from "./progress.js";

const SCAN_SCHEMA = "rulebook.scan/v1";
const SCAN_FORMATS = ["markdown", "json"] as const;

export const scan: Command = {
  name: "scan",
  summary: "Report how every repository of an organization meets its standards (read-only)",
  details: [
    "Judges each repository of the organization (archived ones and forks too: the bundle's profiles decide",
    "what applies to them) against the bundle, with the facts the app's sweep reads: the files standards",
    "name, on the default branch, and the rulesets. Nothing on GitHub is changed.",
    "",
    "The bundle is --bundle DIR if given, else the organization's own, read as the app reads it (the folder",
    "RULEBOOK_BUNDLE_PATH, default standards, of the repository RULEBOOK_BUNDLE_REPO, default .github), or",
    "the one shipped with Rulebook when the organization keeps none.",
    "",
    "Environment: GITHUB_TOKEN (required): a token that can read the organization's repositories, their",
    "contents and rulesets (and issues, for markdown); GITHUB_API_URL: the REST API's base URL, for GitHub",
    "Enterprise Server; RULEBOOK_SWEEP_CONCURRENCY: repositories judged at once (default 4).",
    "",
    "Output: markdown, the compliance dashboard the app's sweep keeps in the central repository, then",
    `each repository's findings; json, a ${SCAN_SCHEMA} document { schema, org, bundle, repositories },`,
    "each repository { repository, verdict } with the rulebook.findings/v1 document, or { repository, error }",
    "when GitHub did not fully answer for it (after retries).",
    "",
    "Exit status: 0 when no error finding stands, 1 when one does, 2 when the scan could not run or could",
    "not judge a repository (wrong usage, no token, an invalid bundle, an API error).",
  ].join("\n"),
  options: [
    { name: "org", value: "ORG", description: "The organization to scan (required)" },
    {
      name: "format",
      value: "FORMAT",
      description: "Output: markdown or json; default: markdown",
      choices: SCAN_FORMATS,
    },
    {
      name: "bundle",
      value: "DIR",
      description: "The bundle of standards (a directory with rulebook.yml); default: the organization's own",
    },
    {
      name: "app",
      value: "SLUG",
      description:
        "The Rulebook app's slug, so standards that pin the rulebook check to it are judged; without it they are not evaluated",
    },
  ],
  run: runScan,
};

/** Why a standard that pins a check to this app cannot be judged without `--app`. */
const APP_UNKNOWN =
  "a scan does not know which app is Rulebook; pass its slug with `rulebook scan --app SLUG`";

/** The bundle to judge with; undefined (after saying why on stderr) when there is no valid one. */
async function scanBundle(
  args: ParsedArgs,
  io: CliIO,
  octokit: Octokit,
  org: string,
  location: BundleLocation,
): Promise<OrgBundle | undefined> {
  if (optionValue(args, "bundle") !== undefined) {
    const bundle = await requireBundle(args, io);
    return bundle ? { bundle } : undefined;
  }
  return orgBundle(io, octokit, org, location, "scan");
}

interface ScannedRepository extends RepositoryResult {
  openIssues: DashboardInput["openIssues"];
}

async function judgeRepository(
  octokit: Octokit,
  bundle: Bundle,
  repository: RepositoryPayload,
  options: { needs: FactNeeds; now: string; app?: { id: number; slug: string }; withIssues: boolean },
): Promise<ScannedRepository> {
  const name = `${repository.owner.login}/${repository.name}`;
  const { needs } = options;
  try {
    const facts = await gatherRepository(octokit, {
      repository,
      needs: needs.facts,
      paths: needs.paths,
      now: options.now,
      ...(options.app ? { app: options.app } : {}),
    });
    // Every fact missing here is one GitHub did not give: the repository was not judged, which is no pass.
    const missing = Object.values(facts.unavailable);
    if (missing.length > 0) return { repository: name, error: missing.join("; "), openIssues: [] };
    const verdict = await evaluate(
      bundle,
      options.app ? facts : { ...facts, unavailable: { ...facts.unavailable, app: APP_UNKNOWN } },
    );
    const openIssues = options.withIssues ? await openRtfmIssues(octokit, repository, name) : [];
    return { repository: name, verdict, openIssues };
  } catch (error) {
    return { repository: name, error: apiFailure(error), openIssues: [] };
  }
}

/** The repository's open RTFM issues, for the dashboard; none where issues are turned off (HTTP 410). */
async function openRtfmIssues(octokit: Octokit, repository: RepositoryPayload, name: string) {
  try {
    const issues = await listLabelledIssues(octokit, repository.owner.login, repository.name, RTFM_LABEL);
    return openIssueEntries(issues).map((entry) => ({ repository: name, ...entry }));
  } catch (error) {
    if ((error as { status?: number }).status === 410) return [];
    throw error;
  }
}

function renderScanJson(org: string, bundle: Bundle, results: readonly RepositoryResult[]): string {
  const document = {
    schema: SCAN_SCHEMA,
    org,
    bundle: { source: bundle.source, version: bundle.version },
    repositories: results.map((result) =>
      result.verdict
        ? // The verdict in its published key order, exactly as `rulebook check --format json` prints it.
          { repository: result.repository, verdict: JSON.parse(renderJson(result.verdict)) as unknown }
        : { repository: result.repository, error: result.error },
    ),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The dashboard, then each repository that has something to fix, could not be judged, or is incomplete. */
function renderScanMarkdown(scanned: OrgBundle, results: readonly ScannedRepository[], time: string): string {
  const dashboard = renderDashboard({
    ...dashboardBundle(scanned.bundle),
    ...(scanned.problem ? { bundleProblem: scanned.problem } : {}),
    results: [...results],
    openIssues: results.flatMap((r) => r.openIssues),
    // Printed to the holder of a token that read every repository scanned.
    audience: FULL_VIEW,
    time,
  });
  const details = [...results]
    .sort((a, b) => compareStrings(a.repository, b.repository))
    .flatMap((result) => {
      if (result.error) return [`### ${result.repository}\n\nNot judged: ${inline(result.error)}\n`];
      const verdict = result.verdict;
      if (!verdict || (verdict.findings.length === 0 && verdict.notEvaluated.length === 0)) return [];
      return [`### ${result.repository}\n\n${fenced("text", renderText(verdict))}\n`];
    });
  if (details.length === 0) return dashboard;
  return `${dashboard}\n## Findings by repository\n\n${details.join("\n")}`;
}

async function runScan(args: ParsedArgs, io: CliIO): Promise<number> {
  const org = optionValue(args, "org");
  if (!org) throw new UsageError("--org is required: the organization whose repositories to scan");
  const token = io.env?.GITHUB_TOKEN;
  if (!token) {
    throw new UsageError(
      "GITHUB_TOKEN is not set: a scan reads the organization through GitHub's API and needs a token that can read its repositories",
    );
  }
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig(io.env ?? {});
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const octokit = createOctokit(token, io, "rulebook-scan");
  try {
    return await scanOrg(args, io, octokit, org, config);
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    io.stderr(`rulebook scan: ${error.message}\n`);
    return EXIT.error;
  }
}

async function scanOrg(
  args: ParsedArgs,
  io: CliIO,
  octokit: Octokit,
  org: string,
  config: ReturnType<typeof readConfig>,
): Promise<number> {
  const format = optionValue(args, "format") ?? "markdown";
  const slug = optionValue(args, "app");
  let repositories: RepositoryPayload[];
  try {
    repositories = (await octokit.paginate(octokit.rest.repos.listForOrg, {
      org,
      type: "all",
      sort: "full_name",
      per_page: 100,
    })) as RepositoryPayload[];
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404) {
      throw new GitHubError(`there is no organization ${org}, or GITHUB_TOKEN cannot see it (HTTP 404)`);
    }
    throw failure(`cannot list the repositories of ${org}`, error);
  }
  const scanned = await scanBundle(args, io, octokit, org, {
    repo: config.bundleRepo,
    path: config.bundlePath,
    webUrl: webUrl(io),
  });
  if (!scanned) return EXIT.error;
  const app = slug === undefined ? undefined : await appIdentity(octokit, slug);

  const now = io.now();
  const needs = factNeeds(scanned.bundle, ["repo"]);
  const progress = startProgress(io, repositories.length);
  const results = await mapLimit(repositories, config.sweepConcurrency, async (repository) => {
    const result = await judgeRepository(octokit, scanned.bundle, repository, {
      needs,
      now,
      ...(app ? { app } : {}),
      withIssues: format === "markdown",
    });
    progress.advance(result.repository);
    return result;
  });
  progress.finish();

  io.stdout(
    format === "json"
      ? renderScanJson(org, scanned.bundle, results)
      : renderScanMarkdown(scanned, results, now),
  );
  if (results.some((r) => r.error !== undefined)) return EXIT.error;
  const blocked = results.some((r) => r.verdict && summarize(r.verdict).conclusion === "failure");
  return blocked ? EXIT.findings : EXIT.ok;
}
