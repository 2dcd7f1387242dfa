/**
 * Stories of skipped tests on pull requests: the issue a skip cites is looked up on GitHub in one
 * GraphQL query, so a closed or made-up issue does not let the skip through; a test file is read whole,
 * so a skip reached through a helper defined outside the diff is seen.
 */
import { describe, expect, it } from "@jest/globals";
import { startApp } from "../support/github.js";
import { PR_BODY, verdictIn } from "../support/scenario.js";

/** GraphQL queries that looked issues up, and those that read test files whole. */
function graphqlQueries(gh: Awaited<ReturnType<typeof startApp>>) {
  const queries = gh.fake.requests.all.flatMap((r) => (r.route === "POST /graphql" ? [r.query ?? ""] : []));
  return {
    issues: queries.filter((q) => q.includes("issue(number:")).length,
    files: queries.filter((q) => q.includes("... on Blob { text")).length,
  };
}

const HELPERS = "import pytest\n\ndef needs_db():\n    pytest.skip('no database here')\n";

async function judgeSkip(
  files: Record<string, string>,
  issues: Array<{ number: number; state: "open" | "closed" }>,
  options: { visibility?: "public" | "private"; vault?: Array<{ number: number; state: "open" }> } = {},
) {
  const gh = await startApp();
  const repo = gh.fake.seedRepo({
    owner: "acme",
    name: "api",
    files: { "tests/test_db.py": HELPERS },
    ...(options.visibility ? { visibility: options.visibility } : {}),
  });
  for (const issue of issues) gh.fake.seedIssue(repo, issue);
  const vault = gh.fake.seedRepo({ owner: "acme", name: "vault", visibility: "private" });
  for (const issue of options.vault ?? []) gh.fake.seedIssue(vault, issue);
  const pr = gh.fake.seedPullRequest(repo, {
    title: "test: cover the session store",
    body: PR_BODY,
    author: "alice",
    head: "test/session-store",
    commits: [{ message: "test: cover the session store", files }],
  });
  await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
  const run = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" })[0];
  const verdict = verdictIn(run?.output?.summary);
  return {
    gh,
    status: verdict.standards.find((s) => s.standard === "no-hidden-test-skips")?.status,
    findings: verdict.findings.filter((f) => f.standard === "no-hidden-test-skips"),
  };
}

describe("skipped tests and the issues they cite", () => {
  it("passes a skip whose comment cites an open issue, looked up in one GraphQL query", async () => {
    const { gh, status } = await judgeSkip(
      { "src/session.test.ts": "it.skip('expires', () => {}); // flaky until #7 is fixed\n" },
      [{ number: 7, state: "open" }],
    );
    expect(status).toBe("pass");
    expect(graphqlQueries(gh)).toEqual({ issues: 1, files: 1 });
  });

  it("fails a skip citing a closed issue, and one citing an issue that does not exist", async () => {
    const { findings } = await judgeSkip(
      {
        "src/session.test.ts":
          "it.skip('expires', () => {}); // see #7\nit.skip('renews', () => {}); // see acme/api#99\n",
      },
      [{ number: 7, state: "closed" }],
    );
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [1, "Adds it.skip (JavaScript/TypeScript), which skips a test, citing acme/api#7, which is closed"],
      [
        2,
        "Adds it.skip (JavaScript/TypeScript), which skips a test, citing acme/api#99, which does not exist or cannot be read",
      ],
    ]);
  });

  it("in a public repository, takes an issue of a private one as unreadable: its state is not said", async () => {
    const files = { "src/session.test.ts": "it.skip('expires', () => {}); // see acme/vault#3\n" };
    const vault = [{ number: 3, state: "open" as const }];
    const shown = await judgeSkip(files, [], { visibility: "public", vault });
    expect(shown.findings.map((f) => f.message)).toEqual([
      "Adds it.skip (JavaScript/TypeScript), which skips a test, citing acme/vault#3, which does not exist or cannot be read",
    ]);
    // A private repository's readers may read about another private repository's issue.
    expect((await judgeSkip(files, [], { visibility: "private", vault })).status).toBe("pass");
  });

  it("sees a call to a skipping helper that is outside the diff, reading the test file whole", async () => {
    const { findings, gh } = await judgeSkip(
      { "tests/test_db.py": `${HELPERS}\ndef test_sessions_persist():\n    needs_db()\n` },
      [],
    );
    expect(findings.map((f) => [f.path, f.line, f.message])).toEqual([
      [
        "tests/test_db.py",
        7,
        "Adds needs_db (calls pytest.skip) (Python), which skips a test, with no comment beside it citing a tracking issue",
      ],
    ]);
    expect(graphqlQueries(gh)).toEqual({ issues: 0, files: 1 });
    expect(gh.fake.requests.count("POST /graphql")).toBe(1);
  });
});
