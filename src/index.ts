import type { ApplicationFunction } from "probot";

/** Probot wiring: which events start which pipeline. */
const app: ApplicationFunction = (app) => {
  app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], async (context) => {
    const pr = context.payload.pull_request;
    await context.octokit.rest.checks.create(
      context.repo({ name: "rulebook", head_sha: pr.head.sha, status: "in_progress" as const }),
    );
  });
};

export default app;
