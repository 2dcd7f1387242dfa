/**
 * A pull request that changes 3,000 files (the most GitHub lists) is judged on every file at a bounded
 * cost: GitHub lists changed files 100 at a time with their patches, so the list takes 30 requests and
 * no endpoint lists them more cheaply (README, "Rate-limit economy"); the test files the rules read
 * whole come 50 to a GraphQL query instead of one request each.
 */
import { describe, expect, it } from "@jest/globals";
import { startApp } from "../support/github.js";
import { seedCentralRepo, seedPullRequest } from "../support/scenario.js";

const FILES = 3000;
const TESTS = 120;

describe("a pull request that changes 3,000 files", () => {
  it("lists them in 30 pages and reads its test files in batched queries", async () => {
    const gh = await startApp();
    seedCentralRepo(gh, { "standards/rulebook.yml": 'version: "acme-1"\nextends: default\n' });
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const files: Record<string, string> = {};
    for (let i = 0; i < FILES - TESTS; i++) files[`src/module-${i}.ts`] = `export const value${i} = ${i};\n`;
    for (let i = 0; i < TESTS; i++)
      files[`test/module-${i}.test.ts`] = `it('computes value ${i}', () => {});\n`;
    const pr = seedPullRequest(gh, repo, { files });

    gh.fake.requests.reset();
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const [run] = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" });
    expect(run?.output.summary).not.toContain("could not be checked");
    const counts = gh.fake.requests.counts();
    expect(counts["GET /repos/{owner}/{repo}/pulls/{pull_number}/files"]).toBe(FILES / 100);
    expect(counts["GET /repos/{owner}/{repo}/contents/{path}"]).toBeUndefined();
    // 120 test files, 50 to a query (and nothing else this pull request asks of GraphQL).
    expect(counts["POST /graphql"]).toBe(Math.ceil(TESTS / 50));
  });
});
