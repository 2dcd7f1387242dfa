/**
 * `rulebook sweep --org ORG`: one complete sweep of an organization, run in this process and then done,
 * for organizations that run Rulebook from a scheduled workflow rather than a server. It is the app's
 * own sweep: the same services, the same runtime on the embedded queue, the same jobs (listing, batches,
 * dashboard) with the same retries, so whatever the app's sweep writes, this writes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Probot } from "probot";
import { connectBacking } from "../app/backing.js";
import { type RulebookConfig, readConfig } from "../app/config.js";
import { sweepJob } from "../app/jobs.js";
import { probotSettings } from "../app/probot-settings.js";
import { startRuntime } from "../app/runtime.js";
import { createServices, type JobApp } from "../app/services.js";
import type { AppIdentity } from "../github/own-issues.js";
import type { JobResult, QueueEvents } from "../queue/queue.js";
import { readSummaries } from "../sweep/memory.js";
import { type CliIO, type Command, EXIT, optionValue, type ParsedArgs, UsageError } from "./command.js";
import { apiFailure, appIdentity, createOctokit, GitHubError, webUrl } from "./github.js";
import { startProgress } from "./progress.js";

export const sweep: Command = {
  name: "sweep",
  summary: "Sweep an organization once, as the app's schedule does, and exit (no server needed)",
  details: [
    "Runs the app's sweep of the organization in this process: each repository is judged against the",
    "organization's bundle, its drift issue is made to match, its open pull requests get a current check,",
    "and the dashboard is rewritten. The bundle decides the mode (observe or enforce) as it does for the app.",
    "",
    "Authentication, the first found: --token TOKEN; the app's key, APP_ID with PRIVATE_KEY (the PEM) or",
    "PRIVATE_KEY_PATH, the installation being the app's on the organization; GITHUB_TOKEN. A token must be",
    "an installation token of the Rulebook app (as actions/create-github-app-token mints), and --app names",
    "the app: the sweep knows its own issues by the app's bot account.",
    "",
    "Environment: GITHUB_API_URL (else the app's GHE_HOST): the REST API's base URL, for GitHub Enterprise",
    "Server; the app's settings (RULEBOOK_BUNDLE_REPO, RULEBOOK_BUNDLE_PATH, RULEBOOK_DEFAULT_MODE,",
    "RULEBOOK_SWEEP_CONCURRENCY, RULEBOOK_JOB_ATTEMPTS, ...). Jobs run in this process whatever REDIS_URL says.",
    "",
    "Progress: repositories swept of all, drawn on a terminal; a line per step otherwise.",
    "",
    "Exit status: 0 when the sweep completed; 2 when it could not (wrong usage, credentials refused, the",
    "app not installed on the organization, no valid bundle, a job that failed after its retries, a",
    "repository GitHub did not fully answer for, the dashboard not written), the reason on stderr.",
  ].join("\n"),
  options: [
    { name: "org", value: "ORG", description: "The organization to sweep (required)" },
    {
      name: "token",
      value: "TOKEN",
      description: "An installation token of the app; default: the app's key, else GITHUB_TOKEN",
    },
    {
      name: "app",
      value: "SLUG",
      description: "The app's slug, required with a token: its bot account writes the sweep's issues",
    },
  ],
  run: runSweep,
};

/** What the sweep runs as: the app (or its stand-in), the installation, and the app's identity if known. */
interface Credentials {
  app: JobApp;
  installation: number;
  identity?: AppIdentity;
}

/** The sweep could not start or complete; the message is the one line the command prints. */
class SweepError extends Error {
  override name = "SweepError";
}

function errorOf(fields: object): string {
  const error = (fields as { err?: unknown }).err;
  return error === undefined ? "" : `: ${apiFailure(error)}`;
}

/** The app's log as lines on stderr: warnings and errors; what went well is told by the progress. */
function cliLog(io: CliIO): JobApp["log"] {
  return {
    info: () => {},
    warn: (fields, message) =>
      io.stderr(
        `rulebook sweep: warning: ${typeof fields === "string" ? fields : `${message}${errorOf(fields)}`}\n`,
      ),
    error: (fields, message) => {
      const { job, retrying } = fields as { job?: string; retrying?: boolean };
      io.stderr(
        `rulebook sweep: ${message}${job ? ` (${job})` : ""}${errorOf(fields)}${retrying ? "; retrying" : ""}\n`,
      );
    },
  };
}

/** The app's key, from PRIVATE_KEY_PATH or PRIVATE_KEY (whose `\n` may be escaped, as Probot allows). */
function privateKey(io: CliIO): string {
  const env = io.env ?? {};
  if (env.PRIVATE_KEY_PATH) {
    try {
      return readFileSync(path.resolve(io.cwd, env.PRIVATE_KEY_PATH), "utf8");
    } catch (error) {
      throw new UsageError(
        `cannot read PRIVATE_KEY_PATH ${env.PRIVATE_KEY_PATH}: ${(error as Error).message}`,
      );
    }
  }
  if (env.PRIVATE_KEY) return env.PRIVATE_KEY.replace(/\\n/g, "\n");
  throw new UsageError("APP_ID is set without the app's key: set PRIVATE_KEY or PRIVATE_KEY_PATH");
}

/** The app, signing with its key, and its installation on `org` (`GET /orgs/{org}/installation`). */
async function withAppKey(
  io: CliIO,
  config: RulebookConfig,
  org: string,
  appId: string,
  log: JobApp["log"],
): Promise<Credentials> {
  const baseUrl = io.env?.GITHUB_API_URL?.replace(/\/+$/, "");
  const probot = new Probot({
    appId,
    privateKey: privateKey(io),
    Octokit: probotSettings(config, io.env ?? {}).Octokit,
    // Failures reach the command through the jobs, which say what they were doing.
    logLevel: "fatal",
    ...(baseUrl ? { baseUrl } : {}),
    ...(io.fetch ? { request: { fetch: io.fetch } } : {}),
  });
  let installation: { id: number; suspended_at?: string | null };
  try {
    installation = (await (await probot.auth()).rest.apps.getOrgInstallation({ org })).data;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404) throw new SweepError(`the app (APP_ID ${appId}) is not installed on ${org}`);
    if (status === 401) {
      throw new SweepError(
        `GitHub refused the app's key (APP_ID ${appId}): ${apiFailure(error)}; are APP_ID and the key the app's?`,
      );
    }
    throw new SweepError(`cannot find the app's installation on ${org}: ${apiFailure(error)}`);
  }
  if (installation.suspended_at) throw new SweepError(`the app's installation on ${org} is suspended`);
  return { app: { auth: (id) => probot.auth(id), log }, installation: installation.id };
}

/** A token that acts as the app's installation; `slug` says which app, so its own issues are known. */
async function withToken(io: CliIO, token: string, slug: string, log: JobApp["log"]): Promise<Credentials> {
  // A client per job, as Probot gives: each job hooks its own.
  const client = () => createOctokit(token, io, "rulebook-sweep");
  let identity: AppIdentity;
  try {
    // Also proves the token: GitHub answers 401 to one it refuses.
    identity = await appIdentity(client(), slug);
  } catch (error) {
    throw error instanceof GitHubError ? new SweepError(error.message) : error;
  }
  // The installation is the token's own: every client is the token's, whatever installation is asked for.
  return { app: { auth: async () => client(), log }, installation: 0, identity };
}

async function credentials(
  args: ParsedArgs,
  io: CliIO,
  config: RulebookConfig,
  org: string,
  log: JobApp["log"],
): Promise<Credentials> {
  const env = io.env ?? {};
  const given = optionValue(args, "token");
  const token = given ?? (env.APP_ID ? undefined : env.GITHUB_TOKEN?.trim() || undefined);
  if (token === undefined && env.APP_ID) return withAppKey(io, config, org, env.APP_ID, log);
  if (token === undefined) {
    throw new UsageError(
      "no credentials: set APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH (the app's key), or pass an installation token with --token or GITHUB_TOKEN",
    );
  }
  const slug = optionValue(args, "app");
  if (!slug) {
    throw new UsageError(
      "--app SLUG is required with a token: the sweep tells its own issues by the app's bot account",
    );
  }
  return withToken(io, token, slug, log);
}

/** The app's settings for one sweep in this process: the embedded queue, no schedule, at least one worker. */
function sweepConfig(io: CliIO): RulebookConfig {
  const env = io.env ?? {};
  let config: RulebookConfig;
  try {
    config = readConfig({ ...env, REDIS_URL: "" });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    ...config,
    sweepIntervalHours: 0,
    // Links in issues go to the server the API belongs to.
    ...(env.GITHUB_API_URL && !env.GHE_HOST ? { webUrl: webUrl(io) } : {}),
  };
}

/** Follows the sweep's jobs: progress on a terminal, a line per step otherwise, and how the sweep ended. */
class SweepWatch {
  readonly #io: CliIO;
  readonly #org: string;
  #progress: ReturnType<typeof startProgress> | undefined;
  #total = 0;
  #swept = 0;
  listing: JobResult | undefined;
  dashboard: JobResult | undefined;

  constructor(io: CliIO, org: string) {
    this.#io = io;
    this.#org = org;
  }

  #line(text: string): void {
    if (!this.#io.stderrIsTerminal) this.#io.stderr(`rulebook sweep: ${text}\n`);
  }

  readonly events: QueueEvents = {
    completed: (job, result) => {
      if (job.name === "sweep") {
        this.listing = result;
        this.#total = typeof result.repositories === "number" ? result.repositories : 0;
        if (result.ignored === undefined) {
          this.#line(`${this.#org}: ${this.#total} repositories to sweep`);
          this.#progress = startProgress(this.#io, this.#total);
        }
      } else if (job.name === "sweep-batch") {
        const swept = typeof result.swept === "number" ? result.swept : 0;
        for (let i = 0; i < swept; i++) this.#progress?.advance(this.#org);
        this.#swept += swept;
        this.#line(`${this.#org}: swept ${this.#swept} of ${this.#total} repositories`);
      } else if (job.name === "dashboard") {
        this.#progress?.finish();
        this.dashboard = result;
      }
    },
  };
}

async function runSweep(args: ParsedArgs, io: CliIO): Promise<number> {
  const org = optionValue(args, "org");
  if (!org) throw new UsageError("--org is required: the organization to sweep");
  const env = io.env ?? {};
  if (!env.GITHUB_API_URL && env.GHE_HOST) {
    // The app's setting for GitHub Enterprise Server, so the server's environment runs the command too.
    const api = `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}/api/v3`;
    return runSweep(args, { ...io, env: { ...env, GITHUB_API_URL: api } });
  }
  const config = sweepConfig(io);
  const log = cliLog(io);
  try {
    return await sweepOrg(io, config, org, await credentials(args, io, config, org, log));
  } catch (error) {
    if (!(error instanceof SweepError)) throw error;
    io.stderr(`rulebook sweep: ${error.message}\n`);
    return EXIT.error;
  }
}

async function sweepOrg(io: CliIO, config: RulebookConfig, org: string, auth: Credentials): Promise<number> {
  const clock = () => Date.parse(io.now());
  const backing = connectBacking(config, clock, auth.app.log);
  const created = createServices(auth.app, config, clock, backing);
  const { identity } = auth;
  const services = identity ? { ...created, identity: async () => identity } : created;
  const watch = new SweepWatch(io, org);
  const runtime = startRuntime(auth.app, services, backing, clock, "all", watch.events);
  // The sweep job is one the run added, not a delivery's own: the runtime logs it as a job.
  const run = `rulebook-sweep-${org}-${io.now()}`;
  const id = `${run}-sweep`;
  try {
    await runtime.enqueue([
      sweepJob(id, { installation: auth.installation, origin: { delivery: run, event: "sweep" } }, org),
    ]);
    await runtime.idle();
    const failed = await runtime.failures(1);
    const first = failed.recent[0];
    if (first) {
      throw new SweepError(
        `the sweep did not complete: ${failed.count} job${failed.count === 1 ? "" : "s"} failed for good, the last ${first.name} after ${first.attempts} attempt${first.attempts === 1 ? "" : "s"}: ${first.error}`,
      );
    }
    if (watch.listing?.ignored !== undefined) {
      throw new SweepError(
        `the sweep did not run: ${org}/${config.bundleRepo}:${config.bundlePath} holds no valid bundle (an issue in ${org}/${config.bundleRepo} lists its errors; rulebook validate checks it)`,
      );
    }
    // A repository GitHub did not fully answer for was not judged, or judged in part: which is no pass.
    const unjudged = [...(await readSummaries(services.store, org))].flatMap(([name, summary]) => {
      const missing = Object.keys(summary.statuses).filter((id) => summary.statuses[id] === "not-evaluated");
      if (summary.error) return [`${name}: ${summary.error}`];
      return missing.length > 0 ? [`${name}: not evaluated: ${missing.join(", ")}`] : [];
    });
    if (unjudged.length > 0) {
      throw new SweepError(
        `the sweep did not complete: ${unjudged.length} of ${watch.dashboard?.swept ?? "the"} repositories were not fully judged (the dashboard says why), such as ${unjudged[0]}`,
      );
    }
    if (watch.dashboard?.dashboard !== true) {
      throw new SweepError(
        `the sweep did not complete: no dashboard was written (is the app installed on ${org}/${config.bundleRepo}, where it keeps it?)`,
      );
    }
    const { swept, failing, healed } = watch.dashboard;
    io.stdout(
      `rulebook sweep: ${org}: swept ${swept} repositories (${failing} failing, ${healed} pull requests judged again); dashboard written\n`,
    );
    return EXIT.ok;
  } finally {
    await runtime.close(0);
  }
}
