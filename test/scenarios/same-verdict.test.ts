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
import { defaultBundleDir, loadBundleDir } from "../../src/bundle/load.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { factNeeds } from "../../src/engine/needs.js";
import type { StandardStatus, Verdict } from "../../src/engine/verdict.js";
import type { RepositoryPayload } from "../../src/gather/github.js";
import { gatherRepository } from "../../src/gather/repository.js";
import { applyGitEnv, GIT_ENV, TempRepo } from "../cli/git-repo.js";
import { runCli } from "../support/cli.js";
import { comparableFindings } from "../support/comparable-findings.js";
import { readTemplate } from "../support/compliant-repo.js";
import { APP_ID, serverEnv } from "../support/github.js";
import { NOW, startConfiguredApp, verdictIn } from "../support/scenario.js";

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
    // - Only the check run judges validation-complete, guarded-paths and no-deleted-tests: other check runs and reviews live on
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
      "no-deleted-tests",
      "validation-complete",
    ]);
    expect(both).toEqual([
      "branch-name",
      "conventional-commits",
      "no-excluded-tests",
      "no-hidden-test-skips",
      "pr-body",
      "pr-title",
      "tests-can-fail",
    ]);
    for (const standard of both) {
      expect([standard, statusOf(cli, standard)]).toEqual([standard, statusOf(app, standard)]);
      expect(comparableFindings(cli.findings, standard)).toEqual(comparableFindings(app.findings, standard));
    }
    // The comparison is not empty: four of the five fail, on the commit message, the skip, the body and the title.
    const failing = both.filter((standard) => comparableFindings(app.findings, standard).length > 0);
    expect(failing).toEqual(["conventional-commits", "no-hidden-test-skips", "pr-body", "pr-title"]);
    expect(comparableFindings(app.findings, "no-hidden-test-skips")).toEqual([
      expect.objectContaining({ path: "src/login.test.ts", line: 3 }),
    ]);
    expect(comparableFindings(app.findings, "conventional-commits").map((f) => f.message)).toEqual([
      `Commit ${shas[1]?.slice(0, 7)} "added login test": the header does not start with a type and a colon, as in "feat: add login"`,
    ]);
  });
});

/** A public service repository whose pull requests target `develop`, with a ruleset that protects too little. */
const SERVICE_FILES = { ...BASE_FILES, LICENSE: "MIT License\n" };
const SERVICE_BRANCH: Array<{ message: string; files: Record<string, string> }> = [
  ...BRANCH,
  {
    message: "ci: run the tests on node 24\n\nCo-authored-by: Claude <noreply@anthropic.com>",
    files: { ".github/workflows/ci.yml": "on: pull_request\njobs: {}\n" },
  },
];

describe("the CLI with a token and the app on one repository", () => {
  it("give the same verdict on every standard of the default bundle", async () => {
    // The agent's checkout: main, then develop (which pull requests target), then the feature branch.
    const service = TempRepo.create();
    const mainSha = service.commit("Initial commit", SERVICE_FILES);
    service.git("checkout", "-q", "-b", "develop");
    const developSha = service.commit("chore: open develop", { "CHANGELOG.md": "# Changes\n" });
    service.fakeOrigin("git@github.com:acme/service.git", "main", mainSha);
    service.git("update-ref", "refs/remotes/origin/develop", developSha);
    service.git("checkout", "-q", "-b", "feat/login");
    const shas = SERVICE_BRANCH.map((commit) => service.commit(commit.message, commit.files));
    const head = shas.at(-1) as string;

    // GitHub holds the same commits, the pull request to develop, CI's check and a comment-only review.
    const gh = await startConfiguredApp();
    const repo = gh.fake.seedRepo({
      owner: "acme",
      name: "service",
      files: SERVICE_FILES,
      initialSha: mainSha,
      visibility: "public",
      topics: ["service"],
    });
    gh.fake.seedBranch(repo, "develop", "main");
    gh.fake.seedCommit(repo, {
      message: "chore: open develop",
      files: { "CHANGELOG.md": "# Changes\n" },
      branch: "develop",
      sha: developSha,
      authorName: GIT_ENV.GIT_AUTHOR_NAME as string,
      authorEmail: GIT_ENV.GIT_AUTHOR_EMAIL as string,
    });
    gh.fake.seedRuleset({
      repo,
      name: "main",
      rules: [{ type: "deletion" }, { type: "non_fast_forward" }],
    });
    const pr = gh.fake.seedPullRequest(repo, {
      title: TITLE,
      body: BODY,
      author: "alice",
      head: "feat/login",
      base: "develop",
      commits: SERVICE_BRANCH.map((commit, i) => ({
        ...commit,
        sha: shas[i] as string,
        authorName: GIT_ENV.GIT_AUTHOR_NAME as string,
        authorEmail: GIT_ENV.GIT_AUTHOR_EMAIL as string,
      })),
    });
    expect(pr.head.sha).toBe(head);
    gh.fake.seedCheckRun(repo, { name: "test", headSha: head, conclusion: "success" });
    gh.fake.seedReview(repo, pr.number, { author: "bob", state: "COMMENTED" });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
    const [run] = gh.fake.checkRuns(repo, { headSha: head, name: "rulebook" });
    const checkRun = verdictIn(run?.output.summary);

    // The app's judgement of the repository itself is the sweep's: its gatherer and the default bundle.
    const installation = gh.fake.installationFor("acme");
    const octokit = gh.fake.octokit(installation.id);
    const loaded = await loadBundleDir(defaultBundleDir(), { now: NOW });
    if (!loaded.ok) throw new Error("the default bundle is invalid");
    const needs = factNeeds(loaded.bundle, ["repo"]);
    const { data: payload } = await octokit.rest.repos.get({ owner: "acme", repo: "service" });
    const sweep = await evaluate(
      loaded.bundle,
      await gatherRepository(octokit, {
        repository: payload as RepositoryPayload,
        needs: needs.facts,
        paths: needs.paths,
        now: NOW,
        app: { id: APP_ID, slug: gh.fake.state.app().slug },
      }),
    );

    const cliRun = await runCli(["check", "--dir", service.dir, "--format", "json"], {
      cwd: service.dir,
      env: { GITHUB_TOKEN: gh.fake.installationToken(installation.id), ...serverEnv() },
      fetch: gh.fake.fetch,
    });
    service.remove();
    expect([cliRun.code, cliRun.stderr]).toEqual([1, ""]);
    const cli = JSON.parse(cliRun.stdout) as Verdict & { range: Record<string, unknown> };

    // It judged the pull request's base, develop, not main, and from the merge base on.
    expect(cli.range).toEqual({
      repository: "acme/service",
      pullRequest: pr.number,
      base: { ref: "develop", sha: developSha },
      mergeBase: developSha,
      head: { ref: "feat/login", sha: head },
      commits: { range: `${developSha}..${head}`, count: SERVICE_BRANCH.length },
      github: true,
    });
    expect(cli.bundle).toEqual(checkRun.bundle);
    // With access to GitHub nothing is left unjudged.
    expect(cli.notEvaluated).toEqual([]);

    // The app's verdict on a standard: the check run's for what a pull request decides, the sweep's for
    // what the repository decides; the push standards are judged by neither a check run nor the CLI.
    const appStatus = (standard: string) => {
      const onPullRequest = statusOf(checkRun, standard);
      return onPullRequest === "not-applicable" ? statusOf(sweep, standard) : onPullRequest;
    };
    const appFindings = (standard: string) => [
      ...comparableFindings(checkRun.findings, standard),
      ...comparableFindings(sweep.findings, standard),
    ];
    const every = loaded.bundle.standards.map((standard) => standard.id);
    expect(every).toHaveLength(20);
    for (const standard of every) {
      expect([standard, statusOf(cli, standard)]).toEqual([standard, appStatus(standard)]);
      expect([standard, comparableFindings(cli.findings, standard)]).toEqual([
        standard,
        appFindings(standard),
      ]);
    }
    const byStatus = (status: StandardStatus) =>
      every.filter((standard) => statusOf(cli, standard) === status);
    expect(byStatus("not-applicable")).toEqual(["no-direct-push", "no-self-merge", "no-bypass"]);
    // The comparison is not empty: every other standard was judged, most of them failing.
    expect(byStatus("fail")).toEqual([
      "conventional-commits",
      "pr-title",
      "pr-body",
      "issue-templates",
      "codeowners",
      "security-policy",
      "no-hidden-test-skips",
      "guarded-paths",
      "branch-protection",
      "release-tag-protection",
    ]);
    expect(byStatus("pass")).toEqual([
      "branch-name",
      "pr-template",
      "license",
      "no-excluded-tests",
      "no-deleted-tests",
      "validation-complete",
      "tests-can-fail",
    ]);
  });
});
