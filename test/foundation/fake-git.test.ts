/** Files by ref, commits, pull requests' commits and files, comparisons: the history model of the fake. */
import { describe, expect, it } from "@jest/globals";
import { diffText } from "../fake-github/diff.js";
import { createFakeGitHub } from "../support/github.js";

const REPO = { owner: "acme", repo: "api" } as const;

function setup() {
  const fake = createFakeGitHub();
  const repo = fake.seedRepo({
    owner: "acme",
    name: "api",
    files: { "README.md": "# api\n", "src/a.ts": "one\ntwo\nthree\n", "src/lib/b.ts": "b\n" },
  });
  const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id);
  return { fake, repo, octokit };
}

describe("line diffs", () => {
  it("writes git's hunks: context, deletions before additions, counts of 1 omitted", () => {
    expect(diffText("one\ntwo\nthree\n", "one\n2\nthree\n")).toEqual({
      patch: "@@ -1,3 +1,3 @@\n one\n-two\n+2\n three",
      additions: 1,
      deletions: 1,
    });
    expect(diffText("", "a\n")).toEqual({ patch: "@@ -0,0 +1 @@\n+a", additions: 1, deletions: 0 });
    expect(diffText("a\nb\n", "")).toEqual({ patch: "@@ -1,2 +0,0 @@\n-a\n-b", additions: 0, deletions: 2 });
    expect(diffText("same\n", "same\n")).toEqual({ patch: "", additions: 0, deletions: 0 });
  });

  it("marks a missing final newline and splits distant changes into hunks", () => {
    expect(diffText("a\n", "a").patch).toBe("@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file");
    const before = Array.from({ length: 12 }, (_, index) => `line ${index + 1}`).join("\n");
    const after = before.replace("line 1\n", "first\n").replace("line 12", "last");
    expect(diffText(`${before}\n`, `${after}\n`).patch).toBe(
      [
        "@@ -1,4 +1,4 @@",
        "-line 1",
        "+first",
        " line 2",
        " line 3",
        " line 4",
        "@@ -9,4 +9,4 @@",
        " line 9",
        " line 10",
        " line 11",
        "-line 12",
        "+last",
      ].join("\n"),
    );
  });
});

describe("files by ref", () => {
  it("serves a file at a branch, a SHA or a tag, base64 in 60-character lines", async () => {
    const { fake, repo, octokit } = setup();
    const first = repo.branches.get("main") as string;
    fake.seedCommit(repo, { files: { "src/a.ts": "changed\n".repeat(20) } });
    repo.tags.set("v1", first);
    const read = async (ref: string) => {
      const { data } = await octokit.rest.repos.getContent({ ...REPO, path: "src/a.ts", ref });
      if (Array.isArray(data) || data.type !== "file") throw new Error("not a file");
      expect(data.content.split("\n").every((line) => line.length <= 60)).toBe(true);
      return Buffer.from(data.content, "base64").toString("utf8");
    };
    expect(await read("main")).toBe("changed\n".repeat(20));
    expect(await read(first)).toBe("one\ntwo\nthree\n");
    expect(await read("v1")).toBe("one\ntwo\nthree\n");
  });

  it("lists directories, serves raw content when asked, and answers 404 for what is not there", async () => {
    const { octokit } = setup();
    const { data } = await octokit.rest.repos.getContent({ ...REPO, path: "src" });
    expect(Array.isArray(data) && data.map((entry) => [entry.type, entry.path])).toEqual([
      ["file", "src/a.ts"],
      ["dir", "src/lib"],
    ]);
    const root = await octokit.rest.repos.getContent({ ...REPO, path: "" });
    expect(Array.isArray(root.data) && root.data.map((entry) => entry.name)).toEqual(["README.md", "src"]);
    const raw = await octokit.rest.repos.getContent({
      ...REPO,
      path: "README.md",
      mediaType: { format: "raw" },
    });
    expect(raw.data).toBe("# api\n");
    await expect(octokit.rest.repos.getContent({ ...REPO, path: "LICENSE" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      octokit.rest.repos.getContent({ ...REPO, path: "README.md", ref: "nope" }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it("lists a recursive tree and serves its blobs", async () => {
    const { octokit } = setup();
    const { data: tree } = await octokit.rest.git.getTree({ ...REPO, tree_sha: "main", recursive: "true" });
    expect(tree.tree.map((entry) => [entry.type, entry.path])).toEqual([
      ["blob", "README.md"],
      ["tree", "src"],
      ["blob", "src/a.ts"],
      ["tree", "src/lib"],
      ["blob", "src/lib/b.ts"],
    ]);
    const { data: top } = await octokit.rest.git.getTree({ ...REPO, tree_sha: tree.sha });
    expect(top.tree.map((entry) => entry.path)).toEqual(["README.md", "src"]);
    const blob = tree.tree.find((entry) => entry.path === "src/lib/b.ts");
    const { data } = await octokit.rest.git.getBlob({ ...REPO, file_sha: blob?.sha as string });
    expect(Buffer.from(data.content, "base64").toString("utf8")).toBe("b\n");
  });
});

describe("commits and pull requests", () => {
  function withPullRequest() {
    const context = setup();
    const pr = context.fake.seedPullRequest(context.repo, {
      title: "feat: count to four",
      author: "alice",
      head: "feat/four",
      commits: [
        { message: "feat: say 2", files: { "src/a.ts": "one\n2\nthree\n" }, author: "alice" },
        { message: "feat: add four", files: { "src/four.ts": "4\n", "src/lib/b.ts": null }, author: "alice" },
      ],
    });
    return { ...context, pr };
  }

  it("lists a pull request's commits oldest first and its files with patches", async () => {
    const { octokit, pr } = withPullRequest();
    const commits = await octokit.rest.pulls.listCommits({ ...REPO, pull_number: pr.number });
    expect(
      commits.data.map((commit) => [
        commit.commit.message,
        commit.author && "login" in commit.author ? commit.author.login : null,
      ]),
    ).toEqual([
      ["feat: say 2", "alice"],
      ["feat: add four", "alice"],
    ]);
    const files = await octokit.rest.pulls.listFiles({ ...REPO, pull_number: pr.number });
    expect(
      files.data.map(({ filename, status, additions, deletions, patch }) => ({
        filename,
        status,
        additions,
        deletions,
        patch,
      })),
    ).toEqual([
      {
        filename: "src/a.ts",
        status: "modified",
        additions: 1,
        deletions: 1,
        patch: "@@ -1,3 +1,3 @@\n one\n-two\n+2\n three",
      },
      { filename: "src/four.ts", status: "added", additions: 1, deletions: 0, patch: "@@ -0,0 +1 @@\n+4" },
      { filename: "src/lib/b.ts", status: "removed", additions: 0, deletions: 1, patch: "@@ -1 +0,0 @@\n-b" },
    ]);
    const { data } = await octokit.rest.pulls.get({ ...REPO, pull_number: pr.number });
    expect([data.head.sha, data.commits, data.changed_files, data.additions, data.deletions]).toEqual([
      pr.head.sha,
      2,
      3,
      2,
      2,
    ]);
  });

  it("compares refs and finds the pull requests that contain a commit", async () => {
    const { fake, repo, octokit, pr } = withPullRequest();
    fake.seedCommit(repo, { message: "docs: readme", files: { "README.md": "# API\n" } });
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...REPO,
      basehead: "main...feat/four",
    });
    expect([data.status, data.ahead_by, data.behind_by, data.files?.map((file) => file.filename)]).toEqual([
      "diverged",
      2,
      1,
      ["src/a.ts", "src/four.ts", "src/lib/b.ts"],
    ]);
    const first = repo.commits.get(pr.head.sha)?.parents[0] as string;
    const pulls = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...REPO,
      commit_sha: first,
    });
    expect(pulls.data.map((pull) => pull.number)).toEqual([pr.number]);
    const commit = await octokit.rest.repos.getCommit({ ...REPO, ref: pr.head.sha });
    expect(commit.data.files?.map((file) => [file.filename, file.status])).toEqual([
      ["src/four.ts", "added"],
      ["src/lib/b.ts", "removed"],
    ]);
  });

  it("lists open pull requests by default and edits one", async () => {
    const { fake, repo, octokit, pr } = withPullRequest();
    fake.seedPullRequest(repo, { head: "old", state: "closed" });
    const open = await octokit.rest.pulls.list(REPO);
    expect(open.data.map((pull) => pull.number)).toEqual([pr.number]);
    const { data } = await octokit.rest.pulls.update({
      ...REPO,
      pull_number: pr.number,
      title: "feat: four",
      state: "closed",
    });
    expect([data.title, data.state]).toEqual(["feat: four", "closed"]);
    const all = await octokit.rest.pulls.list({ ...REPO, state: "all", sort: "created", direction: "asc" });
    expect(all.data.map((pull) => [pull.number, pull.state])).toEqual([
      [1, "closed"],
      [2, "closed"],
    ]);
  });

  it("requests reviewers, but never the author", async () => {
    const { octokit, pr } = withPullRequest();
    const { data } = await octokit.rest.pulls.requestReviewers({
      ...REPO,
      pull_number: pr.number,
      reviewers: ["bob"],
    });
    expect(data.requested_reviewers?.map((user) => user.login)).toEqual(["bob"]);
    await expect(
      octokit.rest.pulls.requestReviewers({ ...REPO, pull_number: pr.number, reviewers: ["alice"] }),
    ).rejects.toMatchObject({ status: 422 });
  });
});
