/**
 * What enforce would do, remembered while a bundle only observes: the pull request checks it would fail
 * and the incidents it would open RTFM issues for. Observed standards write nothing to repositories, so
 * the dashboard says these instead, from the shared store. Disposable like every store entry: a sweep
 * reads the checks again from the check runs' state, and an incident lost from it is only no longer shown.
 */
import { z } from "zod";
import type { Bundle } from "../bundle/types.js";
import { modeOf } from "../engine/mode.js";
import type { Octokit } from "../gather/github.js";
import { recordIncident } from "../github/issues.js";
import type { Incident } from "../publish/rtfm.js";
import { parseStoredJson, type Store } from "../state/store.js";
import { readSummaries } from "../sweep/memory.js";
import type { Services } from "./services.js";

const ObservedCheckSchema = z.object({
  repository: z.string(),
  number: z.number().int(),
  sha: z.string(),
  /** The observed standards that would fail the check under enforce. */
  standards: z.array(z.string()),
});
export type ObservedCheck = z.infer<typeof ObservedCheckSchema>;

const ObservedIncidentSchema = z.object({
  repository: z.string(),
  standard: z.string(),
  event: z.string(),
  time: z.string(),
  actor: z.string().optional(),
  sha: z.string().optional(),
});
type ObservedIncident = z.infer<typeof ObservedIncidentSchema>;

/** How many observed incidents the dashboard lists per organization, newest first. */
const INCIDENTS_KEPT = 50;

const checksKey = (org: string) => `observed-checks:${org.toLowerCase()}`;
const incidentsKey = (org: string) => `observed-incidents:${org.toLowerCase()}`;
const orgOf = (repository: string) => repository.split("/")[0] ?? "";

/** Remembers the check of a pull request head (or forgets it when nothing observed would fail it). */
export async function rememberObservedCheck(store: Store, check: ObservedCheck): Promise<void> {
  const field = `${check.repository}#${check.number}`;
  if (check.standards.length === 0) await store.hashDelete(checksKey(orgOf(check.repository)), field);
  else await store.hashSet(checksKey(orgOf(check.repository)), field, JSON.stringify(check));
}

/** The remembered checks of an organization; `keep` says which are still open heads (the rest are dropped). */
async function observedChecks(
  store: Store,
  org: string,
  keep: (check: ObservedCheck) => boolean,
): Promise<ObservedCheck[]> {
  const checks: ObservedCheck[] = [];
  for (const [field, raw] of Object.entries(await store.hashGetAll(checksKey(org)))) {
    const check = parseStoredJson(ObservedCheckSchema, raw);
    if (check && keep(check)) checks.push(check);
    else await store.hashDelete(checksKey(org), field);
  }
  return checks.sort((a, b) => a.repository.localeCompare(b.repository) || a.number - b.number);
}

/**
 * The remembered checks of pull request heads still open, as the sweep's summaries know them (a repository
 * not swept yet keeps its checks); the others are dropped.
 */
export async function openObservedChecks(
  store: Store,
  org: string,
  checkName: string,
): Promise<ObservedCheck[]> {
  const summaries = await readSummaries(store, org);
  return observedChecks(store, org, (check) => {
    const summary = summaries.get(check.repository);
    return !summary || summary.checked.includes(`${checkName}:${check.number}@${check.sha}`);
  });
}

/** The remembered checks of one repository's pull requests, by number. */
export async function observedChecksOf(
  store: Store,
  repository: string,
): Promise<Map<number, ObservedCheck>> {
  const checks = new Map<number, ObservedCheck>();
  for (const [field, raw] of Object.entries(await store.hashGetAll(checksKey(orgOf(repository))))) {
    const check = field.startsWith(`${repository}#`) ? parseStoredJson(ObservedCheckSchema, raw) : undefined;
    if (check) checks.set(check.number, check);
  }
  return checks;
}

/** The incidents observed in an organization, newest first. */
export async function observedIncidents(store: Store, org: string): Promise<ObservedIncident[]> {
  return Object.values(await store.hashGetAll(incidentsKey(org)))
    .flatMap((raw) => {
      const incident = parseStoredJson(ObservedIncidentSchema, raw);
      return incident ? [incident] : [];
    })
    .sort((a, b) => b.time.localeCompare(a.time) || a.repository.localeCompare(b.repository));
}

async function observeIncident(store: Store, incident: Incident): Promise<void> {
  const org = orgOf(incident.repository);
  const entry: ObservedIncident = {
    repository: incident.repository,
    standard: incident.standard.id,
    event: incident.event,
    time: incident.time,
    ...(incident.actor ? { actor: incident.actor.login } : {}),
    ...(incident.sha ? { sha: incident.sha } : {}),
  };
  // One entry per repository and standard, as enforce would keep one issue each.
  await store.hashSet(
    incidentsKey(org),
    `${incident.repository}:${incident.standard.id}`,
    JSON.stringify(entry),
  );
  const kept = new Set(
    (await observedIncidents(store, org))
      .slice(0, INCIDENTS_KEPT)
      .map((i) => `${i.repository}:${i.standard}`),
  );
  for (const field of Object.keys(await store.hashGetAll(incidentsKey(org)))) {
    if (!kept.has(field)) await store.hashDelete(incidentsKey(org), field);
  }
}

/** What became of an incident: its RTFM issue (created, updated, reopened, unchanged), or `observed`. */
export interface IncidentRecord {
  standard: string;
  outcome: string;
  /** The number; absent when the incident was only observed. */
  number?: number;
}

/**
 * Records an incident as an RTFM issue when the bundle enforces its standard; when it only observes it,
 * remembers it for the dashboard and writes nothing to the repository.
 */
export async function recordOrObserve(
  octokit: Octokit,
  services: Services,
  bundle: Bundle,
  incident: Incident,
): Promise<IncidentRecord> {
  if (modeOf(bundle, incident.standard.id, services.config.defaultMode) === "observe") {
    await observeIncident(services.store, incident);
    return { standard: incident.standard.id, outcome: "observed" };
  }
  const result = await services.locks.run(`issue:${incident.repository}:${incident.standard.id}`, () =>
    recordIncident(octokit, incident),
  );
  return { standard: incident.standard.id, ...result };
}
