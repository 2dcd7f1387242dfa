/**
 * An agent that keeps failing the same standard push after push is past its escalation boundary: the
 * pull request gets the `needs-human` label, a review request to its code owners and one comment saying
 * why; and redelivered or repeated webhooks never write twice.
 */
import { describe, expect, it } from "@jest/globals";
import type { RepoState } from "../fake-github/index.js";
import { type AppHarness, startApp } from "../support/github.js";
import { commentsOn, NOW, seedPullRequest, startConfiguredApp } from "../support/scenario.js";

const AGENT = "coder-agent[bot]";

/** An agent's pull request whose title breaks `pr-title` and nothing else; CI passes on its head. */
function seedAgentPullRequest(gh: AppHarness, repo: RepoState) {
  gh.fake.seedUser(AGENT, { type: "Bot" });
  return seedPullRequest(gh, repo, {
    author: AGENT,
    title: "Implement ticket 12",
    files: { "src/login.ts": "export const a = 1;\n" },
  });
}

/** The agent pushes one more commit (CI passes on it) and GitHub sends `synchronize`. */
async function pushAndSynchronize(gh: AppHarness, repo: RepoState, number: number, n: number) {
  const before = repo.pulls.get(number)?.head.sha as string;
  const pr = gh.fake.pushToPullRequest(repo, number, [
    { message: `fix: attempt ${n}`, files: { "src/login.ts": `export const a = ${n};\n` } },
  ]);
  gh.fake.seedCheckRun(repo, { name: "test", headSha: pr.head.sha, conclusion: "success" });
  await gh.deliver("pull_request", {
    ...gh.fake.pullRequestEvent(repo, number, "synchronize"),
    before,
    after: pr.head.sha,
  });
  return pr.head.sha;
}

describe("escalation to a human", () => {
  it("asks the code owners in once the same standard failed on three head commits in a row", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({
      owner: "acme",
      name: "api",
      files: { ".github/CODEOWNERS": "# owners\ndocs/ @acme/writers\n* @acme/maintainers @carol\n" },
    });
    const pr = seedAgentPullRequest(gh, repo);

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
    await pushAndSynchronize(gh, repo, pr.number, 2);
    expect(repo.issues.get(pr.number)?.labels).toEqual([]);
    expect(commentsOn(gh, repo, pr.number)).toEqual([]);

    const third = await pushAndSynchronize(gh, repo, pr.number, 3);

    const [run] = gh.fake.checkRuns(repo, { headSha: third, name: "rulebook" });
    expect(run?.conclusion).toBe("failure");
    expect(JSON.parse(run?.externalId ?? "")).toMatchObject({ s: { "pr-title": 3 } });
    expect(repo.issues.get(pr.number)?.labels).toEqual(["needs-human"]);
    expect(repo.pulls.get(pr.number)?.requestedReviewers).toEqual(["carol"]);
    expect(repo.pulls.get(pr.number)?.requestedTeams).toEqual(["maintainers"]);
    const comments = commentsOn(gh, repo, pr.number);
    expect(comments.map((c) => c.user)).toEqual(["rulebook[bot]"]);
    expect(comments[0]?.body).toBe(
      [
        '<!-- rulebook:escalation {"standards":["pr-title"]} -->',
        "### A human is needed here",
        "",
        "The same standards have failed again and again, on this pull request or on the author's other pull requests in this repository within 24 hours:",
        "",
        "- `pr-title` Pull request titles follow Conventional Commits: failed on 3 head commits",
        "",
        "The author is past its escalation boundary. **Agent: stop pushing workarounds.** Read the standard (`rulebook explain <id>`), write down what you tried and why it failed, and wait for a human.",
        "",
        "Review requested from @carol, @acme/maintainers.",
      ].join("\n"),
    );

    // A fourth failing push: still labelled, still one comment.
    const fourth = await pushAndSynchronize(gh, repo, pr.number, 4);
    const [latest] = gh.fake.checkRuns(repo, { headSha: fourth, name: "rulebook" });
    expect(JSON.parse(latest?.externalId ?? "")).toMatchObject({ s: { "pr-title": 4 } });
    expect(commentsOn(gh, repo, pr.number)).toHaveLength(1);
    expect(repo.issues.get(pr.number)?.labels).toEqual(["needs-human"]);
  });

  it("asks the escalation team instead when RULEBOOK_ESCALATION_TEAM names one", async () => {
    const gh = await startConfiguredApp({ RULEBOOK_ESCALATION_TEAM: "acme/oncall" });
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api", files: { CODEOWNERS: "* @carol\n" } });
    const pr = seedAgentPullRequest(gh, repo);

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
    await pushAndSynchronize(gh, repo, pr.number, 2);
    await pushAndSynchronize(gh, repo, pr.number, 3);

    expect(repo.pulls.get(pr.number)?.requestedReviewers).toEqual([]);
    expect(repo.pulls.get(pr.number)?.requestedTeams).toEqual(["oncall"]);
    const comments = commentsOn(gh, repo, pr.number);
    expect(comments.map((c) => c.body.split("\n").at(-1))).toEqual(["Review requested from @acme/oncall."]);
    expect(gh.fake.requests.count("GET /repos/{owner}/{repo}/contents/{path}")).toBe(0);
  });

  it("does not escalate twice when GitHub redelivers the push that reached the boundary", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api", files: { CODEOWNERS: "* @carol\n" } });
    const pr = seedAgentPullRequest(gh, repo);
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
    await pushAndSynchronize(gh, repo, pr.number, 2);
    const before = repo.pulls.get(pr.number)?.head.sha as string;
    const after = gh.fake.pushToPullRequest(repo, pr.number, [
      { message: "fix: attempt 3", files: { "src/login.ts": "export const a = 3;\n" } },
    ]).head.sha;
    gh.fake.seedCheckRun(repo, { name: "test", headSha: after, conclusion: "success" });
    // The very same delivery, bytes and id, arrives twice: the second still says the label is missing.
    const event = { ...gh.fake.pullRequestEvent(repo, pr.number, "synchronize"), before, after };

    await gh.deliver("pull_request", event, { id: "delivery-3" });
    await gh.deliver("pull_request", event, { id: "delivery-3" });

    expect(commentsOn(gh, repo, pr.number)).toHaveLength(1);
    expect(repo.issues.get(pr.number)?.labels).toEqual(["needs-human"]);
    expect(gh.fake.checkRuns(repo, { headSha: after, name: "rulebook" })).toHaveLength(1);
  });
});

describe("escalation that follows the agent", () => {
  it("counts the agent's failures across pull requests: a fresh pull request does not reset them", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api", files: { CODEOWNERS: "* @carol\n" } });
    const first = seedAgentPullRequest(gh, repo);
    const opened = gh.fake.pullRequestEvent(repo, first.number, "opened");
    await gh.deliver("pull_request", opened, { id: "delivery-1" });
    // Redelivered: the same head commit never counts twice.
    await gh.deliver("pull_request", opened, { id: "delivery-1" });
    await pushAndSynchronize(gh, repo, first.number, 2);
    expect(commentsOn(gh, repo, first.number)).toEqual([]);

    // The agent gives up on this pull request and opens a new one that fails the same way.
    const closed = repo.issues.get(first.number);
    if (closed) closed.state = "closed";
    gh.fake.seedUser(AGENT, { type: "Bot" });
    const second = seedPullRequest(gh, repo, {
      author: AGENT,
      title: "Implement ticket 12 again",
      head: "feat/login-again",
      files: { "src/login.ts": "export const a = 9;\n" },
    });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, second.number, "opened"));

    const [run] = gh.fake.checkRuns(repo, { headSha: second.head.sha, name: "rulebook" });
    // Its own streak is 1; the agent's third failing head commit in this repository escalates it.
    expect(JSON.parse(run?.externalId ?? "")).toMatchObject({ s: { "pr-title": 1 } });
    expect(repo.issues.get(second.number)?.labels).toEqual(["needs-human"]);
    expect(repo.pulls.get(second.number)?.requestedReviewers).toEqual(["carol"]);
    const [comment] = commentsOn(gh, repo, second.number);
    expect(comment?.body).toContain(
      "- `pr-title` Pull request titles follow Conventional Commits: failed on 3 head commits",
    );
  });

  it("does not add up a person's failures across pull requests, nor an agent's once the window is over", async () => {
    let now = Date.parse(NOW);
    const gh = await startConfiguredApp({ RULEBOOK_ESCALATION_WINDOW_HOURS: "1" }, () => now);
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api", files: { CODEOWNERS: "* @carol\n" } });
    gh.fake.seedUser(AGENT, { type: "Bot" });
    const open = async (author: string, head: string) => {
      const pr = seedPullRequest(gh, repo, { author, title: "Implement ticket 12", head });
      await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
      return pr.number;
    };
    const people = [
      await open("alice", "feat/a"),
      await open("alice", "feat/b"),
      await open("alice", "feat/c"),
    ];
    expect(people.map((n) => repo.issues.get(n)?.labels)).toEqual([[], [], []]);

    await open(AGENT, "feat/d");
    await open(AGENT, "feat/e");
    now += 61 * 60 * 1000;
    const late = await open(AGENT, "feat/f");
    expect(repo.issues.get(late)?.labels).toEqual([]);
    expect(commentsOn(gh, repo, late)).toEqual([]);
  });
});

describe("idempotency and request budgets", () => {
  it("writes one check run and no comment when the same `opened` arrives five times at once", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api", files: { CODEOWNERS: "* @carol\n" } });
    const pr = seedAgentPullRequest(gh, repo);
    const event = gh.fake.pullRequestEvent(repo, pr.number, "opened");

    await Promise.all(
      Array.from({ length: 5 }, () => gh.deliver("pull_request", event, { id: "delivery-1" })),
    );

    const runs = gh.fake.checkRuns(repo, { name: "rulebook" });
    expect(runs.map((run) => [run.headSha, run.status, run.conclusion])).toEqual([
      [pr.head.sha, "completed", "failure"],
    ]);
    expect(JSON.parse(runs[0]?.externalId ?? "")).toMatchObject({ s: { "pr-title": 1 } });
    expect(gh.fake.requests.count("POST /repos/{owner}/{repo}/check-runs")).toBe(1);
    expect(commentsOn(gh, repo, pr.number)).toEqual([]);
  });

  it("judges a `synchronize` with at most seven requests once the app is warm", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedAgentPullRequest(gh, repo);
    // Warm-up: the app identity, the installation token and the bundle are cached after this.
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
    gh.fake.requests.reset();

    await pushAndSynchronize(gh, repo, pr.number, 2);

    // The pull request as it is when the job runs (it may have waited, or taken in newer deliveries), its
    // commits, files and reviews; the check runs on the new head (CI's and ours) and on the previous head
    // (our run there carries the failing streaks); then our check run, created.
    expect(gh.fake.requests.counts()).toEqual({
      "GET /repos/{owner}/{repo}/pulls/{pull_number}": 1,
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits": 1,
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": 1,
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews": 1,
      "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": 2,
      "POST /repos/{owner}/{repo}/check-runs": 1,
    });
    expect(gh.fake.requests.count()).toBe(7);
    expect(gh.fake.requests.count()).toBeLessThanOrEqual(7);
  });
});
