/**
 * The promise behind `rulebook check`: an agent runs, before pushing, the very check that will judge its pull
 * request. One branch, two judges: the CLI on a git checkout, and the app's `rulebook` check run on the same
 * commits (same SHAs, messages and files) in the fake GitHub, with the same title and body. Wherever both can
 * judge a standard, they must say exactly the same thing.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Finding, StandardStatus, Verdict } from "../../src/engine/verdict.js";
import { applyGitEnv, GIT_ENV, TempRepo } from "../cli/git-repo.js";
import { runCli } from "../support/cli.js";
import { readTemplate } from "../support/compliant-repo.js";
import { startConfiguredApp, verdictIn } from "../support/scenario.js";

/** The default bundle's template, so the repository carries it as the pr-template standard asks. */
const PR_TEMPLATE = readTemplate("pull_request_template.md");

const TITLE = "Add login";
/** Two of the template's four sections, and no linked issue. */
const BODY = "## Summary\n\nAdds a login form.\n\n## Validation\n\n- `npm test`: ran, passed\n";

const BASE_FILES = { "README.md": "# Widgets\n", ".github/pull_request_template.md": PR_TEMPLATE };
const BRANCH: Array<{ message: string; files: Record<string, string> }> = [
  { message: "feat(auth): add login", files: { "src/login.ts": "export const login = () => true;\n" } },
  {
    message: "added login test",
    files: {
      "src/login.test.ts": 'import { login } from "./login";\n\nit.skip("logs in", () => login());\n',
    },
  },
  {
    message: "fix(auth): reject empty passwords",
    files: { "src/login.ts": 'export const login = (password: string) => password !== "";\n' },
  },
];

/** The fields a finding is compared on: everything an agent acts upon. */
const COMPARED = [
  "standard",
  "rule",
  "severity",
  "message",
  "path",
  "line",
  "expected",
  "found",
  "remediation",
  "docs",
] as const;

function comparable(findings: Finding[], standard: string) {
  return findings
    .filter((finding) => finding.standard === standard)
    .map((finding) =>
      Object.fromEntries(COMPARED.flatMap((key) => (key in finding ? [[key, finding[key]]] : []))),
    );
}

/**
 * The standards a verdict actually judged: a rule ran, or a waiver or exemption decided. Not evaluated means a
 * fact was missing; not applicable means the standard's scope or profiles were not at hand.
 */
const JUDGED: StandardStatus[] = ["pass", "fail", "waived", "exempt"];
function judged(verdict: Verdict): string[] {
  return verdict.standards.filter((s) => JUDGED.includes(s.status)).map((s) => s.standard);
}

function statusOf(verdict: Verdict, standard: string): StandardStatus | undefined {
  return verdict.standards.find((s) => s.standard === standard)?.status;
}

let restoreEnv: () => void;
let repo: TempRepo;
let bodyDir: string;
beforeAll(() => {
  restoreEnv = applyGitEnv();
  repo = TempRepo.create();
  bodyDir = mkdtempSync(join(tmpdir(), "rulebook-body-"));
});
afterAll(() => {
  repo.remove();
  rmSync(bodyDir, { recursive: true, force: true });
  restoreEnv();
});

describe("the CLI and the check run on one pull request", () => {
  it("give the same findings for every standard both can judge", async () => {
    // The agent's checkout: a base commit on main, then a branch of three commits.
    const baseSha = repo.commit("Initial commit", BASE_FILES);
    repo.fakeOrigin("git@github.com:acme/widgets.git", "main", baseSha);
    repo.git("checkout", "-q", "-b", "feat/login");
    const shas = BRANCH.map((commit) => repo.commit(commit.message, commit.files));
    const bodyFile = join(bodyDir, "body.md");
    writeFileSync(bodyFile, BODY);

    const { code, stdout, stderr } = await runCli(
      ["check", "--dir", repo.dir, "--format", "json", "--title", TITLE, "--body-file", bodyFile],
      { cwd: repo.dir },
    );
    expect([code, stderr]).toEqual([1, ""]);
    const cli = JSON.parse(stdout) as Verdict;

    // GitHub holds the same commits, and the pull request whose head is the checkout's HEAD.
    const gh = await startConfiguredApp();
    const widgets = gh.fake.seedRepo({
      owner: "acme",
      name: "widgets",
      files: BASE_FILES,
      initialSha: baseSha,
    });
    const pr = gh.fake.seedPullRequest(widgets, {
      title: TITLE,
      body: BODY,
      author: "alice",
      head: "feat/login",
      commits: BRANCH.map((commit, i) => ({
        ...commit,
        sha: shas[i] as string,
        authorName: GIT_ENV.GIT_AUTHOR_NAME as string,
        authorEmail: GIT_ENV.GIT_AUTHOR_EMAIL as string,
      })),
    });
    expect(pr.head.sha).toBe(repo.git("rev-parse", "HEAD"));
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(widgets, pr.number, "opened"));
    const runs = gh.fake.checkRuns(widgets, { headSha: pr.head.sha, name: "rulebook" });
    expect(runs.map((run) => run.conclusion)).toEqual(["failure"]);
    const app = verdictIn(runs[0]?.output.summary);

    expect(app.bundle).toEqual(cli.bundle);
    // Which side can judge what, with the default bundle:
    // - Only the CLI judges codeowners, issue-templates and pr-template: they are repository standards, and the
    //   CLI reads the checkout's files at HEAD, while the check run judges the pull request alone (the
    //   repository's files are the sweep's, which opens RTFM issues for them).
    // - Only the check run judges validation-complete and guarded-paths: other check runs and reviews live on
    //   GitHub, so the CLI lists them as not evaluated.
    // - Neither judges license and security-policy (the CLI cannot tell the repository is private; the check
    //   run leaves repository standards to the sweep), branch-protection and release-tag-protection (rulesets
    //   live on GitHub; repository standards again), or no-direct-push, no-self-merge and no-bypass, which
    //   judge pushes.
    const both = judged(cli).filter((standard) => judged(app).includes(standard));
    expect(judged(cli).filter((standard) => !both.includes(standard))).toEqual([
      "codeowners",
      "issue-templates",
      "pr-template",
    ]);
    expect(judged(app).filter((standard) => !both.includes(standard))).toEqual([
      "guarded-paths",
      "validation-complete",
    ]);
    expect(both).toEqual([
      "branch-name",
      "conventional-commits",
      "no-hidden-test-skips",
      "pr-body",
      "pr-title",
    ]);
    for (const standard of both) {
      expect([standard, statusOf(cli, standard)]).toEqual([standard, statusOf(app, standard)]);
      expect(comparable(cli.findings, standard)).toEqual(comparable(app.findings, standard));
    }
    // The comparison is not empty: four of the five fail, on the commit message, the skip, the body and the title.
    const failing = both.filter((standard) => comparable(app.findings, standard).length > 0);
    expect(failing).toEqual(["conventional-commits", "no-hidden-test-skips", "pr-body", "pr-title"]);
    expect(comparable(app.findings, "no-hidden-test-skips")).toEqual([
      expect.objectContaining({ path: "src/login.test.ts", line: 3 }),
    ]);
    expect(comparable(app.findings, "conventional-commits").map((f) => f.message)).toEqual([
      `Commit ${shas[1]?.slice(0, 7)} "added login test" violates subject-empty: subject may not be empty`,
      `Commit ${shas[1]?.slice(0, 7)} "added login test" violates type-empty: type may not be empty`,
    ]);
  });
});
