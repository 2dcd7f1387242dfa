/**
 * Stories of tests taken out of the run by configuration: an agent quarantines a flaky suite in the Jest
 * configuration; the app's check run and `rulebook check` on the same commits report it identically, the
 * agent is told to stop and ask, and a cited issue is looked up on GitHub.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { defaultBundleDir } from "../../src/bundle/load.js";
import type { Verdict } from "../../src/engine/verdict.js";
import { applyGitEnv, GIT_ENV, TempRepo } from "../cli/git-repo.js";
import { runCli } from "../support/cli.js";
import { comparableFindings } from "../support/comparable-findings.js";
import { PR_BODY, startConfiguredApp, verdictIn } from "../support/scenario.js";

const BASE_FILES = {
  "README.md": "# Widgets\n",
  "jest.config.js": 'module.exports = {\n  testEnvironment: "node",\n};\n',
};
const quarantine = (comment: string) => ({
  message: "test: quarantine the flaky checkout suite\n\nCo-authored-by: Claude <noreply@anthropic.com>",
  files: {
    "jest.config.js": `module.exports = {\n  testEnvironment: "node",\n  testPathIgnorePatterns: ["/checkout/"],${comment}\n};\n`,
  },
});

const STANDARD = "no-excluded-tests";

let restoreEnv: () => void;
beforeAll(() => {
  restoreEnv = applyGitEnv();
});
afterAll(() => restoreEnv());

/** The app's verdict on a pull request of `commit`, with the given issues on GitHub. */
async function appVerdict(
  commit: { message: string; files: Record<string, string> },
  issues: Array<{ number: number; state: "open" | "closed" }> = [],
  shas: { base?: string; head?: string } = {},
): Promise<Verdict> {
  const gh = await startConfiguredApp();
  const repo = gh.fake.seedRepo({
    owner: "acme",
    name: "widgets",
    files: BASE_FILES,
    ...(shas.base ? { initialSha: shas.base } : {}),
  });
  for (const issue of issues) gh.fake.seedIssue(repo, issue);
  const pr = gh.fake.seedPullRequest(repo, {
    title: "test: quarantine the flaky checkout suite",
    body: PR_BODY,
    author: "alice",
    head: "test/quarantine",
    commits: [
      {
        ...commit,
        ...(shas.head ? { sha: shas.head } : {}),
        authorName: GIT_ENV.GIT_AUTHOR_NAME as string,
        authorEmail: GIT_ENV.GIT_AUTHOR_EMAIL as string,
      },
    ],
  });
  await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
  const run = gh.fake.checkRuns(repo, { headSha: pr.head.sha, name: "rulebook" })[0];
  return verdictIn(run?.output?.summary);
}

describe("tests excluded by configuration", () => {
  it("the check run and rulebook check report the same exclusion, and tell the agent to stop and ask", async () => {
    const commit = quarantine("");
    const checkout = TempRepo.create();
    try {
      const base = checkout.commit("Initial commit", BASE_FILES);
      checkout.fakeOrigin("git@github.com:acme/widgets.git", "main", base);
      checkout.git("checkout", "-q", "-b", "test/quarantine");
      const head = checkout.commit(commit.message, commit.files);
      const run = await runCli(
        ["check", "--dir", checkout.dir, "--bundle", defaultBundleDir(), "--format", "json"],
        { cwd: checkout.dir },
      );
      expect(run.stderr).toBe("");
      const cli = JSON.parse(run.stdout) as Verdict;
      const app = await appVerdict(commit, [], { base, head });

      expect(comparableFindings(app.findings, STANDARD)).toEqual(comparableFindings(cli.findings, STANDARD));
      expect(comparableFindings(app.findings, STANDARD)).toEqual([
        expect.objectContaining({
          path: "jest.config.js",
          line: 3,
          message:
            'Excludes "/checkout/" from Jest\'s run (testPathIgnorePatterns), with no tracking issue cited in a comment beside it',
        }),
      ]);
      expect(app.findings.find((f) => f.standard === STANDARD)?.remediation).toMatch(/^Stop and ask: /);
    } finally {
      checkout.remove();
    }
  });

  it("passes an exclusion whose comment cites an open issue, and fails one citing a closed issue", async () => {
    const open = await appVerdict(quarantine(" // until #7 is fixed"), [{ number: 7, state: "open" }]);
    expect(open.standards.find((s) => s.standard === STANDARD)?.status).toBe("pass");

    const closed = await appVerdict(quarantine(" // until #7 is fixed"), [{ number: 7, state: "closed" }]);
    expect(closed.findings.filter((f) => f.standard === STANDARD).map((f) => f.message)).toEqual([
      'Excludes "/checkout/" from Jest\'s run (testPathIgnorePatterns), citing acme/widgets#7, which is closed',
    ]);

    const missing = await appVerdict(quarantine(" // until #8 is fixed"));
    expect(missing.findings.filter((f) => f.standard === STANDARD).map((f) => f.message)).toEqual([
      'Excludes "/checkout/" from Jest\'s run (testPathIgnorePatterns), citing acme/widgets#8, which does not exist or cannot be read',
    ]);
  });
});
