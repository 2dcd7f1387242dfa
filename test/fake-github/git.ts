/** A repository's history as the fake models it: commits with whole trees, refs, and diffs. */
import { createHash } from "node:crypto";
import { diffText } from "./diff.js";
import type { CommitState, RepoState } from "./state.js";

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

/** Git's blob id of a file's content, as GitHub reports it in `sha`. */
export function blobSha(content: string): string {
  return sha1(`blob ${Buffer.byteLength(content)}\0${content}`);
}

/** A stable id for a tree: its paths and blob ids. */
export function treeSha(files: ReadonlyMap<string, string>): string {
  const entries = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return sha1(`tree ${entries.map(([path, content]) => `${path}\0${blobSha(content)}`).join("\n")}`);
}

/** A commit id derived from everything the commit holds, so equal seeds give equal SHAs. */
export function commitSha(commit: Omit<CommitState, "sha">): string {
  return sha1(
    [
      `tree ${treeSha(commit.files)}`,
      ...commit.parents.map((parent) => `parent ${parent}`),
      `author ${commit.author.name} <${commit.author.email}> ${commit.author.date}`,
      `committer ${commit.committer.name} <${commit.committer.email}> ${commit.committer.date}`,
      "",
      commit.message,
    ].join("\n"),
  );
}

/**
 * The commit a ref names: a full or abbreviated SHA, a branch (`main`, `heads/main`,
 * `refs/heads/main`) or a tag (`v1`, `tags/v1`, `refs/tags/v1`); undefined when none.
 */
export function resolveRef(repo: RepoState, ref: string): string | undefined {
  if (repo.commits.has(ref)) return ref;
  const name = ref.replace(/^refs\//, "");
  const branch = repo.branches.get(name.replace(/^heads\//, "")) ?? repo.branches.get(name);
  if (branch) return branch;
  const tag = repo.tags.get(name.replace(/^tags\//, ""));
  if (tag) return tag;
  if (/^[0-9a-f]{7,39}$/.test(ref)) {
    const matches = [...repo.commits.keys()].filter((sha) => sha.startsWith(ref));
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}

/** Every commit reachable from `sha`, itself included. */
export function ancestors(repo: RepoState, sha: string): Set<string> {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    stack.push(...(repo.commits.get(current)?.parents ?? []));
  }
  return seen;
}

/** The commits in `head` that are not in `base`, parents before children (`git log --reverse base..head`). */
export function commitsBetween(repo: RepoState, base: string, head: string): CommitState[] {
  const excluded = ancestors(repo, base);
  const ordered: CommitState[] = [];
  const visited = new Set<string>();
  const visit = (sha: string) => {
    if (visited.has(sha) || excluded.has(sha)) return;
    visited.add(sha);
    const commit = repo.commits.get(sha);
    if (!commit) return;
    for (const parent of commit.parents) visit(parent);
    ordered.push(commit);
  };
  visit(head);
  return ordered;
}

/** The nearest common ancestor of two commits, or undefined when their histories are unrelated. */
export function mergeBase(repo: RepoState, a: string, b: string): string | undefined {
  const ofA = ancestors(repo, a);
  const queue = [b];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const current = queue.shift() as string;
    if (ofA.has(current)) return current;
    if (seen.has(current)) continue;
    seen.add(current);
    queue.push(...(repo.commits.get(current)?.parents ?? []));
  }
  return undefined;
}

export interface ChangedFile {
  filename: string;
  status: "added" | "removed" | "modified";
  /** Blob id of the file after the change (before it, for a removed file). */
  sha: string;
  additions: number;
  deletions: number;
  patch: string;
}

/** The files that differ between two trees, sorted by path, with their patches. */
export function diffTrees(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): ChangedFile[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: ChangedFile[] = [];
  for (const filename of paths) {
    const old = before.get(filename);
    const current = after.get(filename);
    if (old === current) continue;
    const diff = diffText(old ?? "", current ?? "");
    const status = old === undefined ? "added" : current === undefined ? "removed" : "modified";
    changes.push({ filename, status, sha: blobSha(current ?? old ?? ""), ...diff });
  }
  return changes;
}

/** The files a commit changed against its first parent (all files, for a root commit). */
export function commitChanges(repo: RepoState, commit: CommitState): ChangedFile[] {
  const parent = commit.parents[0] ? repo.commits.get(commit.parents[0]) : undefined;
  return diffTrees(parent?.files ?? new Map(), commit.files);
}

export interface Comparison {
  /** The merge base, or undefined when the histories are unrelated. */
  mergeBase: string | undefined;
  /** Commits in head that are not in base, oldest first. */
  commits: CommitState[];
  /** How many commits base has that head lacks. */
  behindBy: number;
  /** What head changes against the merge base (a pull request's "Files changed"). */
  files: ChangedFile[];
}

/** `base...head`, as the compare endpoint and a pull request's commits and files see it. */
export function compare(repo: RepoState, base: string, head: string): Comparison {
  const common = mergeBase(repo, base, head);
  const before = common ? repo.commits.get(common)?.files : undefined;
  const after = repo.commits.get(head)?.files;
  return {
    mergeBase: common,
    commits: commitsBetween(repo, base, head),
    behindBy: commitsBetween(repo, head, base).length,
    files: after ? diffTrees(before ?? new Map(), after) : [],
  };
}

/** The files under a directory of a tree, with paths relative to it ("" is the root). */
export function subtree(files: ReadonlyMap<string, string>, dir: string): Map<string, string> {
  if (dir === "") return new Map(files);
  const prefix = `${dir}/`;
  return new Map(
    [...files].flatMap(([path, content]) =>
      path.startsWith(prefix) ? [[path.slice(prefix.length), content]] : [],
    ),
  );
}

export type TreeEntry =
  | { path: string; type: "blob"; content: string }
  | { path: string; type: "tree"; sha: string };

/** A tree's entries (directories as trees, files as blobs), sorted by path; all levels when `recursive`. */
export function treeEntries(files: ReadonlyMap<string, string>, recursive: boolean): TreeEntry[] {
  const dirs = new Set<string>();
  const entries: TreeEntry[] = [];
  for (const [path, content] of files) {
    const parts = path.split("/");
    for (let depth = 1; depth < parts.length; depth++) dirs.add(parts.slice(0, depth).join("/"));
    if (recursive || parts.length === 1) entries.push({ path, type: "blob", content });
  }
  for (const dir of dirs) {
    if (recursive || !dir.includes("/"))
      entries.push({ path: dir, type: "tree", sha: treeSha(subtree(files, dir)) });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The tree with this id: a commit's root tree, or any directory in it; undefined when none. */
export function findTree(repo: RepoState, sha: string): ReadonlyMap<string, string> | undefined {
  for (const commit of repo.commits.values()) {
    if (treeSha(commit.files) === sha) return commit.files;
    for (const entry of treeEntries(commit.files, true)) {
      if (entry.type === "tree" && entry.sha === sha) return subtree(commit.files, entry.path);
    }
  }
  return undefined;
}

/** The content of the blob with this id, from any commit; undefined when none. */
export function findBlob(repo: RepoState, sha: string): string | undefined {
  for (const commit of repo.commits.values()) {
    for (const content of commit.files.values()) if (blobSha(content) === sha) return content;
  }
  return undefined;
}
