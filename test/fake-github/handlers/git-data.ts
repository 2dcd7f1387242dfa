/** Files by ref, commits, comparisons and combined statuses: what gatherers read from a repository. */
import {
  blobSha,
  commitsBetween,
  compare,
  findBlob,
  findTree,
  resolveRef,
  treeEntries,
  treeSha,
} from "../git.js";
import { GitHubError, ok } from "../http.js";
import { paginated } from "../paginate.js";
import * as render from "../render.js";
import type { Router } from "../router.js";
import type { CommitState, FakeState, RepoState } from "../state.js";

function commitAt(repo: RepoState, ref: string): CommitState {
  const sha = resolveRef(repo, ref);
  const commit = sha ? repo.commits.get(sha) : undefined;
  if (!commit) throw new GitHubError(422, `No commit found for SHA: ${ref}`);
  return commit;
}

function directoryEntries(repo: RepoState, files: ReadonlyMap<string, string>, path: string, ref: string) {
  const prefix = path === "" ? "" : `${path}/`;
  const children = new Map<string, Map<string, string>>();
  const fileEntries = new Map<string, string>();
  for (const [file, content] of files) {
    if (!file.startsWith(prefix)) continue;
    const [name, ...rest] = file.slice(prefix.length).split("/") as [string, ...string[]];
    if (rest.length === 0) fileEntries.set(name, content);
    else {
      const child = children.get(name) ?? new Map<string, string>();
      child.set(rest.join("/"), content);
      children.set(name, child);
    }
  }
  const names = [...new Set([...fileEntries.keys(), ...children.keys()])].sort();
  return names.map((name) => {
    const content = fileEntries.get(name);
    return content === undefined
      ? render.contentEntry(
          repo,
          `${prefix}${name}`,
          { type: "dir", files: children.get(name) as Map<string, string> },
          ref,
        )
      : render.contentEntry(repo, `${prefix}${name}`, { type: "file", content }, ref);
  });
}

function comparison(state: FakeState, owner: string, name: string, baseRef: string, headRef: string) {
  const repo = state.repo(owner, name);
  const base = resolveRef(repo, baseRef);
  const head = resolveRef(repo, headRef);
  if (!base || !head) throw GitHubError.notFound();
  const result = compare(repo, base, head);
  if (!result.mergeBase) throw GitHubError.notFound();
  const aheadBy = result.commits.length;
  const status =
    base === head ? "identical" : result.behindBy === 0 ? "ahead" : aheadBy === 0 ? "behind" : "diverged";
  const web = `${render.repoWebUrl(repo)}/compare/${baseRef}...${headRef}`;
  return ok({
    url: `${render.repoApiUrl(repo)}/compare/${baseRef}...${headRef}`,
    html_url: web,
    permalink_url: `${render.repoWebUrl(repo)}/compare/${base}...${head}`,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    base_commit: render.commit(state, repo, repo.commits.get(base) as CommitState),
    merge_base_commit: render.commit(state, repo, repo.commits.get(result.mergeBase) as CommitState),
    status,
    ahead_by: aheadBy,
    behind_by: result.behindBy,
    total_commits: aheadBy,
    commits: result.commits.slice(0, 250).map((commit) => render.commit(state, repo, commit)),
    files: result.files.map((file) => render.diffEntry(repo, file, head)),
  });
}

/** Commits reachable from `sha`, newest first, as `git log` lists them. */
function log(repo: RepoState, sha: string): CommitState[] {
  const ordered: CommitState[] = [];
  const seen = new Set<string>();
  let frontier = [sha];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const current of frontier) {
      const commit = repo.commits.get(current);
      if (!commit || seen.has(current)) continue;
      seen.add(current);
      ordered.push(commit);
      next.push(...commit.parents);
    }
    frontier = next;
  }
  return ordered;
}

export function registerGitData(router: Router): Router {
  return router
    .on("GET /repos/{owner}/{repo}/contents/{path}", { permission: "contents:read" }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      const ref = request.query.ref ?? repo.defaultBranch;
      const sha = resolveRef(repo, ref);
      const files = sha ? repo.commits.get(sha)?.files : undefined;
      if (!files) throw new GitHubError(404, `No commit found for the ref ${ref}`);
      const path = request.params.path.replace(/^\/+|\/+$/g, "");
      const content = files.get(path);
      if (content !== undefined) {
        if (/vnd\.github(\.v3)?\.raw/.test(request.headers.get("accept") ?? "")) {
          return {
            status: 200,
            text: content,
            headers: { "content-type": "application/vnd.github.raw; charset=utf-8" },
          };
        }
        return ok(render.contentFile(repo, path, content, ref));
      }
      const entries = directoryEntries(repo, files, path, ref);
      if (entries.length === 0) throw GitHubError.notFound();
      return ok(entries);
    })
    .on(
      "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
      { permission: "contents:read" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        // GitHub takes a tree id, or a commit or ref whose root tree it then lists.
        const commitSha = resolveRef(repo, request.params.tree_sha);
        const files = commitSha
          ? repo.commits.get(commitSha)?.files
          : findTree(repo, request.params.tree_sha);
        if (!files) throw GitHubError.notFound();
        const api = render.repoApiUrl(repo);
        // Any value of `recursive` asks for every level, as GitHub documents.
        const tree = treeEntries(files, request.query.recursive !== undefined).map((entry) =>
          entry.type === "blob"
            ? {
                path: entry.path,
                mode: "100644",
                type: "blob",
                sha: blobSha(entry.content),
                size: Buffer.byteLength(entry.content),
                url: `${api}/git/blobs/${blobSha(entry.content)}`,
              }
            : {
                path: entry.path,
                mode: "040000",
                type: "tree",
                sha: entry.sha,
                url: `${api}/git/trees/${entry.sha}`,
              },
        );
        const sha = treeSha(files);
        return ok({ sha, url: `${api}/git/trees/${sha}`, truncated: false, tree });
      },
    )
    .on(
      "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
      { permission: "contents:read" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const content = findBlob(repo, request.params.file_sha);
        if (content === undefined) throw GitHubError.notFound();
        return ok({
          sha: request.params.file_sha,
          node_id: Buffer.from(`Blob:${request.params.file_sha}`).toString("base64url"),
          url: `${render.repoApiUrl(repo)}/git/blobs/${request.params.file_sha}`,
          size: Buffer.byteLength(content),
          content: (
            Buffer.from(content)
              .toString("base64")
              .match(/.{1,60}/g) ?? []
          ).join("\n"),
          encoding: "base64",
        });
      },
    )
    .on("GET /repos/{owner}/{repo}/commits", { permission: "contents:read" }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      const tip = commitAt(repo, request.query.sha ?? repo.defaultBranch);
      // A path names a file or a directory: a commit counts when it changed that file or anything under it.
      const path = request.query.path?.replace(/^\/+|\/+$/g, "");
      const commits = log(repo, tip.sha).filter((commit) => {
        if (path === undefined) return true;
        const before =
          (commit.parents[0] ? repo.commits.get(commit.parents[0])?.files : undefined) ?? new Map();
        const under = (file: string) => file === path || file.startsWith(`${path}/`);
        return [...new Set([...before.keys(), ...commit.files.keys()])].some(
          (file) => under(file) && before.get(file) !== commit.files.get(file),
        );
      });
      return paginated(
        request,
        commits.map((commit) => render.commit(state, repo, commit)),
      );
    })
    .on("GET /repos/{owner}/{repo}/commits/{ref}", { permission: "contents:read" }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      return ok(render.commit(state, repo, commitAt(repo, request.params.ref), { files: true }));
    })
    .on(
      "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
      { permission: ["pull_requests:read", "contents:read"] },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const sha = commitAt(repo, request.params.commit_sha).sha;
        const pulls = [...repo.pulls.values()].filter(
          (pr) =>
            pr.head.sha === sha ||
            pr.mergeCommitSha === sha ||
            commitsBetween(repo, pr.base.sha, pr.head.sha).some((commit) => commit.sha === sha),
        );
        return paginated(
          request,
          pulls.map((pr) => render.pullRequestSimple(state, repo, pr)),
        );
      },
    )
    .on("GET /repos/{owner}/{repo}/compare/{basehead}", { permission: "contents:read" }, (request, state) => {
      const [base, head] = request.params.basehead.split("...");
      if (!base || !head) throw GitHubError.notFound();
      return comparison(state, request.params.owner, request.params.repo, base, head);
    })
    .on(
      "GET /repos/{owner}/{repo}/compare/{base}...{head}",
      { permission: "contents:read" },
      (request, state) =>
        comparison(
          state,
          request.params.owner,
          request.params.repo,
          request.params.base,
          request.params.head,
        ),
    )
    .on(
      "GET /repos/{owner}/{repo}/commits/{ref}/status",
      { permission: "statuses:read" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const sha = commitAt(repo, request.params.ref).sha;
        const latest = new Map<string, (typeof repo.statuses)[number]>();
        for (const status of repo.statuses) if (status.sha === sha) latest.set(status.context, status);
        const statuses = [...latest.values()];
        const combined = statuses.some((status) => status.state === "error" || status.state === "failure")
          ? "failure"
          : statuses.length === 0 || statuses.some((status) => status.state === "pending")
            ? "pending"
            : "success";
        return ok({
          state: combined,
          statuses: statuses.map((status) => render.commitStatus(state, repo, status)),
          sha,
          total_count: statuses.length,
          repository: render.repository(state, repo),
          commit_url: `${render.repoApiUrl(repo)}/commits/${sha}`,
          url: `${render.repoApiUrl(repo)}/commits/${sha}/status`,
        });
      },
    );
}
