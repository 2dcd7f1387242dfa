/**
 * Writes RTFM incident issues: one per (repository, standard), found again through its hidden marker.
 * A new occurrence updates the body and adds one comment; a closed issue is reopened; an event
 * already recorded (the same webhook delivered again) changes nothing, even on a closed issue. Drift
 * found by sweeps goes to one issue per repository instead (`drift-issue.ts`).
 */

import type { Octokit } from "../gather/github.js";
import {
  type Incident,
  RTFM_LABEL,
  renderRecurrence,
  renderRtfmBody,
  rtfmMatches,
  rtfmState,
  rtfmTitle,
} from "../publish/rtfm.js";
import { type Authorship, issueTrust } from "./own-issues.js";
import { resolveOwners } from "./owners.js";

/** An issue as listed (REST) or read in a batch (GraphQL), with who wrote it. */
export interface IssueRecord extends Authorship {
  number: number;
  state: string;
  title: string;
  body?: string | null;
  html_url?: string;
  pull_request?: unknown;
}

/**
 * Every issue (open or closed) with a label, whoever wrote it; pull requests are left out. Only those
 * `IssueTrust.own` keeps are Rulebook's (`own-issues.ts`).
 */
export async function listLabelledIssues(octokit: Octokit, owner: string, repo: string, label: string) {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    labels: label,
    state: "all",
    per_page: 100,
  });
  return (issues as IssueRecord[]).filter((issue) => !issue.pull_request);
}

function splitRepository(repository: string) {
  const [owner = "", repo = ""] = repository.split("/");
  return { owner, repo };
}

type IncidentOutcome = "created" | "updated" | "reopened" | "unchanged";

export async function recordIncident(
  octokit: Octokit,
  occurrence: Incident,
  known?: IssueRecord[],
): Promise<{ outcome: IncidentOutcome; number: number }> {
  const { owner, repo } = splitRepository(occurrence.repository);
  const trust = await issueTrust(octokit);
  const listed = known ?? (await listLabelledIssues(octokit, owner, repo, RTFM_LABEL));
  // A person's issue with a copied marker is no incident of the app's: it cannot say what was seen.
  const existing = trust
    .own(listed, occurrence.repository)
    .find((i) => rtfmMatches(i.body, occurrence.repository, occurrence.standard.id, occurrence.kind));
  const previous =
    existing && trust.trustsMarker(existing, occurrence.repository) ? rtfmState(existing.body) : undefined;
  // An event already recorded is the same occurrence, even after its issue was closed.
  if (existing && previous?.seen.includes(occurrence.key)) {
    return { outcome: "unchanged", number: existing.number };
  }
  const owners = await resolveOwners(octokit, owner, repo, {
    paths: [...new Set(occurrence.findings.flatMap((f) => (f.path ? [f.path] : [])))],
    profileOwners: occurrence.profileOwners ?? [],
    ...(occurrence.codeowners !== undefined ? { codeowners: occurrence.codeowners } : {}),
  });
  const incident: Incident = { ...occurrence, owners: owners.mentions };
  const assignees = [
    ...new Set([...(incident.actor?.type === "User" ? [incident.actor.login] : []), ...owners.assignees]),
  ];
  if (!existing) {
    const { data } = await octokit.rest.issues.create({
      owner,
      repo,
      title: rtfmTitle(incident),
      body: renderRtfmBody(incident),
      labels: [RTFM_LABEL],
      ...(assignees.length ? { assignees } : {}),
    });
    listed.push(data as IssueRecord);
    return { outcome: "created", number: data.number };
  }
  const isOpen = existing.state === "open";
  const body = renderRtfmBody(incident, previous);
  const { data } = await octokit.rest.issues.update({
    owner,
    repo,
    issue_number: existing.number,
    body,
    ...(isOpen ? {} : { state: "open" as const }),
  });
  Object.assign(existing, { body: data.body, state: data.state });
  await octokit.rest.issues.createComment({
    owner,
    repo,
    issue_number: existing.number,
    body: `${isOpen ? "" : "Reopened: the standard is broken again.\n\n"}${renderRecurrence(incident, rtfmState(body)?.count ?? 1)}`,
  });
  if (assignees.length) {
    await octokit.rest.issues.addAssignees({ owner, repo, issue_number: existing.number, assignees });
  }
  return { outcome: isOpen ? "updated" : "reopened", number: existing.number };
}
