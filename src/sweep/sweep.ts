/**
 * Sweeps: re-derive the desired state instead of trusting webhooks, which GitHub never redelivers.
 * For each repository: judge it against the bundle and make its drift issues match the findings; give
 * every open pull request a `rulebook` check on its head SHA (a lost webhook is healed); inventory the
 * skipped tests on its default branch. Then rewrite the org's dashboard in place.
 *
 * It pays only for change: repositories are listed a page at a time with ETags (a 304 is free), read many
 * per GraphQL query, and skipped when their default-branch head, rulesets and metadata are unchanged
 * (`memory.ts`); issues are written only when a verdict moved. The pieces run as jobs (`app/jobs.ts`), on
 * any replica: `listSweepRepositories` yields pages, `sweepRepositories` sweeps one page and stores its
 * summaries, `writeDashboard` renders the dashboard from the stored summaries once every page is swept.
 */
import { readFailures } from "../app/failures.js";
import { brokenBundleIncident, incidentFor } from "../app/incidents.js";
import { judgePullRequest } from "../app/judge-pull-request.js";
import { loggedRulesetChanges } from "../app/on-ruleset.js";
import type { Services } from "../app/services.js";
import type { Bundle } from "../bundle/types.js";
import { evaluate } from "../engine/evaluate.js";
import { factNeeds } from "../engine/needs.js";
import type { Verdict } from "../engine/verdict.js";
import type { RepoFacts } from "../facts/schema.js";
import { type RepositoryProbe, repositoryName } from "../gather/batch.js";
import type { Octokit, RepositoryPayload } from "../gather/github.js";
import { listCheckRuns } from "../gather/pull-request.js";
import { inventorySkips, type SkipInventory, TREE_DEPTH } from "../gather/skip-inventory.js";
import type { BundleProblem } from "../github/bundle-source.js";
import { findOwnRun } from "../github/check-run.js";
import { type IssueRecord, listLabelledIssues, recordIncident, resolveIncident } from "../github/issues.js";
import { knownCodeowners } from "../github/owners.js";
import { readCheckState } from "../publish/check-state.js";
import {
  DASHBOARD_TITLE,
  type DashboardState,
  type RepositoryResult,
  readDashboardState,
  renderDashboard,
  STATUS_LETTER,
} from "../publish/dashboard.js";
import { hasMarker } from "../publish/markers.js";
import { RTFM_LABEL, rtfmState } from "../publish/rtfm.js";
import { rules } from "../rules/registry.js";
import { mapLimit, runLocked } from "../util/concurrency.js";
import { type HistorySweep, sweepHistory } from "./history.js";
import {
  digest,
  forgetSummary,
  gatherWithCache,
  listSweepRepositories,
  type RepositoryFacts,
  type RepositorySummary,
  readSummaries,
  readSummary,
  writeSummary,
} from "./memory.js";

export const DASHBOARD_LABEL = "rulebook-dashboard";

export interface RepositorySweep extends RepositoryResult {
  /** Open RTFM issues of the repository after the sweep. */
  openIssues: Array<{ standard: string; number: number; url: string }>;
  /** Pull requests that had no check on their head SHA and were judged now. */
  healed: number[];
  /** What the default branch's history showed since the last sweep (pushes whose webhook was lost). */
  history?: HistorySweep;
}

/** Makes a repository's drift issues match its verdict: open or update for failures, close when fixed. */
async function reconcileIssues(
  octokit: Octokit,
  services: Services,
  bundle: Bundle,
  name: string,
  verdict: Verdict,
  time: string,
  issues: IssueRecord[],
  /** The repository as judged, so the issues name the owners its profiles give. */
  repo: RepoFacts,
): Promise<void> {
  const codeowners = knownCodeowners(repo.files);
  for (const result of verdict.standards) {
    const standard = bundle.standards.find((s) => s.id === result.standard);
    if (!standard) continue;
    if (result.status === "fail") {
      const findings = verdict.findings.filter((f) => f.standard === standard.id);
      await services.locks.run(`issue:${name}:${standard.id}`, () =>
        recordIncident(
          octokit,
          {
            ...incidentFor(bundle, standard, findings, {
              repository: name,
              kind: "drift",
              // The same drift seen by the next sweep is not a new occurrence.
              key: `drift:${digest(findings.map((f) => [f.message, f.path, f.line])).slice(0, 12)}`,
              event: "sweep",
              time,
              repo,
            }),
            ...(codeowners !== undefined ? { codeowners } : {}),
          },
          issues,
        ),
      );
    } else if (result.status !== "not-evaluated") {
      await resolveIncident(
        octokit,
        {
          repository: name,
          standard: standard.id,
          kind: "drift",
          note: `Resolved: \`${standard.id}\` is ${result.status === "pass" ? "met" : result.status} as of the sweep at ${time} (bundle ${bundle.version}). Closing.`,
        },
        issues,
      );
    }
  }
  // A standard the bundle no longer has can never pass again: its drift issue closes now.
  const standards = new Set(bundle.standards.map((s) => s.id));
  for (const issue of issues) {
    const state = rtfmState(issue.body);
    if (issue.state !== "open" || state?.kind !== "drift" || standards.has(state.standard)) continue;
    await resolveIncident(
      octokit,
      {
        repository: name,
        standard: state.standard,
        kind: "drift",
        note: `Resolved: \`${state.standard}\` is no longer a standard of the bundle (${bundle.version}), as of the sweep at ${time}. Closing.`,
      },
      issues,
    );
  }
}

function openIssuesOf(issues: IssueRecord[]): RepositorySweep["openIssues"] {
  return issues
    .filter((i) => i.state === "open")
    .flatMap((i) => {
      const state = rtfmState(i.body);
      return state ? [{ standard: state.standard, number: i.number, url: i.html_url ?? "" }] : [];
    });
}

/**
 * Every open pull request gets a current check on its head SHA (a lost webhook is healed), and one whose
 * check failed closed because GitHub or the bundle could not be read is judged again. Heads already seen
 * with a judged check are not asked about again; returns the pull requests judged now and the heads known
 * to carry a judged check.
 */
async function healPullRequests(
  octokit: Octokit,
  services: Services,
  repository: RepositoryPayload,
  bundle: Bundle,
  pulls: RepositoryProbe["pulls"],
  checked: readonly string[],
): Promise<{ healed: number[]; checked: string[] }> {
  const owner = repository.owner.login;
  const repo = repository.name;
  const app = await services.identity();
  const known = new Set(checked);
  const healed: number[] = [];
  const now: string[] = [];
  for (const pull of pulls) {
    const mark = `${bundle.settings.checkName}:${pull.number}@${pull.headOid}`;
    if (known.has(mark)) {
      now.push(mark);
      continue;
    }
    const runs = await listCheckRuns(octokit, owner, repo, pull.headOid);
    const own = findOwnRun(runs, bundle.settings.checkName, app?.id);
    // A run that failed closed because something could not be read is judged again, not trusted.
    if (own && !readCheckState(own.external_id).unjudged) {
      now.push(mark);
      continue;
    }
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pull.number });
    const judgement = await judgePullRequest(octokit, services, { repository, pullRequest: data });
    healed.push(pull.number);
    if (!judgement.unjudged) now.push(mark);
  }
  return { healed, checked: now };
}

/**
 * Whether the open drift issues are exactly those of the failing standards; when someone closed or
 * opened one by hand, the sweep puts them right again.
 */
function issuesMatch(verdict: Verdict, issues: IssueRecord[]): boolean {
  const failing = verdict.standards.filter((s) => s.status === "fail").map((s) => s.standard);
  const open = issues.flatMap((issue) => {
    const state = rtfmState(issue.body);
    if (issue.state !== "open" || state?.kind !== "drift") return [];
    // A marker a member edited (its occurrences gone) is rebuilt by reconciling.
    return state.seen.length > 0 ? [state.standard] : ["(edited marker)"];
  });
  return failing.length === open.length && failing.every((standard) => open.includes(standard));
}

/** The digest of what a sweep acts on: a verdict equal to the last one needs no issue written. */
function verdictDigest(verdict: Verdict): string {
  return digest([
    verdict.bundle,
    verdict.standards.map((s) => [s.standard, s.status]),
    verdict.findings.map((f) => [f.standard, f.message, f.path, f.line]),
  ]);
}

/** Judges one repository from its facts and records what it found; writes issues only when the verdict moved. */
async function sweepRepository(
  octokit: Octokit,
  services: Services,
  bundle: Bundle,
  repository: RepositoryPayload,
  read: RepositoryFacts,
  previous: RepositorySummary | undefined,
  skips: SkipInventory | undefined,
): Promise<{ sweep: RepositorySweep; summary: RepositorySummary }> {
  const name = repositoryName(repository);
  const verdict = await evaluate(bundle, read.facts);
  const moved = verdictDigest(verdict);
  // Issues opened or closed since (by other pipelines, or by hand) show in the read or the probe.
  const known = read.issues ?? read.probe?.openIssues;
  let openIssues = known ? openIssuesOf(known) : (previous?.openIssues ?? []);
  if (previous?.verdict !== moved || (known && !issuesMatch(verdict, known))) {
    const issues =
      read.issues ?? (await listLabelledIssues(octokit, repository.owner.login, repository.name, RTFM_LABEL));
    await reconcileIssues(octokit, services, bundle, name, verdict, read.facts.now, issues, read.facts.repo);
    openIssues = openIssuesOf(issues);
  }
  const pulls = read.probe
    ? await healPullRequests(octokit, services, repository, bundle, read.probe.pulls, previous?.checked ?? [])
    : { healed: [], checked: [] };
  // --- lost pushes (history.ts): direct pushes, force pushes and merges whose webhook never came ---
  const history = await sweepHistory(octokit, services, bundle, repository, read.probe?.headOid);
  // --- end of lost pushes ---
  return {
    sweep: { repository: name, verdict, openIssues, healed: pulls.healed, history },
    summary: {
      verdict: moved,
      // Not applicable is what a standard missing here reads as: only the others are kept.
      statuses: Object.fromEntries(
        verdict.standards.filter((s) => s.status !== "not-applicable").map((s) => [s.standard, s.status]),
      ),
      waivers: verdict.waivers,
      openIssues,
      checked: pulls.checked,
      ...(skips
        ? {
            skips: {
              skips: skips.skips,
              files: skips.files,
              ...(skips.incomplete ? { incomplete: skips.incomplete } : {}),
            },
          }
        : {}),
    },
  };
}

/**
 * Sweeps one batch of repositories: reads the facts of those that changed (many per GraphQL query),
 * judges each, makes its drift issues match, heals its open pull requests, and stores its summary for
 * the dashboard (`writeDashboard`). A repository that fails is reported as such, never as passing.
 */
export function sweepRepositories(
  octokit: Octokit,
  services: Services,
  org: string,
  repositories: readonly RepositoryPayload[],
): Promise<RepositorySweep[]> {
  // One writer per repository across replicas: the batch holds its repositories' locks from before it
  // reads them (their open issues among the facts) until it has written, so a sweep running elsewhere
  // at the same time never works from issues read before this one opened them.
  const locks = repositories.map((repository) => repositoryLock(repositoryName(repository)));
  return runLocked(services.locks, locks, () => sweepBatch(octokit, services, org, repositories));
}

async function sweepBatch(
  octokit: Octokit,
  services: Services,
  org: string,
  repositories: readonly RepositoryPayload[],
): Promise<RepositorySweep[]> {
  const bundle = (await services.bundles.get(octokit, org)).bundle;
  if (!bundle || repositories.length === 0) return [];
  const needs = factNeeds(bundle, ["repo"]);
  const app = await services.identity();
  const failed = (repository: RepositoryPayload, error: unknown): RepositorySweep => {
    const status = (error as { status?: number }).status;
    return {
      repository: repositoryName(repository),
      error: `${status ? `HTTP ${status}: ` : ""}${(error as Error).message}`,
      openIssues: [],
      healed: [],
    };
  };
  let gathered: Map<string, RepositoryFacts>;
  try {
    gathered = await gatherWithCache(octokit, services.store, repositories, {
      needs: needs.facts,
      paths: needs.paths,
      now: services.now(),
      ...(app ? { app } : {}),
      issueLabel: RTFM_LABEL,
      // A repository read again has moved its head: its tree comes along for the skip inventory.
      treeDepth: TREE_DEPTH,
    });
  } catch (error) {
    gathered = new Map();
    const results = repositories.map((repository) => failed(repository, error));
    for (const result of results)
      await writeSummary(services.store, org, result.repository, errorSummary(result));
    return results;
  }
  // Informational: a store that fails here leaves the section without these repositories, never a verdict.
  const skips = await inventorySkips(
    octokit,
    services.store,
    [...gathered.values()].flatMap(({ facts, probe, tree }) =>
      probe?.headOid
        ? [{ owner: facts.repo.owner, name: facts.repo.name, headOid: probe.headOid, tree }]
        : [],
    ),
  ).catch(() => new Map<string, SkipInventory>());
  return mapLimit(repositories, services.config.sweepConcurrency, async (repository) => {
    const name = repositoryName(repository);
    const read = gathered.get(name);
    try {
      if (!read) throw new Error("the batched read returned nothing for this repository");
      const { sweep, summary } = await sweepRepository(
        octokit,
        services,
        bundle,
        repository,
        read,
        await readSummary(services.store, org, name),
        skips.get(name),
      );
      await writeSummary(services.store, org, name, summary);
      return sweep;
    } catch (error) {
      const result = failed(repository, error);
      await writeSummary(services.store, org, name, errorSummary(result));
      return result;
    }
  });
}

/** The key of the lock everything that writes to a repository holds (`owner/name`). */
export function repositoryLock(name: string): string {
  return `repository:${name.toLowerCase()}`;
}

function errorSummary(result: RepositorySweep): RepositorySummary {
  return {
    verdict: "",
    statuses: {},
    waivers: [],
    ...(result.error ? { error: result.error } : {}),
    openIssues: [],
    checked: [],
  };
}

/** The org's open dashboard issue in the central repository, found by its marker. */
async function findDashboard(octokit: Octokit, org: string, repo: string): Promise<IssueRecord | undefined> {
  return (await listLabelledIssues(octokit, org, repo, DASHBOARD_LABEL)).find(
    (issue) => issue.state === "open" && hasMarker(issue.body, "dashboard"),
  );
}

/**
 * Rewrites the org's dashboard from the stored repository summaries (whichever process or job swept
 * them). A `partial` sweep keeps the rows of repositories it has no summary of as the dashboard
 * remembers them; without a dashboard to remember from, it leaves the picture to the next full sweep.
 */
export async function writeDashboard(
  octokit: Octokit,
  services: Services,
  org: string,
  options: { partial?: boolean } = {},
): Promise<boolean> {
  const state = await services.bundles.get(octokit, org);
  const bundle = state.bundle;
  if (!bundle) return false;
  const names = new Set<string>();
  for await (const page of listSweepRepositories(octokit, services.store, org)) {
    for (const repository of page) names.add(repositoryName(repository));
  }
  const central = services.config.bundleRepo;
  if (!names.has(`${org}/${central}`)) return false;
  const summaries = await readSummaries(services.store, org);
  // Repositories the installation no longer reaches drop out.
  for (const name of summaries.keys()) {
    if (!names.has(name)) await forgetSummary(services.store, org, name);
  }
  return services.locks.run(`dashboard:${org}`, async () => {
    const existing = await findDashboard(octokit, org, central);
    const remembered = readDashboardState(existing?.body);
    const shown = dashboardBundle(bundle);
    const ids = shown.bundle.standards.map((s) => s.id);
    const repositories: DashboardState["repositories"] = {};
    const skips: SkipInventory[] = [];
    for (const name of names) {
      const summary = summaries.get(name);
      const row = summary ? rememberedRow(summary, ids) : remembered?.repositories[name];
      if (row) repositories[name] = row;
      else if (options.partial) return false;
      if (summary?.skips) skips.push({ repository: name, fetched: 0, ...summary.skips });
    }
    const body = renderDashboard({
      ...shown,
      ...(state.problem
        ? {
            bundleProblem: `The newest bundle (${state.problem.sha.slice(0, 12)}) is invalid; verdicts use ${bundle.version}.\n${state.problem.errors.join("\n")}`,
          }
        : {}),
      results: [],
      openIssues: [],
      remembered: { standards: ids, repositories },
      skips,
      rulesetChanges: await loggedRulesetChanges(services.store, org),
      failedJobs: await readFailures(services.store, org, services.now()),
      time: services.now(),
    });
    if (!existing) {
      await octokit.rest.issues.create({
        owner: org,
        repo: central,
        title: DASHBOARD_TITLE,
        body,
        labels: [DASHBOARD_LABEL],
      });
    } else if (existing.body !== body) {
      await octokit.rest.issues.update({ owner: org, repo: central, issue_number: existing.number, body });
    }
    return true;
  });
}

/** A summary as a dashboard row: one status letter per standard, in the order of `ids`. */
function rememberedRow(summary: RepositorySummary, ids: string[]): DashboardState["repositories"][string] {
  return {
    s: ids.map((id) => STATUS_LETTER[summary.statuses[id] ?? "not-applicable"]).join(""),
    ...(summary.error ? { e: summary.error } : {}),
    ...(summary.waivers.length ? { w: summary.waivers } : {}),
    ...(summary.openIssues.length
      ? { i: summary.openIssues.map((i): [string, number, string] => [i.standard, i.number, i.url]) }
      : {}),
  };
}

/** What a sweep of an installation did, in counts: an org's verdicts are not all held at once. */
/** The standards a sweep judges (repository scope), and those judged on pull requests and pushes instead. */
export function dashboardBundle(bundle: Bundle) {
  const swept = bundle.standards.filter((s) => rules.get(s.rule)?.scope === "repo");
  return {
    bundle: { ...bundle, standards: swept },
    judgedElsewhere: bundle.standards.filter((s) => !swept.includes(s)).map((s) => s.id),
  };
}

/** An invalid bundle is an incident in the central repository: loud, with every error, never silent. */
export async function reportBrokenBundle(
  octokit: Octokit,
  services: Services,
  org: string,
  problem: BundleProblem | undefined,
): Promise<void> {
  if (!problem) return;
  const incident = brokenBundleIncident(services.config, org, problem, {
    event: "sweep",
    time: services.now(),
  });
  await services.locks.run(`issue:${incident.repository}:${incident.standard.id}`, () =>
    recordIncident(octokit, incident),
  );
}

export { listSweepRepositories };
