/** Issues (pull requests are issues too), their comments, labels and assignees. */
import { created, GitHubError, ok } from "../http.js";
import { paginated } from "../paginate.js";
import * as render from "../render.js";
import type { Permission, Router } from "../router.js";
import { Seeder } from "../seed.js";
import {
  type FakeState,
  type IssueCommentState,
  type IssueState,
  type RepoState,
  repoKey,
} from "../state.js";

// Issue endpoints also serve pull requests, so GitHub accepts either permission.
const READ: Permission[] = ["issues:read", "pull_requests:read"];
const WRITE: Permission[] = ["issues:write", "pull_requests:write"];

function issueOf(repo: RepoState, number: number): IssueState {
  const issue = repo.issues.get(number);
  if (!issue) throw GitHubError.notFound();
  return issue;
}

function commentOf(state: FakeState, repo: RepoState, id: number | bigint): IssueCommentState {
  const comment = state.issueComments.get(Number(id));
  if (!comment || comment.repo !== repoKey(repo.owner, repo.name)) throw GitHubError.notFound();
  return comment;
}

type LabelInput = string | { name?: string };

/** Label names from any of the shapes GitHub accepts; labels that do not exist yet are created. */
function labelNames(state: FakeState, repo: RepoState, input: unknown): string[] {
  const list: LabelInput[] =
    typeof input === "string"
      ? [input]
      : Array.isArray(input)
        ? input
        : input && typeof input === "object" && "labels" in input && Array.isArray(input.labels)
          ? input.labels
          : [];
  const seeder = new Seeder(state);
  return list
    .map((item) => (typeof item === "string" ? item : (item.name ?? "")))
    .filter((name) => name !== "")
    .map((name) => seeder.seedLabel(repo, { name }).name);
}

function addUnique(into: string[], names: readonly string[]): void {
  for (const name of names) {
    if (!into.some((known) => known.toLowerCase() === name.toLowerCase())) into.push(name);
  }
}

/** Assignees given as logins, or as `{ login }` suggestions. */
function assigneesOf(state: FakeState, assignees: readonly (string | { login?: string })[]): string[] {
  return assignees
    .map((assignee) => (typeof assignee === "string" ? assignee : (assignee.login ?? "")))
    .filter((login) => login !== "")
    .map((login) => state.account(login).login);
}

export function registerIssues(router: Router): Router {
  return router
    .on("GET /repos/{owner}/{repo}/issues", { permission: READ }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      const { creator, assignee, since, labels } = request.query;
      const wanted = request.query.state ?? "open";
      const required = labels ? labels.split(",").map((name) => name.trim().toLowerCase()) : [];
      const sort = request.query.sort ?? "created";
      const direction = request.query.direction ?? "desc";
      const issues = [...repo.issues.values()]
        .filter(
          (issue) =>
            (wanted === "all" || issue.state === wanted) &&
            required.every((name) => issue.labels.some((label) => label.toLowerCase() === name)) &&
            (creator === undefined || issue.user.toLowerCase() === creator.toLowerCase()) &&
            (assignee === undefined ||
              (assignee === "*" && issue.assignees.length > 0) ||
              (assignee === "none" && issue.assignees.length === 0) ||
              issue.assignees.some((login) => login.toLowerCase() === assignee.toLowerCase())) &&
            (since === undefined || issue.updatedAt >= since),
        )
        .sort((a, b) => {
          const key = sort === "updated" ? "updatedAt" : "createdAt";
          const order = a[key].localeCompare(b[key]) || a.number - b.number;
          return direction === "asc" ? order : -order;
        });
      return paginated(
        request,
        issues.map((issue) => render.issue(state, repo, issue)),
      );
    })
    .on("POST /repos/{owner}/{repo}/issues", { permission: "issues:write" }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      if (request.caller.kind !== "installation") throw GitHubError.unauthorized();
      const body = request.body;
      const app = state.apps.get(request.caller.installation.appId);
      const issue = new Seeder(state).seedIssue(repo, {
        title: String(body.title),
        body: body.body ?? null,
        author: `${app?.slug ?? "app"}[bot]`,
        viaApp: request.caller.installation.appId,
        labels: labelNames(state, repo, body.labels ?? []),
        assignees: assigneesOf(state, [...(body.assignees ?? []), ...(body.assignee ? [body.assignee] : [])]),
      });
      return created(render.issue(state, repo, issue));
    })
    .on("GET /repos/{owner}/{repo}/issues/{issue_number}", { permission: READ }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      return ok(render.issue(state, repo, issueOf(repo, request.params.issue_number)));
    })
    .on("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { permission: WRITE }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      const issue = issueOf(repo, request.params.issue_number);
      const body = request.body ?? {};
      const now = state.clock.iso();
      if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
      if (body.body !== undefined && body.body !== issue.body) {
        issue.body = body.body;
        // GitHub records who last edited the body (GraphQL's `editor`): here, the caller's bot.
        if (request.caller.kind === "installation") {
          const app = state.apps.get(request.caller.installation.appId);
          issue.editor = state.account(`${app?.slug ?? "app"}[bot]`).login;
          issue.lastEditedAt = now;
        }
      }
      if (body.labels !== undefined) issue.labels = labelNames(state, repo, body.labels);
      if (body.assignees !== undefined) issue.assignees = assigneesOf(state, body.assignees);
      else if (body.assignee !== undefined)
        issue.assignees = body.assignee ? assigneesOf(state, [body.assignee]) : [];
      if (body.state !== undefined && body.state !== issue.state) {
        issue.state = body.state;
        issue.closedAt = body.state === "closed" ? now : null;
        issue.stateReason = body.state === "closed" ? (body.state_reason ?? "completed") : "reopened";
      } else if (body.state_reason !== undefined) {
        issue.stateReason = body.state_reason;
      }
      issue.updatedAt = now;
      return ok(render.issue(state, repo, issue));
    })
    .on(
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      { permission: READ },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const issue = issueOf(repo, request.params.issue_number);
        const since = request.query.since;
        const comments = [...state.issueComments.values()].filter(
          (comment) =>
            comment.repo === repoKey(repo.owner, repo.name) &&
            comment.issueNumber === issue.number &&
            (since === undefined || comment.updatedAt >= since),
        );
        return paginated(
          request,
          comments.map((comment) => render.issueComment(state, repo, comment)),
        );
      },
    )
    .on(
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      { permission: WRITE },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const issue = issueOf(repo, request.params.issue_number);
        if (request.caller.kind !== "installation") throw GitHubError.unauthorized();
        if (issue.locked) throw GitHubError.forbidden("Unable to create comment because issue is locked.");
        const app = state.apps.get(request.caller.installation.appId);
        const comment = new Seeder(state).seedIssueComment(repo, issue.number, {
          body: request.body.body,
          author: `${app?.slug ?? "app"}[bot]`,
        });
        issue.updatedAt = comment.createdAt;
        return created(render.issueComment(state, repo, comment));
      },
    )
    .on("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", { permission: READ }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      return ok(render.issueComment(state, repo, commentOf(state, repo, request.params.comment_id)));
    })
    .on(
      "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
      { permission: WRITE },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const comment = commentOf(state, repo, request.params.comment_id);
        comment.body = request.body.body;
        comment.updatedAt = state.clock.iso();
        return ok(render.issueComment(state, repo, comment));
      },
    )
    .on(
      "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
      { permission: WRITE },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const issue = issueOf(repo, request.params.issue_number);
        addUnique(issue.labels, labelNames(state, repo, request.body));
        issue.updatedAt = state.clock.iso();
        return ok(render.issue(state, repo, issue).labels);
      },
    )
    .on(
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
      { permission: WRITE },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const issue = issueOf(repo, request.params.issue_number);
        const index = issue.labels.findIndex(
          (name) => name.toLowerCase() === request.params.name.toLowerCase(),
        );
        if (index < 0) throw new GitHubError(404, "Label does not exist");
        issue.labels.splice(index, 1);
        issue.updatedAt = state.clock.iso();
        return ok(render.issue(state, repo, issue).labels);
      },
    )
    .on("GET /repos/{owner}/{repo}/labels", { permission: READ }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      return paginated(
        request,
        [...repo.labels.values()].map((label) => render.label(repo, label)),
      );
    })
    .on("GET /repos/{owner}/{repo}/labels/{name}", { permission: READ }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      const label = repo.labels.get(request.params.name.toLowerCase());
      if (!label) throw GitHubError.notFound();
      return ok(render.label(repo, label));
    })
    .on("POST /repos/{owner}/{repo}/labels", { permission: WRITE }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      const { name, color, description } = request.body;
      if (repo.labels.has(name.toLowerCase()))
        throw GitHubError.validationFailed("Label", "name", "already_exists");
      const label = new Seeder(state).seedLabel(repo, {
        name,
        ...(color === undefined ? {} : { color: color.replace(/^#/, "") }),
        description: description ?? null,
      });
      return created(render.label(repo, label));
    })
    .on("GET /repos/{owner}/{repo}/assignees/{assignee}", { permission: READ }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      if (!repo.collaborators.has(request.params.assignee.toLowerCase())) throw GitHubError.notFound();
      return { status: 204 };
    })
    .on(
      "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees",
      { permission: WRITE },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const issue = issueOf(repo, request.params.issue_number);
        addUnique(issue.assignees, assigneesOf(state, request.body?.assignees ?? []));
        issue.updatedAt = state.clock.iso();
        return created(render.issue(state, repo, issue));
      },
    );
}
