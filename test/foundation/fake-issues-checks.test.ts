/** Issues, comments, labels, assignees, check runs and combined statuses in the fake. */
import { describe, expect, it } from "@jest/globals";
import { createFakeGitHub } from "../support/github.js";

const REPO = { owner: "acme", repo: "api" } as const;

function setup() {
  const fake = createFakeGitHub();
  const repo = fake.seedRepo({ owner: "acme", name: "api", files: { "README.md": "# api\n" } });
  const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id);
  return { fake, repo, octokit, head: repo.branches.get("main") as string };
}

describe("issues", () => {
  it("opens an issue as the app's bot, creating missing labels, then comments, edits and closes it", async () => {
    const { fake, repo, octokit } = setup();
    const { data: issue } = await octokit.rest.issues.create({
      ...REPO,
      title: "RTFM: license",
      body: "<!-- rulebook:license -->",
      labels: ["rulebook"],
    });
    expect([
      issue.number,
      issue.user?.login,
      issue.labels.map((label) => (typeof label === "string" ? label : label.name)),
    ]).toEqual([1, "rulebook[bot]", ["rulebook"]]);
    expect([...repo.labels.keys()]).toEqual(["rulebook"]);
    const { data: comment } = await octokit.rest.issues.createComment({
      ...REPO,
      issue_number: 1,
      body: "still failing",
    });
    await octokit.rest.issues.updateComment({ ...REPO, comment_id: comment.id, body: "fixed" });
    await octokit.rest.issues.addAssignees({ ...REPO, issue_number: 1, assignees: ["alice"] });
    const { data: closed } = await octokit.rest.issues.update({
      ...REPO,
      issue_number: 1,
      state: "closed",
      state_reason: "completed",
    });
    expect([
      closed.state,
      closed.state_reason,
      closed.comments,
      closed.assignees?.map((user) => user.login),
    ]).toEqual(["closed", "completed", 1, ["alice"]]);
    const comments = await octokit.rest.issues.listComments({ ...REPO, issue_number: 1 });
    expect(comments.data.map((item) => item.body)).toEqual(["fixed"]);
    expect(fake.state.issueComments.size).toBe(1);
  });

  it("lists issues and pull requests together, filtered by state, label and creator", async () => {
    const { fake, repo, octokit } = setup();
    fake.seedIssue(repo, { title: "drift", labels: ["rulebook"], author: "rulebook[bot]" });
    fake.seedIssue(repo, { title: "old drift", labels: ["rulebook"], state: "closed" });
    fake.seedPullRequest(repo, { title: "feat: x", author: "alice", labels: ["rulebook", "agent"] });
    const titles = async (query: Record<string, string>) =>
      (await octokit.rest.issues.listForRepo({ ...REPO, ...query })).data.map((issue) => [
        issue.title,
        Boolean(issue.pull_request),
      ]);
    expect(await titles({ labels: "rulebook" })).toEqual([
      ["feat: x", true],
      ["drift", false],
    ]);
    expect(await titles({ labels: "rulebook,agent" })).toEqual([["feat: x", true]]);
    expect(await titles({ state: "closed" })).toEqual([["old drift", false]]);
    expect(await titles({ creator: "rulebook[bot]" })).toEqual([["drift", false]]);
  });

  it("adds and removes labels, refusing a duplicate label", async () => {
    const { fake, repo, octokit } = setup();
    fake.seedIssue(repo, { labels: ["bug"] });
    const added = await octokit.rest.issues.addLabels({
      ...REPO,
      issue_number: 1,
      labels: ["rulebook", "bug"],
    });
    expect(added.data.map((label) => label.name)).toEqual(["bug", "rulebook"]);
    const removed = await octokit.rest.issues.removeLabel({ ...REPO, issue_number: 1, name: "bug" });
    expect(removed.data.map((label) => label.name)).toEqual(["rulebook"]);
    await octokit.rest.issues.createLabel({
      ...REPO,
      name: "escalated",
      color: "#b60205",
      description: "A human is needed",
    });
    await expect(octokit.rest.issues.createLabel({ ...REPO, name: "Escalated" })).rejects.toMatchObject({
      status: 422,
    });
    const labels = await octokit.rest.issues.listLabelsForRepo(REPO);
    expect(labels.data.map((label) => [label.name, label.color])).toEqual([
      ["bug", "ededed"],
      ["rulebook", "ededed"],
      ["escalated", "b60205"],
    ]);
  });
});

describe("check runs", () => {
  it("completes a run when given a conclusion and appends annotations on update", async () => {
    const { fake, repo, octokit, head } = setup();
    const note = (line: number) => ({
      path: "README.md",
      start_line: line,
      end_line: line,
      annotation_level: "failure" as const,
      message: "no",
    });
    const { data: created } = await octokit.rest.checks.create({
      ...REPO,
      name: "rulebook",
      head_sha: head,
      status: "in_progress",
      output: { title: "t", summary: "s", annotations: [note(1)] },
    });
    expect([created.status, created.conclusion, created.output.annotations_count, created.app?.id]).toEqual([
      "in_progress",
      null,
      1,
      fake.state.appId,
    ]);
    const { data: updated } = await octokit.rest.checks.update({
      ...REPO,
      check_run_id: created.id,
      conclusion: "failure",
      output: { title: "t", summary: "s2", annotations: [note(2)] },
    });
    expect([
      updated.status,
      updated.conclusion,
      updated.output.summary,
      updated.output.annotations_count,
    ]).toEqual(["completed", "failure", "s2", 2]);
    expect(fake.checkRuns(repo)[0]?.output.annotations.map((annotation) => annotation.start_line)).toEqual([
      1, 2,
    ]);
    const annotations = await octokit.rest.checks.listAnnotations({ ...REPO, check_run_id: created.id });
    expect(annotations.data.map((annotation) => annotation.start_line)).toEqual([1, 2]);
  });

  it("refuses what GitHub refuses: an unknown head SHA, columns across lines, completing without a conclusion, another app's run", async () => {
    const { fake, repo, octokit, head } = setup();
    const create = (body: Record<string, unknown>) =>
      octokit.request("POST /repos/{owner}/{repo}/check-runs", {
        ...REPO,
        name: "rulebook",
        head_sha: head,
        ...body,
      });
    await expect(create({ head_sha: "f".repeat(40) })).rejects.toMatchObject({ status: 422 });
    await expect(
      create({
        output: {
          title: "t",
          summary: "s",
          annotations: [
            {
              path: "a",
              start_line: 1,
              end_line: 2,
              start_column: 1,
              end_column: 2,
              annotation_level: "notice",
              message: "m",
            },
          ],
        },
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(create({ status: "completed" })).rejects.toMatchObject({ status: 422 });
    const ci = fake.seedCheckRun(repo, { name: "ci", headSha: head, conclusion: "success" });
    await expect(
      octokit.rest.checks.update({ ...REPO, check_run_id: ci.id, conclusion: "failure" }),
    ).rejects.toMatchObject({ status: 403 });
    expect(fake.checkRuns(repo).map((run) => [run.name, run.conclusion])).toEqual([["ci", "success"]]);
  });

  it("lists the latest run per name on a ref, or all of them", async () => {
    const { fake, repo, octokit, head } = setup();
    fake.seedCheckRun(repo, { name: "ci", headSha: head, conclusion: "failure" });
    fake.seedCheckRun(repo, { name: "ci", headSha: head, conclusion: "success" });
    fake.seedCheckRun(repo, { name: "lint", headSha: head, status: "in_progress" });
    const latest = await octokit.rest.checks.listForRef({ ...REPO, ref: "main" });
    expect(latest.data.check_runs.map((run) => [run.name, run.status, run.conclusion])).toEqual([
      ["lint", "in_progress", null],
      ["ci", "completed", "success"],
    ]);
    const all = await octokit.rest.checks.listForRef({ ...REPO, ref: head, filter: "all", check_name: "ci" });
    expect(all.data.check_runs.map((run) => run.conclusion)).toEqual(["success", "failure"]);
  });
});

describe("combined statuses", () => {
  it("combines the latest status per context", async () => {
    const { fake, repo, octokit, head } = setup();
    const combined = async () =>
      (await octokit.rest.repos.getCombinedStatusForRef({ ...REPO, ref: head })).data;
    expect((await combined()).state).toBe("pending");
    fake.seedStatus(repo, { sha: head, context: "ci/test", state: "failure" });
    fake.seedStatus(repo, { sha: head, context: "ci/lint", state: "success" });
    expect((await combined()).state).toBe("failure");
    fake.seedStatus(repo, { sha: head, context: "ci/test", state: "success" });
    const data = await combined();
    expect([data.state, data.total_count, data.statuses.map((status) => status.context)]).toEqual([
      "success",
      2,
      ["ci/test", "ci/lint"],
    ]);
  });
});
