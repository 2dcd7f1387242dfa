/**
 * The skipped tests already on a repository's default branch: its test files read as code, as the
 * test-skip rule reads a pull request's. One tree request lists the files with their blob SHAs; a file is
 * fetched and read only when its blob is not in the store yet, so a sweep of an unchanged repository costs
 * one request. The store is a cache: losing it costs requests, never a wrong count.
 */
import { z } from "zod";
import { findIssueReferences, REFERENCE_FORMS } from "../rules/support/issue-references.js";
import { DEFAULT_TEST_PATHS, detectSkips, languageOf } from "../rules/support/skip-detector.js";
import type { Store } from "../state/store.js";
import { mapLimit } from "../util/concurrency.js";
import { matchesGlobs } from "../util/pattern.js";
import type { Octokit } from "./github.js";

const InventoriedSkipSchema = z.object({
  path: z.string(),
  line: z.number().int(),
  label: z.string(),
  effect: z.enum(["skip", "focus", "todo", "xfail"]),
  conditional: z.boolean(),
  testName: z.string().optional(),
  /** Whether a comment beside it cites an issue (not verified here). */
  cited: z.boolean(),
});
export type InventoriedSkip = z.infer<typeof InventoriedSkipSchema>;

const CachedFileSchema = z.array(InventoriedSkipSchema.omit({ path: true }));

export interface SkipInventory {
  repository: string;
  skips: InventoriedSkip[];
  /** Test files read; those served from the store cost no request. */
  files: number;
  fetched: number;
  /** Why the inventory is incomplete (a truncated tree). */
  incomplete?: string;
}

/** Blobs read at once; each uncached test file is one request. */
const BLOB_CONCURRENCY = 4;
/** A blob never changes; its entry expires only so the store does not grow forever. */
const CACHE_TTL_SECONDS = 30 * 24 * 3600;
/** The detector's version: bump it when what it finds changes, so cached results are read again. */
const DETECTOR_VERSION = 1;

export async function inventorySkips(
  octokit: Octokit,
  store: Store,
  repository: { owner: string; name: string; defaultBranch: string },
): Promise<SkipInventory> {
  const { owner, name } = repository;
  const { data } = await octokit.rest.git.getTree({
    owner,
    repo: name,
    tree_sha: repository.defaultBranch,
    recursive: "true",
  });
  const files = data.tree.filter(
    (entry): entry is typeof entry & { path: string; sha: string } =>
      entry.type === "blob" &&
      entry.path !== undefined &&
      entry.sha !== undefined &&
      languageOf(entry.path) !== undefined &&
      matchesGlobs(entry.path, DEFAULT_TEST_PATHS),
  );
  let fetched = 0;
  const perFile = await mapLimit(files, BLOB_CONCURRENCY, async ({ path, sha }) => {
    const key = `skips:v${DETECTOR_VERSION}:${sha}:${path}`;
    const cached = CachedFileSchema.safeParse(JSON.parse((await store.get(key)) ?? "null"));
    if (cached.success) return cached.data.map((skip) => ({ path, ...skip }));
    fetched += 1;
    const { data: blob } = await octokit.rest.git.getBlob({ owner, repo: name, file_sha: sha });
    const source = Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8").toString("utf8");
    const found = (detectSkips(path, source) ?? []).map((skip) => ({
      line: skip.line,
      label: skip.label,
      effect: skip.effect,
      conditional: skip.conditional,
      ...(skip.testName ? { testName: skip.testName } : {}),
      cited: findIssueReferences(skip.comments.join("\n"), REFERENCE_FORMS, { owner, name }).length > 0,
    }));
    await store.set(key, JSON.stringify(found), CACHE_TTL_SECONDS);
    return found.map((skip) => ({ path, ...skip }));
  });
  return {
    repository: `${owner}/${name}`,
    skips: perFile.flat(),
    files: files.length,
    fetched,
    ...(data.truncated
      ? { incomplete: "GitHub truncated the file tree, so only part of the test files were read" }
      : {}),
  };
}
