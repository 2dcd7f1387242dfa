/**
 * Sweeps: re-derive the desired state instead of trusting webhooks, which GitHub never redelivers.
 * For each repository: judge it against the bundle and make its drift issues match the findings; give
 * every open pull request a `rulebook` check on its head SHA (a lost webhook is healed). Then rewrite the
 * org's dashboard in place. Concurrency is bounded; Probot's throttling keeps within the rate limits.
 */
import { createHash } from "node:crypto";
import { brokenBundleIncident, incidentFor } from "../app/incidents.js";
import { judgePullRequest } from "../app/judge-pull-request.js";
import type { Services } from "../app/services.js";
import type { Bundle } from "../bundle/types.js";
import { evaluate } from "../engine/evaluate.js";
import { factNeeds } from "../engine/needs.js";
import type { Octokit, RepositoryPayload } from "../gather/github.js";
import { listCheckRuns } from "../gather/pull-request.js";
import { gatherRepository } from "../gather/repository.js";
import type { BundleProblem } from "../github/bundle-source.js";
import { findOwnRun } from "../github/check-run.js";
import { type IssueRecord, listLabelledIssues, recordIncident, resolveIncident } from "../github/issues.js";
import {
  DASHBOARD_TITLE,
  type RepositoryResult,
  readDashboardState,
  renderDashboard,
} from "../publish/dashboard.js";
import { hasMarker } from "../publish/markers.js";
import { RTFM_LABEL, rtfmState } from "../publish/rtfm.js";
import { rules } from "../rules/registry.js";
import { mapLimit } from "../util/concurrency.js";

export const DASHBOARD_LABEL = "rulebook-dashboard";

export interface RepositorySweep extends RepositoryResult {
  /** Open RTFM issues of the repository after the sweep. */
  openIssues: Array<{ standard: string; number: number; url: string }>;
  /** Pull requests that had no check on their head SHA and were judged now. */
  healed: number[];
}

function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 12);
}

/** Judges one repository and makes its drift issues match: open or update for failures, close when fixed. */
export async function sweepRepository(
  octokit: Octokit,
  services: Services,
  bundle: Bundle,
  repository: RepositoryPayload,
): Promise<RepositorySweep> {
  const owner = repository.owner.login;
  const name = `${owner}/${repository.name}`;
  const needs = factNeeds(bundle, ["repo"]);
  const app = await services.identity();
  const facts = await gatherRepository(octokit, {
    repository,
    needs: needs.facts,
    paths: needs.paths,
    now: services.now(),
    ...(app ? { app } : {}),
  });
  const verdict = await evaluate(bundle, facts);
  const issues = await listLabelledIssues(octokit, owner, repository.name, RTFM_LABEL);
  for (const result of verdict.standards) {
    const standard = bundle.standards.find((s) => s.id === result.standard);
    if (!standard) continue;
    if (result.status === "fail") {
      const findings = verdict.findings.filter((f) => f.standard === standard.id);
      await services.locks.run(`issue:${name}:${standard.id}`, () =>
        recordIncident(
          octokit,
          incidentFor(bundle, standard, findings, {
            repository: name,
            kind: "drift",
            // The same drift seen by the next sweep is not a new occurrence.
            key: `drift:${digest(findings.map((f) => [f.message, f.path, f.line]))}`,
            event: "sweep",
            time: facts.now,
          }),
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
          note: `Resolved: \`${standard.id}\` is ${result.status === "pass" ? "met" : result.status} as of the sweep at ${facts.now} (bundle ${bundle.version}). Closing.`,
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
        note: `Resolved: \`${state.standard}\` is no longer a standard of the bundle (${bundle.version}), as of the sweep at ${facts.now}. Closing.`,
      },
      issues,
    );
  }
  const healed = await reconcilePullRequests(octokit, services, repository, bundle);
  return {
    repository: name,
    verdict,
    healed,
    openIssues: issues
      .filter((i) => i.state === "open")
      .flatMap((i) => {
        const state = rtfmState(i.body);
        return state ? [{ standard: state.standard, number: i.number, url: i.html_url ?? "" }] : [];
      }),
  };
}

/** Every open pull request gets a current `rulebook` check on its head SHA; returns those that lacked one. */
export async function reconcilePullRequests(
  octokit: Octokit,
  services: Services,
  repository: RepositoryPayload,
  bundle: Bundle,
): Promise<number[]> {
  const owner = repository.owner.login;
  const repo = repository.name;
  const pulls = await octokit.paginate(octokit.rest.pulls.list, {
    owner,
    repo,
    state: "open",
    per_page: 100,
  });
  const app = await services.identity();
  const healed: number[] = [];
  for (const pull of pulls) {
    const runs = await listCheckRuns(octokit, owner, repo, pull.head.sha);
    if (findOwnRun(runs, bundle.settings.checkName, app?.id)) continue;
    await judgePullRequest(octokit, services, { repository, pullRequest: pull });
    healed.push(pull.number);
  }
  return healed;
}

/** The org's open dashboard issue in the central repository, found by its marker. */
async function findDashboard(octokit: Octokit, org: string, repo: string): Promise<IssueRecord | undefined> {
  return (await listLabelledIssues(octokit, org, repo, DASHBOARD_LABEL)).find(
    (issue) => issue.state === "open" && hasMarker(issue.body, "dashboard"),
  );
}

export interface InstallationSweep {
  repositories: RepositorySweep[];
  bundleOrigin: "org" | "default";
  dashboard: boolean;
}

/** Sweeps every repository an installation can see, then rewrites the org's dashboard. */
export async function sweepInstallation(
  octokit: Octokit,
  services: Services,
  org: string,
  only?: readonly string[],
): Promise<InstallationSweep> {
  const state = await services.bundles.get(octokit, org);
  const accessible = (await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
    per_page: 100,
  })) as unknown as RepositoryPayload[];
  const repositories = accessible.filter((r) => !only || only.includes(r.name));
  const bundle = state.bundle;
  if (!bundle) {
    await reportBrokenBundle(octokit, services, org, state.problem);
    return { repositories: [], bundleOrigin: state.origin, dashboard: false };
  }
  const results = await mapLimit(repositories, services.config.sweepConcurrency, async (repository) => {
    try {
      return await sweepRepository(octokit, services, bundle, repository);
    } catch (error) {
      const status = (error as { status?: number }).status;
      return {
        repository: `${repository.owner.login}/${repository.name}`,
        error: `${status ? `HTTP ${status}: ` : ""}${(error as Error).message}`,
        openIssues: [],
        healed: [],
      } satisfies RepositorySweep;
    }
  });
  if (state.problem) await reportBrokenBundle(octokit, services, org, state.problem);
  const central = services.config.bundleRepo;
  const dashboard =
    accessible.some((r) => r.name === central) &&
    (await services.locks.run(`dashboard:${org}`, async () => {
      const existing = await findDashboard(octokit, org, central);
      // A sweep of a few repositories keeps the other rows as the dashboard remembers them; without
      // a dashboard to remember from, it leaves the whole picture to the next full sweep.
      const remembered = only ? readDashboardState(existing?.body) : undefined;
      if (only && !remembered) return false;
      const names = new Set(accessible.map((r) => `${r.owner.login}/${r.name}`));
      const body = renderDashboard({
        ...dashboardBundle(bundle),
        ...(state.problem
          ? {
              bundleProblem: `The newest bundle (${state.problem.sha.slice(0, 12)}) is invalid; verdicts use ${bundle.version}.\n${state.problem.errors.join("\n")}`,
            }
          : {}),
        results,
        openIssues: results.flatMap((r) => r.openIssues.map((i) => ({ ...i, repository: r.repository }))),
        // Repositories the installation no longer reaches drop out.
        ...(remembered
          ? {
              remembered: {
                ...remembered,
                repositories: Object.fromEntries(
                  Object.entries(remembered.repositories).filter(([name]) => names.has(name)),
                ),
              },
            }
          : {}),
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
    }));
  return { repositories: results, bundleOrigin: state.origin, dashboard };
}

/** The standards a sweep judges (repository scope), and those judged on pull requests and pushes instead. */
export function dashboardBundle(bundle: Bundle) {
  const swept = bundle.standards.filter((s) => rules.get(s.rule)?.scope === "repo");
  return {
    bundle: { ...bundle, standards: swept },
    judgedElsewhere: bundle.standards.filter((s) => !swept.includes(s)).map((s) => s.id),
  };
}

/** An invalid bundle is an incident in the central repository: loud, with every error, never silent. */
async function reportBrokenBundle(
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
