/** Files of a repository at a ref, read through the REST contents and git trees APIs. */
import type { RepoFacts } from "../facts/schema.js";
import type { Octokit } from "./github.js";

/** Paths that exist on a ref, from one recursive tree request; undefined when GitHub truncated the tree. */
async function listPaths(octokit: Octokit, owner: string, repo: string, ref: string) {
  const { data } = await octokit.rest.git.getTree({ owner, repo, tree_sha: ref, recursive: "true" });
  if (data.truncated) return undefined;
  return new Set(data.tree.flatMap((entry) => (entry.type === "blob" && entry.path ? [entry.path] : [])));
}

/** A file's text at `ref` (the default branch when absent), or null when there is no such file. */
export async function readFile(octokit: Octokit, owner: string, repo: string, path: string, ref?: string) {
  try {
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ...(ref ? { ref } : {}) });
    if (Array.isArray(data) || data.type !== "file") return null;
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

/**
 * The files standards read, at the default branch: one tree request tells which candidates exist, then
 * only those are fetched (a repository without most of them costs one request, not one per candidate).
 */
export async function readFiles(octokit: Octokit, repo: RepoFacts, paths: readonly string[]) {
  const files: RepoFacts["files"] = {};
  if (paths.length === 0) return files;
  const existing = await listPaths(octokit, repo.owner, repo.name, repo.defaultBranch);
  for (const path of [...new Set(paths)].sort()) {
    if (existing && !existing.has(path)) {
      files[path] = null;
      continue;
    }
    files[path] = await readFile(octokit, repo.owner, repo.name, path, repo.defaultBranch);
  }
  return files;
}
