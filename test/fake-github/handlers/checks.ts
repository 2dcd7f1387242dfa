/** Check runs: the app's own `rulebook` run, and other apps' runs it reads on a head SHA. */
import { resolveRef } from "../git.js";
import { created, GitHubError, ok } from "../http.js";
import { paginated, paginatedIn } from "../paginate.js";
import * as render from "../render.js";
import type { Router } from "../router.js";
import { Seeder } from "../seed.js";
import { type Annotation, type CheckRunState, type FakeState, repoKey } from "../state.js";

function checkRunOf(state: FakeState, owner: string, name: string, id: number | bigint): CheckRunState {
  const run = state.checkRuns.get(Number(id));
  if (!run || run.repo !== repoKey(owner, name)) throw GitHubError.notFound();
  return run;
}

/** GitHub refuses columns on an annotation that spans several lines. */
function checkAnnotations(annotations: readonly Annotation[]): void {
  for (const annotation of annotations) {
    if (annotation.end_line < annotation.start_line) {
      throw GitHubError.validationFailed(
        "CheckRun",
        "annotations",
        "invalid",
        "end_line is before start_line",
      );
    }
    const hasColumns = annotation.start_column != null || annotation.end_column != null;
    if (hasColumns && annotation.start_line !== annotation.end_line) {
      throw GitHubError.validationFailed(
        "CheckRun",
        "annotations",
        "invalid",
        "start_column and end_column are only allowed when start_line equals end_line",
      );
    }
  }
}

interface CheckRunChanges {
  status?: CheckRunState["status"];
  conclusion?: CheckRunState["conclusion"] | "stale";
  started_at?: string;
  completed_at?: string;
}

/** Status and timestamps after a create or update: a conclusion completes the run. */
function settle(run: CheckRunState, changes: CheckRunChanges, now: string): void {
  if (changes.conclusion === "stale") {
    throw GitHubError.validationFailed("CheckRun", "conclusion", "invalid", "only GitHub can set stale");
  }
  if (changes.conclusion !== undefined) {
    run.conclusion = changes.conclusion;
    run.status = "completed";
  } else if (changes.status !== undefined) {
    run.status = changes.status;
  }
  if (changes.started_at !== undefined) run.startedAt = changes.started_at;
  if (run.status === "completed") {
    if (run.conclusion === null) {
      throw GitHubError.validationFailed(
        "CheckRun",
        "conclusion",
        "missing_field",
        "a completed run needs a conclusion",
      );
    }
    run.completedAt = changes.completed_at ?? run.completedAt ?? now;
  }
}

export function registerChecks(router: Router): Router {
  return router
    .on("POST /repos/{owner}/{repo}/check-runs", { permission: "checks:write" }, (request, state) => {
      const repo = state.repo(request.params.owner, request.params.repo);
      if (request.caller.kind !== "installation") throw GitHubError.unauthorized();
      const body = request.body;
      if (!repo.commits.has(body.head_sha)) {
        throw GitHubError.validationFailed(
          "CheckRun",
          "head_sha",
          "invalid",
          `No commit found for SHA: ${body.head_sha}`,
        );
      }
      checkAnnotations(body.output?.annotations ?? []);
      const appId = request.caller.installation.appId;
      const now = state.clock.iso();
      const run: CheckRunState = {
        id: state.nextId(),
        repo: repoKey(repo.owner, repo.name),
        headSha: body.head_sha,
        name: body.name,
        appId,
        checkSuiteId: new Seeder(state).checkSuiteId(repo, body.head_sha, appId),
        status: "queued",
        conclusion: null,
        startedAt: now,
        completedAt: null,
        detailsUrl: body.details_url ?? null,
        externalId: body.external_id ?? null,
        output: {
          title: body.output?.title ?? null,
          summary: body.output?.summary ?? null,
          text: body.output?.text ?? null,
          annotations: body.output?.annotations ?? [],
        },
        actions: body.actions ?? [],
      };
      settle(run, body, now);
      state.checkRuns.set(run.id, run);
      return created(render.checkRun(state, run));
    })
    .on(
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
      { permission: "checks:write" },
      (request, state) => {
        const run = checkRunOf(state, request.params.owner, request.params.repo, request.params.check_run_id);
        if (request.caller.kind !== "installation" || request.caller.installation.appId !== run.appId) {
          throw GitHubError.forbidden(
            "Invalid app_id: a check run can only be updated by the app that created it",
          );
        }
        const body = request.body;
        checkAnnotations(body.output?.annotations ?? []);
        if (body.name !== undefined) run.name = body.name;
        if (body.details_url !== undefined) run.detailsUrl = body.details_url;
        if (body.external_id !== undefined) run.externalId = body.external_id;
        if (body.output) {
          run.output.title = body.output.title ?? run.output.title;
          run.output.summary = body.output.summary;
          if (body.output.text !== undefined) run.output.text = body.output.text;
          // Annotations are appended, 50 per request, as GitHub documents.
          run.output.annotations.push(...(body.output.annotations ?? []));
        }
        if (body.actions !== undefined) run.actions = body.actions;
        settle(run, body, state.clock.iso());
        return ok(render.checkRun(state, run));
      },
    )
    .on(
      "GET /repos/{owner}/{repo}/check-runs/{check_run_id}",
      { permission: "checks:read" },
      (request, state) =>
        ok(
          render.checkRun(
            state,
            checkRunOf(state, request.params.owner, request.params.repo, request.params.check_run_id),
          ),
        ),
    )
    .on(
      "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations",
      { permission: "checks:read" },
      (request, state) => {
        const run = checkRunOf(state, request.params.owner, request.params.repo, request.params.check_run_id);
        return paginated(
          request,
          run.output.annotations.map((annotation) => ({
            path: annotation.path,
            start_line: annotation.start_line,
            end_line: annotation.end_line,
            start_column: annotation.start_column ?? null,
            end_column: annotation.end_column ?? null,
            annotation_level: annotation.annotation_level,
            title: annotation.title ?? null,
            message: annotation.message,
            raw_details: annotation.raw_details ?? null,
            blob_href: `${render.WEB_URL}/${run.repo}/blob/${run.headSha}/${annotation.path}`,
          })),
        );
      },
    )
    .on(
      "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
      { permission: "checks:read" },
      (request, state) => {
        const repo = state.repo(request.params.owner, request.params.repo);
        const sha = resolveRef(repo, request.params.ref);
        if (!sha) throw new GitHubError(422, `No commit found for SHA: ${request.params.ref}`);
        const { check_name, status, app_id } = request.query;
        const runs = [...state.checkRuns.values()]
          .filter(
            (run) =>
              run.repo === repoKey(repo.owner, repo.name) &&
              run.headSha === sha &&
              (check_name === undefined || run.name === check_name) &&
              (status === undefined || run.status === status) &&
              (app_id === undefined || run.appId === app_id),
          )
          .sort((a, b) => b.id - a.id);
        // "latest" (the default) keeps the most recent run per name and app.
        const latest =
          (request.query.filter ?? "latest") === "latest"
            ? runs.filter(
                (run, index) =>
                  runs.findIndex((other) => other.name === run.name && other.appId === run.appId) === index,
              )
            : runs;
        return paginatedIn(
          request,
          latest.map((run) => render.checkRun(state, run)),
          (checkRuns, totalCount) => ({ total_count: totalCount, check_runs: checkRuns }),
        );
      },
    );
}
