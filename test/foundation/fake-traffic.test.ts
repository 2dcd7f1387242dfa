/** Counting requests, injected faults, pagination and conditional requests. */

import { describe, expect, it } from "@jest/globals";
import { runtimeOf } from "../../src/index.js";
import { SECONDARY_RATE_LIMIT_MESSAGE } from "../fake-github/traffic.js";
import { createFakeGitHub, startApp } from "../support/github.js";

function setup() {
  const fake = createFakeGitHub();
  const repo = fake.seedRepo({ owner: "acme", name: "api", files: { "README.md": "# api\n" } });
  const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id);
  return { fake, repo, octokit };
}

const REPO = { owner: "acme", repo: "api" } as const;

describe("counting requests", () => {
  it("counts per endpoint and in total, and starts again after a reset", async () => {
    const { fake, octokit } = setup();
    await octokit.rest.repos.get(REPO);
    await octokit.rest.repos.get(REPO);
    await octokit.rest.issues.listForRepo(REPO);
    expect(fake.requests.count("GET /repos/{owner}/{repo}")).toBe(2);
    expect(fake.requests.count()).toBe(3);
    expect(fake.requests.counts()).toEqual({
      "GET /repos/{owner}/{repo}": 2,
      "GET /repos/{owner}/{repo}/issues": 1,
    });

    fake.requests.reset();
    await octokit.rest.issues.listForRepo(REPO);
    expect(fake.requests.counts()).toEqual({ "GET /repos/{owner}/{repo}/issues": 1 });
    expect(fake.requests.all).toEqual([
      {
        method: "GET",
        path: "/repos/acme/api/issues",
        route: "GET /repos/{owner}/{repo}/issues",
        status: 200,
        faulted: false,
        budget: "core",
        units: 1,
      },
    ]);
  });
});

describe("injected faults", () => {
  it("fails N times, then recovers", async () => {
    const { fake, octokit } = setup();
    fake.faults.inject("GET /repos/{owner}/{repo}", { status: 502, times: 2 });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      statuses.push(
        await octokit.rest.repos.get(REPO).then(
          (r) => r.status,
          (e: { status: number }) => e.status,
        ),
      );
    }
    expect(statuses).toEqual([502, 502, 200]);
    expect(fake.requests.all.map((r) => r.faulted)).toEqual([true, true, false]);
  });

  it("answers a secondary rate limit with 403, GitHub's message and retry-after", async () => {
    const { fake, octokit } = setup();
    fake.faults.secondaryRateLimit("POST /repos/{owner}/{repo}/issues", { retryAfterSeconds: 7, times: 1 });
    await expect(octokit.rest.issues.create({ ...REPO, title: "RTFM" })).rejects.toMatchObject({
      status: 403,
      response: { headers: { "retry-after": "7" }, data: { message: SECONDARY_RATE_LIMIT_MESSAGE } },
    });
    expect((await octokit.rest.issues.create({ ...REPO, title: "RTFM" })).status).toBe(201);
  });

  it("applies only to matching requests, and delays without failing", async () => {
    const { fake, octokit } = setup();
    fake.seedRepo({ owner: "acme", name: "web" });
    fake.faults.inject("*", { status: 404, when: ({ params }) => params.repo === "web" });
    fake.faults.inject("GET /repos/{owner}/{repo}/issues", { delayMs: 30 });
    const order: string[] = [];
    const slow = octokit.rest.issues.listForRepo(REPO).then(() => order.push("issues"));
    const fast = octokit.rest.repos.get(REPO).then(() => order.push("repo"));
    await Promise.all([slow, fast]);
    expect(order).toEqual(["repo", "issues"]);
    await expect(octokit.rest.repos.get({ owner: "acme", repo: "web" })).rejects.toMatchObject({
      status: 404,
    });
    fake.faults.clear();
    expect((await octokit.rest.repos.get({ owner: "acme", repo: "web" })).status).toBe(200);
  });

  it("lets a harness switch Octokit's retries back on, so the app rides out a transient error", async () => {
    const gh = await startApp({ octokit: { retry: { enabled: true, retryAfterBaseValue: 1 } } });
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = gh.fake.seedPullRequest(repo, { commits: [{ files: { "a.txt": "a\n" } }] });
    gh.fake.faults.inject("POST /repos/{owner}/{repo}/check-runs", { status: 502, times: 1 });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number));
    expect(
      gh.fake.requests.all
        .filter((r) => r.route === "POST /repos/{owner}/{repo}/check-runs")
        .map((r) => r.status),
    ).toEqual([502, 201]);
    expect(gh.fake.checkRuns(repo).map((run) => run.name)).toEqual(["rulebook"]);
  });

  it("makes the delivery's job fail, kept as failed, when retries are off (the default in tests)", async () => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = gh.fake.seedPullRequest(repo, { commits: [{ files: { "a.txt": "a\n" } }] });
    gh.fake.faults.inject("POST /repos/{owner}/{repo}/check-runs", { status: 500 });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number), { id: "d-1" });
    expect(gh.fake.checkRuns(repo)).toEqual([]);
    expect((await runtimeOf(gh.probot)?.failures(5))?.recent.map((f) => f.id)).toEqual(["d-1"]);
  });
});

describe("pagination", () => {
  it("pages with per_page and page, and links next, last, prev and first as GitHub does", async () => {
    const { fake, octokit } = setup();
    for (const name of ["a", "b", "c", "d", "e", "f", "g"]) fake.seedLabel("acme/api", { name });
    const second = await octokit.rest.issues.listLabelsForRepo({ ...REPO, per_page: 3, page: 2 });
    expect(second.data.map((label) => label.name)).toEqual(["d", "e", "f"]);
    const page = (n: number) => `<https://api.github.com/repos/acme/api/labels?per_page=3&page=${n}>`;
    expect(second.headers.link).toBe(
      `${page(1)}; rel="prev", ${page(3)}; rel="next", ${page(3)}; rel="last", ${page(1)}; rel="first"`,
    );
    const all = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { ...REPO, per_page: 3 });
    expect(all.map((label) => label.name)).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
    expect(fake.requests.count("GET /repos/{owner}/{repo}/labels")).toBe(4);
  });

  it("pages wrapped lists and caps per_page at 100", async () => {
    const { fake, repo, octokit } = setup();
    const head = repo.branches.get("main") as string;
    for (let index = 0; index < 105; index++) fake.seedCheckRun(repo, { name: `ci-${index}`, headSha: head });
    const first = await octokit.rest.checks.listForRef({ ...REPO, ref: head, per_page: 500 });
    expect([first.data.total_count, first.data.check_runs.length]).toEqual([105, 100]);
    const all = await octokit.paginate(octokit.rest.checks.listForRef, { ...REPO, ref: head, per_page: 100 });
    expect(all.length).toBe(105);
  });
});

describe("conditional requests", () => {
  it("answers 304 to a matching If-None-Match, and 200 once the file changed", async () => {
    const { fake, octokit } = setup();
    const first = await octokit.rest.repos.getContent({ ...REPO, path: "README.md" });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    await expect(
      octokit.rest.repos.getContent({ ...REPO, path: "README.md", headers: { "if-none-match": etag } }),
    ).rejects.toMatchObject({ status: 304 });
    fake.seedCommit("acme/api", { files: { "README.md": "# api, renamed\n" } });
    const changed = await octokit.rest.repos.getContent({
      ...REPO,
      path: "README.md",
      headers: { "if-none-match": etag },
    });
    expect(changed.status).toBe(200);
    expect(fake.requests.all.map((r) => r.status)).toEqual([200, 304, 200]);
    // A 304 costs the rate limit nothing.
    expect(fake.requests.units()).toEqual({ core: 2, graphql: 0 });
  });
});
