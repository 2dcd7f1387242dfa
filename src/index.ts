/**
 * Probot wiring: which events start which pipeline. Each delivery logs one structured line (delivery id,
 * repository, event, verdict, requests made); handlers are awaited, so a failure reaches GitHub as a failed
 * delivery and the next sweep heals it.
 */
import type { ApplicationFunction, Context, Probot } from "probot";
import { checkRunCanChangeVerdict } from "./app/check-run-relevance.js";
import { type RulebookConfig, readConfig } from "./app/config.js";
import { judgePullRequest, type PullRequestTarget, rejudgeCheckRuns } from "./app/judge-pull-request.js";
import { onPush } from "./app/on-push.js";
import { onRulesetChange, type RulesetPayload } from "./app/on-ruleset.js";
import { previewBundle } from "./app/preview-bundle.js";
import { createServices, type Services } from "./app/services.js";
import type { PullRequestPayload, RepositoryPayload } from "./gather/github.js";
import type { PushPayload } from "./gather/history.js";
import { RERUN_ACTION } from "./github/check-run.js";
import { hookRequests, type RequestTally, tallyRequests } from "./github/request-hooks.js";
import { type InstallationSweep, sweepInstallation } from "./sweep/sweep.js";

type Outcome = Record<string, unknown>;

/** Runs a pipeline for one delivery and logs one line about it, whatever happens. */
function delivery<C extends Context>(app: Probot, run: (context: C) => Promise<Outcome>) {
  return async (context: C) => {
    // Both clients: the app's own (its identity, fetched once) and the installation's.
    hookRequests(await app.auth());
    hookRequests(context.octokit);
    const tally: RequestTally = { requests: 0 };
    const payload = context.payload as { action?: string; repository?: { full_name?: string } };
    const line = {
      delivery: context.id,
      event: payload.action ? `${context.name}.${payload.action}` : context.name,
      repository: payload.repository?.full_name,
    };
    try {
      const outcome = await tallyRequests(tally, () => run(context));
      app.log.info({ ...line, ...outcome, requests: tally.requests }, "delivery handled");
    } catch (error) {
      app.log.error({ ...line, err: error, requests: tally.requests }, "delivery failed");
      throw error;
    }
  };
}

async function judge(context: Context, services: Services, target: PullRequestTarget): Promise<Outcome> {
  const judgement = await judgePullRequest(context.octokit, services, target);
  return {
    pullRequest: target.pullRequest.number,
    verdict: judgement.conclusion,
    findings: judgement.verdict?.findings.length ?? 0,
    ...(judgement.escalated.length ? { escalated: judgement.escalated } : {}),
  };
}

/**
 * Pull requests named by a check run or suite event, fetched whole (the event carries only numbers).
 * After another app's run completed on `completedOn`, each is judged from the facts kept for that head
 * when there are some (only the check runs are read again).
 */
async function judgeListed(
  context: Context,
  services: Services,
  repository: RepositoryPayload,
  listed: Array<{ number: number }>,
  completedOn?: string,
): Promise<Outcome> {
  const verdicts: Record<number, string> = {};
  for (const { number } of listed) {
    const rejudged = completedOn
      ? await rejudgeCheckRuns(context.octokit, services, { repository, number, headSha: completedOn })
      : undefined;
    if (rejudged) {
      verdicts[number] = rejudged.conclusion;
      continue;
    }
    const { data } = await context.octokit.rest.pulls.get({
      owner: repository.owner.login,
      repo: repository.name,
      pull_number: number,
    });
    if (data.state !== "open") continue;
    verdicts[number] = (
      await judgePullRequest(context.octokit, services, { repository, pullRequest: data })
    ).conclusion;
  }
  return { verdicts };
}

/** The pull request a merge queue branch (`gh-readonly-queue/<base>/pr-<number>-<sha>`) holds, if any. */
function queuedPullRequest(ref: string | null | undefined): number | undefined {
  const number = Number(/(?:^|\/)gh-readonly-queue\/.+\/pr-(\d+)-[0-9a-f]+$/.exec(ref ?? "")?.[1]);
  return Number.isInteger(number) ? number : undefined;
}

/** A queued pull request, judged on the merge queue's commit: that commit is what lands. */
async function judgeQueued(
  context: Context,
  services: Services,
  repository: RepositoryPayload,
  number: number,
  sha: string,
): Promise<Outcome> {
  const { data } = await context.octokit.rest.pulls.get({
    owner: repository.owner.login,
    repo: repository.name,
    pull_number: number,
  });
  return judge(context, services, { repository, pullRequest: data, reportSha: sha });
}

/** What a sweep did, for a log line. */
function sweepOutcome({ swept, failing, healed }: InstallationSweep): Outcome {
  return { swept, failing, healed };
}

async function sweep(context: Context, services: Services, org: string, only?: string[]): Promise<Outcome> {
  return sweepOutcome(await sweepInstallation(context.octokit, services, org, only));
}

/**
 * Sweeps every installation of the app, one after another (each sweep bounds its own concurrency). It
 * never rejects: a schedule has nobody to throw to, so failures are logged and the next run tries again.
 */
export async function sweepAllInstallations(app: Probot, services: Services): Promise<void> {
  const installations = await app
    .auth()
    .then((octokit) => octokit.paginate(octokit.rest.apps.listInstallations, { per_page: 100 }))
    .catch((error: unknown) => {
      app.log.error({ err: error }, "scheduled sweep failed: could not list the app's installations");
      return undefined;
    });
  if (!installations) return;
  for (const installation of installations) {
    const org =
      installation.account && "login" in installation.account ? installation.account.login : undefined;
    if (!org) continue;
    try {
      const octokit = await app.auth(installation.id);
      // Deliveries hook their clients; a scheduled sweep must wait out secondary rate limits too.
      hookRequests(octokit);
      const outcome = sweepOutcome(await sweepInstallation(octokit, services, org));
      app.log.info({ installation: installation.id, org, ...outcome }, "scheduled sweep done");
    } catch (error) {
      app.log.error({ err: error, installation: installation.id, org }, "scheduled sweep failed");
    }
  }
}

/**
 * Sweeps every installation every `hours`; a run still going when the next is due is not doubled.
 * Returns the timer and one run, as each tick makes it.
 */
export function scheduleSweeps(
  app: Probot,
  services: Services,
  hours: number,
): { timer: NodeJS.Timeout; run: () => Promise<void> } {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await sweepAllInstallations(app, services);
    } finally {
      running = false;
    }
  };
  // unref: a pending sweep never keeps the process alive on its own.
  const timer = setInterval(() => void run(), hours * 3_600_000).unref();
  return { timer, run };
}

export interface AppOptions {
  /** What the pipelines share; built from `config` and `clock` when absent. */
  services?: Services;
  /** The app's settings; read from the environment when absent. */
  config?: RulebookConfig;
  /** Milliseconds since the epoch; the system clock when absent. */
  clock?: () => number;
}

export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app) => {
    const services = options.services ?? createServices(app, options.config ?? readConfig(), options.clock);

    app.on(
      [
        "pull_request.opened",
        "pull_request.synchronize",
        "pull_request.reopened",
        "pull_request.edited",
        "pull_request.ready_for_review",
      ],
      delivery(app, async (context) => {
        const payload = context.payload as {
          pull_request: PullRequestPayload;
          repository: RepositoryPayload;
          before?: string;
        };
        const outcome = await judge(context, services, {
          repository: payload.repository,
          pullRequest: payload.pull_request,
          ...(payload.before ? { previousSha: payload.before } : {}),
        });
        const preview = await previewBundle(context.octokit, services, {
          repository: payload.repository,
          pullRequest: payload.pull_request,
        });
        return { ...outcome, ...(preview ? { bundlePreview: preview } : {}) };
      }),
    );

    app.on(
      ["pull_request_review.submitted", "pull_request_review.dismissed"],
      delivery(app, (context) =>
        judge(context, services, {
          repository: context.payload.repository as RepositoryPayload,
          pullRequest: context.payload.pull_request as PullRequestPayload,
        }),
      ),
    );

    app.on(
      ["check_run.completed", "check_run.rerequested", "check_run.requested_action"],
      delivery(app, async (context) => {
        const { check_run: run, action } = context.payload;
        const identity = await services.identity();
        const ours = identity !== undefined && run.app?.id === identity.id;
        // Our own completions would loop; other apps' re-runs and buttons are theirs to handle.
        if (action === "completed" ? ours : !ours) return { ignored: "not ours to act on" };
        if (action === "requested_action" && context.payload.requested_action?.identifier !== RERUN_ACTION) {
          return { ignored: "unknown action" };
        }
        const repository = context.payload.repository as RepositoryPayload;
        if (action === "completed") {
          const { bundle } = await services.bundles.get(context.octokit, repository.owner.login);
          if (bundle && !checkRunCanChangeVerdict(bundle, run))
            return { ignored: "no standard judges this check" };
        }
        // GitHub lists no pull request on a merge queue commit's runs; its suite names the queue branch.
        const queued = run.pull_requests.length ? undefined : queuedPullRequest(run.check_suite?.head_branch);
        if (queued !== undefined) return judgeQueued(context, services, repository, queued, run.head_sha);
        return judgeListed(
          context,
          services,
          repository,
          run.pull_requests,
          action === "completed" ? run.head_sha : undefined,
        );
      }),
    );

    app.on(
      ["check_suite.completed", "check_suite.rerequested"],
      delivery(app, async (context) => {
        const suite = context.payload.check_suite;
        const identity = await services.identity();
        const ours = identity !== undefined && suite.app?.id === identity.id;
        if (context.payload.action === "completed" ? ours : !ours) return { ignored: "not ours to act on" };
        return judgeListed(
          context,
          services,
          context.payload.repository as RepositoryPayload,
          suite.pull_requests,
        );
      }),
    );

    app.on(
      "merge_group.checks_requested",
      delivery(app, async (context) => {
        const group = context.payload.merge_group;
        const number = queuedPullRequest(group.head_ref);
        if (number === undefined) return { ignored: `no pull request in ${group.head_ref}` };
        return judgeQueued(
          context,
          services,
          context.payload.repository as RepositoryPayload,
          number,
          group.head_sha,
        );
      }),
    );

    app.on(
      "push",
      delivery(app, async (context) => {
        const payload = context.payload as unknown as PushPayload & { repository: RepositoryPayload };
        const outcome = await onPush(context.octokit, services, {
          repository: payload.repository,
          push: payload,
        });
        const org = payload.repository.owner.login;
        const swept =
          outcome.sweep === "org"
            ? await sweep(context, services, org)
            : outcome.sweep === "repository"
              ? await sweep(context, services, org, [payload.repository.name])
              : {};
        return { incidents: outcome.incidents, ...swept };
      }),
    );

    app.on(
      ["repository_ruleset.created", "repository_ruleset.edited", "repository_ruleset.deleted"],
      delivery(app, async (context) => {
        const payload = context.payload as unknown as RulesetPayload;
        const incidents = await onRulesetChange(context.octokit, services, payload);
        const org = payload.repository?.owner.login ?? payload.organization?.login;
        if (!org) return { incidents };
        // An organization ruleset governs every repository, so all of them are swept.
        const only = payload.repository ? [payload.repository.name] : undefined;
        return { incidents, ...(await sweep(context, services, org, only)) };
      }),
    );

    app.on(
      [
        "repository.created",
        "repository.edited",
        "repository.renamed",
        "repository.archived",
        "repository.unarchived",
        "repository.publicized",
        "repository.privatized",
        "repository.transferred",
      ],
      delivery(app, (context) => {
        const repository = context.payload.repository;
        return sweep(context, services, repository.owner.login, [repository.name]);
      }),
    );

    app.on(
      ["installation.created", "installation_repositories.added"],
      delivery(app, (context) => {
        const account = context.payload.installation.account;
        const org = account && "login" in account ? account.login : undefined;
        return org ? sweep(context, services, org) : Promise.resolve({ ignored: "no account" });
      }),
    );

    const hours = services.config.sweepIntervalHours;
    if (hours > 0) scheduleSweeps(app, services, hours);
  };
}

export default createApp();
