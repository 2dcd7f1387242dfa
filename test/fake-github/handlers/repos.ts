/** Organizations' repositories, a repository's metadata, custom properties and branches. */
import { GitHubError, ok } from "../http.js";
import { paginated } from "../paginate.js";
import * as render from "../render.js";
import type { Router } from "../router.js";
import type { RepoState } from "../state.js";
import { installationRepos } from "./apps.js";
import { effectiveBranchRules } from "./rulesets.js";

type RepoSort = "created" | "updated" | "pushed" | "full_name";

function sortRepos(repos: RepoState[], sort: RepoSort, direction: "asc" | "desc"): RepoState[] {
  const key = (repo: RepoState) =>
    sort === "full_name"
      ? `${repo.owner}/${repo.name}`.toLowerCase()
      : sort === "created"
        ? repo.createdAt
        : sort === "updated"
          ? repo.updatedAt
          : repo.pushedAt;
  const sorted = [...repos].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id));
  return direction === "desc" ? sorted.reverse() : sorted;
}

export function registerRepos(router: Router): Router {
  return router
    .on("GET /orgs/{org}/repos", { permission: "metadata:read" }, (request, state) => {
      if (request.caller.kind !== "installation") throw GitHubError.unauthorized();
      const org = state.findAccount(request.params.org);
      if (org?.type !== "Organization") throw GitHubError.notFound();
      const type = request.query.type ?? "all";
      const repos = installationRepos(state, request.caller.installation).filter(
        (repo) =>
          type === "all" ||
          (type === "public" && repo.visibility === "public") ||
          (type === "private" && repo.visibility !== "public") ||
          (type === "forks" && repo.fork) ||
          (type === "sources" && !repo.fork) ||
          type === "member",
      );
      const sort = request.query.sort ?? "created";
      const direction = request.query.direction ?? (sort === "full_name" ? "asc" : "desc");
      return paginated(
        request,
        sortRepos(repos, sort, direction).map((repo) => render.repository(state, repo)),
      );
    })
    .on("GET /repos/{owner}/{repo}", { permission: "metadata:read" }, (request, state) =>
      ok(render.repository(state, state.repo(request.params.owner, request.params.repo))),
    )
    .on(
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
      { permission: "metadata:read" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        if (!state.findAccount(request.params.username)) throw GitHubError.notFound();
        return ok(render.collaboratorPermission(state, repo, request.params.username));
      },
    )
    .on("GET /repos/{owner}/{repo}/properties/values", { permission: "metadata:read" }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      return ok(
        Object.entries(repo.customProperties).map(([property_name, value]) => ({ property_name, value })),
      );
    })
    .on("GET /repos/{owner}/{repo}/branches", { permission: "metadata:read" }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      const branches = [...repo.branches.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, sha]) => ({
          name,
          commit: { sha, url: `${render.repoApiUrl(repo)}/commits/${sha}` },
          protected: effectiveBranchRules(state, repo, name).length > 0,
        }))
        .filter(
          (branch) => request.query.protected === undefined || branch.protected === request.query.protected,
        );
      return paginated(request, branches);
    })
    .on("GET /repos/{owner}/{repo}/branches/{branch}", { permission: "metadata:read" }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      const sha = repo.branches.get(request.params.branch);
      const commit = sha ? repo.commits.get(sha) : undefined;
      if (!commit) throw new GitHubError(404, "Branch not found");
      const api = `${render.repoApiUrl(repo)}/branches/${encodeURIComponent(request.params.branch)}`;
      return ok({
        name: request.params.branch,
        commit: render.commit(state, repo, commit),
        _links: { html: `${render.repoWebUrl(repo)}/tree/${request.params.branch}`, self: api },
        protected: effectiveBranchRules(state, repo, request.params.branch).length > 0,
        protection: {
          enabled: false,
          required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
        },
        protection_url: `${api}/protection`,
      });
    });
}
