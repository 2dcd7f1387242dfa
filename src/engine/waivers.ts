/**
 * Waivers: exceptions granted in the central bundle only, each with an owner, a reason and an expiry.
 * An expired waiver stops applying on the day after `expires` and is reported so it is renewed or removed.
 */
import type { Waiver } from "../bundle/types.js";
import { compareStrings } from "../util/compare.js";
import { matchesGlobs } from "../util/pattern.js";
import type { WaiverUse } from "./verdict.js";

/** Whether a waiver names a repository (`owner/name`, or a glob over it; case-insensitive like GitHub). */
function waiverCoversRepository(waiver: Waiver, repository: string): boolean {
  return matchesGlobs(repository.toLowerCase(), [waiver.repository.toLowerCase()]);
}

/** `expires` is inclusive: a waiver expiring on 2027-01-31 still applies that whole (UTC) day. */
function waiverIsActive(waiver: Waiver, today: string): boolean {
  return today <= waiver.expires;
}

/**
 * The waivers that name a repository, with their status on a given day, ordered by standard, then
 * latest expiry first, then owner, reason and repository glob.
 */
export function waiversFor(waivers: readonly Waiver[], repository: string, today: string): WaiverUse[] {
  return waivers
    .filter((waiver) => waiverCoversRepository(waiver, repository))
    .map(
      (waiver): WaiverUse => ({
        standard: waiver.standard,
        repository: waiver.repository,
        owner: waiver.owner,
        reason: waiver.reason,
        expires: waiver.expires,
        status: waiverIsActive(waiver, today) ? "active" : "expired",
      }),
    )
    .sort(
      (a, b) =>
        compareStrings(a.standard, b.standard) ||
        compareStrings(b.expires, a.expires) ||
        compareStrings(a.owner, b.owner) ||
        compareStrings(a.reason, b.reason) ||
        compareStrings(a.repository, b.repository),
    );
}
