/** Which documented operation a request path reaches. */
import { describe, expect, it } from "@jest/globals";
import { matchPath } from "../fake-github/openapi.js";

function route(method: string, path: string) {
  const match = matchPath(method, path);
  return match.kind === "operation" ? [match.operation.route, match.operation.params] : [match.kind];
}

/** Each GET of a path in acme/api reaches the operation named, with `owner`, `repo` and these parameters. */
function expectRoutes(cases: Array<[path: string, operation: string, params: Record<string, string>]>) {
  for (const [path, operation, params] of cases) {
    expect(route("GET", path)).toEqual([operation, { owner: "acme", repo: "api", ...params }]);
  }
}

describe("matching a request to GitHub's OpenAPI paths", () => {
  it("prefers a literal segment over a parameter", () => {
    expectRoutes([
      ["/repos/acme/api/pulls/comments", "GET /repos/{owner}/{repo}/pulls/comments", {}],
      ["/repos/acme/api/pulls/12", "GET /repos/{owner}/{repo}/pulls/{pull_number}", { pull_number: "12" }],
      [
        "/repos/acme/api/issues/comments/5",
        "GET /repos/{owner}/{repo}/issues/comments/{comment_id}",
        { comment_id: "5" },
      ],
      [
        "/repos/acme/api/issues/5/comments",
        "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
        { issue_number: "5" },
      ],
    ]);
  });

  it("prefers a segment with literal text over a bare parameter", () => {
    expectRoutes([
      [
        "/repos/acme/api/compare/main...feat%2Flogin",
        "GET /repos/{owner}/{repo}/compare/{base}...{head}",
        { base: "main", head: "feat/login" },
      ],
    ]);
  });

  it("decodes encoded slashes and lets multi-segment parameters span raw ones", () => {
    expectRoutes([
      [
        "/repos/acme/api/contents/docs%2Fguide.md",
        "GET /repos/{owner}/{repo}/contents/{path}",
        { path: "docs/guide.md" },
      ],
      [
        "/repos/acme/api/contents/docs/guide.md",
        "GET /repos/{owner}/{repo}/contents/{path}",
        { path: "docs/guide.md" },
      ],
      ["/repos/acme/api/contents", "GET /repos/{owner}/{repo}/contents/{path}", { path: "" }],
      [
        "/repos/acme/api/commits/heads/feat/login/check-runs",
        "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
        { ref: "heads/feat/login" },
      ],
      ["/repos/acme/api/branches", "GET /repos/{owner}/{repo}/branches", {}],
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
