/**
 * Writes a repository's drift issue (see `publish/drift.ts`): one RTFM issue per repository, found again
 * through its hidden marker, created when a listed standard first fails, rewritten in place only when its
 * body changes (GitHub allows 500 content-creating requests an hour), reopened when drift comes back, and
 * closed once every item is ticked. Drift issues of the old kind, one per standard, are closed in favour of
 * it, saying where their standard is tracked now. Only issues the app wrote count (`own-issues.ts`).
 */
import type { Octokit } from "../gather/github.js";
import {
  type DriftItem,
  driftTitle,
  type FailingStandard,
  nextDriftItems,
  openItems,
  readDriftState,
  renderDriftBody,
} from "../publish/drift.js";
import { code } from "../publish/markdown.js";
import { RTFM_LABEL, rtfmState } from "../publish/rtfm.js";
import type { IssueRecord } from "./issues.js";
import { issueTrust } from "./own-issues.js";
import { resolveOwners } from "./owners.js";

export interface DriftInput {
  /** `owner/name`. */
  repository: string;
  time: string;
  bundleVersion: string;
  /** Every standard that fails now. */
  failing: readonly FailingStandard[];
  /**
   * Whether a failing standard is reported (the bundle enforces it). One the issue already lists stays
   * listed until it is fixed, whatever the mode says now.
   */
  report: (standard: string) => boolean;
  /** How a standard that no longer fails was resolved (`met`, `waived`, …); undefined when it was not judged. */
  resolution: (standard: string) => string | undefined;
  /** Owners the bundle's profiles name for each standard. */
  profileOwners: (standard: string) => readonly string[];
  /** The repository's CODEOWNERS when the caller already read it (null: it has none). */
  codeowners?: string | null;
}

interface DriftOutcome {
  /** The drift issue, when the repository has one open after this sweep. */
  number?: number;
  /** Failing standards the issue does not list because the bundle only observes them. */
  unreported: string[];
}

function splitRepository(repository: string) {
  const [owner = "", repo = ""] = repository.split("/");
  return { owner, repo };
}

/** The repository's drift issue: the open one, else the most recent closed one. */
function findDriftIssue(issues: readonly IssueRecord[], repository: string): IssueRecord | undefined {
  const mine = issues.filter((issue) => readDriftState(issue.body)?.repository === repository);
  return mine.find((issue) => issue.state === "open") ?? [...mine].sort((a, b) => b.number - a.number)[0];
}

/** Old-style drift issues, one per standard, still open. */
function legacyDriftIssues(issues: readonly IssueRecord[], repository: string) {
  return issues.flatMap((issue) => {
    const state = issue.state === "open" ? rtfmState(issue.body) : undefined;
    return state?.kind === "drift" && state.repository === repository
      ? [{ issue, standard: state.standard }]
      : [];
  });
}

export async function reconcileDrift(
  octokit: Octokit,
  input: DriftInput,
  issues: IssueRecord[],
): Promise<DriftOutcome> {
  const { owner, repo } = splitRepository(input.repository);
  const trust = await issueTrust(octokit);
  const own = trust.own(issues, input.repository);
  const existing = findDriftIssue(own, input.repository);
  const legacy = legacyDriftIssues(own, input.repository);
  // A closed issue had every item ticked: drift that comes back starts a fresh list in it. Items someone
  // else edited in are not the app's: the list starts afresh from what fails now.
  const previous: DriftItem[] =
    existing?.state === "open" && trust.trustsMarker(existing, input.repository)
      ? (readDriftState(existing.body)?.items ?? [])
      : [];
  const listed = new Set([
    ...openItems(previous).map((item) => item.standard),
    ...legacy.map((l) => l.standard),
  ]);
  const failing = input.failing.filter((f) => input.report(f.standard.id) || listed.has(f.standard.id));
  const unreported = input.failing.filter((f) => !failing.includes(f)).map((f) => f.standard.id);
  const items = nextDriftItems(previous, failing, input.resolution, input.time);
  const open = openItems(items);

  let number = existing?.state === "open" ? existing.number : undefined;
  if (open.length > 0 || number !== undefined) {
    const owners = await resolveOwners(octokit, owner, repo, {
      // Each standard's affected paths, or `*` for one about no file.
      paths: [
        ...new Set(
          failing.flatMap((f) => {
            const paths = f.findings.flatMap((finding) => (finding.path ? [finding.path] : []));
            return paths.length > 0 ? paths : ["*"];
          }),
        ),
      ],
      profileOwners: [...new Set(failing.flatMap((f) => input.profileOwners(f.standard.id)))],
      ...(input.codeowners !== undefined ? { codeowners: input.codeowners } : {}),
    });
    const body = renderDriftBody({ repository: input.repository, items, failing, owners: owners.mentions });
    const added = open.filter((item) => !openItems(previous).some((p) => p.standard === item.standard));
    number = await writeDriftIssue(
      octokit,
      { owner, repo, repository: input.repository },
      existing,
      {
        body,
        open: open.length > 0,
        added,
        assignees: owners.assignees,
        note: `no standard it listed fails as of the sweep at ${input.time} (bundle ${code(input.bundleVersion)})`,
      },
      issues,
    );
  }
  for (const { issue, standard } of legacy) {
    const where = number !== undefined && open.some((item) => item.standard === standard);
    // A standard not judged this time may still fail: its issue stays until a sweep can tell.
    if (!where && input.resolution(standard) === undefined) continue;
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issue.number,
      body: where
        ? `Rulebook now keeps one drift issue per repository: ${code(standard)} is tracked in #${number} with every other standard this repository drifts from. Closing in favour of it.`
        : `Rulebook now keeps one drift issue per repository, and ${code(standard)} no longer fails here as of the sweep at ${input.time} (bundle ${code(input.bundleVersion)}). Closing.`,
    });
    await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: issue.number,
      state: "closed",
      state_reason: "completed",
    });
    issue.state = "closed";
  }
  return { ...(number !== undefined && open.length > 0 ? { number } : {}), unreported };
}

/** Creates, rewrites, reopens or closes the drift issue; returns its number. */
async function writeDriftIssue(
  octokit: Octokit,
  where: { owner: string; repo: string; repository: string },
  existing: IssueRecord | undefined,
  change: { body: string; open: boolean; added: DriftItem[]; assignees: string[]; note: string },
  issues: IssueRecord[],
): Promise<number> {
  const { owner, repo } = where;
  if (!existing) {
    const { data } = await octokit.rest.issues.create({
      owner,
      repo,
      title: driftTitle(where.repository),
      body: change.body,
      labels: [RTFM_LABEL],
      ...(change.assignees.length ? { assignees: change.assignees } : {}),
    });
    issues.push(data as IssueRecord);
    return data.number;
  }
  const issue_number = existing.number;
  const reopen = existing.state !== "open" && change.open;
  const close = existing.state === "open" && !change.open;
  if (close) {
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number,
      body: `Resolved: ${change.note}. Closing.`,
    });
  }
  if (existing.body !== change.body || reopen || close) {
    const { data } = await octokit.rest.issues.update({
      owner,
      repo,
      issue_number,
      ...(existing.body !== change.body ? { body: change.body } : {}),
      ...(reopen ? { state: "open" as const } : {}),
      ...(close ? { state: "closed" as const, state_reason: "completed" as const } : {}),
    });
    Object.assign(existing, { body: data.body, state: data.state });
  }
  const list = change.added.map((item) => code(item.standard)).join(", ");
  if (reopen) {
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number,
      body: `Reopened: the repository drifts again, from ${list}.`,
    });
  } else if (change.added.length > 0) {
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number,
      body: `Now also drifting from ${list}.`,
    });
  }
  if ((reopen || change.added.length > 0) && change.assignees.length) {
    await octokit.rest.issues.addAssignees({ owner, repo, issue_number, assignees: change.assignees });
  }
  return issue_number;
}
