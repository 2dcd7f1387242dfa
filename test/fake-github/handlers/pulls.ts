/** Pull requests: reading them with their commits, files and reviews; editing; requesting reviewers. */
import { compare } from "../git.js";
import { created, GitHubError, ok } from "../http.js";
import { paginated } from "../paginate.js";
import * as render from "../render.js";
import type { Router } from "../router.js";
import type { PullRequestState, RepoState } from "../state.js";

function pullOf(repo: RepoState, number: number): PullRequestState {
  const pr = repo.pulls.get(number);
  if (!pr) throw GitHubError.notFound();
  return pr;
}

export function registerPulls(router: Router): Router {
  return router
    .on("GET /repos/{owner}/{repo}/pulls", { permission: "pull_requests:read" }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      const { head, base } = request.query;
      const wanted = request.query.state ?? "open";
      const sort = request.query.sort ?? "created";
      const direction = request.query.direction ?? (sort === "created" ? "desc" : "asc");
      const pulls = [...repo.pulls.values()]
        .filter((pr) => {
          const issue = repo.issues.get(pr.number);
          return (
            (wanted === "all" || issue?.state === wanted) &&
            (head === undefined || head === `${repo.owner}:${pr.head.ref}` || head === pr.head.ref) &&
            (base === undefined || base === pr.base.ref)
          );
        })
        .sort((a, b) => {
          const ia = repo.issues.get(a.number);
          const ib = repo.issues.get(b.number);
          const key = sort === "updated" ? "updatedAt" : "createdAt";
          const order = (ia?.[key] ?? "").localeCompare(ib?.[key] ?? "") || a.number - b.number;
          return direction === "asc" ? order : -order;
        });
      return paginated(
        request,
        pulls.map((pr) => render.pullRequestSimple(state, repo, pr)),
      );
    })
    .on(
      "GET /repos/{owner}/{repo}/pulls/{pull_number}",
      { permission: "pull_requests:read" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        return ok(render.pullRequest(state, repo, pullOf(repo, request.params.pull_number)));
      },
    )
    .on(
      "PATCH /repos/{owner}/{repo}/pulls/{pull_number}",
      { permission: "pull_requests:write" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const pr = pullOf(repo, request.params.pull_number);
        const issue = repo.issues.get(pr.number);
        if (!issue) throw GitHubError.notFound();
        const body = request.body ?? {};
        const now = state.clock.iso();
        if (body.base !== undefined) {
          const sha = repo.branches.get(body.base);
          if (!sha) throw GitHubError.validationFailed("PullRequest", "base", "invalid");
          pr.base = { ref: body.base, sha };
        }
        if (body.title !== undefined) issue.title = body.title;
        if (body.body !== undefined) issue.body = body.body;
        if (body.state !== undefined && body.state !== issue.state) {
          if (pr.merged) throw GitHubError.validationFailed("PullRequest", "state", "invalid", "merged");
          issue.state = body.state;
          issue.closedAt = body.state === "closed" ? now : null;
        }
        issue.updatedAt = now;
        return ok(render.pullRequest(state, repo, pr));
      },
    )
    .on(
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits",
      { permission: "pull_requests:read" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const pr = pullOf(repo, request.params.pull_number);
        // GitHub lists at most 250 commits of a pull request.
        const commits = compare(repo, pr.base.sha, pr.head.sha).commits.slice(0, 250);
        return paginated(
          request,
          commits.map((commit) => render.commit(state, repo, commit)),
        );
      },
    )
    .on(
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
      { permission: "pull_requests:read" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const pr = pullOf(repo, request.params.pull_number);
        // GitHub lists at most 3000 files of a pull request.
        const files = compare(repo, pr.base.sha, pr.head.sha).files.slice(0, 3000);
        return paginated(
          request,
          files.map((file) => render.diffEntry(repo, file, pr.head.sha)),
        );
      },
    )
    .on(
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      { permission: "pull_requests:read" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const pr = pullOf(repo, request.params.pull_number);
        return paginated(
          request,
          pr.reviews.map((review) => render.review(state, repo, pr, review)),
        );
      },
    )
    .on(
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
      { permission: "pull_requests:write" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const pr = pullOf(repo, request.params.pull_number);
        const author = repo.issues.get(pr.number)?.user.toLowerCase();
        const reviewers = request.body?.reviewers ?? [];
        if (reviewers.some((login) => login.toLowerCase() === author)) {
          throw new GitHubError(422, "Review cannot be requested from pull request author.");
        }
        for (const login of reviewers) {
          const account = state.account(login);
          if (!pr.requestedReviewers.some((known) => known.toLowerCase() === login.toLowerCase())) {
            pr.requestedReviewers.push(account.login);
          }
        }
        for (const team of request.body?.team_reviewers ?? []) {
          if (!pr.requestedTeams.includes(team)) pr.requestedTeams.push(team);
        }
        return created(render.pullRequestSimple(state, repo, pr));
      },
    );
}
