/**
 * Previewing a bundle change: a pull request to the central repository that touches the bundle gets a
 * `rulebook/bundle` check run. An invalid bundle fails with its errors as annotations at file and line;
 * a valid one passes and shows its impact: which repositories would newly fail or newly pass each
 * standard if it were merged.
 *
 * The impact is read from every repository the installation reaches, and a proposed standard is a
 * question asked of each (does this file match this pattern?), so only a pull request whose head is a
 * branch of the central repository and whose author may write there is previewed. Any other gets its
 * bundle's syntax checked and a neutral check saying a maintainer must push the change to preview it.
 * Where the central repository is public, the preview names only the repositories its readers may
 * see and counts the rest.
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
import { mayName, type Visibility, visibilityOf } from "../util/visibility.js";
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

/** The repositories a text may name where it is read, and how many others it counts instead. */
type Nameable = (repositories: readonly string[]) => { named: string[]; unnamed: number };

function unnamedRepositories(count: number): string {
  return `${count} private or internal ${count === 1 ? "repository" : "repositories"}`;
}

function renderImpact(
  impacts: StandardImpact[],
  repositories: number,
  nameable: Nameable,
  rollout?: RolloutImpact,
): string {
  const list = (repos: string[]) => {
    const { named, unnamed } = nameable(repos);
    const parts = [...named.map(code), ...(unnamed ? [unnamedRepositories(unnamed)] : [])];
    if (parts.length === 0) return "—";
    return parts.length > 1 && unnamed
      ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`
      : parts.join(", ");
  };
  const drift = nameable(rollout?.drift.map((d) => d.repository) ?? []);
  const checks = nameable(rollout?.checks.map((c) => c.repository) ?? []);
  const namedDrift = rollout?.drift.filter((d) => drift.named.includes(d.repository)) ?? [];
  const namedChecks = rollout?.checks.filter((c) => checks.named.includes(c.repository)) ?? [];
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
                  ? [
                      ...namedDrift.map(
                        (d) => `- ${code(d.repository)}: a drift issue with the tasks ${ids(d.standards)}`,
                      ),
                      ...(drift.unnamed
                        ? [
                            `- ${namedDrift.length ? "and " : ""}${unnamedRepositories(drift.unnamed)}: a drift issue each`,
                          ]
                        : []),
                    ]
                  : ["- no repository drifts from them today"]),
                ...(rollout.checks.length
                  ? [
                      ...namedChecks.map(
                        (c) => `- ${c.repository}#${c.number}: its check would fail on ${ids(c.standards)}`,
                      ),
                      ...(checks.unnamed
                        ? [
                            `- ${namedChecks.length ? "and " : ""}${checks.unnamed === 1 ? "1 open pull request" : `${checks.unnamed} open pull requests`} in private or internal repositories: their checks would fail`,
                          ]
                        : []),
                    ]
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
  // what changed since (one probe for the rest). They are kept apart from the sweep's, which they would
  // otherwise replace with facts the sweep's own bundle does not need.
  const gathered = await gatherWithCache(
    octokit,
    services.store,
    repositories,
    { needs: facts, paths, now: services.now(), ...(app ? { app } : {}) },
    "preview",
  );
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

/**
 * Which repositories a preview on the central repository may name: all of them where it is private,
 * only those its readers can see otherwise. A repository of unknown visibility counts as private.
 */
function nameableWhere(central: RepositoryReference, repositories: readonly RepositoryPayload[]): Nameable {
  const target = visibilityOf(central);
  const visibility = new Map<string, Visibility>(
    repositories.map((r) => [`${r.owner.login}/${r.name}`.toLowerCase(), visibilityOf(r)]),
  );
  return (names) => {
    const named = names.filter((name) => mayName(target, visibility.get(name.toLowerCase()) ?? "private"));
    return { named, unnamed: names.length - named.length };
  };
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

/** The pull request as the REST API returns it: with the repositories its head and base live in. */
type PreviewedPullRequest = PullRequestPayload & {
  head: { repo: RepositoryReference | null };
  base: { repo: RepositoryReference };
};
interface RepositoryReference {
  id: number;
  full_name: string;
  visibility?: string;
  private?: boolean;
}

/** Permissions that may push to a branch of the central repository (GitHub reports maintain as write). */
const MAY_PUSH = new Set(["admin", "write"]);
const AuthorPermissionSchema = z.object({ permission: z.string() });

/**
 * Why this pull request's bundle may not be previewed against the org, or undefined when it may: its
 * head must be a branch of the central repository itself, and its author must be able to write there.
 * The author's permission is read once per head commit.
 */
async function notPreviewable(
  octokit: Octokit,
  services: Services,
  repository: RepositoryPayload,
  pullRequest: PreviewedPullRequest,
): Promise<string | undefined> {
  const central = { ...pullRequest.base.repo, owner: repository.owner.login, name: repository.name };
  const head = pullRequest.head.repo;
  if (!head || head.id !== central.id || head.full_name.toLowerCase() !== central.full_name.toLowerCase()) {
    return `its head is not a branch of ${central.full_name} (it comes from a fork)`;
  }
  const login = pullRequest.user?.login;
  if (!login) return "its author is unknown";
  const key = `bundle-preview:author:${central.full_name.toLowerCase()}@${pullRequest.head.sha}:${login.toLowerCase()}`;
  let permission = (await readStoredJson(services.store, key, AuthorPermissionSchema))?.permission;
  if (permission === undefined) {
    try {
      const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
        owner: central.owner,
        repo: central.name,
        username: login,
      });
      permission = data.permission;
    } catch (error) {
      // GitHub answers 404 for a user it does not know: no permission at all.
      if ((error as { status?: number }).status !== 404) throw error;
      permission = "none";
    }
    await services.store.set(key, JSON.stringify({ permission }), PROPOSED_TTL_SECONDS);
  }
  if (MAY_PUSH.has(permission)) return undefined;
  return `its author \`${login}\` has ${permission} permission on ${central.full_name}, not write`;
}

export async function previewBundle(
  octokit: Octokit,
  services: Services,
  target: { repository: RepositoryPayload; pullRequest: PreviewedPullRequest },
): Promise<{ conclusion: "success" | "failure" | "neutral"; errors: number } | undefined> {
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
    conclusion: "success" | "failure" | "neutral",
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
  const refused = await notPreviewable(octokit, services, repository, pullRequest);
  if (refused) {
    const central = pullRequest.base.repo.full_name;
    await publish(
      "neutral",
      "Valid; not previewed: a maintainer must push this change to preview it",
      [
        `The proposed bundle is valid. Its impact on the organization's repositories is not previewed: ${inline(refused)}.`,
        "",
        `A preview reads every repository the app reaches, so it runs only for a pull request from a branch of ${code(central)} by someone who can write there. A maintainer must push this change to a branch of ${code(central)} to preview it.`,
      ].join("\n"),
      [],
    );
    return { conclusion: "neutral", errors: 0 };
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
    renderImpact(impacts, repositories.length, nameableWhere(pullRequest.base.repo, repositories), rollout),
    [],
  );
  return { conclusion: "success", errors: 0 };
}
