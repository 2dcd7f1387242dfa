/** The app and its installations: what Probot calls to authenticate and what sweeps list. */
import { mintInstallationToken } from "../auth.js";
import { created, GitHubError, ok } from "../http.js";
import { paginated, paginatedIn } from "../paginate.js";
import * as render from "../render.js";
import type { FakeRequest, Router } from "../router.js";
import type { FakeState, InstallationState, RepoState } from "../state.js";

function installationOf(state: FakeState, id: number): InstallationState {
  const installation = state.installations.get(id);
  if (!installation || installation.appId !== state.appId) throw GitHubError.notFound();
  return installation;
}

/** The repositories an installation reaches, by id. */
export function installationRepos(state: FakeState, installation: InstallationState): RepoState[] {
  return [...state.repos.values()]
    .filter(
      (repo) =>
        repo.owner.toLowerCase() === installation.account.toLowerCase() &&
        (installation.repositorySelection === "all" || installation.repositoryIds.includes(repo.id)),
    )
    .sort((a, b) => a.id - b.id);
}

function installationCaller(request: FakeRequest): InstallationState {
  if (request.caller.kind !== "installation") throw GitHubError.unauthorized();
  return request.caller.installation;
}

export function registerApps(router: Router): Router {
  return (
    router
      .on("GET /app", { auth: "app" }, (_request, state) => ok(render.app(state, state.app())))
      .on("GET /app/installations", { auth: "app" }, (request, state) =>
        paginated(
          request,
          [...state.installations.values()]
            .filter((installation) => installation.appId === state.appId)
            .map((installation) => render.installation(state, installation)),
        ),
      )
      .on("GET /app/installations/{installation_id}", { auth: "app" }, (request, state) =>
        ok(render.installation(state, installationOf(state, request.params.installation_id))),
      )
      .on("POST /app/installations/{installation_id}/access_tokens", { auth: "app" }, (request, state) => {
        const installation = installationOf(state, request.params.installation_id);
        if (installation.suspendedAt) throw GitHubError.forbidden("This installation has been suspended");
        const token = mintInstallationToken(state, installation.id);
        return created({
          token: token.token,
          expires_at: token.expiresAt,
          permissions: installation.permissions,
          repository_selection: installation.repositorySelection,
        });
      })
      // Public on GitHub; any installation token may read an app by its slug.
      .on("GET /apps/{app_slug}", { permission: "metadata:read" }, (request, state) => {
        const found = [...state.apps.values()].find((app) => app.slug === request.params.app_slug);
        if (!found) throw GitHubError.notFound();
        return ok(render.app(state, found));
      })
      .on("GET /orgs/{org}/installation", { auth: "app" }, (request, state) => {
        const installation = [...state.installations.values()].find(
          (candidate) =>
            candidate.appId === state.appId &&
            candidate.account.toLowerCase() === request.params.org.toLowerCase(),
        );
        if (!installation) throw GitHubError.notFound();
        return ok(render.installation(state, installation));
      })
      .on("GET /installation/repositories", { permission: "metadata:read" }, (request, state) => {
        const installation = installationCaller(request);
        // Only the page asked for is rendered: an org of thousands is listed a hundred at a time.
        return paginatedIn(request, installationRepos(state, installation), (page, totalCount) => ({
          total_count: totalCount,
          repository_selection: installation.repositorySelection,
          repositories: page.map((repo) => render.repository(state, repo)),
        }));
      })
  );
}
