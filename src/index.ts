/**
 * Probot wiring: which event becomes which job (the pipelines are in `app/jobs.ts`). The webhook path only
 * checks the signature (Probot), reads the payload (`app/payloads.ts`), turns it into jobs and adds them to
 * the queue: no request to GitHub, one round trip to Redis at most, so GitHub gets its answer at once and
 * a replica works the jobs. A payload that does not match is refused with one log line.
 */
import type { ApplicationFunction, Context, Probot } from "probot";
import { type Connected, connectBacking } from "./app/backing.js";
import { type RulebookConfig, readConfig } from "./app/config.js";
import { type Job, jobOf, judgeJob, type Origin, queuedPullRequest, sweepJob } from "./app/jobs.js";
import { type EventName, type Payload, readPayload } from "./app/payloads.js";
import { type Runtime, type RuntimeRole, startRuntime } from "./app/runtime.js";
import { createServices, type Services } from "./app/services.js";
import { webhooksRefused } from "./metrics/metrics.js";

type EventNames = Parameters<Probot["on"]>[0];

/**
 * A delivery whose jobs could not be queued (Redis full or gone, say). It names the delivery, the event
 * and the class of the cause, and carries nothing else: the cause itself may hold the jobs (an ioredis
 * error keeps the command's arguments), and @octokit/webhooks sets the whole delivery, payload included,
 * on a handler's error as `event`, which this one ignores, so a logger prints no part of a payload.
 */
export class DeliveryNotQueued extends Error {
  readonly delivery: string;
  readonly causeClass: string;

  constructor(origin: Origin, cause: unknown) {
    const causeClass = cause instanceof Error ? cause.name : typeof cause;
    super(`${origin.event} delivery ${origin.delivery} was not queued: ${causeClass}`);
    this.name = "DeliveryNotQueued";
    this.delivery = origin.delivery;
    this.causeClass = causeClass;
    Object.defineProperty(this, "event", { get: () => origin.event, set: () => {}, enumerable: true });
  }
}

/** A delivery's jobs, or why it needs none. */
type Work = Job[] | { ignored: string };

interface Route {
  names: string[];
  handle(app: Probot, runtime: Runtime, context: Context): Promise<void>;
}

/** A row of the table: an event, the actions handled, and the jobs a delivery of it becomes. */
function route<E extends EventName>(
  event: E,
  actions: readonly string[],
  work: (payload: Payload<E>, base: { installation: number; origin: Origin }, id: string) => Work,
): Route {
  return {
    names: actions.length ? actions.map((action) => `${event}.${action}`) : [event],
    async handle(app, runtime, context) {
      const action = "action" in context.payload ? context.payload.action : undefined;
      const origin = { delivery: context.id, event: action ? `${event}.${action}` : event };
      const reading = readPayload(event, context.payload);
      if (!reading.ok) {
        webhooksRefused.inc({ reason: "bad_payload" });
        app.log.warn(
          { ...origin, field: reading.field, problem: reading.problem },
          "webhook payload refused",
        );
        return;
      }
      const jobs = work(reading.payload, { installation: reading.installation, origin }, context.id);
      if ("ignored" in jobs) {
        app.log.info({ ...origin, ignored: jobs.ignored }, "delivery handled");
        return;
      }
      try {
        await runtime.enqueue(jobs);
      } catch (error) {
        throw new DeliveryNotQueued(origin, error);
      }
    },
  };
}

const PULL_REQUEST_ACTIONS = ["opened", "synchronize", "reopened", "edited", "ready_for_review"];
const REPOSITORY_ACTIONS = [
  "created",
  "edited",
  "renamed",
  "archived",
  "unarchived",
  "publicized",
  "privatized",
  "transferred",
];

/** The organization an installation event is about; an installation on a user account has none we judge. */
function installationSweep(
  payload: Payload<"installation">,
  base: { installation: number; origin: Origin },
  id: string,
): Work {
  const org = payload.installation.account?.login;
  return org ? [sweepJob(id, base, org)] : { ignored: "no account" };
}

export const ROUTES: Route[] = [
  route("pull_request", PULL_REQUEST_ACTIONS, (p, base, id) => [
    judgeJob(id, base, p.repository, p.pull_request.number, p.before ? { previousSha: p.before } : {}),
  ]),
  route("pull_request_review", ["submitted", "dismissed"], (p, base, id) => [
    judgeJob(id, base, p.repository, p.pull_request.number),
  ]),
  route("check_run", ["completed", "rerequested", "requested_action"], (p, base, id) => {
    const run = p.check_run;
    return [
      jobOf(
        {
          kind: "check-event",
          ...base,
          repository: p.repository,
          event: "check_run",
          action: p.action,
          ...(run.app ? { appId: run.app.id } : {}),
          run: {
            name: run.name,
            headSha: run.head_sha,
            ...(run.app?.slug ? { appSlug: run.app.slug } : {}),
            ...(run.check_suite?.head_branch ? { headBranch: run.check_suite.head_branch } : {}),
          },
          pullRequests: run.pull_requests.map((pr) => pr.number),
          ...(p.requested_action ? { requestedAction: p.requested_action.identifier } : {}),
        },
        id,
      ),
    ];
  }),
  route("check_suite", ["completed", "rerequested"], (p, base, id) => [
    jobOf(
      {
        kind: "check-event",
        ...base,
        repository: p.repository,
        event: "check_suite",
        action: p.action,
        ...(p.check_suite.app ? { appId: p.check_suite.app.id } : {}),
        pullRequests: p.check_suite.pull_requests.map((pr) => pr.number),
      },
      id,
    ),
  ]),
  route("merge_group", ["checks_requested"], (p, base, id) => {
    const group = p.merge_group;
    const number = queuedPullRequest(group.head_ref);
    if (number === undefined) return { ignored: `no pull request in ${group.head_ref}` };
    return [
      jobOf({ kind: "merge-queue", ...base, repository: p.repository, number, sha: group.head_sha }, id),
    ];
  }),
  route("push", [], (p, base, id) => {
    const { installation: _installation, repository, ...push } = p;
    return [jobOf({ kind: "push", ...base, repository, push }, id)];
  }),
  route("repository_ruleset", ["created", "edited", "deleted"], (p, base, id) => [
    jobOf({ kind: "ruleset", ...base, payload: p }, id),
  ]),
  route("repository", REPOSITORY_ACTIONS, (p, base, id) => [
    sweepJob(id, base, p.repository.owner.login, [p.repository.name]),
  ]),
  route("installation", ["created"], installationSweep),
  route("installation_repositories", ["added"], installationSweep),
];

const runtimes = new WeakMap<Probot, Runtime>();

/** The runtime the app started on a Probot instance: tests and scripts wait on it (`idle()`). */
export function runtimeOf(app: Probot): Runtime | undefined {
  return runtimes.get(app);
}

export interface AppOptions {
  /** What the pipelines share; built from `config` and `clock` when absent. */
  services?: Services;
  /** The app's settings; read from the environment when absent. */
  config?: RulebookConfig;
  /** Milliseconds since the epoch; the system clock when absent. */
  clock?: () => number;
  /** Told of the runtime once it runs, so the process can stop it (`main.ts`). */
  onStart?: (runtime: Runtime) => void;
  /** What this runtime does (`app/runtime.ts`); a `worker` takes no webhooks. Everything when absent. */
  role?: RuntimeRole;
}

export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app) => {
    const clock = options.clock ?? Date.now;
    const config = options.services?.config ?? options.config ?? readConfig();
    const backing: Connected = options.services
      ? { locks: options.services.locks, store: options.services.store, close: async () => {} }
      : connectBacking(config, clock, app.log);
    const services = options.services ?? createServices(app, config, clock, backing);
    const role = options.role ?? "all";
    const runtime = startRuntime(app, services, backing, clock, role);
    runtimes.set(app, runtime);
    options.onStart?.(runtime);
    if (role === "worker") return;
    for (const { names, handle } of ROUTES) {
      app.on(names as EventNames, (context) => handle(app, runtime, context));
    }
  };
}

export default createApp();
