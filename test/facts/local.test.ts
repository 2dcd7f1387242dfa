import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import {
  GitError,
  gatherLocal,
  parseDiff,
  parseLog,
  parseRemote,
  uncommittedPaths,
} from "../../src/gather/local.js";
import { applyGitEnv, TempRepo } from "../cli/git-repo.js";

const NOW = "2026-11-23T12:00:00Z";
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

let restoreEnv: () => void;
beforeAll(() => {
  restoreEnv = applyGitEnv();
});
afterAll(() => restoreEnv());

const repos: TempRepo[] = [];
function newRepo(): TempRepo {
  const repo = TempRepo.create();
  repos.push(repo);
  return repo;
}
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

describe("gatherLocal on a feature branch of a GitHub clone", () => {
  it("reads the repository, the range from the upstream default branch, commits, changes and files", async () => {
    const repo = newRepo();
    const baseSha = repo.commit("chore: start", {
      "README.md": "# Widgets\n\nline 3\n",
      "old-name.txt": "one\ntwo\nthree\nfour\nfive\n",
      "gone.txt": "bye\n",
      "logo.bin": Buffer.from([0, 1, 2, 3]),
    });
    repo.fakeOrigin("git@github.com:acme/widgets.git", "main", baseSha);
    repo.git("checkout", "-q", "-b", "feat/widget");
    repo.git("mv", "old-name.txt", "new-name.txt");
    repo.delete("gone.txt");
    const first = repo.commit(
      "feat: add the widget\n\nIt renders.\n\nCo-authored-by: Claude <noreply@anthropic.com>",
      { "src/widget.ts": "export const widget = 1;\n", "new-name.txt": "one\ntwo\nthree\nfour\nfive\nsix\n" },
    );
    const second = repo.commit("fixed stuff", {
      "README.md": "# Widgets\n\nline 3 changed\n",
      "logo.bin": Buffer.from([0, 1, 2, 4]),
    });
    // Uncommitted work is not what the pull request will contain.
    repo.write("README.md", "dirty\n");

    const facts = await gatherLocal({
      dir: join(repo.dir),
      paths: ["README.md", ".github/pull_request_template.md", "src/widget.ts", "src"],
      now: NOW,
    });

    expect(facts.scopes).toEqual(["pr", "repo"]);
    expect(facts.now).toBe(NOW);
    expect(facts.repo).toEqual({
      owner: "acme",
      name: "widgets",
      defaultBranch: "main",
      language: null,
      topics: [],
      customProperties: {},
      visibility: "public",
      archived: false,
      fork: false,
      files: {
        "README.md": "# Widgets\n\nline 3 changed\n",
        ".github/pull_request_template.md": null,
        "src/widget.ts": "export const widget = 1;\n",
        src: null,
      },
    });
    const { commits, files, ...pr } = facts.pullRequest ?? {};
    expect(pr).toEqual({
      number: 0,
      title: "",
      body: "",
      author: { login: "Alice Agent", type: "Unknown" },
      draft: false,
      base: { ref: "main", sha: baseSha },
      head: { ref: "feat/widget", sha: second },
      labels: [],
    });
    expect(commits).toEqual([
      {
        sha: first,
        message: "feat: add the widget\n\nIt renders.\n\nCo-authored-by: Claude <noreply@anthropic.com>",
        author: { name: "Alice Example", email: "alice@example.com" },
        coAuthors: [{ name: "Claude", email: "noreply@anthropic.com" }],
      },
      {
        sha: second,
        message: "fixed stuff",
        author: { name: "Alice Example", email: "alice@example.com" },
        coAuthors: [],
      },
    ]);
    expect(files).toEqual([
      {
        path: "README.md",
        status: "modified",
        patch: "@@ -1,3 +1,3 @@\n # Widgets\n \n-line 3\n+line 3 changed",
        binary: false,
      },
      { path: "gone.txt", status: "removed", patch: "@@ -1 +0,0 @@\n-bye", binary: false },
      { path: "logo.bin", status: "modified", binary: true },
      {
        path: "new-name.txt",
        status: "renamed",
        previousPath: "old-name.txt",
        patch: "@@ -3,3 +3,4 @@ two\n three\n four\n five\n+six",
        binary: false,
      },
      {
        path: "src/widget.ts",
        status: "added",
        patch: "@@ -0,0 +1 @@\n+export const widget = 1;",
        binary: false,
      },
    ]);
    expect(facts.unavailable).toEqual({
      "repo.rulesets": "rulesets live on GitHub; the rulebook check run evaluates them",
      "repo.metadata":
        "a local checkout does not know the repository's language, topics or custom properties",
      "pr.reviews": "reviews live on GitHub; the rulebook check run evaluates them",
      "pr.checkRuns": "other check runs live on GitHub; the rulebook check run evaluates them",
      "pr.baseCheckRuns":
        "the checks that ran on the base branch live on GitHub; the rulebook check run evaluates them",
      app: "the app's identity is known only on GitHub; the rulebook check run evaluates this",
      "pr.description":
        "a local checkout has no pull request title or body; pass them with `rulebook check --title T --body-file F`",
    });
    expect(await uncommittedPaths(repo.dir)).toEqual(["README.md"]);
  });

  it("starts at the merge base when the default branch moved on, and works from a subdirectory", async () => {
    const repo = newRepo();
    repo.commit("chore: start", { "a/file.txt": "a\n" });
    repo.git("checkout", "-q", "-b", "fix/thing");
    const fix = repo.commit("fix: the thing", { "a/file.txt": "b\n" });
    repo.git("checkout", "-q", "main");
    const moved = repo.commit("chore: elsewhere", { "other.txt": "o\n" });
    repo.fakeOrigin("https://github.com/acme/api.git", "main", moved);
    repo.git("checkout", "-q", "fix/thing");

    const facts = await gatherLocal({ dir: join(repo.dir, "a"), paths: [], now: NOW });
    expect(facts.pullRequest?.base).toEqual({ ref: "main", sha: moved });
    expect(facts.pullRequest?.commits?.map((c) => c.sha)).toEqual([fix]);
    expect(facts.pullRequest?.files?.map((f) => f.path)).toEqual(["a/file.txt"]);
    expect(facts.repo.name).toBe("api");
  });

  it("takes the title and body when given, so the description is judged", async () => {
    const repo = newRepo();
    repo.commit("chore: start", { "x.txt": "x\n" });
    const facts = await gatherLocal({
      dir: repo.dir,
      paths: [],
      now: NOW,
      title: "feat: add login",
      body: "## Why\nBecause.",
    });
    expect(facts.pullRequest?.title).toBe("feat: add login");
    expect(facts.pullRequest?.body).toBe("## Why\nBecause.");
    expect(facts.unavailable["pr.description"]).toBeUndefined();
    expect(Object.keys(facts.unavailable)).toEqual([
      "repo.rulesets",
      "repo.metadata",
      "pr.reviews",
      "pr.checkRuns",
      "pr.baseCheckRuns",
      "app",
    ]);
  });
});

describe("gatherLocal's choice of base", () => {
  it("without a remote on the default branch, judges everything from the root commit", async () => {
    const repo = newRepo();
    const root = repo.commit("initial commit", { "a.txt": "a\n" });
    const next = repo.commit("feat: more", { "b.txt": "b\n" });
    const facts = await gatherLocal({ dir: repo.dir, paths: ["a.txt"], now: NOW });
    expect(facts.repo.owner).toBe("local");
    expect(facts.repo.name).toBe(basename(repo.dir));
    expect(facts.pullRequest?.base).toEqual({ ref: "main", sha: EMPTY_TREE });
    expect(facts.pullRequest?.commits?.map((c) => c.sha)).toEqual([root, next]);
    expect(facts.pullRequest?.files).toEqual([
      { path: "a.txt", status: "added", patch: "@@ -0,0 +1 @@\n+a", binary: false },
      { path: "b.txt", status: "added", patch: "@@ -0,0 +1 @@\n+b", binary: false },
    ]);
    expect(facts.repo.files).toEqual({ "a.txt": "a\n" });
  });

  it("without a remote on another branch, starts from the local default branch", async () => {
    const repo = newRepo();
    const main = repo.commit("chore: start", { "a.txt": "a\n" });
    repo.git("checkout", "-q", "-b", "topic");
    const topic = repo.commit("feat: topic", { "t.txt": "t\n" });
    const facts = await gatherLocal({ dir: repo.dir, paths: [], now: NOW });
    expect(facts.pullRequest?.base).toEqual({ ref: "main", sha: main });
    expect(facts.pullRequest?.commits?.map((c) => c.sha)).toEqual([topic]);
  });

  it("finds a `master` default branch when origin/HEAD is not set", async () => {
    const repo = newRepo();
    const sha = repo.commit("chore: start", { "a.txt": "a\n" });
    repo.git("remote", "add", "origin", "ssh://git@github.example.com:2222/acme/legacy.git");
    repo.git("update-ref", "refs/remotes/origin/master", sha);
    const facts = await gatherLocal({ dir: repo.dir, paths: [], now: NOW });
    expect(facts.repo).toMatchObject({ owner: "acme", name: "legacy", defaultBranch: "master" });
    expect(facts.pullRequest?.base).toEqual({ ref: "master", sha });
    expect(facts.pullRequest?.commits).toEqual([]);
  });

  it("honours an explicit base and reports a detached HEAD as `HEAD`", async () => {
    const repo = newRepo();
    const one = repo.commit("chore: one", { "a.txt": "1\n" });
    const two = repo.commit("chore: two", { "a.txt": "2\n" });
    repo.git("checkout", "-q", "--detach");
    const facts = await gatherLocal({ dir: repo.dir, base: "HEAD~1", paths: [], now: NOW });
    expect(facts.pullRequest?.base).toEqual({ ref: "HEAD~1", sha: one });
    expect(facts.pullRequest?.head).toEqual({ ref: "HEAD", sha: two });
    expect(facts.pullRequest?.commits?.map((c) => c.message)).toEqual(["chore: two"]);
  });

  it("names the base the way a pull request does when given as origin/<branch>", async () => {
    const repo = newRepo();
    const sha = repo.commit("chore: one", { "a.txt": "1\n" });
    repo.fakeOrigin("https://github.com/acme/api", "develop", sha);
    const facts = await gatherLocal({ dir: repo.dir, base: "origin/develop", paths: [], now: NOW });
    expect(facts.pullRequest?.base).toEqual({ ref: "develop", sha });
    expect(facts.repo.defaultBranch).toBe("develop");
  });
});

describe("gatherLocal errors", () => {
  it("refuses an unknown base with a hint", async () => {
    const repo = newRepo();
    repo.commit("chore: one", { "a.txt": "1\n" });
    await expect(gatherLocal({ dir: repo.dir, base: "nope", paths: [], now: NOW })).rejects.toThrow(
      new GitError('base "nope" is not a commit in this checkout; fetch it or pass another --base'),
    );
  });

  it("refuses a directory that is not a checkout, and a repository without commits", async () => {
    const plain = mkdtempSync(join(tmpdir(), "rulebook-plain-"));
    try {
      await expect(gatherLocal({ dir: plain, paths: [], now: NOW })).rejects.toThrow(
        /^.* is not a git checkout with at least one commit \(git rev-parse failed: fatal: not a git repository/,
      );
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
    const empty = newRepo();
    await expect(gatherLocal({ dir: empty.dir, paths: [], now: NOW })).rejects.toBeInstanceOf(GitError);
  });
});

describe("parsers", () => {
  it("reads owner and name from the usual remote URL forms", () => {
    expect(parseRemote("https://github.com/acme/api.git", "dir")).toEqual({ owner: "acme", name: "api" });
    expect(parseRemote("https://x-access-token:t@github.com/acme/api/", "dir")).toEqual({
      owner: "acme",
      name: "api",
    });
    expect(parseRemote("git@github.com:acme/api.git", "dir")).toEqual({ owner: "acme", name: "api" });
    expect(parseRemote("ssh://git@ghe.example.com:2222/acme/api", "dir")).toEqual({
      owner: "acme",
      name: "api",
    });
    expect(parseRemote("api", "dir")).toEqual({ owner: "local", name: "dir" });
    expect(parseRemote(undefined, "dir")).toEqual({ owner: "local", name: "dir" });
  });

  it("reads the login from GitHub's noreply addresses", () => {
    const log = [
      "a".repeat(40),
      "Copilot",
      "198982749+Copilot@users.noreply.github.com",
      "feat: x\n",
      "b".repeat(40),
      "Bob",
      "bob@users.noreply.github.com",
      "fix: y\n\n",
      "",
    ].join("\0");
    expect(parseLog(log).map((c) => c.author)).toEqual([
      { name: "Copilot", email: "198982749+Copilot@users.noreply.github.com", login: "Copilot" },
      { name: "Bob", email: "bob@users.noreply.github.com", login: "bob" },
    ]);
  });

  it("joins the two patches git prints for a type change and refuses output it cannot match", () => {
    const raw = ":120000 100644 7f66e4f 3bcf9fd T\0link\0\0";
    const patches =
      "diff --git a/link b/link\ndeleted file mode 120000\n--- a/link\n+++ /dev/null\n@@ -1 +0,0 @@\n-f.txt\n" +
      "diff --git a/link b/link\nnew file mode 100644\n--- /dev/null\n+++ b/link\n@@ -0,0 +1 @@\n+text\n";
    expect(parseDiff(Buffer.from(raw + patches))).toEqual([
      {
        path: "link",
        status: "changed",
        patch: "@@ -1 +0,0 @@\n-f.txt\n@@ -0,0 +1 @@\n+text",
        binary: false,
      },
    ]);
    expect(() => parseDiff(Buffer.from(`${raw}diff --git a/link b/link\n`))).toThrow(
      "git diff printed 1 patches where 2 were expected; cannot match them to the changed files",
    );
  });
});

describe("gatherLocal's patches", () => {
  it("gives a pure rename and an empty file an empty patch, not a missing one", async () => {
    const repo = newRepo();
    const base = repo.commit("chore: start", { "keep.txt": "same\n" });
    repo.git("checkout", "-q", "-b", "chore/move");
    repo.git("mv", "keep.txt", "moved.txt");
    repo.commit("chore: move and add an empty file", { "empty.txt": "" });
    const facts = await gatherLocal({ dir: repo.dir, base, paths: [], now: NOW });
    expect(facts.pullRequest?.files).toEqual([
      { path: "empty.txt", status: "added", patch: "", binary: false },
      { path: "moved.txt", status: "renamed", previousPath: "keep.txt", patch: "", binary: false },
    ]);
  });
});
