/** Which documented operation a request path reaches. */
import { describe, expect, it } from "@jest/globals";
import { matchPath } from "../fake-github/openapi.js";

function route(method: string, path: string) {
  const match = matchPath(method, path);
  return match.kind === "operation" ? [match.operation.route, match.operation.params] : [match.kind];
}

describe("matching a request to GitHub's OpenAPI paths", () => {
  it("prefers a literal segment over a parameter", () => {
    expect(route("GET", "/repos/acme/api/pulls/comments")).toEqual([
      "GET /repos/{owner}/{repo}/pulls/comments",
      { owner: "acme", repo: "api" },
    ]);
    expect(route("GET", "/repos/acme/api/pulls/12")).toEqual([
      "GET /repos/{owner}/{repo}/pulls/{pull_number}",
      { owner: "acme", repo: "api", pull_number: "12" },
    ]);
    expect(route("GET", "/repos/acme/api/issues/comments/5")).toEqual([
      "GET /repos/{owner}/{repo}/issues/comments/{comment_id}",
      { owner: "acme", repo: "api", comment_id: "5" },
    ]);
    expect(route("GET", "/repos/acme/api/issues/5/comments")).toEqual([
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      { owner: "acme", repo: "api", issue_number: "5" },
    ]);
  });

  it("prefers a segment with literal text over a bare parameter", () => {
    expect(route("GET", "/repos/acme/api/compare/main...feat%2Flogin")).toEqual([
      "GET /repos/{owner}/{repo}/compare/{base}...{head}",
      { owner: "acme", repo: "api", base: "main", head: "feat/login" },
    ]);
  });

  it("decodes encoded slashes and lets multi-segment parameters span raw ones", () => {
    expect(route("GET", "/repos/acme/api/contents/docs%2Fguide.md")).toEqual([
      "GET /repos/{owner}/{repo}/contents/{path}",
      { owner: "acme", repo: "api", path: "docs/guide.md" },
    ]);
    expect(route("GET", "/repos/acme/api/contents/docs/guide.md")).toEqual([
      "GET /repos/{owner}/{repo}/contents/{path}",
      { owner: "acme", repo: "api", path: "docs/guide.md" },
    ]);
    expect(route("GET", "/repos/acme/api/contents")).toEqual([
      "GET /repos/{owner}/{repo}/contents/{path}",
      { owner: "acme", repo: "api", path: "" },
    ]);
    expect(route("GET", "/repos/acme/api/commits/heads/feat/login/check-runs")).toEqual([
      "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
      { owner: "acme", repo: "api", ref: "heads/feat/login" },
    ]);
    expect(route("GET", "/repos/acme/api/branches")).toEqual([
      "GET /repos/{owner}/{repo}/branches",
      { owner: "acme", repo: "api" },
    ]);
  });

  it("tells an unknown path from a path documented for other methods", () => {
    expect(route("GET", "/repos/acme/api/rulebook")).toEqual(["unknown-path"]);
    expect(matchPath("PUT", "/app")).toEqual({
      kind: "method-not-documented",
      template: "/app",
      methods: ["GET"],
    });
  });
});
