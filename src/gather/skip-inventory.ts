/**
 * The skipped tests already on repositories' default branches: their test files read as code, as the
 * test-skip rule reads a pull request's, and the exclusions their runners' configuration, build files and
 * scripts set, as the test-exclusion rule reads them. It reads many repositories per GraphQL query and only what
 * changed: a repository whose default-branch head is the one last inventoried costs nothing; one whose
 * head moved has its tree walked (several directory levels per query, `object(expression: "<head>:dir")`)
 * and only the test files that are new or changed since are read (`object(expression: "<head>:path")`).
 * The store is a cache: losing it costs requests, never a wrong count.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { detectExclusions, readsExclusions } from "../rules/support/exclusions/detect.js";
import { findIssueReferences, REFERENCE_FORMS } from "../rules/support/issue-references.js";
import { DEFAULT_TEST_PATHS, detectSkips, languageOf } from "../rules/support/skip-detector.js";
import { parseStoredJson, type Store } from "../state/store.js";
import { FILE_LIMITS, tooLarge } from "../util/input-limits.js";
import { matchesGlobs } from "../util/pattern.js";
import { readFile } from "./contents.js";
import type { Octokit } from "./github.js";

export const InventoriedSkipSchema = z.object({
  path: z.string(),
  line: z.number().int(),
  label: z.string(),
  effect: z.enum(["skip", "focus", "todo", "xfail"]),
  conditional: z.boolean(),
  testName: z.string().optional(),
  /** Whether a comment beside it cites an issue (not verified here). */
  cited: z.boolean(),
});
type InventoriedSkip = z.infer<typeof InventoriedSkipSchema>;

/** A setting that takes tests out of the run (see support/exclusions). */
export const InventoriedExclusionSchema = z.object({
  path: z.string(),
  line: z.number().int(),
  runner: z.string(),
  setting: z.string(),
  excluded: z.string(),
  effect: z.enum(["exclude", "narrow"]),
  /** Whether a comment beside it cites an issue (not verified here). */
  cited: z.boolean(),
});
type InventoriedExclusion = z.infer<typeof InventoriedExclusionSchema>;

export interface SkipInventory {
  repository: string;
  skips: InventoriedSkip[];
  exclusions: InventoriedExclusion[];
  /** Test and configuration files on the branch. */
  files: number;
  /** Test files read now; the others were unchanged since they were last read. */
  fetched: number;
  /** Why the inventory is incomplete (too many directories, a file GitHub would not give or too large). */
  incomplete?: string;
}

/** A repository to inventory at the head of its default branch. */
interface SkipInventoryTarget {
  owner: string;
  name: string;
  headOid: string;
  /** The tree at the head, when it was read with the repository's facts (`treeEntriesSelection`). */
  tree?: unknown;
}

/** The detector's version: bump it when what it finds changes, so cached results are read again. */
const DETECTOR_VERSION = 2;
/** A week, like the sweep's other caches. */
const TTL_SECONDS = 7 * 24 * 3600;
/** Directory levels one query reads below each directory it asks for. */
export const TREE_DEPTH = 4;
/** Directories asked for per query, and test files read per query. */
const TREES_PER_QUERY = 100;
const FILES_PER_QUERY = 50;
/** Directories walked per repository at most: a vendored tree is not walked to its end. */
const MAX_DIRECTORIES = 1000;

/**
 * What is remembered of a repository: the head it was inventoried at, a short digest of each test file
 * read (its path and blob id), and the skips found. A file whose digest is listed is not read again.
 */
const CachedInventorySchema = z.object({
  v: z.literal(DETECTOR_VERSION),
  head: z.string(),
  files: z.array(z.string()),
  skips: z.array(InventoriedSkipSchema),
  exclusions: z.array(InventoriedExclusionSchema),
});

function fileDigest(path: string, oid: string): string {
  return createHash("sha256").update(`${path}\0${oid}`).digest("base64url").slice(0, 16);
}

function inventoryKey(target: SkipInventoryTarget): string {
  return `skips:${target.owner.toLowerCase()}/${target.name.toLowerCase()}`;
}

function nameOf(target: SkipInventoryTarget): string {
  return `${target.owner}/${target.name}`;
}

interface TreeEntryNode {
  path: string;
  type: string;
  oid: string;
  object?: { entries?: TreeEntryNode[] } | null;
}
const TreeEntrySchema: z.ZodType<TreeEntryNode> = z.lazy(() =>
  z.object({
    path: z.string(),
    type: z.string(),
    oid: z.string(),
    object: z
      .object({ entries: z.array(TreeEntrySchema).optional() })
      .nullable()
      .optional(),
  }),
);
const TreeSchema = z.object({ entries: z.array(TreeEntrySchema) }).nullable();
const BlobSchema = z
  .object({ text: z.string().nullable(), isBinary: z.boolean().nullable(), isTruncated: z.boolean() })
  .nullable();

/** `depth` levels of a tree's entries; the deepest level's directories are walked by a later query. */
export function treeEntriesSelection(depth: number = TREE_DEPTH): string {
  const inner = depth > 1 ? ` object { ... on Tree { ${treeEntriesSelection(depth - 1)} } }` : "";
  return `entries { path type oid${inner} }`;
}

/** One query over several repositories: `r<i>` per repository, `<prefix><j>` per object in it. */
function objectsQuery(
  groups: ReadonlyArray<{ target: SkipInventoryTarget; expressions: string[] }>,
  prefix: string,
  selection: string,
): string {
  const fields = groups.map(
    ({ target, expressions }, i) =>
      `r${i}: repository(owner: ${JSON.stringify(target.owner)}, name: ${JSON.stringify(target.name)}) { ${expressions
        .map((e, j) => `${prefix}${j}: object(expression: ${JSON.stringify(e)}) { ${selection} }`)
        .join(" ")} }`,
  );
  return `query {\n${fields.join("\n")}\n}`;
}

/** Partial answers are answers: a repository GitHub could not give is named, the others stand. */
async function runQuery(
  octokit: Octokit,
  query: string,
): Promise<{ data: Record<string, Record<string, unknown> | null>; failed: Map<string, string> }> {
  try {
    return { data: await octokit.graphql(query), failed: new Map() };
  } catch (error) {
    const partial = error as {
      data?: Record<string, Record<string, unknown> | null> | null;
      errors?: Array<{ path?: Array<string | number>; message: string }>;
    };
    if (!partial.errors) throw error;
    const failed = new Map<string, string>();
    for (const e of partial.errors) {
      const alias = e.path?.[0];
      if (typeof alias === "string") failed.set(alias, e.message);
    }
    if (failed.size !== partial.errors.length) throw error;
    return { data: partial.data ?? {}, failed };
  }
}

/** Items grouped by repository into queries of at most `size` items. */
function batches<T extends { target: SkipInventoryTarget }>(items: readonly T[], size: number): T[][][] {
  const out: T[][][] = [];
  for (let i = 0; i < items.length; i += size) {
    const byRepository = new Map<string, T[]>();
    for (const item of items.slice(i, i + size)) {
      const name = nameOf(item.target);
      byRepository.set(name, [...(byRepository.get(name) ?? []), item]);
    }
    out.push([...byRepository.values()]);
  }
  return out;
}

interface Walk {
  target: SkipInventoryTarget;
  /** Test files found so far: path and blob id. */
  files: Array<{ path: string; oid: string }>;
  directories: number;
  incomplete?: string;
}

function isTestFile(path: string): boolean {
  return languageOf(path) !== undefined && matchesGlobs(path, DEFAULT_TEST_PATHS);
}

/** Test files, and the files whose settings can take tests out of the run. */
function isInventoried(path: string): boolean {
  return isTestFile(path) || readsExclusions(path);
}

/** Records a tree's test files in `walk`; returns the directories deeper than the tree holds. */
function visitTree(walk: Walk, entries: readonly TreeEntryNode[]): string[] {
  const deeper: string[] = [];
  for (const entry of entries) {
    if (entry.type === "blob" && isInventoried(entry.path))
      walk.files.push({ path: entry.path, oid: entry.oid });
    if (entry.type !== "tree") continue;
    walk.directories += 1;
    if (walk.directories > MAX_DIRECTORIES) {
      walk.incomplete = `more than ${MAX_DIRECTORIES} directories; only part of the test files were read`;
      return [];
    }
    if (entry.object?.entries) deeper.push(...visitTree(walk, entry.object.entries));
    else deeper.push(entry.path);
  }
  return deeper;
}

/** Every test file at each target's head, several directory levels per query. */
async function walkTrees(octokit: Octokit, targets: readonly SkipInventoryTarget[]): Promise<Walk[]> {
  const walks = targets.map((target): Walk => ({ target, files: [], directories: 0 }));
  let pending: Array<{ target: SkipInventoryTarget; walk: Walk; path: string }> = [];
  for (const walk of walks) {
    // A tree read with the facts spares its query; one that did not parse is read again.
    const prefetched = TreeSchema.safeParse(walk.target.tree);
    if (walk.target.tree !== undefined && prefetched.success) {
      const deeper = visitTree(walk, prefetched.data?.entries ?? []);
      pending.push(...deeper.map((path) => ({ target: walk.target, walk, path })));
    } else {
      pending.push({ target: walk.target, walk, path: "" });
    }
  }
  const selection = `... on Tree { ${treeEntriesSelection()} }`;
  while (pending.length > 0) {
    const next: typeof pending = [];
    for (const batch of batches(pending, TREES_PER_QUERY)) {
      const query = objectsQuery(
        batch.map((group) => ({
          target: group[0]?.target as SkipInventoryTarget,
          expressions: group.map((item) => `${item.target.headOid}:${item.path}`),
        })),
        "t",
        selection,
      );
      const answer = await runQuery(octokit, query).catch((error: Error) => error);
      batch.forEach((group, i) => {
        for (const [j, item] of group.entries()) {
          const { walk } = item;
          if (walk.incomplete) continue;
          if (answer instanceof Error || answer.failed.has(`r${i}`)) {
            walk.incomplete = `GitHub did not answer the read of its tree: ${answer instanceof Error ? answer.message : answer.failed.get(`r${i}`)}`;
            continue;
          }
          const tree = TreeSchema.safeParse(answer.data[`r${i}`]?.[`t${j}`] ?? null);
          if (!tree.success) {
            walk.incomplete = "GitHub's answer for its tree was not a tree";
            continue;
          }
          const deeper = visitTree(walk, tree.data?.entries ?? []);
          next.push(...deeper.map((path) => ({ target: walk.target, walk, path })));
        }
      });
    }
    pending = next.filter((item) => !item.walk.incomplete);
  }
  return walks;
}

interface Found {
  skips: InventoriedSkip[];
  exclusions: InventoriedExclusion[];
}

/** The skips and exclusions of one file's text; a configuration file that does not parse holds none. */
function foundIn(target: SkipInventoryTarget, path: string, source: string): Found {
  const repo = { owner: target.owner, name: target.name };
  const scan = readsExclusions(path) ? detectExclusions(path, source) : undefined;
  const exclusions =
    scan && "exclusions" in scan
      ? scan.exclusions.map((e) => ({
          path,
          line: e.line,
          runner: e.runner,
          setting: e.setting,
          excluded: e.excluded,
          effect: e.effect,
          cited: findIssueReferences(e.comments.join("\n"), REFERENCE_FORMS, repo).length > 0,
        }))
      : [];
  return { skips: isTestFile(path) ? skipsIn(target, path, source) : [], exclusions };
}

/** The skips of one test file's text. */
function skipsIn(target: SkipInventoryTarget, path: string, source: string): InventoriedSkip[] {
  return (detectSkips(path, source) ?? []).map((skip) => ({
    path,
    line: skip.line,
    label: skip.label,
    effect: skip.effect,
    conditional: skip.conditional,
    ...(skip.testName ? { testName: skip.testName } : {}),
    cited:
      findIssueReferences(skip.comments.join("\n"), REFERENCE_FORMS, {
        owner: target.owner,
        name: target.name,
      }).length > 0,
  }));
}

/** Reads the files given, many per query, and returns the skips and exclusions found in each walk. */
async function readTestFiles(
  octokit: Octokit,
  files: ReadonlyArray<{ target: SkipInventoryTarget; walk: Walk; path: string }>,
): Promise<Map<Walk, Found>> {
  const found = new Map<Walk, Found>();
  const add = (walk: Walk, more: Found) => {
    const known = found.get(walk) ?? { skips: [], exclusions: [] };
    found.set(walk, {
      skips: [...known.skips, ...more.skips],
      exclusions: [...known.exclusions, ...more.exclusions],
    });
  };
  for (const batch of batches(files, FILES_PER_QUERY)) {
    const query = objectsQuery(
      batch.map((group) => ({
        target: group[0]?.target as SkipInventoryTarget,
        expressions: group.map((item) => `${item.target.headOid}:${item.path}`),
      })),
      "f",
      "... on Blob { text isBinary isTruncated }",
    );
    const answer = await runQuery(octokit, query).catch((error: Error) => error);
    for (const [i, group] of batch.entries()) {
      for (const [j, { target, walk, path }] of group.entries()) {
        if (answer instanceof Error || answer.failed.has(`r${i}`)) {
          walk.incomplete = `GitHub did not answer the read of ${path}`;
          continue;
        }
        const blob = BlobSchema.safeParse(answer.data[`r${i}`]?.[`f${j}`] ?? null);
        if (!blob.success || blob.data === null || blob.data.isBinary) continue;
        let text = blob.data.text;
        if (blob.data.isTruncated || text === null) {
          // GraphQL truncates large files: REST reads them whole.
          text = await readFile(octokit, target.owner, target.name, path, target.headOid).catch(() => null);
          if (text === null) {
            walk.incomplete = `GitHub did not answer the read of ${path}`;
            continue;
          }
        }
        // Past the limits the test-skip rule reads, a test file is not scanned: the inventory says it
        // is incomplete rather than count no skips in it.
        const large = isTestFile(path) ? tooLarge(path, text, FILE_LIMITS) : undefined;
        if (large) {
          walk.incomplete = `${large}, so it was not read for skipped tests`;
          continue;
        }
        add(walk, foundIn(target, path, text));
      }
    }
  }
  return found;
}

/**
 * The skip inventory of each target (by `owner/name`). A target whose head is the one it was last
 * inventoried at is answered from the store; the others are walked and their new or changed test
 * files read, all in batched queries. An inventory with a gap says so in `incomplete` and is not kept.
 */
export async function inventorySkips(
  octokit: Octokit,
  store: Store,
  targets: readonly SkipInventoryTarget[],
): Promise<Map<string, SkipInventory>> {
  const inventories = new Map<string, SkipInventory>();
  const cached = new Map<string, z.infer<typeof CachedInventorySchema>>();
  const entries = await Promise.all(
    targets.map(async (target) =>
      parseStoredJson(CachedInventorySchema, await store.get(inventoryKey(target))),
    ),
  );
  for (const [i, target] of targets.entries()) {
    const entry = entries[i];
    if (entry?.head === target.headOid) {
      const files = entry.files.length;
      inventories.set(nameOf(target), {
        repository: nameOf(target),
        skips: entry.skips,
        exclusions: entry.exclusions,
        files,
        fetched: 0,
      });
    } else if (entry) {
      cached.set(nameOf(target), entry);
    }
  }
  const moved = targets.filter((target) => !inventories.has(nameOf(target)));
  if (moved.length === 0) return inventories;
  const walks = await walkTrees(octokit, moved);
  // A file read before at the same path and blob keeps the skips found then.
  const toRead: Array<{ target: SkipInventoryTarget; walk: Walk; path: string }> = [];
  const kept = new Map<Walk, Found>();
  for (const walk of walks) {
    const previous = cached.get(nameOf(walk.target));
    const known = new Set(previous?.files ?? []);
    const unchanged = new Set<string>();
    for (const file of walk.files) {
      if (known.has(fileDigest(file.path, file.oid))) unchanged.add(file.path);
      else toRead.push({ target: walk.target, walk, path: file.path });
    }
    kept.set(walk, {
      skips: (previous?.skips ?? []).filter((skip) => unchanged.has(skip.path)),
      exclusions: (previous?.exclusions ?? []).filter((exclusion) => unchanged.has(exclusion.path)),
    });
  }
  const read = await readTestFiles(octokit, toRead);
  for (const walk of walks) {
    const name = nameOf(walk.target);
    const byPlace = (a: { path: string; line: number }, b: { path: string; line: number }) =>
      a.path.localeCompare(b.path) || a.line - b.line;
    const skips = [...(kept.get(walk)?.skips ?? []), ...(read.get(walk)?.skips ?? [])].sort(byPlace);
    const exclusions = [...(kept.get(walk)?.exclusions ?? []), ...(read.get(walk)?.exclusions ?? [])].sort(
      byPlace,
    );
    const fetched = toRead.filter((file) => file.walk === walk).length;
    inventories.set(name, {
      repository: name,
      skips,
      exclusions,
      files: walk.files.length,
      fetched,
      ...(walk.incomplete ? { incomplete: walk.incomplete } : {}),
    });
    if (!walk.incomplete) {
      const entry = {
        v: DETECTOR_VERSION,
        head: walk.target.headOid,
        files: walk.files.map((file) => fileDigest(file.path, file.oid)),
        skips,
        exclusions,
      };
      await store.set(inventoryKey(walk.target), JSON.stringify(entry), TTL_SECONDS);
    }
  }
  return inventories;
}
