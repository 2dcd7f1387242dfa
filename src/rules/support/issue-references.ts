/**
 * Issue references in comments, in the forms a bundle allows, canonicalized to `owner/repo#123` so one
 * batched query can tell whether each issue exists and is open. Pure.
 */
import { z } from "zod";

export const REFERENCE_FORMS = ["#123", "owner/repo#123", "issue-url", "GH-123"] as const;
type ReferenceForm = (typeof REFERENCE_FORMS)[number];

/** The forms a standard accepts; GH-123 is opt-in because other trackers use the same shape. */
export const zReferenceForms = z
  .array(z.enum(REFERENCE_FORMS))
  .min(1)
  .default(["#123", "owner/repo#123", "issue-url"]);

const FORMS: Record<ReferenceForm, RegExp> = {
  // Not an HTML entity (&#123;), nor the tail of owner/repo#123 or of a URL fragment.
  "#123": /(?<![\w&/#.-])#(\d+)\b/gu,
  "owner/repo#123": /(?<![\w.\-/])([A-Za-z0-9][\w.-]*)\/([\w.-]+)#(\d+)\b/gu,
  "issue-url": /\bhttps?:\/\/(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+)\/issues\/(\d+)\b/gu,
  "GH-123": /\bGH-(\d+)\b/gu,
};

interface RepositoryName {
  owner: string;
  name: string;
}

/** `owner/repo#n`, lower-cased as GitHub matches names without case. */
function referenceKey(repo: RepositoryName, number: number | string): string {
  return `${repo.owner.toLowerCase()}/${repo.name.toLowerCase()}#${Number(number)}`;
}

/** The issues `text` references in the allowed forms, as `owner/repo#n` keys; short forms are in `repo`. */
export function findIssueReferences(
  text: string,
  forms: readonly ReferenceForm[],
  repo: RepositoryName,
): string[] {
  const keys = new Set<string>();
  for (const form of forms) {
    for (const m of text.matchAll(FORMS[form])) {
      if (m[3] !== undefined) keys.add(referenceKey({ owner: m[1] ?? "", name: m[2] ?? "" }, m[3]));
      else keys.add(referenceKey(repo, m[1] ?? "0"));
    }
  }
  return [...keys].sort();
}

/** The parts of an `owner/repo#n` key. */
export function parseReferenceKey(key: string): RepositoryName & { number: number } {
  const m = /^([^/#]+)\/([^/#]+)#(\d+)$/.exec(key);
  if (!m) throw new Error(`not an issue reference key: ${key}`);
  return { owner: m[1] ?? "", name: m[2] ?? "", number: Number(m[3]) };
}

/**
 * Where an item that cites tracking issues stands: tracked (one cited issue is open), unverified (none
 * of their states is known: they were not looked up), or untracked, with the state of each cited issue
 * that is known (closed, or missing and unreadable).
 */
export type Tracking =
  | { kind: "tracked" }
  | { kind: "unverified" }
  | { kind: "untracked"; known: Array<readonly [string, string]> };

export function trackingOf(
  references: readonly string[],
  issues: Readonly<Record<string, string>> | undefined,
): Tracking {
  const states = references.map((ref) => [ref, issues?.[ref]] as const);
  if (states.some(([, state]) => state === "open")) return { kind: "tracked" };
  const known = states.filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
  if (references.length > 0 && known.length === 0) return { kind: "unverified" };
  return { kind: "untracked", known };
}
