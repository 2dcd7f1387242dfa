/**
 * The little state a `rulebook` check run carries to the next head SHA of its pull request, in its
 * `external_id`: how many consecutive head SHAs each error standard has failed on, and a digest of the
 * annotations already sent (GitHub appends annotations on update, so unchanged ones are not sent again).
 */
export interface CheckState {
  /** Standard id -> consecutive failing head SHAs, counting this one. */
  streaks: Record<string, number>;
  /** Digest of the annotations this run already holds. */
  annotations?: string;
}

export function readCheckState(externalId: string | null | undefined): CheckState {
  if (!externalId) return { streaks: {} };
  try {
    const parsed = JSON.parse(externalId) as { s?: Record<string, number>; a?: string };
    const streaks: Record<string, number> = {};
    for (const [id, n] of Object.entries(parsed.s ?? {})) if (Number.isInteger(n) && n > 0) streaks[id] = n;
    return { streaks, ...(typeof parsed.a === "string" ? { annotations: parsed.a } : {}) };
  } catch {
    return { streaks: {} };
  }
}

export function writeCheckState(state: CheckState): string {
  const s = Object.fromEntries(Object.entries(state.streaks).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({ s, ...(state.annotations ? { a: state.annotations } : {}) });
}

/**
 * The streaks after judging a new head SHA: a standard failing again extends its streak, any other
 * starts over. Judging the same SHA again keeps the count (`sameSha`).
 */
export function nextStreaks(
  previous: Record<string, number>,
  failing: readonly string[],
  sameSha: boolean,
): Record<string, number> {
  const streaks: Record<string, number> = {};
  for (const id of failing) streaks[id] = sameSha ? Math.max(previous[id] ?? 1, 1) : (previous[id] ?? 0) + 1;
  return streaks;
}

/** The standards whose streak has reached the bundle's threshold: an agent past its escalation boundary. */
export function standardsToEscalate(streaks: Record<string, number>, threshold: number): string[] {
  return Object.entries(streaks)
    .filter(([, n]) => n >= threshold)
    .map(([id]) => id)
    .sort();
}
