/**
 * The little state a `rulebook` check run carries to the next head SHA of its pull request, in its
 * `external_id`: how many consecutive head SHAs each error standard has failed on, a digest of the
 * annotations already sent (GitHub appends annotations on update, so unchanged ones are not sent again),
 * a digest of what the run says (an unchanged verdict is not written again), the standards only
 * observed that would fail it under enforce (the dashboard lists those checks), and whether its conclusion
 * came from an error (GitHub or the bundle could not be read), so the sweep judges that commit again
 * instead of trusting the failure.
 */
import { z } from "zod";

interface CheckState {
  /** Standard id -> consecutive failing head SHAs, counting this one. */
  streaks: Record<string, number>;
  /** Digest of the annotations this run already holds. */
  annotations?: string;
  /** Digest of what the run says (conclusion, title, verdict), so an unchanged verdict is not written again. */
  output?: string;
  /** Standards the bundle only observes that fail this commit: enforce would fail the check on them. */
  observed?: string[];
  /** The run failed closed because something could not be read, not because of a finding. */
  unjudged?: true;
}

/** `external_id` is written by this app but readable and writable by any app with checks permission. */
const ExternalIdSchema = z.object({
  s: z.record(z.string(), z.unknown()).catch({}).default({}),
  a: z.string().optional().catch(undefined),
  o: z.string().optional().catch(undefined),
  w: z.array(z.string()).optional().catch(undefined),
  u: z.literal(1).optional().catch(undefined),
});
const StreakSchema = z.number().int().positive();

/** The state in a check run's `external_id`; anything unreadable in it counts as absent. */
export function readCheckState(externalId: string | null | undefined): CheckState {
  if (!externalId) return { streaks: {} };
  let data: unknown;
  try {
    data = JSON.parse(externalId);
  } catch {
    return { streaks: {} };
  }
  const parsed = ExternalIdSchema.safeParse(data);
  if (!parsed.success) return { streaks: {} };
  const streaks: Record<string, number> = {};
  for (const [id, n] of Object.entries(parsed.data.s)) {
    const streak = StreakSchema.safeParse(n);
    if (streak.success) streaks[id] = streak.data;
  }
  return {
    streaks,
    ...(parsed.data.a === undefined ? {} : { annotations: parsed.data.a }),
    ...(parsed.data.o === undefined ? {} : { output: parsed.data.o }),
    ...(parsed.data.w?.length ? { observed: parsed.data.w } : {}),
    ...(parsed.data.u === 1 ? { unjudged: true as const } : {}),
  };
}

export function writeCheckState(state: CheckState): string {
  const s = Object.fromEntries(Object.entries(state.streaks).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({
    s,
    ...(state.annotations ? { a: state.annotations } : {}),
    ...(state.output ? { o: state.output } : {}),
    ...(state.observed?.length ? { w: state.observed } : {}),
    ...(state.unjudged ? { u: 1 } : {}),
  });
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
