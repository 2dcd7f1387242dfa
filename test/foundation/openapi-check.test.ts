/** The fake refuses what GitHub refuses, per GitHub's OpenAPI description, and records it as a violation. */
import { describe, expect, it } from "@jest/globals";
import type { Octokit } from "@octokit/rest";
import { FakeGitHub, Router } from "../fake-github/index.js";
import { createFakeGitHub } from "../support/github.js";

function setup() {
  const fake = createFakeGitHub();
  const repo = fake.seedRepo({ owner: "acme", name: "api", files: { "README.md": "# api\n" } });
  const installation = fake.seedInstallation({ account: "acme" });
  const head = repo.branches.get("main") as string;
  return { fake, repo, head, installation, octokit: fake.octokit(installation.id) };
}

async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

const annotation = (line: number) => ({
  path: "README.md",
  start_line: line,
  end_line: line,
  annotation_level: "failure" as const,
  message: `finding ${line}`,
});

function createCheckRun(
  octokit: Octokit,
  headSha: string,
  output: { summary: string; annotations?: unknown[] },
) {
  return octokit.rest.checks.create({
    owner: "acme",
    repo: "api",
    name: "rulebook",
    head_sha: headSha,
    output: { title: "Rulebook", ...output } as { title: string; summary: string },
  });
}

describe("the OpenAPI check on requests", () => {
  it("refuses a check run whose output.summary is over 65,535 characters", async () => {
    const { fake, repo, head, octokit } = setup();
    expect(await statusOf(createCheckRun(octokit, head, { summary: "x".repeat(65_536) }))).toBe(422);
    expect(fake.takeViolations()).toEqual([
      {
        kind: "invalid-request",
        request: "POST /repos/acme/api/check-runs",
        route: "POST /repos/{owner}/{repo}/check-runs",
        message: "body: /output/summary must NOT have more than 65535 characters",
      },
    ]);
    expect(fake.checkRuns(repo)).toEqual([]);
  });

  it("refuses a check run with 51 annotations", async () => {
    const { fake, head, octokit } = setup();
    const annotations = Array.from({ length: 51 }, (_, index) => annotation(index + 1));
    expect(await statusOf(createCheckRun(octokit, head, { summary: "s", annotations }))).toBe(422);
    expect(fake.takeViolations().map((violation) => violation.message)).toEqual([
      "body: /output/annotations must NOT have more than 50 items",
    ]);
  });

  it("accepts a check run at the limits: 65,535 characters and 50 annotations", async () => {
    const { fake, repo, head, octokit } = setup();
    const annotations = Array.from({ length: 50 }, (_, index) => annotation(index + 1));
    const { status } = await createCheckRun(octokit, head, { summary: "x".repeat(65_535), annotations });
    expect(status).toBe(201);
    expect(fake.checkRuns(repo).map((run) => run.output.annotations.length)).toEqual([50]);
  });

  it("refuses a value outside an enum and names the allowed ones", async () => {
    const { fake, head, octokit } = setup();
    const request = octokit.request("POST /repos/{owner}/{repo}/check-runs", {
      owner: "acme",
      repo: "api",
      name: "rulebook",
      head_sha: head,
      conclusion: "passed" as "success",
    });
    expect(await statusOf(request)).toBe(422);
    expect(fake.takeViolations().map((violation) => violation.message)).toEqual([
      'body: /conclusion must be equal to one of the allowed values (["action_required","cancelled","failure","neutral","success","skipped","stale","timed_out"])',
    ]);
  });

  it("refuses an endpoint GitHub does not document", async () => {
    const { fake, octokit } = setup();
    expect(
      await statusOf(octokit.request("GET /repos/{owner}/{repo}/rulebook", { owner: "acme", repo: "api" })),
    ).toBe(404);
    expect(
      await statusOf(
        octokit.request("DELETE /repos/{owner}/{repo}/pulls/{n}", { owner: "acme", repo: "api", n: 1 }),
      ),
    ).toBe(404);
    expect(fake.takeViolations()).toEqual([
      {
        kind: "unknown-endpoint",
        request: "GET /repos/acme/api/rulebook",
        route: null,
        message: "GitHub documents no such path",
      },
      {
        kind: "unknown-endpoint",
        request: "DELETE /repos/acme/api/pulls/1",
        route: null,
        message: "GitHub documents /repos/{owner}/{repo}/pulls/{pull_number} only for GET, PATCH",
      },
    ]);
  });

  it("checks query and path parameters", async () => {
    const { fake, octokit } = setup();
    const list = (query: Record<string, unknown>) =>
      statusOf(octokit.request("GET /repos/{owner}/{repo}/pulls", { owner: "acme", repo: "api", ...query }));
    expect(await list({ state: "merged" })).toBe(422);
    expect(await list({ status: "open" })).toBe(422);
    expect(await list({ state: "all", per_page: 5 })).toBe(200);
    expect(await statusOf(octokit.request("GET /repos/acme/api/pulls/first"))).toBe(404);
    expect(fake.takeViolations().map((violation) => violation.message)).toEqual([
      'query: /state must be equal to one of the allowed values (["open","closed","all"])',
      "query: (root) must NOT have additional properties (status)",
      "path: /pull_number must be integer",
    ]);
  });

  it("needs the app's JWT on /app endpoints and an installation token elsewhere", async () => {
    const { fake, installation } = setup();
    const anonymous = new FakeGitHub().fetch;
    expect((await anonymous("https://api.github.com/repos/acme/api")).status).toBe(401);
    const token = fake.installationToken(installation.id);
    const app = await fake.fetch("https://api.github.com/app", {
      headers: { authorization: `token ${token}` },
    });
    const repo = await fake.fetch("https://api.github.com/repos/acme/api", {
      headers: { authorization: "token nope" },
    });
    expect([app.status, repo.status]).toEqual([401, 401]);
    expect(fake.takeViolations().map(({ kind, message }) => ({ kind, message }))).toEqual([
      { kind: "unauthorized", message: "GET /app needs the app's JWT; got an installation token" },
      {
        kind: "unauthorized",
        message:
          "GET /repos/{owner}/{repo} needs an installation token; got invalid credentials (unknown token)",
      },
    ]);
  });

  it("answers 404 outside the installation's repositories and 403 without the permission, as GitHub does", async () => {
    const fake = createFakeGitHub();
    fake.seedRepo({ owner: "acme", name: "api" });
    fake.seedRepo({ owner: "acme", name: "web" });
    fake.seedRepo({ owner: "other", name: "api" });
    const selected = fake.octokit(fake.seedInstallation({ account: "acme", repositories: ["api"] }).id);
    const readOnly = fake.octokit(
      fake.seedInstallation({ account: "other", permissions: { checks: "read" } }).id,
    );
    const get = (octokit: Octokit, owner: string, repo: string) =>
      statusOf(octokit.rest.repos.get({ owner, repo }));
    expect(await get(selected, "acme", "api")).toBe(200);
    expect(await get(selected, "acme", "web")).toBe(404);
    expect(await get(selected, "other", "api")).toBe(404);
    const head = fake.repo("other/api").branches.get("main") as string;
    const create = readOnly.rest.checks.create({
      owner: "other",
      repo: "api",
      name: "rulebook",
      head_sha: head,
    });
    await expect(create).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining("Resource not accessible by integration"),
    });
  });
});

describe("the OpenAPI check on the fake's own answers", () => {
  it("records a response that does not match the documented schema", async () => {
    const router = new Router().on("GET /repos/{owner}/{repo}", { permission: "metadata:read" }, () => ({
      status: 200,
      body: { id: 1, name: "api" },
    }));
    const fake = createFakeGitHub({ router });
    fake.seedRepo({ owner: "acme", name: "api" });
    await fake
      .octokit(fake.seedInstallation({ account: "acme" }).id)
      .rest.repos.get({ owner: "acme", repo: "api" });
    expect(fake.takeViolations().map(({ kind, message }) => ({ kind, message }))).toEqual([
      { kind: "invalid-response", message: "(root) must have required property 'archive_url'" },
    ]);
  });

  it("records a documented endpoint it has no handler for, and a handler that crashes", async () => {
    const router = new Router().on("GET /repos/{owner}/{repo}", { permission: "metadata:read" }, () => {
      throw new TypeError("a bug in the fake");
    });
    const fake = createFakeGitHub({ router });
    fake.seedRepo({ owner: "acme", name: "api" });
    const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id);
    expect(await statusOf(octokit.rest.repos.listReleases({ owner: "acme", repo: "api" }))).toBe(501);
    expect(await statusOf(octokit.rest.repos.get({ owner: "acme", repo: "api" }))).toBe(500);
    const violations = fake.takeViolations();
    expect(violations.map(({ kind, route }) => ({ kind, route }))).toEqual([
      { kind: "not-implemented", route: "GET /repos/{owner}/{repo}/releases" },
      { kind: "handler-error", route: "GET /repos/{owner}/{repo}" },
    ]);
    expect(violations[1]?.message.split("\n")[0]).toBe("TypeError: a bug in the fake");
  });

  it("fails the test through assertNoViolations, listing every violation", async () => {
    const { fake, octokit } = setup();
    await statusOf(octokit.request("GET /repos/{owner}/{repo}/rulebook", { owner: "acme", repo: "api" }));
    expect(() => fake.assertNoViolations()).toThrow(
      "The fake GitHub saw 1 problem(s):\n- unknown-endpoint: GET /repos/acme/api/rulebook: GitHub documents no such path",
    );
    expect(() => fake.assertNoViolations()).not.toThrow();
  });

  it("refuses to register a handler for an undocumented route", () => {
    expect(() =>
      new Router().on(
        "GET /repos/{owner}/{repo}/rulebook" as "GET /repos/{owner}/{repo}",
        { permission: "metadata:read" },
        () => ({ status: 200 }),
      ),
    ).toThrow("GET /repos/{owner}/{repo}/rulebook is not in GitHub's OpenAPI description");
  });
});
