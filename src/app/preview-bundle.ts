/**
 * Previewing a bundle change: a pull request to the central repository that touches the bundle gets a
 * `rulebook/bundle` check run. An invalid bundle fails with its errors as annotations at file and line;
 * a valid one passes and shows its impact: which repositories would newly fail or newly pass each
 * standard if it were merged.
 */
import { z } from "zod";
import type { Bundle, Mode } from "../bundle/types.js";
import { evaluate } from "../engine/evaluate.js";
import { modeOf } from "../engine/mode.js";
import { factNeeds } from "../engine/needs.js";
import type { StandardStatus } from "../engine/verdict.js";
import type { Octokit, PullRequestPayload, RepositoryPayload } from "../gather/github.js";
import { listCheckRuns } from "../gather/pull-request.js";
import { findOwnRun, publishCheckRun } from "../github/check-run.js";
import { code, inline } from "../publish/markdown.js";
import { CHECK_RUN_TEXT_LIMIT, type CheckRunAnnotation } from "../publish/render.js";
import { readStoredJson } from "../state/store.js";
import { gatherWithCache, listSweepRepositories } from "../sweep/memory.js";
import { mapLimit } from "../util/concurrency.js";
import { type ObservedCheck, openObservedChecks } from "./observed.js";
import type { Services } from "./services.js";

export const BUNDLE_CHECK_NAME = "rulebook/bundle";

interface StandardImpact {
  standard: string;
  newlyFailing: string[];
  newlyPassing: string[];
}

/** How each standard's result per repository changes from one bundle to the other (pure). */
function compareResults(
  before: ReadonlyMap<string, Map<string, StandardStatus>>,
  after: ReadonlyMap<string, Map<string, StandardStatus>>,
): StandardImpact[] {
  const impacts = new Map<string, StandardImpact>();
  const impact = (standard: string) => {
    let entry = impacts.get(standard);
    if (!entry) {
      entry = { standard, newlyFailing: [], newlyPassing: [] };
      impacts.set(standard, entry);
    }
    return entry;
  };
  for (const [repository, statuses] of after) {
    const old = before.get(repository);
    for (const [standard, status] of statuses) {
      const was = old?.get(standard);
      if (status === "fail" && was !== "fail") impact(standard).newlyFailing.push(repository);
      if (status !== "fail" && was === "fail") impact(standard).newlyPassing.push(repository);
    }
    for (const [standard, was] of old ?? []) {
      if (was === "fail" && !statuses.has(standard)) impact(standard).newlyPassing.push(repository);
    }
  }
  return [...impacts.values()]
    .map((i) => ({ ...i, newlyFailing: i.newlyFailing.sort(), newlyPassing: i.newlyPassing.sort() }))
    .sort((a, b) => a.standard.localeCompare(b.standard));
}

/** What a bundle change does to the rollout: standards it starts or stops enforcing, and what that opens. */
interface RolloutImpact {
  /** Standards the current bundle only observes and the proposed one enforces. */
  enforced: string[];
  /** Standards the current bundle enforces and the proposed one only observes. */
  observed: string[];
  /** Repositories whose drift issue would open (or gain tasks), with the standards newly enforced there. */
  drift: Array<{ repository: string; standards: string[] }>;
  /** Open pull requests whose check would turn from neutral to failing. */
  checks: ObservedCheck[];
}

/** Standards whose mode the proposed bundle changes (the app's default mode for those that set none). */
function modeChanges(current: Bundle | undefined, proposed: Bundle, fallback: Mode) {
  const before = (id: string) =>
    current?.standards.some((s) => s.id === id) ? modeOf(current, id, fallback) : undefined;
  const ids = proposed.standards.map((s) => s.id);
  return {
    enforced: ids.filter((id) => modeOf(proposed, id, fallback) === "enforce" && before(id) === "observe"),
    observed: ids.filter((id) => modeOf(proposed, id, fallback) === "observe" && before(id) === "enforce"),
  };
}

function renderImpact(impacts: StandardImpact[], repositories: number, rollout?: RolloutImpact): string {
  const list = (repos: string[]) => (repos.length ? repos.map(code).join(", ") : "—");
  const ids = (standards: readonly string[]) => standards.map(code).join(", ");
  const modes =
    rollout && (rollout.enforced.length || rollout.observed.length)
      ? [
          "### Rollout",
          "",
          ...(rollout.enforced.length
            ? [
                `Enforces ${rollout.enforced.length === 1 ? "1 standard" : `${rollout.enforced.length} standards`} the current bundle only observes: ${ids(rollout.enforced)}. Once merged, their failures block merges and open RTFM issues:`,
                "",
                ...(rollout.drift.length
                  ? rollout.drift.map(
                      (d) => `- ${code(d.repository)}: a drift issue with the tasks ${ids(d.standards)}`,
                    )
                  : ["- no repository drifts from them today"]),
                ...(rollout.checks.length
                  ? rollout.checks.map(
                      (c) => `- ${c.repository}#${c.number}: its check would fail on ${ids(c.standards)}`,
                    )
                  : ["- no open pull request's check would fail on them"]),
                "- direct pushes, self-merges, merges past a red check and ruleset changes open RTFM issues from then on",
                "",
              ]
            : []),
          ...(rollout.observed.length
            ? [
                `Only observes ${rollout.observed.length === 1 ? "1 standard" : `${rollout.observed.length} standards`} the current bundle enforces: ${ids(rollout.observed)}. Their failures stop blocking merges and opening issues.`,
                "",
              ]
            : []),
        ]
      : [];
  if (impacts.length === 0) {
    return [
      `The proposed bundle is valid and changes no result in the ${repositories} repositories judged.`,
      ...(modes.length ? ["", ...modes] : []),
    ]
      .join("\n")
      .trimEnd();
  }
  return [
    `The proposed bundle is valid. If merged, across ${repositories} repositories:`,
    "",
    "| Standard | Newly failing | Newly passing |",
    "| --- | --- | --- |",
    ...impacts.map((i) => `| ${code(i.standard)} | ${list(i.newlyFailing)} | ${list(i.newlyPassing)} |`),
    ...(modes.length ? ["", ...modes] : []),
  ]
    .join("\n")
    .trimEnd();
}

async function repositoryStatuses(
  octokit: Octokit,
  services: Services,
  bundles: Bundle[],
  repositories: RepositoryPayload[],
) {
  const needs = bundles.map((b) => factNeeds(b, ["repo"]));
  const facts = new Set(needs.flatMap((n) => [...n.facts]));
  const paths = [...new Set(needs.flatMap((n) => n.paths))];
  const app = await services.identity();
  // Facts are cached per repository under its head, rulesets and metadata: a repeated event reads only
  // what changed since (one probe for the rest).
  const gathered = await gatherWithCache(octokit, services.store, repositories, {
    needs: facts,
    paths,
    now: services.now(),
    ...(app ? { app } : {}),
  });
  const results = await mapLimit(repositories, services.config.sweepConcurrency, async (repository) => {
    const name = `${repository.owner.login}/${repository.name}`;
    const read = gathered.get(name);
    if (!read) throw new Error(`the batched read returned nothing for ${name}`);
    return Promise.all(
      bundles.map(async (bundle) => {
        const verdict = await evaluate(bundle, read.facts);
        return [name, new Map(verdict.standards.map((s) => [s.standard, s.status]))] as const;
      }),
    );
  });
  return bundles.map(
    (_, i) => new Map(results.map((r) => r[i] as readonly [string, Map<string, StandardStatus>])),
  );
}

/** What the proposed bundle's modes would open: drift issues from its statuses, checks from the observed ones. */
async function rolloutImpact(
  services: Services,
  org: string,
  current: Bundle | undefined,
  proposed: Bundle,
  statuses: ReadonlyMap<string, Map<string, StandardStatus>>,
): Promise<RolloutImpact> {
  const { enforced, observed } = modeChanges(current, proposed, services.config.defaultMode);
  const drift = [...statuses]
    .map(([repository, byStandard]) => ({
      repository,
      standards: enforced.filter((id) => byStandard.get(id) === "fail"),
    }))
    .filter((d) => d.standards.length > 0)
    .sort((a, b) => a.repository.localeCompare(b.repository));
  const checks = (await openObservedChecks(services.store, org, proposed.settings.checkName))
    .map((check) => ({ ...check, standards: check.standards.filter((id) => enforced.includes(id)) }))
    .filter((check) => check.standards.length > 0);
  return { enforced, observed, drift, checks };
}

/** A commit's bundle files never change: kept a day, so a repeated event does not read them again. */
const PROPOSED_TTL_SECONDS = 24 * 3600;
const ProposedFilesSchema = z.record(z.string(), z.string());

async function proposedFiles(
  octokit: Octokit,
  services: Services,
  org: string,
  sha: string,
): Promise<Record<string, string> | string> {
  const key = `bundle-files:${org.toLowerCase()}@${sha}`;
  const kept = await readStoredJson(services.store, key, ProposedFilesSchema);
  if (kept) return kept;
  const files = await services.bundles.readFiles(octokit, org, sha);
  if (typeof files !== "string") await services.store.set(key, JSON.stringify(files), PROPOSED_TTL_SECONDS);
  return files;
}

/** Every repository the installation reaches, its pages asked for with ETags (an unchanged page is free). */
async function listRepositories(octokit: Octokit, services: Services, org: string) {
  const repositories: RepositoryPayload[] = [];
  for await (const page of listSweepRepositories(octokit, services.store, org)) repositories.push(...page);
  return repositories;
}

export async function previewBundle(
  octokit: Octokit,
  services: Services,
  target: { repository: RepositoryPayload; pullRequest: PullRequestPayload },
): Promise<{ conclusion: "success" | "failure"; errors: number } | undefined> {
  const { repository, pullRequest } = target;
  const org = repository.owner.login;
  if (!services.bundles.isBundleRepository(repository.name)) return undefined;
  const runs = await listCheckRuns(octokit, org, repository.name, pullRequest.head.sha);
  const app = await services.identity();
  const existing = findOwnRun(runs, BUNDLE_CHECK_NAME, app?.id);
  // A preview run on this commit means it changes the bundle; otherwise its files tell.
  if (!existing) {
    const changed = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner: org,
      repo: repository.name,
      pull_number: pullRequest.number,
      per_page: 100,
    });
    if (!changed.some((f) => services.bundles.isBundlePath(f.filename))) return undefined;
  }

  const files = await proposedFiles(octokit, services, org, pullRequest.head.sha);
  const parsed =
    typeof files === "string"
      ? undefined
      : await services.bundles.parse(org, files, "proposed", pullRequest.head.sha);
  const publish = async (
    conclusion: "success" | "failure",
    title: string,
    text: string,
    annotations: CheckRunAnnotation[],
  ) => {
    const summary = text.slice(0, CHECK_RUN_TEXT_LIMIT);
    // The same preview again (a repeated event on this commit, nothing changed) is not written again.
    const output = existing?.output;
    if (existing?.conclusion === conclusion && output?.title === title && output?.summary === summary) return;
    await publishCheckRun(
      octokit,
      { owner: org, repo: repository.name, ...(existing ? { existing } : {}) },
      {
        name: BUNDLE_CHECK_NAME,
        headSha: pullRequest.head.sha,
        conclusion,
        title,
        summary,
        // One commit's bundle always has the same errors, and an update appends the annotations it is
        // given: a run that already holds them is not sent them again.
        annotations: (existing?.output?.annotations_count ?? 0) > 0 ? [] : annotations,
        externalId: "",
      },
    );
  };

  if (!parsed?.ok) {
    const errors = parsed?.errors ?? [];
    const messages =
      typeof files === "string"
        ? [files]
        : errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.key}: ${e.message}`);
    await publish(
      "failure",
      `The proposed bundle is invalid: ${messages.length} error(s)`,
      [
        "The proposed bundle cannot be applied. Fix every error:",
        "",
        ...messages.map((m) => `- ${inline(m)}`),
      ].join("\n"),
      errors.map((e) => ({
        path: e.file,
        start_line: Math.max(1, e.line),
        end_line: Math.max(1, e.line),
        annotation_level: "failure",
        title: e.key || "bundle",
        message: e.message,
      })),
    );
    return { conclusion: "failure", errors: messages.length };
  }
  const current = await services.bundles.get(octokit, org);
  const repositories = await listRepositories(octokit, services, org);
  const bundles = current.bundle ? [current.bundle, parsed.bundle] : [parsed.bundle];
  const statuses = await repositoryStatuses(octokit, services, bundles, repositories);
  const before = current.bundle ? (statuses[0] ?? new Map()) : new Map();
  const after = statuses[statuses.length - 1] ?? new Map();
  const impacts = compareResults(before, after);
  const rollout = await rolloutImpact(services, org, current.bundle, parsed.bundle, after);
  const changes = rollout.enforced.length + rollout.observed.length;
  await publish(
    "success",
    impacts.length
      ? `Valid; changes results in ${impacts.length} standard(s)`
      : changes
        ? `Valid; changes the mode of ${changes} standard(s)`
        : "Valid; no result changes",
    renderImpact(impacts, repositories.length, rollout),
    [],
  );
  return { conclusion: "success", errors: 0 };
}
