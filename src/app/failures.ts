/**
 * Jobs that failed every attempt, per organization, for its dashboard: a job that gives up is counted
 * where maintainers look, not only in a log. Kept a week in the store; the queue's failed set keeps the
 * jobs themselves.
 */
import { z } from "zod";
import type { FailedJobLine } from "../publish/dashboard.js";
import { parseStoredJson, type Store } from "../state/store.js";

const KEEP_MS = 7 * 24 * 3_600_000;

const FailureSchema = z.object({ job: z.string(), subject: z.string(), error: z.string(), time: z.string() });

function keyOf(org: string): string {
  return `failures:${org.toLowerCase()}`;
}

export async function recordFailure(
  store: Store,
  org: string,
  id: string,
  failure: FailedJobLine,
): Promise<void> {
  await store.hashSet(keyOf(org), id, JSON.stringify(failure));
}

/** The failures of the last week, newest first: how many, and the `limit` newest. */
export async function readFailures(
  store: Store,
  org: string,
  now: string,
  limit = 5,
): Promise<{ count: number; recent: FailedJobLine[] }> {
  const key = keyOf(org);
  const kept: FailedJobLine[] = [];
  for (const [id, text] of Object.entries(await store.hashGetAll(key))) {
    const failure = parseStoredJson(FailureSchema, text);
    if (!failure || Date.parse(now) - Date.parse(failure.time) > KEEP_MS) await store.hashDelete(key, id);
    else kept.push(failure);
  }
  kept.sort((a, b) => b.time.localeCompare(a.time));
  return { count: kept.length, recent: kept.slice(0, limit) };
}
