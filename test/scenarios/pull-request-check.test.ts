/**
 * Stories of pull requests judged by the `rulebook` check, end to end through Probot and the fake GitHub:
 * what the check run says, to an agent and to a person, and how its annotations reach GitHub.
 */
import { describe, expect, it } from "@jest/globals";
import { type AppHarness, startApp } from "../support/github.js";
import { PR_BODY, seedCentralRepo, seedPullRequest, verdictIn } from "../support/scenario.js";
import { validateVerdict } from "../support/verdict-schema.js";

const DOCS_URL = "https://github.com/acme/.github/blob/main/standards/";

/** The organization's own bundle in acme/.github, extending the default one. */
function seedOrgBundle(gh: AppHarness, standards = "") {
  const yaml = [
    'version: "2026.12.0"',
    "extends: default",
    "settings:",
    `  docsUrl: ${DOCS_URL}`,
    ...(standards ? ["standards:", standards] : []),
  ].join("\n");
  return seedCentralRepo(gh, { "standards/rulebook.yml": `${yaml}\n` });
}

describe("the rulebook check on a pull request", () => {
  it("fails an agent's pull request that skips a failing test, with an annotation at that line", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/login.ts": "export {};\n" } });
    gh.fake.seedUser("coder-agent[bot]", { type: "Bot" });
    const pr = gh.fake.seedPullRequest(repo, {
      title: "Add login",
      body: PR_BODY,
      author: "coder-agent[bot]",
      head: "feat/login",
      commits: [
        {
          message: "added login stuff",
          files: {
            "src/login.test.ts":
              'describe("login", () => {\n  it.skip("rejects expired tokens", () => {});\n});\n',
          },
        },
      ],
    });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const runs = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect(run?.status).toBe("completed");
    expect(run?.conclusion).toBe("failure");
    expect(run?.output?.summary).toContain("Stop. Do not work around this check.");
    expect(run?.output?.summary).toContain('"schema": "rulebook.findings/v1"');
    expect(run?.output.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "src/login.test.ts", start_line: 2, annotation_level: "failure" }),
      ]),
    );
  });

  it("tells an agent what failed, why, how to fix it and where the standard is written down", async () => {
    const gh = await startApp();
    seedOrgBundle(gh);
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/login.ts": "export {};\n" } });
    gh.fake.seedUser("coder-agent[bot]", { type: "Bot" });
    const pr = gh.fake.seedPullRequest(repo, {
      title: "feat: add login",
      body: PR_BODY,
      author: "coder-agent[bot]",
      head: "feat/login",
      commits: [
        {
          message: "test: cover expired tokens",
          files: { "src/login.test.ts": 'it.skip("rejects expired tokens", () => {});\n' },
        },
      ],
    });
    gh.fake.seedCheckRun(repo, { name: "test", headSha: pr.head.sha, conclusion: "success" });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const [run, ...others] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    expect(others).toEqual([]);
    expect(run?.status).toBe("completed");
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toBe("Blocked: 1 error, 0 warnings, 0 notices, 0 not evaluated");
    const summary = run?.output.summary ?? "";

    // The verdict an agent parses: schema-valid, with the same finding the prose explains.
    const verdict = verdictIn(summary);
    expect(validateVerdict(verdict)).toBe(true);
    expect(validateVerdict.errors ?? null).toBeNull();
    const skip = {
      standard: "no-hidden-test-skips",
      rule: "test-skip",
      severity: "error",
      message:
        "Adds it.skip (JavaScript/TypeScript), which skips a test, with no comment beside it citing a tracking issue",
      path: "src/login.test.ts",
      line: 1,
      expected:
        "the test runs, or a comment on its line or just above citing an open tracking issue (#123, owner/repo#123, an issue URL)",
      found: 'it.skip("rejects expired tokens", () => {});',
      remediation:
        "Fix the code under test so the test passes and remove the skip (it.skip) at src/login.test.ts:1. If the skip must stay, open (or reopen) an issue for it and cite it in a comment on that line or just above, e.g. `// skip until #123 is fixed`; a reference inside a string does not count.",
      docs: `${DOCS_URL}docs/no-hidden-test-skips.md`,
    };
    expect(verdict).toMatchObject({
      schema: "rulebook.findings/v1",
      bundle: { source: "acme/.github:standards", version: "2026.12.0" },
      findings: [skip],
      notEvaluated: [],
      waivers: [],
    });

    // The prose: the stop paragraph, then the failing standard with why it exists, its manual and each
    // finding's fix; the standards met or not judged here, collapsed.
    expect(summary).toMatch(/^## Rulebook — Blocked: 1 error, 0 warnings, 0 notices, 0 not evaluated\n\n/);
    expect(summary).toContain(
      "**Stop. Do not work around this check.** This change was written by an AI agent",
    );
    expect(summary).toContain(
      `### 1 standard not met\n\n#### \`no-hidden-test-skips\` — Skipped tests name the issue that tracks them ([manual](${skip.docs}))\n\nWhy: An agent once skipped a failing test`,
    );
    expect(summary).toContain(`  - Fix: ${skip.remediation}\n\n<details>`);
    expect(summary).toContain(
      "<details><summary>The other 19 standards: 9 met, 10 not applicable here</summary>",
    );
    expect(summary).toContain(
      "- **Met:** `branch-name`, `conventional-commits`, `guarded-paths`, `no-deleted-tests`, `no-excluded-tests`, `pr-body`, `pr-title`, `tests-can-fail`, `validation-complete`",
    );
    expect(summary).toMatch(
      /<sub>Bundle `acme\/\.github:standards` version `2026\.12\.0` · facts digest `sha256:[0-9a-f]{16}` · schema `rulebook\.findings\/v1`<\/sub>\n$/,
    );

    // The annotation at the skip, and the button that judges the commit again.
    expect(run?.output.annotations).toEqual([
      {
        path: "src/login.test.ts",
        start_line: 1,
        end_line: 1,
        annotation_level: "failure",
        title: "no-hidden-test-skips (error)",
        message: [
          skip.message,
          `Expected: ${skip.expected}`,
          `Found: ${skip.found}`,
          `Fix: ${skip.remediation}`,
          `Docs: ${skip.docs}`,
        ].join("\n"),
      },
    ]);
    expect(run?.actions).toEqual([
      { label: "Re-run", description: "Judge this commit again", identifier: "rerun" },
    ]);
  });

  it("passes a person's compliant pull request, without telling them to stop", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/login.ts": "export {};\n" } });
    const pr = seedPullRequest(gh, repo, { files: { "src/login.ts": "export const a = 1;\n" } });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const runs = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    expect(runs.map((run) => [run.status, run.conclusion, run.output.title])).toEqual([
      ["completed", "success", "Passed: 0 errors, 0 warnings, 0 notices, 0 not evaluated"],
    ]);
    const summary = runs[0]?.output.summary ?? "";
    expect(summary).not.toContain("Stop.");
    expect(summary).not.toContain("### Findings");
    expect(verdictIn(summary)).toMatchObject({ bundle: { source: "default" }, findings: [] });
    expect(runs[0]?.output.annotations).toEqual([]);
  });

  it("shows a person's warnings as warning annotations and still passes", async () => {
    const gh = await startApp();
    // A standard rolled out gradually: until its `since` date its errors are warnings.
    seedOrgBundle(gh, "  no-hidden-test-skips:\n    since: 2099-01-01");
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = gh.fake.seedPullRequest(repo, {
      title: "test: cover login",
      body: PR_BODY,
      author: "alice",
      head: "test/login",
      commits: [
        {
          message: "test: cover login",
          author: "alice",
          files: { "src/login.test.ts": 'test("a", () => {});\ntest.skip("b", () => {});\n' },
        },
      ],
    });
    gh.fake.seedCheckRun(repo, { name: "test", headSha: pr.head.sha, conclusion: "success" });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const [run] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    expect([run?.status, run?.conclusion, run?.output.title]).toEqual([
      "completed",
      "success",
      "Passed: 0 errors, 1 warning, 0 notices, 0 not evaluated",
    ]);
    expect(run?.output.summary).not.toContain("Stop.");
    expect(run?.output.annotations.map((a) => [a.path, a.start_line, a.annotation_level, a.title])).toEqual([
      ["src/login.test.ts", 2, "warning", "no-hidden-test-skips (warning)"],
    ]);
  });
});

describe("annotations on a pull request with many findings", () => {
  it("lands all 120 annotations through one create and two updates", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const skips = Array.from({ length: 120 }, (_, i) => `it.skip("case ${i + 1}", () => {});`);
    const pr = gh.fake.seedPullRequest(repo, {
      title: "test: add cases",
      body: PR_BODY,
      author: "alice",
      head: "test/cases",
      commits: [
        {
          message: "test: add cases",
          author: "alice",
          files: { "src/cases.test.ts": `${skips.join("\n")}\n` },
        },
      ],
    });
    gh.fake.seedCheckRun(repo, { name: "test", headSha: pr.head.sha, conclusion: "success" });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const [run] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual(
      skips.map((_, i) => ["src/cases.test.ts", i + 1, "failure"]),
    );
    expect(gh.fake.requests.count("POST /repos/{owner}/{repo}/check-runs")).toBe(1);
    expect(gh.fake.requests.count("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")).toBe(2);
  });
});
