/**
 * The pull request pipeline: read the bundle, gather the facts its standards need, evaluate, and write the
 * `rulebook` check run on the head SHA (or a merge queue's commit): one per SHA, updated in place, unless
 * the annotations it holds no longer hold, when a new run supersedes it. Fails closed: an invalid bundle,
 * a fact GitHub would not give, or an error standard that could not be judged never yields success.
 */
import { createHash } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { z } from "zod";
import type { Bundle, Mode } from "../bundle/types.js";
import { pullRequestByAgent } from "../engine/agents.js";
import { evaluate } from "../engine/evaluate.js";
import { type CheckConclusion, checkOutcome, modeOf } from "../engine/mode.js";
import { factNeeds } from "../engine/needs.js";
import { blockingNotEvaluated } from "../engine/summary.js";
import type { Verdict } from "../engine/verdict.js";
import { type Facts, FactsSchema } from "../facts/schema.js";
import type { Octokit, PullRequestPayload, RepositoryPayload } from "../gather/github.js";
import { verifyIssueReferences } from "../gather/issue-states.js";
import {
  type CheckRunRecord,
  gatherPullRequest,
  listCheckRuns,
  toCheckRunFacts,
} from "../gather/pull-request.js";
import { findOwnRun, publishCheckRun } from "../github/check-run.js";
import { nextStreaks, readCheckState, standardsToEscalate, writeCheckState } from "../publish/check-state.js";
import { code, inline } from "../publish/markdown.js";
import { CHECK_RUN_TEXT_LIMIT, renderMarkdown, renderTitle, toAnnotations } from "../publish/render.js";
import { parseStoredJson } from "../state/store.js";
import { countAgentFailures, mergeCounts } from "./agent-streaks.js";
import { bundleReadsCheckRuns } from "./check-run-relevance.js";
import { escalate } from "./escalate.js";
import { rememberObservedCheck } from "./observed.js";
import type { Services } from "./services.js";

export interface PullRequestTarget {
  repository: RepositoryPayload;
  pullRequest: PullRequestPayload;
  /** The head SHA before this push (`synchronize`), whose check run carries the failing streaks. */
  previousSha?: string;
  /**
   * The commit to report on when it is not the pull request's head: a merge queue's group commit. Its
   * check runs are the ones judged; reviews stay tied to the pull request's head.
   */
  reportSha?: string;
}

/** The commit the `rulebook` run of a target is written on. */
function reportShaOf(target: PullRequestTarget): string {
  return target.reportSha ?? target.pullRequest.head.sha;
}

export interface Judgement {
  conclusion: CheckConclusion;
  verdict?: Verdict;
  escalated: string[];
  /**
   * Why the check failed closed when it did so because something could not be read rather than because
   * of a finding; `retry` when reading again may succeed (GitHub did not answer), so the job is retried.
   */
  unjudged?: { reason: string; retry: boolean };
}

/** How the gatherers explain a fact GitHub failed to give: asking again may succeed. */
const NOT_ANSWERED = "GitHub did not answer";

/** The digest of a facts snapshot, printed with the verdict so it can be replayed. */
export function factsDigest(facts: Facts): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(facts)).digest("hex").slice(0, 16)}`;
}

/**
 * What a judgement gathered for a head SHA, kept so that another app's completed check run re-reads only
 * the check runs: the facts (issue states verified), the pull request as the event gave it, and the
 * bundle version whose needs they were gathered for. Compressed: a pull request's patches are large.
 */
const GatheredSchema = z.object({
  bundle: z.string(),
  pullRequest: z.object({
    number: z.number(),
    title: z.string(),
    body: z.string().nullable().optional(),
    user: z.object({ login: z.string(), type: z.string().optional() }).nullable(),
    draft: z.boolean().optional(),
    commits: z.number().optional(),
    changed_files: z.number().optional(),
    labels: z.array(z.object({ name: z.string().optional() })).optional(),
    base: z.object({ ref: z.string(), sha: z.string() }),
    head: z.object({ ref: z.string(), sha: z.string() }),
  }),
  facts: FactsSchema,
});
/** Long enough for a pull request's CI to finish; a miss costs one full judgement. */
const GATHERED_TTL_SECONDS = 12 * 3600;

function gatheredKey(repository: RepositoryPayload, number: number, sha: string): string {
  return `pr-facts:${repository.owner.login.toLowerCase()}/${repository.name.toLowerCase()}#${number}@${sha}`;
}

async function readGathered(services: Services, key: string) {
  const packed = await services.store.get(key);
  if (packed === undefined) return undefined;
  try {
    return parseStoredJson(GatheredSchema, inflateRawSync(Buffer.from(packed, "base64")).toString("utf8"));
  } catch {
    return undefined;
  }
}

function annotationsDigest(annotations: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(annotations)).digest("hex").slice(0, 12);
}

function outputDigest(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 12);
}

/**
 * GitHub appends the annotations of an update and cannot remove any, so a run holding annotations that
 * are no longer true is superseded by a new run of the same name (GitHub shows and requires the latest)
 * instead of being updated in place.
 */
function hasAnnotations(run: CheckRunRecord): boolean {
  return (run.output?.annotations_count ?? 0) > 0;
}

/**
 * A check run for when there is nothing to judge with: the bundle is invalid or could not be read. It never
 * passes; with no valid bundle to say otherwise, the app's default mode decides whether it fails or, while
 * the organization only observes, reports neutral.
 */
async function publishCannotJudge(
  octokit: Octokit,
  target: PullRequestTarget,
  existing: CheckRunRecord | undefined,
  name: string,
  why: string,
  details: string[],
  mode: Mode,
): Promise<Judgement> {
  const conclusion = mode === "observe" ? "neutral" : "failure";
  const { repository } = target;
  await publishCheckRun(
    octokit,
    {
      owner: repository.owner.login,
      repo: repository.name,
      ...(existing && !hasAnnotations(existing) ? { existing } : {}),
    },
    {
      name,
      headSha: reportShaOf(target),
      conclusion,
      title: `Rulebook could not judge this commit: ${why}`,
      summary: [
        `## Rulebook could not judge this commit`,
        "",
        `${why}. A check that cannot judge never passes${conclusion === "neutral" ? " (the organization only observes, so it reports neutral and blocks nothing)" : ""}. Nothing in this pull request needs to change for this; the organization's maintainers must fix the cause.`,
        "",
        ...details.map((d) => `- ${inline(d)}`),
      ]
        .join("\n")
        .slice(0, CHECK_RUN_TEXT_LIMIT),
      annotations: [],
      externalId: writeCheckState({ ...readCheckState(existing?.external_id), unjudged: true }),
    },
  );
  return { conclusion, escalated: [], unjudged: { reason: why, retry: false } };
}

export async function judgePullRequest(
  octokit: Octokit,
  services: Services,
  target: PullRequestTarget,
): Promise<Judgement> {
  const { repository, pullRequest } = target;
  const owner = repository.owner.login;
  const repo = repository.name;
  const sha = reportShaOf(target);
  const key = `${owner}/${repo}@${sha}`;
  return services.locks.run(key, async () => {
    const state = await services.bundles.get(octokit, owner);
    const bundle = state.bundle;
    const checkName = bundle?.settings.checkName ?? "rulebook";
    const app = await services.identity();
    if (!bundle) {
      const runs = await listCheckRuns(octokit, owner, repo, sha);
      return publishCannotJudge(
        octokit,
        target,
        findOwnRun(runs, checkName, app?.id),
        checkName,
        "the organization's bundle is invalid and no earlier version is valid",
        state.problem?.errors ?? [],
        services.config.defaultMode,
      );
    }
    const needs = factNeeds(bundle, ["pr"]);
    const gathered = await gatherPullRequest(octokit, {
      repository,
      pullRequest,
      checkRunsSha: sha,
      needs: needs.facts,
      contents: needs.contents,
      now: services.now(),
      ...(app ? { app } : {}),
      store: services.store,
    });
    await verifyIssueReferences(octokit, bundle, gathered.facts);
    await keepGathered(services, target, bundle, gathered.facts);
    const verdict = await evaluate(bundle, gathered.facts);
    const existing = findOwnRun(gathered.checkRuns, checkName, app?.id);
    return publishVerdict(octokit, services, target, {
      bundle,
      verdict,
      facts: gathered.facts,
      existing,
      state,
    });
  });
}

/**
 * Keeps what was gathered for the head SHA when a completed check run could change the verdict, unless
 * a fact is missing (the next judgement gathers it again) or the commit is a merge queue's.
 */
async function keepGathered(services: Services, target: PullRequestTarget, bundle: Bundle, facts: Facts) {
  const gaps = Object.keys(facts.unavailable).filter((key) => key !== "pr.checkRuns");
  if (target.reportSha || gaps.length > 0 || !bundleReadsCheckRuns(bundle)) return;
  const pullRequest = GatheredSchema.shape.pullRequest.safeParse(target.pullRequest);
  if (!pullRequest.success) return;
  const value = JSON.stringify({ bundle: bundle.version, pullRequest: pullRequest.data, facts });
  await services.store.set(
    gatheredKey(target.repository, target.pullRequest.number, target.pullRequest.head.sha),
    deflateRawSync(value).toString("base64"),
    GATHERED_TTL_SECONDS,
  );
}

/**
 * Judges a pull request again after another app's check run completed on its head: from the facts kept
 * for that head, re-reading only the check runs (one request), and writing the `rulebook` run only if
 * what it says changed (one request). Undefined when nothing was kept: the caller judges in full.
 */
export async function rejudgeCheckRuns(
  octokit: Octokit,
  services: Services,
  target: { repository: RepositoryPayload; number: number; headSha: string },
): Promise<Judgement | undefined> {
  const { repository, headSha } = target;
  const owner = repository.owner.login;
  const repo = repository.name;
  return services.locks.run(`${owner}/${repo}@${headSha}`, async () => {
    const state = await services.bundles.get(octokit, owner);
    const bundle = state.bundle;
    const kept = await readGathered(services, gatheredKey(repository, target.number, headSha));
    if (!bundle || kept?.bundle !== bundle.version) return undefined;
    const runs = await listCheckRuns(octokit, owner, repo, headSha);
    const app = await services.identity();
    const existing = findOwnRun(runs, bundle.settings.checkName, app?.id);
    if (!existing || !kept.facts.pullRequest) return undefined;
    const facts: Facts = {
      ...kept.facts,
      now: services.now(),
      pullRequest: { ...kept.facts.pullRequest, checkRuns: toCheckRunFacts(runs) },
      unavailable: Object.fromEntries(
        Object.entries(kept.facts.unavailable).filter(([key]) => key !== "pr.checkRuns"),
      ),
    };
    const verdict = await evaluate(bundle, facts);
    return publishVerdict(
      octokit,
      services,
      { repository, pullRequest: kept.pullRequest },
      { bundle, verdict, facts, existing, state, onlyIfChanged: true },
    );
  });
}

async function previousState(octokit: Octokit, target: PullRequestTarget, checkName: string, appId?: number) {
  if (!target.previousSha) return { streaks: {} };
  const runs = await listCheckRuns(
    octokit,
    target.repository.owner.login,
    target.repository.name,
    target.previousSha,
  );
  return readCheckState(findOwnRun(runs, checkName, appId)?.external_id);
}

async function publishVerdict(
  octokit: Octokit,
  services: Services,
  target: PullRequestTarget,
  input: {
    bundle: Bundle;
    verdict: Verdict;
    facts: Facts;
    existing: CheckRunRecord | undefined;
    state: Awaited<ReturnType<Services["bundles"]["get"]>>;
    /** Leave the run as it is when what it would say is what it says (its facts digest aside). */
    onlyIfChanged?: boolean;
  },
): Promise<Judgement> {
  const { bundle, verdict, facts, existing } = input;
  const { repository, pullRequest } = target;
  const outcome = checkOutcome(verdict, bundle, services.config.defaultMode);
  const conclusion = outcome.conclusion;
  const enforced = (id: string) => modeOf(bundle, id, services.config.defaultMode) === "enforce";
  // Standards that could not be judged fail the check closed, in their own mode.
  const blocking = blockingNotEvaluated(verdict, bundle).filter((b) => enforced(b.standard));
  const unread = blocking.find((b) => b.reason.startsWith(NOT_ANSWERED));

  const failing = [
    ...new Set(verdict.findings.filter((f) => f.severity === "error" && !f.pending).map((f) => f.standard)),
  ];
  const app = facts.app;
  const previous = existing
    ? readCheckState(existing.external_id)
    : await previousState(octokit, target, bundle.settings.checkName, app?.id);
  const streaks = nextStreaks(previous.streaks, failing, existing !== undefined);

  const agentAuthor = pullRequestByAgent(bundle.settings.agents, facts);
  // An agent's failures add up across its pull requests, so a fresh pull request does not reset them.
  const counts = agentAuthor
    ? mergeCounts(
        streaks,
        await countAgentFailures(services.store, {
          repository: `${repository.owner.login}/${repository.name}`,
          agent: facts.pullRequest?.author.login ?? "",
          headSha: reportShaOf(target),
          failing,
          windowSeconds: services.config.escalationWindowHours * 3600,
        }),
      )
    : streaks;
  const stale = input.state.problem
    ? `> [!WARNING]\n> The newest version of the organization's bundle (${input.state.problem.sha.slice(0, 12)}) is invalid; this verdict uses the last valid version, ${code(bundle.version)}. Maintainers: see the RTFM issue in the bundle's repository.\n\n`
    : "";
  const blockingNote = blocking.length
    ? `> [!CAUTION]\n> ${blocking.length} blocking standard(s) could not be judged, so this check fails closed: ${blocking.map((b) => code(b.standard)).join(", ")}.\n\n`
    : "";
  const reportSha = reportShaOf(target);
  const queueNote =
    reportSha !== pullRequest.head.sha
      ? `> [!NOTE]\n> This run reports on the merge queue's commit ${reportSha} for #${pullRequest.number}: the check runs judged are that commit's; reviews count on the pull request's head, ${pullRequest.head.sha}.\n\n`
      : "";
  const notes = `${stale}${blockingNote}${queueNote}`;
  const markdown = renderMarkdown(verdict, {
    agentAuthor,
    bundle,
    replay: { factsDigest: factsDigest(facts) },
    maxLength: CHECK_RUN_TEXT_LIMIT - notes.length,
    observed: outcome.observed,
  });
  const annotations = toAnnotations(verdict);
  const digest = annotationsDigest(annotations);
  const unchanged = existing !== undefined && previous.annotations === digest;
  const title = `${renderTitle(verdict, outcome.observed)}${blocking.length ? `, ${blocking.length} blocking not evaluated` : ""}`;
  // What the run says, but for the facts digest in its footer, which moves with every check run read.
  const output = outputDigest([
    conclusion,
    title,
    notes,
    agentAuthor,
    verdict,
    streaks,
    digest,
    outcome.observed,
  ]);
  const status = conclusion === "pending" ? ["in_progress", null] : ["completed", conclusion];
  const same =
    input.onlyIfChanged &&
    existing !== undefined &&
    previous.output === output &&
    existing.status === status[0] &&
    existing.conclusion === status[1];
  if (!same)
    await publishCheckRun(
      octokit,
      {
        owner: repository.owner.login,
        repo: repository.name,
        ...(existing && (unchanged || !hasAnnotations(existing)) ? { existing } : {}),
      },
      {
        name: bundle.settings.checkName,
        headSha: reportSha,
        conclusion,
        title,
        summary: `${notes}${markdown}`,
        // An update appends its annotations: unchanged ones are not sent again.
        annotations: unchanged ? [] : annotations,
        externalId: writeCheckState({
          streaks,
          annotations: digest,
          output,
          observed: outcome.observed,
          ...(unread ? { unjudged: true } : {}),
        }),
      },
    );
  // The dashboard lists the pull requests enforce would block; a merge queue's commit is no pull request head.
  if (reportSha === pullRequest.head.sha) {
    await rememberObservedCheck(services.store, {
      repository: `${repository.owner.login}/${repository.name}`,
      number: pullRequest.number,
      sha: reportSha,
      standards: outcome.observed,
    });
  }
  // An observed standard asks no human in: it blocks nothing yet.
  const escalated = standardsToEscalate(counts, bundle.settings.escalateAfter).filter(enforced);
  if (escalated.length > 0) {
    await escalate(octokit, services, {
      repository,
      pullRequest,
      standards: escalated,
      streaks: counts,
      bundle,
    });
  }
  return {
    conclusion,
    verdict,
    escalated,
    ...(unread ? { unjudged: { reason: `${unread.standard}: ${unread.reason}`, retry: true } } : {}),
  };
}
