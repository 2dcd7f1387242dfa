/**
 * What the app wrote more than once where GitHub should hold one: a check run per (repository, head,
 * name), an issue per (repository, title) among the app's, a comment per (issue, body) among the
 * app's. Read from a fake GitHub served over HTTP (`writes()`), by the scale tests and benchmark.
 */
import { createHash } from "node:crypto";
import type { FakeWrites } from "../fake-github/server.js";

export interface Duplicates {
  checkRuns: string[];
  issues: string[];
  comments: string[];
}

/** The keys seen more than once, each with its count: `acme/api@abc123 rulebook ×2`. */
function repeated(keys: string[]): string[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
}

/** The app's writes, by the login GitHub gives an app's bot. */
export function duplicatesIn(writes: FakeWrites, appSlug = "rulebook"): Duplicates {
  const bot = `${appSlug}[bot]`;
  return {
    checkRuns: repeated(writes.checkRuns.map((run) => `${run.repo}@${run.headSha} ${run.name}`)),
    issues: repeated(
      writes.issues
        .filter((issue) => issue.user === bot && !issue.isPullRequest)
        .map((issue) => `${issue.repo} "${issue.title}"`),
    ),
    comments: repeated(
      writes.comments
        .filter((comment) => comment.user === bot)
        .map((comment) => {
          const digest = createHash("sha1").update(comment.body).digest("hex").slice(0, 12);
          return `${comment.repo}#${comment.issueNumber} body ${digest}`;
        }),
    ),
  };
}
