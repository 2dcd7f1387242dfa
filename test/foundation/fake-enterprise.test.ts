/**
 * The fake as a GitHub Enterprise Server: its API under `/api/v3` and `/api/graphql`, requests checked
 * against that release's OpenAPI description, its version in every answer, its own web address in
 * every link, and no rate limit when an administrator turned it off.
 */
import { describe, expect, it } from "@jest/globals";
import { ENTERPRISE_HOST } from "../fake-github/index.js";
import { createFakeGitHub } from "../support/github.js";

const API = `https://${ENTERPRISE_HOST}/api/v3`;

function setup(rateLimiting = false) {
  const fake = createFakeGitHub({ enterprise: { version: "3.17", rateLimiting } });
  const repo = fake.seedRepo({ owner: "acme", name: "api", files: { "README.md": "# api\n" } });
  const installation = fake.seedInstallation({ account: "acme" });
  const get = (path: string) =>
    fake.fetch(`${API}${path}`, {
      headers: { authorization: `token ${fake.installationToken(installation.id)}` },
    });
  return { fake, repo, installation, get, octokit: fake.octokit(installation.id) };
}

describe("the fake GitHub Enterprise Server", () => {
  it("answers REST under /api/v3 with its version, links on its own host and no rate-limit headers", async () => {
    const { get } = setup();
    const response = await get("/repos/acme/api");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-github-enterprise-version")).toBe("3.17.0");
    expect([...response.headers.keys()].filter((name) => name.startsWith("x-ratelimit"))).toEqual([]);
    const repository = (await response.json()) as { html_url: string; url: string; ssh_url: string };
    expect(repository).toMatchObject({
      html_url: `https://${ENTERPRISE_HOST}/acme/api`,
      url: `${API}/repos/acme/api`,
      ssh_url: `git@${ENTERPRISE_HOST}:acme/api.git`,
    });
  });

  it("answers GraphQL at /api/graphql, links on its own host", async () => {
    const { fake, repo, octokit } = setup();
    fake.seedIssue(repo, { title: "Drift", author: "octocat" });
    const answer = await octokit.graphql<{ repository: { issue: { url: string } } }>(
      `query { repository(owner: "acme", name: "api") { issue(number: 1) { url } } }`,
    );
    expect(answer.repository.issue.url).toBe(`https://${ENTERPRISE_HOST}/acme/api/issues/1`);
    expect(fake.requests.all.map((request) => request.route)).toContain("POST /graphql");
  });

  it("answers GET /rate_limit with 404 while rate limiting is off", async () => {
    const { get } = setup();
    const response = await get("/rate_limit");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ message: "Rate limiting is not enabled." });
  });

  it("refuses an endpoint its release lacks though github.com has it, and github.com's address", async () => {
    const { fake, get } = setup();
    expect((await get("/repos/acme/api/actions/cache/retention-limit")).status).toBe(404);
    const token = fake.installationToken(fake.seedInstallation({ account: "octo" }).id);
    const dotcom = await fake.fetch("https://api.github.com/repos/acme/api", {
      headers: { authorization: `token ${token}` },
    });
    expect(dotcom.status).toBe(404);
    expect(fake.takeViolations().map(({ kind, request }) => [kind, request])).toEqual([
      ["unknown-endpoint", "GET /api/v3/repos/acme/api/actions/cache/retention-limit"],
      ["unknown-endpoint", "GET /repos/acme/api"],
    ]);
  });
});
