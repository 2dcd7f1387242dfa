/**
 * "Validation passed" after two of the four usual tools ran: with the shipped bundle, which names no
 * checks, the checks that ran on the base branch are the ones a pull request must run too.
 */
import { describe, expect, it } from "@jest/globals";
import type { RepoState } from "../fake-github/index.js";
import { type AppHarness, startApp } from "../support/github.js";
import { seedPullRequest, verdictIn } from "../support/scenario.js";

const USUAL = ["lint", "test", "typecheck", "e2e"];

/** acme/api, whose main branch ran the usual four checks on its head commit, all green. */
function seedRepoWithUsualChecks(gh: AppHarness): RepoState {
  const repo = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/app.ts": "export {};\n" } });
  const head = repo.branches.get("main") as string;
  for (const name of USUAL) gh.fake.seedCheckRun(repo, { name, headSha: head, conclusion: "success" });
  return repo;
}

function validationFindings(summary: string | null | undefined) {
  return verdictIn(summary).findings.filter((f) => f.standard === "validation-complete");
}

describe("validation-complete with the shipped bundle", () => {
  it("fails an agent's pull request on which 2 of the usual 4 checks ran, naming the two missing", async () => {
    const gh = await startApp();
    const repo = seedRepoWithUsualChecks(gh);
    gh.fake.seedUser("coder-agent[bot]", { type: "Bot" });
    const pr = seedPullRequest(gh, repo, { author: "coder-agent[bot]", ci: false });
    for (const name of ["lint", "test"]) {
      gh.fake.seedCheckRun(repo, { name, headSha: pr.head.sha, conclusion: "success" });
    }

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const [run] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    expect(run?.conclusion).toBe("failure");
    const findings = validationFindings(run?.output.summary);
    expect(findings.map((f) => [f.found, f.message.split(" ran on ")[0]])).toEqual([
      ["missing", 'Check "e2e" (github-actions)'],
      ["missing", 'Check "typecheck" (github-actions)'],
    ]);
  });

  it("passes when all four ran and succeeded, and fails one that was skipped or cancelled", async () => {
    const gh = await startApp();
    const repo = seedRepoWithUsualChecks(gh);
    const pr = seedPullRequest(gh, repo, { ci: false });
    for (const name of USUAL)
      gh.fake.seedCheckRun(repo, { name, headSha: pr.head.sha, conclusion: "success" });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
    const [passed] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    expect(passed?.conclusion).toBe("success");

    const other = seedPullRequest(gh, repo, { head: "feat/other", ci: false });
    for (const [name, conclusion] of [
      ["lint", "success"],
      ["test", "skipped"],
      ["typecheck", "cancelled"],
      ["e2e", "neutral"],
    ] as const) {
      gh.fake.seedCheckRun(repo, { name, headSha: other.head.sha, conclusion });
    }
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, other.number, "opened"));
    const [failed] = gh.fake.checkRuns(repo, { headSha: other.head.sha, name: "rulebook" });
    expect(failed?.conclusion).toBe("failure");
    expect(
      validationFindings(failed?.output.summary)
        .map((f) => f.found)
        .sort(),
    ).toEqual(["cancelled", "neutral", "skipped"]);
  });
});
