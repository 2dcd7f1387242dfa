/**
 * Writes the `rulebook` check run: one per head SHA, updated in place (never duplicated), with
 * annotations sent in GitHub's batches of 50 and a "Re-run" button.
 */

import type { Octokit } from "../gather/github.js";
import type { CheckRunRecord } from "../gather/pull-request.js";
import { type CheckRunAnnotation, chunk } from "../publish/render.js";

export const RERUN_ACTION = "rerun";

interface CheckRunContent {
  name: string;
  headSha: string;
  /**
   * `pending` keeps the run in progress: required checks are still running. `neutral` reports findings
   * of standards the bundle only observes, which block nothing.
   */
  conclusion: "success" | "failure" | "neutral" | "pending";
  title: string;
  summary: string;
  text?: string;
  annotations: CheckRunAnnotation[];
  /** Small state carried to the next head SHA (failing streaks for escalation). */
  externalId: string;
  detailsUrl?: string;
}

/** Our own run of this name on the head SHA, if one exists: the one to update in place. */
export function findOwnRun(runs: readonly CheckRunRecord[], name: string, appId?: number) {
  return runs.find((run) => run.name === name && (appId === undefined || run.app?.id === appId));
}

export async function publishCheckRun(
  octokit: Octokit,
  target: { owner: string; repo: string; existing?: CheckRunRecord },
  content: CheckRunContent,
): Promise<number> {
  const { owner, repo, existing } = target;
  // GitHub accepts at most 50 annotations per create or update request.
  const batches = chunk(content.annotations);
  const output = (annotations: CheckRunAnnotation[] | undefined) => ({
    title: content.title,
    summary: content.summary,
    ...(content.text ? { text: content.text } : {}),
    ...(annotations?.length ? { annotations } : {}),
  });
  const state =
    content.conclusion === "pending"
      ? { status: "in_progress" as const }
      : { status: "completed" as const, conclusion: content.conclusion };
  const common = {
    owner,
    repo,
    name: content.name,
    external_id: content.externalId,
    ...(content.detailsUrl ? { details_url: content.detailsUrl } : {}),
    ...state,
    output: output(batches[0]),
    actions: [{ label: "Re-run", description: "Judge this commit again", identifier: RERUN_ACTION }],
  };
  const id = existing
    ? (await octokit.rest.checks.update({ ...common, check_run_id: existing.id })).data.id
    : (await octokit.rest.checks.create({ ...common, head_sha: content.headSha })).data.id;
  // Annotations given to an update are appended, so the remaining batches follow one by one.
  for (const batch of batches.slice(1)) {
    await octokit.rest.checks.update({ owner, repo, check_run_id: id, output: output(batch) });
  }
  return id;
}
