/** Files of a repository at a ref, read through the REST contents and git trees APIs, or many per GraphQL query. */
import { z } from "zod";
import type { RepoFacts } from "../facts/schema.js";
import type { Octokit } from "./github.js";

/** Files read per GraphQL query: fields of one repository, no connection, so each query costs one point. */
const TEXTS_PER_QUERY = 50;
const BlobSchema = z
  .object({ text: z.string().nullable(), isBinary: z.boolean().nullable(), isTruncated: z.boolean() })
  .nullable();

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

/**
 * The text of each path at `ref`, many files per GraphQL query (`object(expression: "<ref>:<path>")`):
 * null for a path that is absent, a directory or binary. GraphQL truncates large files; REST reads those.
 */
export async function readTexts(
  octokit: Octokit,
  owner: string,
  repo: string,
  ref: string,
  paths: readonly string[],
): Promise<Map<string, string | null>> {
  const texts = new Map<string, string | null>();
  for (let i = 0; i < paths.length; i += TEXTS_PER_QUERY) {
    const chunk = paths.slice(i, i + TEXTS_PER_QUERY);
    const fields = chunk.map(
      (path, j) =>
        `f${j}: object(expression: ${JSON.stringify(`${ref}:${path}`)}) { ... on Blob { text isBinary isTruncated } }`,
    );
    const data = await octokit.graphql<{ repository: Record<string, unknown> | null }>(
      `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${fields.join(" ")} } }`,
      { owner, name: repo },
    );
    for (const [j, path] of chunk.entries()) {
      const blob = BlobSchema.parse(data.repository?.[`f${j}`] ?? null);
      if (blob === null || blob.isBinary) texts.set(path, null);
      else if (blob.isTruncated || blob.text === null)
        texts.set(path, await readFile(octokit, owner, repo, path, ref));
      else texts.set(path, blob.text);
    }
  }
  return texts;
}
