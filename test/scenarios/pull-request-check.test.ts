/**
 * Stories of pull requests judged by the `rulebook` check, end to end through Probot and the fake GitHub.
 */
import { describe, expect, it } from "@jest/globals";
import { startApp } from "../support/github.js";

const TEMPLATE_BODY = [
  "## Summary",
  "Adds the login form.",
  "## Linked issue",
  "Fixes #12",
  "## Validation",
  "- npm test: ran, passed",
  "## Risks and rollback",
  "Revert the commit.",
].join("\n");

describe("the rulebook check on a pull request", () => {
  it("fails an agent's pull request that skips a failing test, with an annotation at that line", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/login.ts": "export {};\n" } });
    gh.fake.seedUser("coder-agent[bot]", { type: "Bot" });
    const pr = gh.fake.seedPullRequest(repo, {
      title: "Add login",
      body: TEMPLATE_BODY,
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
});
