/**
 * `rulebook check`: the verdict the `rulebook` check run will give this branch's pull request, computed
 * locally with the same `evaluate` on facts from the checkout. Standards that need GitHub are listed as not
 * evaluated, never as passed.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { readConfig } from "../app/config.js";
import type { Bundle } from "../bundle/types.js";
import { pullRequestByAgent } from "../engine/agents.js";
import { evaluate } from "../engine/evaluate.js";
import { checkOutcome } from "../engine/mode.js";
import { factNeeds, issueReferencesToVerify } from "../engine/needs.js";
import { summarize } from "../engine/summary.js";
import type { Verdict } from "../engine/verdict.js";
import type { CheckRunFact, FactKey, Facts, PullRequestFacts } from "../facts/schema.js";
import type { Octokit, PullRequestPayload, RepositoryPayload } from "../gather/github.js";
import { attempt } from "../gather/github.js";
import { verifyIssueReferences } from "../gather/issue-states.js";
import { describeCheckout, gatherLocal, mergeBase, uncommittedPaths } from "../gather/local.js";
import { gatherPullRequest, listCheckRuns, toCheckRunFacts } from "../gather/pull-request.js";
import { gatherRepository } from "../gather/repository.js";
import { renderJson, renderMarkdown, renderText } from "../publish/render.js";
import { plural } from "../util/plural.js";
import { BUNDLE_OPTION, requireBundle } from "./bundle.js";
import { type CliIO, type Command, EXIT, optionValue, type ParsedArgs, UsageError } from "./command.js";
import {
  appIdentity,
  createOctokit,
  failure,
  GitHubError,
  githubToken,
  orgBundle,
  webUrl,
} from "./github.js";

const FORMATS = ["text", "json", "markdown"] as const;
/** How many uncommitted paths the warning names before it only counts. */
const DIRTY_PATHS_SHOWN = 5;

export const check: Command = {
  name: "check",
  summary: "Judge this branch as the rulebook check run will judge its pull request",
  details: [
    "Judges the commits from the merge base to HEAD, the changed files and the repository's files at HEAD",
    "against the bundle. Uncommitted changes are not judged: the pull request will not contain them.",
    "",
    "With a token (GITHUB_TOKEN, else `gh auth token`) it reads GitHub as the app does: the organization's",
    "bundle (the folder RULEBOOK_BUNDLE_PATH, default standards, of the repository RULEBOOK_BUNDLE_REPO,",
    "default .github, at the commit the app uses), the base of the branch's open pull request (else the",
    "repository's default branch), the repository's visibility, topics, custom properties and rulesets,",
    "and the pull request's title, body, reviews and other check runs. GITHUB_API_URL: the REST API's base",
    "URL, for GitHub Enterprise Server. Without a token, the shipped bundle (or --bundle) is used and the",
    "standards that need GitHub are listed as not evaluated, never as passed. With a token the issues that",
    "skipped tests cite are looked up (exist, open); without one such a skip is listed as not verified.",
    "",
    "Exit status: 0 when no error finding stands, 1 when one does, 2 when the check could not run",
    "(wrong usage, an invalid bundle, or a directory that is not a git checkout). The status does not depend",
    "on the rollout mode: where the bundle only observes a standard (settings.mode, a standard's mode, else",
    "RULEBOOK_DEFAULT_MODE, default observe), the output says the check run would report it as neutral.",
  ].join("\n"),
  options: [
    { name: "dir", value: "PATH", description: "The git checkout to judge; default: the current directory" },
    BUNDLE_OPTION,
    {
      name: "app",
      value: "SLUG",
      description:
        "The Rulebook app's slug, for standards that pin a check to it; default: the app of the branch's rulebook check run",
    },
    {
      name: "base",
      value: "REF",
      description: "The branch the pull request targets; default: origin's default branch (its merge base)",
    },
    {
      name: "format",
      value: "FORMAT",
      description: "Output: text, json or markdown; default: text",
      choices: FORMATS,
    },
    {
      name: "title",
      value: "T",
      description: "The pull request's title, so its title and body are judged too",
    },
    {
      name: "body-file",
      value: "F",
      description: "A file holding the pull request's body (- for stdin); needs --title",
    },
  ],
  run: runCheck,
};

async function runCheck(args: ParsedArgs, io: CliIO): Promise<number> {
  const title = optionValue(args, "title");
  const bodyFile = optionValue(args, "body-file");
  if (bodyFile !== undefined && title === undefined) {
    throw new UsageError(
      "--body-file needs --title: a pull request's body is judged together with its title",
    );
  }
  const dir = path.resolve(io.cwd, optionValue(args, "dir") ?? ".");
  if (!(await isDirectory(dir))) throw new UsageError(`--dir ${dir} is not a directory`);
  const body = bodyFile === undefined ? undefined : await readBody(bodyFile, io);

  const token = await githubToken(io);
  let remote: RemoteContext | undefined;
  if (token) {
    try {
      remote = await readRemote(args, io, createOctokit(token, io, "rulebook-check"), dir);
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      io.stderr(`rulebook check: ${error.message}\n`);
      return EXIT.error;
    }
    if (!remote) return EXIT.error;
  }
  const bundle = remote?.bundle ?? (await requireBundle(args, io));
  if (!bundle) return EXIT.error;

  const base = optionValue(args, "base");
  const baseBranch = remote?.pullRequest?.base.ref ?? remote?.repository.default_branch;
  const needs = factNeeds(bundle, ["pr", "repo"]);
  const [local, dirty] = await Promise.all([
    gatherLocal({
      dir,
      paths: needs.paths,
      contents: needs.contents,
      now: io.now(),
      ...(base === undefined ? {} : { base }),
      ...(baseBranch === undefined ? {} : { baseBranch }),
      ...(title === undefined ? {} : { title }),
      ...(body === undefined ? {} : { body }),
    }),
    // When the directory is no checkout, gatherLocal's error is the one to report.
    uncommittedPaths(dir).catch(() => []),
  ]);
  if (dirty.length > 0) io.stderr(dirtyWarning(dirty));
  const facts = remote
    ? await withGitHubFacts(remote, local, needs.facts, { now: io.now(), titleGiven: title !== undefined })
    : local;
  // The issues skipped tests cite: looked up with a token, else "not verified" (neither pass nor fail).
  if (remote) await verifyIssueReferences(remote.octokit, bundle, facts);
  else if (issueReferencesToVerify(bundle, facts).length > 0) {
    facts.unavailable.issues =
      "no GitHub token (GITHUB_TOKEN or `gh auth token`), so the cited issues could not be looked up";
  }

  const verdict = await evaluate(bundle, facts);
  const range = await judgedRange(dir, facts, remote);
  // The failing standards the check run would only report (observe mode). The exit status ignores the mode,
  // so a CI step or an agent that runs this learns of every error finding either way; standards a checkout
  // cannot judge are listed as not evaluated, not as observed.
  const observed = checkOutcome(verdict, bundle, readCliConfig(io).defaultMode).observed.filter((id) =>
    verdict.findings.some((f) => f.standard === id),
  );
  const format = optionValue(args, "format") ?? "text";
  if (format === "json") io.stdout(withRange(renderJson(verdict), range));
  else if (format === "markdown")
    io.stdout(
      `${renderMarkdown(verdict, { agentAuthor: pullRequestByAgent(bundle.settings.agents, facts), bundle, observed })}\n${describeRange(verdict, range, "- ")}`,
    );
  else io.stdout(`${describeRange(verdict, range, "")}\n${renderText(verdict, observed)}`);
  return summarize(verdict).conclusion === "failure" ? EXIT.findings : EXIT.ok;
}

/** What GitHub says about the checkout's repository and branch, read with the token. */
interface RemoteContext {
  octokit: Octokit;
  repository: RepositoryPayload;
  /** The open pull request whose head is this branch; absent when there is none. */
  pullRequest?: PullRequestPayload;
  bundle: Bundle;
  app?: { id: number; slug: string };
}

/** Reads the repository, the branch's open pull request, the bundle the app would use and the app's identity. */
async function readRemote(
  args: ParsedArgs,
  io: CliIO,
  octokit: Octokit,
  dir: string,
): Promise<RemoteContext | undefined> {
  const checkout = await describeCheckout(dir);
  const { owner, name: repo } = checkout;
  let repository: RepositoryPayload;
  try {
    ({ data: repository } = await octokit.rest.repos.get({ owner, repo }));
  } catch (error) {
    const hint =
      (error as { status?: number }).status === 404
        ? "; is origin a GitHub repository the token can read? Without a token, unset GITHUB_TOKEN"
        : "";
    throw failure(`cannot read ${owner}/${repo}${hint}`, error);
  }
  let pullRequest: PullRequestPayload | undefined;
  if (checkout.branch) {
    try {
      const { data } = await octokit.rest.pulls.list({
        owner,
        repo,
        state: "open",
        head: `${owner}:${checkout.branch}`,
        per_page: 1,
      });
      pullRequest = data[0];
    } catch (error) {
      throw failure(`cannot list the open pull requests of ${owner}/${repo}`, error);
    }
  }
  let bundle: Bundle | undefined;
  if (optionValue(args, "bundle") !== undefined) bundle = await requireBundle(args, io);
  else {
    const config = readCliConfig(io);
    bundle = (
      await orgBundle(
        io,
        octokit,
        owner,
        { repo: config.bundleRepo, path: config.bundlePath, webUrl: webUrl(io) },
        "check",
      )
    )?.bundle;
  }
  if (!bundle) return undefined;
  const slug = optionValue(args, "app");
  const app = slug === undefined ? undefined : await appIdentity(octokit, slug);
  return { octokit, repository, bundle, ...(pullRequest ? { pullRequest } : {}), ...(app ? { app } : {}) };
}

function readCliConfig(io: CliIO) {
  try {
    return readConfig(io.env ?? {});
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Facts GitHub holds only, read with the app's gatherers: everything a local checkout cannot know. */
const GITHUB_ONLY = [
  "repo.metadata",
  "repo.rulesets",
  "pr.reviews",
  "pr.checkRuns",
  "pr.baseCheckRuns",
  "app",
] as const;

/**
 * The local facts (commits, changes and files as they are at HEAD) completed with what GitHub holds: the
 * repository's metadata and rulesets, and the pull request's number, author, reviews and other check runs.
 */
async function withGitHubFacts(
  remote: RemoteContext,
  local: Facts,
  needs: ReadonlySet<FactKey>,
  options: { now: string; titleGiven: boolean },
): Promise<Facts> {
  const { octokit, repository, pullRequest: pr } = remote;
  const localPr = local.pullRequest as PullRequestFacts;
  const only = (...keys: FactKey[]) => new Set(keys.filter((key) => needs.has(key)));
  const repoSide = await gatherRepository(octokit, {
    repository,
    needs: only("repo.metadata", "repo.rulesets"),
    paths: [],
    now: options.now,
  });
  const unavailable: Facts["unavailable"] = { ...repoSide.unavailable };
  let prSide: Partial<PullRequestFacts>;
  if (pr) {
    const gathered = await gatherPullRequest(octokit, {
      repository,
      pullRequest: pr,
      checkRunsSha: localPr.head.sha,
      needs: only("pr.reviews", "pr.baseCheckRuns"),
      now: options.now,
    });
    Object.assign(unavailable, gathered.facts.unavailable);
    const { number, author, draft, labels, reviews, checkRuns, baseCheckRuns } = gathered.facts
      .pullRequest as PullRequestFacts;
    prSide = {
      number,
      author,
      draft,
      labels,
      ...(reviews ? { reviews } : {}),
      ...(checkRuns ? { checkRuns } : {}),
      ...(baseCheckRuns ? { baseCheckRuns } : {}),
      ...(options.titleGiven ? {} : { title: pr.title, body: pr.body ?? "" }),
    };
  } else {
    // No pull request yet: nobody has reviewed it, and the check runs are those of HEAD if it is pushed.
    const runs = await attempt(unavailable, "pr.checkRuns", `the check runs of ${localPr.head.sha}`, () =>
      listCheckRuns(octokit, repository.owner.login, repository.name, localPr.head.sha),
    );
    // The checks that usually run are those on the base commit this branch is judged against.
    const baseSha = localPr.base.sha;
    const baseRuns = needs.has("pr.baseCheckRuns")
      ? await attempt(unavailable, "pr.baseCheckRuns", `the check runs of ${baseSha}`, () =>
          listCheckRuns(octokit, repository.owner.login, repository.name, baseSha),
        )
      : undefined;
    prSide = {
      reviews: [],
      ...(runs ? { checkRuns: toCheckRunFacts(runs) } : {}),
      ...(baseRuns ? { baseCheckRuns: { sha: baseSha, runs: toCheckRunFacts(baseRuns) } } : {}),
    };
  }
  if (unavailable["pr.checkRuns"] && !pr) {
    unavailable["pr.checkRuns"] =
      `HEAD ${localPr.head.sha.slice(0, 12)} is not on GitHub yet (${unavailable["pr.checkRuns"]}); push it, then check again to judge the other check runs`;
  }
  const app = remote.app ?? ownApp(prSide.checkRuns ?? [], remote.bundle.settings.checkName);
  if (!app) {
    unavailable.app =
      "which app is Rulebook is known once its check has run on this branch's pull request; pass its slug with `rulebook check --app SLUG`";
  }
  const kept = Object.fromEntries(
    Object.entries(local.unavailable).filter(
      ([key]) =>
        !(GITHUB_ONLY as readonly string[]).includes(key) &&
        !(key === "pr.description" && pr && !options.titleGiven),
    ),
  );
  return {
    ...local,
    repo: { ...repoSide.repo, files: local.repo.files },
    pullRequest: { ...localPr, ...prSide },
    ...(app ? { app } : {}),
    unavailable: { ...kept, ...unavailable },
  };
}

/** The app behind the check run named like Rulebook's, which is how the facts name this app. */
function ownApp(runs: readonly CheckRunFact[], checkName: string) {
  return runs.find((run) => run.name === checkName && run.app)?.app;
}

interface JudgedRange {
  repository: string;
  pullRequest: number | null;
  base: { ref: string; sha: string };
  mergeBase: string | null;
  head: { ref: string; sha: string };
  commits: { range: string; count: number };
  github: boolean;
}

async function judgedRange(
  dir: string,
  facts: Facts,
  remote: RemoteContext | undefined,
): Promise<JudgedRange> {
  const pr = facts.pullRequest as PullRequestFacts;
  const found = await mergeBase(dir, pr.base.sha, pr.head.sha);
  return {
    repository: `${facts.repo.owner}/${facts.repo.name}`,
    pullRequest: remote?.pullRequest?.number ?? null,
    base: pr.base,
    mergeBase: found ?? null,
    head: pr.head,
    commits: { range: `${found ?? ""}..${pr.head.sha}`.replace(/^\.\./, ""), count: pr.commits?.length ?? 0 },
    github: remote !== undefined,
  };
}

/** The verdict's JSON with `range` after `bundle`, as the published schema orders it. */
function withRange(json: string, range: JudgedRange): string {
  const { schema, bundle, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return `${JSON.stringify({ schema, bundle, range, ...rest }, null, 2)}\n`;
}

/** Lines that say what was judged against what: bundle, base, merge base and commits. */
function describeRange(verdict: Verdict, range: JudgedRange, bullet: string): string {
  const short = (sha: string) => sha.slice(0, 12);
  const target =
    range.pullRequest !== null
      ? `the base of pull request #${range.pullRequest}`
      : range.github
        ? "no open pull request for this branch: the repository's default branch"
        : "without a token: the default branch as this checkout knows it, or --base";
  const lines = [
    `bundle:     ${verdict.bundle.source} ${verdict.bundle.version}`,
    `base:       ${range.base.ref} ${short(range.base.sha)} (${target})`,
    `merge base: ${range.mergeBase ? short(range.mergeBase) : "none (HEAD shares no history with the base)"}`,
    `commits:    ${plural(range.commits.count, "commit")}, ${range.mergeBase ? `${short(range.mergeBase)}..` : ""}${short(range.head.sha)} (${range.head.ref})`,
  ];
  if (!range.github) {
    lines.push(
      "github:     not read (no GITHUB_TOKEN and no `gh auth token`): the shipped or --bundle bundle, and standards that need GitHub are not evaluated",
    );
  }
  return `${lines.map((line) => `${bullet}${line}`).join("\n")}\n`;
}

function dirtyWarning(paths: string[]): string {
  const shown = paths.slice(0, DIRTY_PATHS_SHOWN).join(", ");
  const more = paths.length > DIRTY_PATHS_SHOWN ? ` and ${paths.length - DIRTY_PATHS_SHOWN} more` : "";
  return (
    `rulebook: warning: ${plural(paths.length, "uncommitted change")} (${shown}${more}) ` +
    "not judged; the pull request will contain only commits, so commit them and check again\n"
  );
}

async function readBody(file: string, io: CliIO): Promise<string> {
  if (file === "-") return io.readStdin();
  try {
    return await readFile(path.resolve(io.cwd, file), "utf8");
  } catch (error) {
    throw new UsageError(`--body-file ${file} cannot be read: ${(error as Error).message}`);
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
