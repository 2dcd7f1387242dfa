import { describe, expect, it } from "@jest/globals";
import { startApp } from "../support/github.js";

describe("the app wired to the fake GitHub", () => {
  it("creates a `rulebook` check run on the head SHA when a pull request is opened", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "README.md": "# api\n" } });
    const pr = gh.fake.seedPullRequest(repo, {
      title: "feat: add login",
      author: "alice",
      head: "feat/login",
      commits: [{ message: "feat: add login", files: { "src/login.ts": "export const login = 1;\n" } }],
    });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));

    const runs = gh.fake.checkRuns(repo);
    expect(runs.map((run) => ({ name: run.name, headSha: run.headSha, appId: run.appId }))).toEqual([
      { name: "rulebook", headSha: pr.head.sha, appId: gh.fake.state.appId },
    ]);
  });

  it("refuses a webhook whose signature does not match and accepts one that does", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = gh.fake.seedPullRequest(repo, { commits: [{ files: { "a.txt": "a\n" } }] });
    const installation = gh.fake.installationFor("acme");
    const body = JSON.stringify({
      ...gh.fake.pullRequestEvent(repo, pr.number, "opened"),
      installation: { id: installation.id },
    });

    await expect(
      gh.deliverRaw({ name: "pull_request", body, signature: gh.sign(`${body} `) }),
    ).rejects.toThrow("signature does not match event payload and secret");
    expect(gh.fake.checkRuns(repo)).toEqual([]);
    expect(gh.fake.requests.count()).toBe(0);

    await gh.deliverRaw({ name: "pull_request", body, signature: gh.sign(body) });
    expect(gh.fake.checkRuns(repo).map((run) => run.name)).toEqual(["rulebook"]);
  });
});
