/**
 * The jobs deliveries and schedules become, and the pipeline each runs. A job carries a small typed copy
 * of what its delivery said (`payloads.ts`); what may have moved since is read again when it runs, so a
 * job that waited, or took in newer deliveries of its pull request, judges the pull request as it is now.
 *
 * Everything a job writes to one repository happens under that repository's lock, so two replicas never
 * race to open the same issue. A sweep fans out: one job lists the repositories, one job per page sweeps
 * them, and a dashboard job runs once all pages are swept, whichever replicas swept them.
 */
import type { Octokit, RepositoryPayload } from "../gather/github.js";
import type { PushPayload } from "../gather/history.js";
import { RERUN_ACTION } from "../github/check-run.js";
import type { ContentBudget } from "../github/content-budget.js";
import { writesAs } from "../github/own-issues.js";
import { hookRequests } from "../github/request-hooks.js";
import { recordSweep } from "../metrics/metrics.js";
import type { JobQueue, JobResult, JobSpec, RunningJob } from "../queue/queue.js";
import {
  listSweepRepositories,
  type RepositorySweep,
  reportBrokenBundle,
  repositoryLock,
  sweepRepositories,
  writeDashboard,
} from "../sweep/sweep.js";
import { checkRunCanChangeVerdict } from "./check-run-relevance.js";
import {
  type Judgement,
  judgePullRequest,
  type PullRequestTarget,
  rejudgeCheckRuns,
} from "./judge-pull-request.js";
import { onPush } from "./on-push.js";
import { onRulesetChange, type RulesetPayload } from "./on-ruleset.js";
import { previewBundle } from "./preview-bundle.js";
import type { JobApp, Services } from "./services.js";

/** Where a job came from, for its log line: the delivery (or the schedule's run) and its event. */
export interface Origin {
  delivery: string;
  event: string;
}

interface OfInstallation {
  installation: number;
  origin: Origin;
}

/** Judge a pull request's head (read again when the job runs). */
interface JudgeJob extends OfInstallation {
  kind: "judge";
  repository: RepositoryPayload;
  number: number;
  /** The head before a `synchronize`, whose check run carries the failing streaks. */
  previousSha?: string;
  /**
   * The head another app's check run completed on: the pull request is judged again from the facts kept
   * for that head when there are some (only the check runs are read again).
   */
  completedOn?: string;
}

/** Judge a queued pull request on the merge queue's commit. */
interface MergeQueueJob extends OfInstallation {
  kind: "merge-queue";
  repository: RepositoryPayload;
  number: number;
  sha: string;
}

/** A check run or suite event: decides whether it concerns us, then adds judge jobs. */
interface CheckEventJob extends OfInstallation {
  kind: "check-event";
  repository: RepositoryPayload;
  event: "check_run" | "check_suite";
  action: string;
  /** The app the run or suite belongs to. */
  appId?: number;
  /** A check run's name, its app's slug, its head, and its suite's branch (a merge queue's names its pull request). */
  run?: { name: string; appSlug?: string; headSha: string; headBranch?: string };
  pullRequests: number[];
  requestedAction?: string;
}

interface PushJob extends OfInstallation {
  kind: "push";
  repository: RepositoryPayload;
  push: PushPayload;
}

interface RulesetJob extends OfInstallation {
  kind: "ruleset";
  payload: RulesetPayload;
}

/** Sweep an organization (or only the repositories named): lists them and fans out. */
interface SweepJob extends OfInstallation {
  kind: "sweep";
  org: string;
  only?: string[];
}

interface SweepBatchJob extends OfInstallation {
  kind: "sweep-batch";
  org: string;
  repositories: RepositoryPayload[];
}

/** Runs once a sweep's batches are done: rewrites the dashboard from what they stored. */
interface DashboardJob extends OfInstallation {
  kind: "dashboard";
  org: string;
  partial: boolean;
  /** When the sweep started listing (ms since the epoch, by the system clock), for its metrics. */
  startedAt?: number;
}

/** The schedule's job: one sweep job per installation. */
interface SweepAllJob {
  kind: "sweep-all";
  origin: Origin;
}

export type JobData =
  | JudgeJob
  | MergeQueueJob
  | CheckEventJob
  | PushJob
  | RulesetJob
  | SweepJob
  | SweepBatchJob
  | DashboardJob
  | SweepAllJob;

export type Job = JobSpec<JobData>;

/** What a job runs with. */
export interface JobEnv {
  app: JobApp;
  services: Services;
  queue: JobQueue<JobData>;
  budget: ContentBudget;
}

function fullName(repository: RepositoryPayload): string {
  return `${repository.owner.login}/${repository.name}`;
}

/** A job's spec: its name is its kind. */
export function jobOf(data: JobData, id: string, coalesce?: string): Job {
  return { name: data.kind, data, id, ...(coalesce !== undefined ? { coalesce } : {}) };
}

/** The id of a job another job adds: deterministic, so a job run again adds nothing twice. */
function derivedId(parent: string, suffix: string): string {
  return `${parent}-${suffix}`;
}

/**
 * A judge job; judge jobs of one pull request coalesce. Those after a completed check run coalesce per
 * head instead: one of them judges only that head, so it must never take in a job for a newer one.
 */
export function judgeJob(
  id: string,
  base: OfInstallation,
  repository: RepositoryPayload,
  number: number,
  options: { previousSha?: string; completedOn?: string } = {},
): Job {
  const { previousSha, completedOn } = options;
  const key = `judge:${fullName(repository).toLowerCase()}#${number}`;
  return jobOf(
    {
      kind: "judge",
      ...base,
      repository,
      number,
      ...(previousSha ? { previousSha } : {}),
      ...(completedOn ? { completedOn } : {}),
    },
    id,
    completedOn ? `${key}@${completedOn}` : key,
  );
}

export function sweepJob(id: string, base: OfInstallation, org: string, only?: string[]): Job {
  return jobOf({ kind: "sweep", ...base, org, ...(only ? { only } : {}) }, id);
}

/** The pull request a merge queue branch (`gh-readonly-queue/<base>/pr-<number>-<sha>`) holds, if any. */
export function queuedPullRequest(ref: string | null | undefined): number | undefined {
  const number = Number(/(?:^|\/)gh-readonly-queue\/.+\/pr-(\d+)-[0-9a-f]+$/.exec(ref ?? "")?.[1]);
  return Number.isInteger(number) ? number : undefined;
}

/** The organization a job works for, whose dashboard counts it when it fails. */
export function orgOf(data: JobData): string | undefined {
  switch (data.kind) {
    case "sweep-all":
      return undefined;
    case "ruleset":
      return data.payload.repository?.owner.login ?? data.payload.organization?.login;
    case "sweep":
    case "sweep-batch":
    case "dashboard":
      return data.org;
    default:
      return data.repository.owner.login;
  }
}

/** The repository a job is about (`owner/name`), if it is about one. */
export function repositoryOf(data: JobData): string | undefined {
  if ("repository" in data) return fullName(data.repository);
  if (data.kind === "ruleset" && data.payload.repository) return fullName(data.payload.repository);
  return undefined;
}

/** What a job works on, in a few words. */
export function subjectOf(data: JobData): string {
  switch (data.kind) {
    case "judge":
      return `${fullName(data.repository)}#${data.number}`;
    case "merge-queue":
      return `${fullName(data.repository)}#${data.number} (merge queue ${data.sha.slice(0, 12)})`;
    case "check-event":
    case "push":
      return fullName(data.repository);
    case "ruleset":
      return data.payload.repository ? fullName(data.payload.repository) : (orgOf(data) ?? "");
    case "sweep":
      return data.only ? data.only.map((name) => `${data.org}/${name}`).join(", ") : data.org;
    case "sweep-batch":
      return `${data.repositories.length} repositories of ${data.org}`;
    case "dashboard":
      return `the dashboard of ${data.org}`;
    case "sweep-all":
      return "every installation";
  }
}

/** The repository whose lock a job holds while it runs: the one it writes to. */
function lockedRepository(data: JobData, services: Services): string | undefined {
  switch (data.kind) {
    case "judge":
    case "merge-queue":
    case "push":
      return fullName(data.repository);
    case "ruleset": {
      const { repository } = data.payload;
      const org = orgOf(data);
      if (repository) return fullName(repository);
      // An organization ruleset's incident goes to the central repository.
      return org ? `${org}/${services.config.bundleRepo}` : undefined;
    }
    default:
      return undefined;
  }
}

/** A check that failed closed because GitHub did not answer: the job fails, so it is run again. */
class UnjudgedError extends Error {
  override readonly name = "UnjudgedError";
}

/** Runs one job: its client (counting requests, spending the content budget), its lock, its pipeline. */
export async function runJob(env: JobEnv, job: RunningJob<JobData>): Promise<JobResult> {
  // The app's own client too: identity and installation listing go through it.
  const appClient = await env.app.auth();
  hookRequests(appClient);
  const data = job.data;
  if (data.kind === "sweep-all") return sweepAll(env, appClient, job.id);
  const octokit = await env.app.auth(data.installation);
  hookRequests(octokit, { budget: env.budget, installation: data.installation });
  // Asked only when issues are read: the app's own are told from forged ones by their author.
  writesAs(octokit, env.services.identity, (message) => env.app.log.warn(message));
  const repository = lockedRepository(data, env.services);
  const run = () => runInstallationJob(env, octokit, job, data);
  return repository ? env.services.locks.run(repositoryLock(repository), run) : run();
}

async function runInstallationJob(
  env: JobEnv,
  octokit: Octokit,
  job: RunningJob<JobData>,
  data: Exclude<JobData, SweepAllJob>,
): Promise<JobResult> {
  switch (data.kind) {
    case "judge":
      return judge(env, octokit, data);
    case "merge-queue":
      return judgeQueued(env, octokit, data);
    case "check-event":
      return checkEvent(env, octokit, job.id, data);
    case "push":
      return push(env, octokit, job.id, data);
    case "ruleset":
      return ruleset(env, octokit, job.id, data);
    case "sweep":
      return sweep(env, octokit, job.id, data);
    case "sweep-batch":
      return sweepOutcome(await sweepRepositories(octokit, env.services, data.org, data.repositories));
    case "dashboard":
      return dashboard(env, octokit, job, data);
  }
}

/** Judges a target and says what came of it; a check that could not read GitHub fails the job. */
async function judged(octokit: Octokit, services: Services, target: PullRequestTarget): Promise<JobResult> {
  return outcomeOf(target.pullRequest.number, await judgePullRequest(octokit, services, target));
}

/** What came of a judgement, for the log line; a check that could not read GitHub fails the job. */
function outcomeOf(number: number, judgement: Judgement): JobResult {
  if (judgement.unjudged?.retry) {
    throw new UnjudgedError(`the check failed closed: ${judgement.unjudged.reason}`);
  }
  return {
    pullRequest: number,
    verdict: judgement.conclusion,
    findings: judgement.verdict?.findings.length ?? 0,
    ...(judgement.escalated.length ? { escalated: judgement.escalated } : {}),
  };
}

async function judge(env: JobEnv, octokit: Octokit, data: JudgeJob): Promise<JobResult> {
  const { repository, number } = data;
  if (data.completedOn) {
    const target = { repository, number, headSha: data.completedOn };
    const rejudged = await rejudgeCheckRuns(octokit, env.services, target);
    if (rejudged) return outcomeOf(number, rejudged);
  }
  const { data: pullRequest } = await octokit.rest.pulls.get({
    owner: repository.owner.login,
    repo: repository.name,
    pull_number: number,
  });
  if (pullRequest.state !== "open") return { pullRequest: number, ignored: "the pull request is closed" };
  // A proposed bundle is previewed first: a failure to judge the pull request must not hide its preview.
  const preview = await previewBundle(octokit, env.services, { repository, pullRequest });
  const outcome = await judged(octokit, env.services, {
    repository,
    pullRequest,
    ...(data.previousSha ? { previousSha: data.previousSha } : {}),
  });
  return { ...outcome, ...(preview ? { bundlePreview: preview } : {}) };
}

async function judgeQueued(env: JobEnv, octokit: Octokit, data: MergeQueueJob): Promise<JobResult> {
  const { repository, number, sha } = data;
  const { data: pullRequest } = await octokit.rest.pulls.get({
    owner: repository.owner.login,
    repo: repository.name,
    pull_number: number,
  });
  return judged(octokit, env.services, { repository, pullRequest, reportSha: sha });
}

async function checkEvent(
  env: JobEnv,
  octokit: Octokit,
  id: string,
  data: CheckEventJob,
): Promise<JobResult> {
  const { services } = env;
  const identity = await services.identity();
  const ours = identity !== undefined && data.appId === identity.id;
  // Our own completions would loop; other apps' re-runs and buttons are theirs to handle.
  if (data.action === "completed" ? ours : !ours) return { ignored: "not ours to act on" };
  if (data.action === "requested_action" && data.requestedAction !== RERUN_ACTION) {
    return { ignored: "unknown action" };
  }
  const { repository, run } = data;
  if (data.event === "check_run" && data.action === "completed" && run) {
    const { bundle } = await services.bundles.get(octokit, repository.owner.login);
    const completed = {
      name: run.name,
      ...(run.appSlug !== undefined ? { app: { slug: run.appSlug } } : {}),
    };
    if (bundle && !checkRunCanChangeVerdict(bundle, completed)) {
      return { ignored: "no standard judges this check" };
    }
  }
  const base = { installation: data.installation, origin: data.origin };
  // GitHub lists no pull request on a merge queue commit's runs; its suite names the queue branch.
  const queued = run && data.pullRequests.length === 0 ? queuedPullRequest(run.headBranch) : undefined;
  if (run && queued !== undefined) {
    await env.queue.add([
      jobOf(
        { kind: "merge-queue", ...base, repository, number: queued, sha: run.headSha },
        derivedId(id, "queue"),
      ),
    ]);
    return { queued };
  }
  // After another app's run completed, each is judged from the facts kept for that head, when kept.
  const completedOn = data.event === "check_run" && data.action === "completed" ? run?.headSha : undefined;
  await env.queue.add(
    data.pullRequests.map((n) =>
      judgeJob(derivedId(id, `pr${n}`), base, repository, n, completedOn ? { completedOn } : {}),
    ),
  );
  return { judging: data.pullRequests };
}

async function push(env: JobEnv, octokit: Octokit, id: string, data: PushJob): Promise<JobResult> {
  const { repository } = data;
  const outcome = await onPush(octokit, env.services, { repository, push: data.push });
  if (outcome.sweep !== "none") {
    const only = outcome.sweep === "repository" ? [repository.name] : undefined;
    const base = { installation: data.installation, origin: data.origin };
    await env.queue.add([sweepJob(derivedId(id, "sweep"), base, repository.owner.login, only)]);
  }
  return { incidents: outcome.incidents, ...(outcome.sweep !== "none" ? { sweep: outcome.sweep } : {}) };
}

async function ruleset(env: JobEnv, octokit: Octokit, id: string, data: RulesetJob): Promise<JobResult> {
  const incidents = await onRulesetChange(octokit, env.services, data.payload);
  const org = orgOf(data);
  if (!org) return { incidents };
  // An organization ruleset governs every repository, so all of them are swept.
  const only = data.payload.repository ? [data.payload.repository.name] : undefined;
  const base = { installation: data.installation, origin: data.origin };
  await env.queue.add([sweepJob(derivedId(id, "sweep"), base, org, only)]);
  return { incidents, sweep: only ? "repository" : "org" };
}

/** Lists the repositories to sweep, a page per batch job, under a dashboard job that runs after them. */
async function sweep(env: JobEnv, octokit: Octokit, id: string, data: SweepJob): Promise<JobResult> {
  const { services } = env;
  const { org, only } = data;
  // Wall time for the sweep's duration metric, whatever clock the app judges by.
  const startedAt = Date.now();
  const state = await services.bundles.get(octokit, org);
  if (!state.bundle) {
    await reportBrokenBundle(octokit, services, org, state.problem);
    return { org, ignored: "the organization has no valid bundle" };
  }
  const batches: RepositoryPayload[][] = [];
  for await (const page of listSweepRepositories(octokit, services.store, org)) {
    const repositories = only ? page.filter((r) => only.includes(r.name)) : page;
    if (repositories.length > 0) batches.push(repositories);
  }
  const base = { installation: data.installation, origin: data.origin };
  await env.queue.addFlow({
    parent: jobOf(
      { kind: "dashboard", ...base, org, partial: only !== undefined, startedAt },
      derivedId(id, "dashboard"),
    ),
    children: batches.map((repositories, i) =>
      jobOf({ kind: "sweep-batch", ...base, org, repositories }, derivedId(id, `batch${i + 1}`)),
    ),
  });
  return { org, batches: batches.length, repositories: batches.reduce((n, b) => n + b.length, 0) };
}

/** What a batch swept, for its log line and the sweep's totals. */
function sweepOutcome(results: RepositorySweep[]): JobResult {
  return {
    swept: results.length,
    failing: results.filter((r) => r.error || r.verdict?.standards.some((s) => s.status === "fail")).length,
    healed: results.reduce((n, r) => n + r.healed.length, 0),
  };
}

async function dashboard(
  env: JobEnv,
  octokit: Octokit,
  job: RunningJob<JobData>,
  data: DashboardJob,
): Promise<JobResult> {
  const { services } = env;
  const totals = { swept: 0, failing: 0, healed: 0 };
  for (const result of await job.childResults()) {
    for (const key of ["swept", "failing", "healed"] as const) {
      const value = result[key];
      if (typeof value === "number") totals[key] += value;
    }
  }
  const state = await services.bundles.get(octokit, data.org);
  // A newer bundle that is invalid, while an older one judged: said in the central repository too.
  if (state.bundle && state.problem) await reportBrokenBundle(octokit, services, data.org, state.problem);
  const dashboard = await writeDashboard(octokit, services, data.org, { partial: data.partial });
  // Said loudly: the bundle asks for a dashboard where the app cannot write, and it writes none there.
  if (dashboard.unreachable)
    env.app.log.error(
      { org: data.org, dashboardRepository: dashboard.unreachable },
      "the bundle's settings.dashboardRepository names a repository this app cannot write to; no dashboard was written there",
    );
  // Only a sweep of every repository is complete: one of a few repositories says nothing of the others.
  if (!data.partial && data.startedAt !== undefined) {
    recordSweep(data.installation, data.startedAt, totals.swept);
  }
  return { org: data.org, ...totals, dashboard: dashboard.written };
}

/** One sweep job per installation the app has (suspended ones cannot be read, so they are left out). */
async function sweepAll(env: JobEnv, octokit: Octokit, id: string): Promise<JobResult> {
  const installations = await octokit.paginate(octokit.rest.apps.listInstallations, { per_page: 100 });
  const jobs = installations.flatMap((installation) => {
    const account = installation.account;
    const org = account && "login" in account ? account.login : undefined;
    if (!org || installation.suspended_at) return [];
    const origin = { delivery: id, event: "schedule" };
    return [sweepJob(derivedId(id, `i${installation.id}`), { installation: installation.id, origin }, org)];
  });
  await env.queue.add(jobs);
  return { installations: jobs.length };
}
