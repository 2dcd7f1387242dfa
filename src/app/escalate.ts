/**
 * Escalation: an author that fails the same error standard on several consecutive head SHAs of a pull
 * request, or an agent whose pull requests in a repository failed it on that many head SHAs within the
 * escalation window (see `agent-streaks.ts`), is past its escalation boundary. The pull request is
 * labelled `needs-human`, a review is requested from the configured team or the code owners, and one
 * comment says why. The label, or failing that the comment's hidden marker, makes it happen once: a
 * redelivered webhook carries the labels of its first delivery.
 */
import type { Bundle } from "../bundle/types.js";
import type { Octokit, PullRequestPayload, RepositoryPayload } from "../gather/github.js";
import { catchAllOwners, readCodeowners } from "../github/owners.js";
import { code, inline, mention } from "../publish/markdown.js";
import { hasMarker, writeMarker } from "../publish/markers.js";
import type { Services } from "./services.js";

const NEEDS_HUMAN_LABEL = "needs-human";
const ESCALATION_MARKER = "escalation";

/**
 * Whether this app already left its escalation comment (a person may have removed the label since). Only
 * the app's own comments count: anyone else, an agent included, could paste the marker to silence it.
 */
async function alreadyEscalated(
  octokit: Octokit,
  services: Services,
  issue: { owner: string; repo: string; issue_number: number },
) {
  const app = await services.identity();
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...issue, per_page: 100 });
  return comments.some(
    (c) =>
      (app ? c.user?.login === `${app.slug}[bot]` : c.user?.type === "Bot") &&
      hasMarker(c.body, ESCALATION_MARKER),
  );
}

async function reviewersFor(octokit: Octokit, services: Services, repository: RepositoryPayload) {
  const team = services.config.escalationTeam;
  if (team) return { users: [], teams: [team.includes("/") ? (team.split("/")[1] as string) : team] };
  const text = await readCodeowners(
    octokit,
    repository.owner.login,
    repository.name,
    repository.default_branch ?? "main",
  );
  return text === null ? { users: [], teams: [] } : catchAllOwners(text);
}

export async function escalate(
  octokit: Octokit,
  services: Services,
  input: {
    repository: RepositoryPayload;
    pullRequest: PullRequestPayload;
    standards: string[];
    streaks: Record<string, number>;
    bundle: Bundle;
  },
): Promise<void> {
  const { repository, pullRequest } = input;
  if ((pullRequest.labels ?? []).some((l) => l.name === NEEDS_HUMAN_LABEL)) return;
  const owner = repository.owner.login;
  const repo = repository.name;
  const issue = { owner, repo, issue_number: pullRequest.number };
  if (await alreadyEscalated(octokit, services, issue)) return;
  await octokit.rest.issues.addLabels({ ...issue, labels: [NEEDS_HUMAN_LABEL] });
  pullRequest.labels = [...(pullRequest.labels ?? []), { name: NEEDS_HUMAN_LABEL }];

  const author = pullRequest.user?.login;
  const reviewers = await reviewersFor(octokit, services, repository);
  const users = reviewers.users.filter((u) => u !== author);
  if (users.length || reviewers.teams.length) {
    await octokit.rest.pulls.requestReviewers({
      owner,
      repo,
      pull_number: pullRequest.number,
      ...(users.length ? { reviewers: users } : {}),
      ...(reviewers.teams.length ? { team_reviewers: reviewers.teams } : {}),
    });
  }
  const titles = new Map(input.bundle.standards.map((s) => [s.id, s.title]));
  const asked = [...users.map((u) => `@${u}`), ...reviewers.teams.map((t) => `@${owner}/${t}`)].map(mention);
  await octokit.rest.issues.createComment({
    ...issue,
    body: [
      writeMarker(ESCALATION_MARKER, { standards: input.standards }),
      "### A human is needed here",
      "",
      `The same standards have failed again and again, on this pull request or on the author's other pull requests in this repository within ${services.config.escalationWindowHours} hours:`,
      "",
      ...input.standards.map(
        (id) => `- ${code(id)} ${inline(titles.get(id) ?? "")}: failed on ${input.streaks[id]} head commits`,
      ),
      "",
      "The author is past its escalation boundary. **Agent: stop pushing workarounds.** Read the standard (`rulebook explain <id>`), write down what you tried and why it failed, and wait for a human.",
      "",
      asked.length
        ? `Review requested from ${asked.join(", ")}.`
        : "No code owner or escalation team is configured; a maintainer must pick this up.",
    ].join("\n"),
  });
}
