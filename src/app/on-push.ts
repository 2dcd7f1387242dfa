/**
 * Pushes: a push to the default branch is judged (direct and forced pushes, self-merges, merges that
 * bypassed the check) and what failed becomes an RTFM issue; a push that changes the org bundle or a file
 * a standard reads asks for a sweep.
 */
import { evaluate } from "../engine/evaluate.js";
import { factNeeds } from "../engine/needs.js";
import { type Octokit, type RepositoryPayload, toActor } from "../gather/github.js";
import { gatherPush, type PushPayload } from "../gather/history.js";
import { recordIncident } from "../github/issues.js";
import type { Incident } from "../publish/rtfm.js";
import { pushIncidentKey, rememberPush } from "../sweep/history.js";
import { brokenBundleIncident, incidentsFromVerdict } from "./incidents.js";
import { type IncidentRecord, recordOrObserve } from "./observed.js";
import type { Services } from "./services.js";

interface PushOutcome {
  /** RTFM issues written (created, updated or reopened) for this push, or observed without an issue. */
  incidents: IncidentRecord[];
  /** What should be swept because of this push. */
  sweep: "org" | "repository" | "none";
}

function changedPaths(push: PushPayload) {
  return (push.commits ?? []).flatMap((c) => [
    ...(c.added ?? []),
    ...(c.modified ?? []),
    ...(c.removed ?? []),
  ]);
}

export async function onPush(
  octokit: Octokit,
  services: Services,
  payload: { repository: RepositoryPayload; push: PushPayload },
): Promise<PushOutcome> {
  const { repository, push } = payload;
  const owner = repository.owner.login;
  const defaultRef = `refs/heads/${repository.default_branch ?? "main"}`;
  if (push.ref !== defaultRef) return { incidents: [], sweep: "none" };
  const paths = changedPaths(push);
  const bundleChanged =
    services.bundles.isBundleRepository(repository.name) &&
    paths.some((p) => services.bundles.isBundlePath(p));
  if (bundleChanged) services.bundles.invalidate(owner);
  const state = await services.bundles.get(octokit, owner);
  const written: PushOutcome["incidents"] = [];
  const record = async (incident: Incident) => {
    const result = await services.locks.run(`issue:${incident.repository}:${incident.standard.id}`, () =>
      recordIncident(octokit, incident),
    );
    written.push({ standard: incident.standard.id, ...result });
  };
  if (bundleChanged && state.problem) {
    // The pusher is known only here; the sweep that follows finds this version already recorded.
    await record(
      brokenBundleIncident(services.config, owner, state.problem, {
        event: push.forced ? "push (forced)" : "push",
        time: services.now(),
        ...(push.sender ? { actor: toActor(push.sender) } : {}),
      }),
    );
  }
  const bundle = state.bundle;
  if (!bundle) return { incidents: written, sweep: "org" };

  const app = await services.identity();
  const facts = await gatherPush(octokit, {
    repository,
    push,
    now: services.now(),
    ...(app ? { app } : {}),
  });
  const verdict = await evaluate(bundle, facts);
  const name = `${owner}/${repository.name}`;
  const incidents = incidentsFromVerdict(bundle, verdict, {
    repository: name,
    kind: "event",
    key: pushIncidentKey(push.after),
    event: push.forced ? "push (forced)" : "push",
    time: facts.now,
    ...(facts.push ? { actor: facts.push.pusher } : {}),
    sha: push.after,
    repo: facts.repo,
  });
  for (const incident of incidents) written.push(await recordOrObserve(octokit, services, bundle, incident));
  // The sweep rebuilds pushes whose webhook was lost; this one needs no second look.
  if (!push.deleted) await rememberPush(services.store, name, push.before, push.after);
  const readPaths = new Set(factNeeds(bundle, ["repo"]).paths);
  return {
    incidents: written,
    sweep: bundleChanged ? "org" : paths.some((p) => readPaths.has(p)) ? "repository" : "none",
  };
}
