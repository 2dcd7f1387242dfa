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
import { brokenBundleIncident, gateFor, profileOwners } from "../app/incidents.js";
import { judgePullRequest } from "../app/judge-pull-request.js";
import {
  observedChecksOf,
  observedIncidents,
  openObservedChecks,
  rememberObservedCheck,
} from "../app/observed.js";
import { loggedRulesetChanges } from "../app/on-ruleset.js";
import type { Services } from "../app/services.js";
import type { Bundle } from "../bundle/types.js";
import { docsLink, evaluate } from "../engine/evaluate.js";
import { modeOf } from "../engine/mode.js";
import { factNeeds } from "../engine/needs.js";
import type { StandardStatus, Verdict } from "../engine/verdict.js";
import type { RepoFacts } from "../facts/schema.js";
import { type RepositoryProbe, repositoryName } from "../gather/batch.js";
import type { Octokit, RepositoryPayload } from "../gather/github.js";
import { listCheckRuns } from "../gather/pull-request.js";
import { inventorySkips, type SkipInventory, TREE_DEPTH } from "../gather/skip-inventory.js";
import type { BundleProblem } from "../github/bundle-source.js";
import { findOwnRun } from "../github/check-run.js";
import { reconcileDrift } from "../github/drift-issue.js";
import { type IssueRecord, listLabelledIssues, recordIncident } from "../github/issues.js";
import { issueTrust } from "../github/own-issues.js";
import { knownCodeowners } from "../github/owners.js";
import { readCheckState } from "../publish/check-state.js";
import {
  type Audience,
  DASHBOARD_TITLE,
  type DashboardState,
  type RepositoryResult,
  type Rollout,
  readDashboardState,
  renderDashboard,
  STATUS_LETTER,
} from "../publish/dashboard.js";
import { openIssueEntries, openItems, readDriftState } from "../publish/drift.js";
import { hasMarker } from "../publish/markers.js";
import { RTFM_LABEL, rtfmState } from "../publish/rtfm.js";
import { rules } from "../rules/registry.js";
import { mapLimit, runLocked } from "../util/concurrency.js";
import { visibilityOf } from "../util/visibility.js";
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
  /** Pull requests judged now: their head had no check, or the bundle enforces since what their check observed. */
  healed: number[];
  /** What the default branch's history showed since the last sweep (pushes whose webhook was lost). */
  history?: HistorySweep;
}

/** How a listed standard that no longer fails was resolved, for its ticked item; absent: it was not judged. */
const RESOLVED: Partial<Record<StandardStatus, string>> = {
  pass: "met",
  waived: "waived",
  exempt: "exempt",
  "not-applicable": "no longer applies",
};

/** Makes the repository's drift issue match its verdict: one issue, an item per failing standard. */
async function reconcileIssues(
  octokit: Octokit,
  services: Services,
  bundle: Bundle,
  name: string,
  verdict: Verdict,
  time: string,
  issues: IssueRecord[],
  /** The repository as judged, so the issue names the owners its profiles give. */
  repo: RepoFacts,
) {
  const codeowners = knownCodeowners(repo.files);
  const standardOf = (id: string) => bundle.standards.find((s) => s.id === id);
  const failing = verdict.standards.flatMap((result) => {
    const standard = result.status === "fail" ? standardOf(result.standard) : undefined;
    if (!standard) return [];
    return [
      {
        standard,
        docs: docsLink(bundle, standard.docs),
        findings: verdict.findings.filter((f) => f.standard === standard.id),
        gate: gateFor(standard.rule),
      },
    ];
  });
  const statuses = new Map(verdict.standards.map((s) => [s.standard, s.status]));
  return services.locks.run(`issue:${name}:drift`, () =>
    reconcileDrift(
      octokit,
      {
        repository: name,
        time,
        bundleVersion: bundle.version,
        failing,
        report: (id) => modeOf(bundle, id, services.config.defaultMode) === "enforce",
        resolution: (id) => {
          const status = statuses.get(id);
          return status === undefined ? "no longer a standard of the bundle" : RESOLVED[status];
        },
        profileOwners: (id) => {
          const standard = standardOf(id);
          return standard ? profileOwners(bundle, standard, repo) : [];
        },
        ...(codeowners !== undefined ? { codeowners } : {}),
      },
      issues,
    ),
  );
}

function openIssuesOf(issues: IssueRecord[]): RepositorySweep["openIssues"] {
  return openIssueEntries(issues);
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
  // A check left neutral on standards the bundle enforces since is judged again, so it blocks now.
  const observed = await observedChecksOf(services.store, `${owner}/${repo}`);
  const enforcedSince = (pull: RepositoryProbe["pulls"][number]) => {
    const check = observed.get(pull.number);
    return (
      check?.sha === pull.headOid &&
      check.standards.some((id) => modeOf(bundle, id, services.config.defaultMode) === "enforce")
    );
  };
  for (const pull of pulls) {
    const mark = `${bundle.settings.checkName}:${pull.number}@${pull.headOid}`;
    if (enforcedSince(pull)) {
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pull.number });
      const judgement = await judgePullRequest(octokit, services, { repository, pullRequest: data });
      healed.push(pull.number);
      if (!judgement.unjudged) now.push(mark);
      continue;
    }
    if (known.has(mark)) {
      now.push(mark);
      continue;
    }
    const runs = await listCheckRuns(octokit, owner, repo, pull.headOid);
    const own = findOwnRun(runs, bundle.settings.checkName, app?.id);
    // A run that failed closed because something could not be read is judged again, not trusted.
    if (own && !readCheckState(own.external_id).unjudged) {
      // The run says what enforce would fail it on: the dashboard lists that, even after a restart.
      await rememberObservedCheck(services.store, {
        repository: `${owner}/${repo}`,
        number: pull.number,
        sha: pull.headOid,
        standards: readCheckState(own.external_id).observed ?? [],
      });
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
 * Whether the repository's open drift issue lists exactly its failing standards, and no old-style drift
 * issue is left open; when someone closed, reopened or edited one by hand, the sweep puts it right again.
 */
function issuesMatch(
  verdict: Verdict,
  issues: IssueRecord[],
  report: (standard: string) => boolean,
): boolean {
  const open = issues.filter((issue) => issue.state === "open");
  if (open.some((issue) => rtfmState(issue.body)?.kind === "drift")) return false;
  const drift = open.flatMap((issue) => {
    const state = readDriftState(issue.body);
    return state ? [state] : [];
  });
  if (drift.length > 1) return false;
  const listed = openItems(drift[0]?.items ?? []).map((item) => item.standard);
  // An observed standard opens no task, but one already listed stays until it is fixed.
  const failing = verdict.standards
    .filter((s) => s.status === "fail" && (report(s.standard) || listed.includes(s.standard)))
    .map((s) => s.standard);
  return failing.length === listed.length && failing.every((standard) => listed.includes(standard));
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
  let unreported = previous?.unreported ?? [];
  const enforced = (id: string) => modeOf(bundle, id, services.config.defaultMode) === "enforce";
  if (previous?.verdict !== moved || (known && !issuesMatch(verdict, known, enforced))) {
    const issues =
      read.issues ?? (await listLabelledIssues(octokit, repository.owner.login, repository.name, RTFM_LABEL));
    const drift = await reconcileIssues(
      octokit,
      services,
      bundle,
      name,
      verdict,
      read.facts.now,
      issues,
      read.facts.repo,
    );
    openIssues = openIssuesOf(issues);
    unreported = drift.unreported;
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
      unreported,
      ...(skips
        ? {
            skips: {
              skips: skips.skips,
              exclusions: skips.exclusions,
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
    unreported: [],
  };
}

/** The org's open dashboard issue in the central repository, found by its marker among the app's own issues. */
async function findDashboard(octokit: Octokit, org: string, repo: string): Promise<IssueRecord | undefined> {
  const trust = await issueTrust(octokit);
  const issues = await listLabelledIssues(octokit, org, repo, DASHBOARD_LABEL);
  return trust
    .own(issues, `${org}/${repo}`)
    .find((issue) => issue.state === "open" && hasMarker(issue.body, "dashboard"));
}

/** What a dashboard job did. */
export interface DashboardWrite {
  /** Whether the dashboard was rendered (and written, when it changed). */
  written: boolean;
  /** The dashboard repository the bundle names when the app cannot write to it: said loudly. */
  unreachable?: string;
}

/**
 * Where the dashboard is written: the repository the bundle's `settings.dashboardRepository` names when
 * the installation reaches it and it is not archived, the central repository otherwise. Never the full
 * view somewhere else: whichever it is, the dashboard shows only what that repository's readers may see.
 */
function dashboardPlacement(
  org: string,
  central: string,
  configured: string | undefined,
  listed: readonly RepositoryPayload[],
): { repo: string; unreachable?: string } {
  if (configured === undefined) return { repo: central };
  // GitHub's repository names are case-insensitive; the listing spells them as GitHub does.
  const target = listed.find(
    (r) =>
      r.owner.login.toLowerCase() === org.toLowerCase() && r.name.toLowerCase() === configured.toLowerCase(),
  );
  return target && !target.archived ? { repo: target.name } : { repo: central, unreachable: configured };
}

/**
 * Rewrites the org's dashboard from the stored repository summaries (whichever process or job swept
 * them). A `partial` sweep keeps the rows of repositories it has no summary of as the dashboard
 * remembers them; without a dashboard to remember from, it leaves the picture to the next full sweep.
 * The dashboard names only the repositories its own repository's readers may see: the hidden marker
 * remembers no others, whose rows the stored summaries keep.
 */
export async function writeDashboard(
  octokit: Octokit,
  services: Services,
  org: string,
  options: { partial?: boolean } = {},
): Promise<DashboardWrite> {
  const state = await services.bundles.get(octokit, org);
  const bundle = state.bundle;
  if (!bundle) return { written: false };
  const listed: RepositoryPayload[] = [];
  for await (const page of listSweepRepositories(octokit, services.store, org)) listed.push(...page);
  const visibilities = new Map(listed.map((r) => [repositoryName(r), visibilityOf(r)]));
  const central = services.config.bundleRepo;
  if (!visibilities.has(`${org}/${central}`)) return { written: false };
  const placement = dashboardPlacement(org, central, bundle.settings.dashboardRepository, listed);
  const unreachable = placement.unreachable ? { unreachable: placement.unreachable } : {};
  const audience: Audience = {
    readers: visibilities.get(`${org}/${placement.repo}`) ?? "public",
    visibilities,
  };
  const summaries = await readSummaries(services.store, org);
  // Repositories the installation no longer reaches drop out.
  for (const name of summaries.keys()) {
    if (!visibilities.has(name)) await forgetSummary(services.store, org, name);
  }
  return services.locks.run(`dashboard:${org}`, async () => {
    const existing = await findDashboard(octokit, org, placement.repo);
    const remembered = readDashboardState(existing?.body);
    const shown = dashboardBundle(bundle);
    const ids = shown.bundle.standards.map((s) => s.id);
    const repositories: DashboardState["repositories"] = {};
    const skips: SkipInventory[] = [];
    for (const name of visibilities.keys()) {
      const summary = summaries.get(name);
      const row = summary ? rememberedRow(summary, ids) : remembered?.repositories[name];
      if (row) repositories[name] = row;
      else if (options.partial) return { written: false, ...unreachable };
      if (summary?.skips) skips.push({ repository: name, fetched: 0, ...summary.skips });
    }
    const body = renderDashboard({
      ...shown,
      ...(state.problem
        ? {
            bundleProblem: `The newest bundle (${state.problem.sha.slice(0, 12)}) is invalid; verdicts use ${bundle.version}.\n${state.problem.errors.join("\n")}`,
          }
        : {}),
      ...(placement.unreachable
        ? {
            placementProblem: `The bundle's \`settings.dashboardRepository\` names \`${placement.unreachable}\`, which this app cannot write to (no such repository, the app is not installed on it, or it is archived). No dashboard is written there until it can; this one shows only what this repository's readers may see.`,
          }
        : {}),
      results: [],
      openIssues: [],
      remembered: { standards: ids, repositories },
      rollout: await rolloutOf(services, org, bundle, summaries),
      skips,
      rulesetChanges: await loggedRulesetChanges(services.store, org),
      failedJobs: await readFailures(services.store, org, services.now()),
      audience,
      time: services.now(),
    });
    if (!existing) {
      await octokit.rest.issues.create({
        owner: org,
        repo: placement.repo,
        title: DASHBOARD_TITLE,
        body,
        labels: [DASHBOARD_LABEL],
      });
    } else if (existing.body !== body) {
      await octokit.rest.issues.update({
        owner: org,
        repo: placement.repo,
        issue_number: existing.number,
        body,
      });
    }
    if (placement.repo !== central) await retireDashboard(octokit, org, central);
    return { written: true, ...unreachable };
  });
}

/** The text a dashboard left behind in the central repository is replaced with, naming no repository. */
const RETIRED_DASHBOARD_BODY = [
  `# ${DASHBOARD_TITLE}`,
  "",
  "The dashboard moved to the repository the bundle's `settings.dashboardRepository` names; this issue is no longer updated.",
  "",
].join("\n");

/** Closes the dashboard the central repository held before the bundle named another repository for it. */
async function retireDashboard(octokit: Octokit, org: string, central: string): Promise<void> {
  const old = await findDashboard(octokit, org, central);
  if (!old) return;
  await octokit.rest.issues.update({
    owner: org,
    repo: central,
    issue_number: old.number,
    body: RETIRED_DASHBOARD_BODY,
    state: "closed",
    state_reason: "not_planned",
  });
}

/**
 * How the bundle rolls out its standards and what enforce would do: the open pull requests whose check
 * would fail (heads still open, by the summaries), the drift issues it would open, the incidents it
 * would have opened issues for.
 */
async function rolloutOf(
  services: Services,
  org: string,
  bundle: Bundle,
  summaries: Map<string, RepositorySummary>,
): Promise<Rollout> {
  const modes = new Set(bundle.standards.map((s) => modeOf(bundle, s.id, services.config.defaultMode)));
  const mode = modes.size > 1 ? "mixed" : modes.has("enforce") ? "enforce" : "observe";
  const observed = (id: string) => modeOf(bundle, id, services.config.defaultMode) === "observe";
  const checks = (await openObservedChecks(services.store, org, bundle.settings.checkName))
    // A standard enforced since fails the check itself; it is no longer what enforce would add.
    .map((check) => ({ ...check, standards: check.standards.filter(observed) }))
    .filter((check) => check.standards.length > 0);
  const drift = [...summaries]
    .filter(([, summary]) => summary.unreported.length > 0)
    .map(([repository, summary]) => ({ repository, standards: summary.unreported }))
    .sort((a, b) => a.repository.localeCompare(b.repository));
  // An incident is listed while its standard is still observed: once enforced, new ones open issues.
  const incidents = (await observedIncidents(services.store, org)).filter((i) => observed(i.standard));
  return { mode, checks, drift, incidents };
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
