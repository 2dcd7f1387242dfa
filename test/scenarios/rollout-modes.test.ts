/**
 * Rolling Rulebook out: a new installation observes before it enforces. In observe mode checks conclude
 * neutral and still list their findings, no RTFM issue is opened, and the dashboard (the one issue the
 * first install opens) says what enforce would do. A bundle pull request that turns enforcement on is
 * previewed, and once merged, checks block and issues open. A standard's own mode overrides the bundle's.
 */
import { describe, expect, it } from "@jest/globals";
import { readConfig } from "../../src/app/config.js";
import { createApp } from "../../src/index.js";
import { GRAPHQL_ROUTE, type RepoState } from "../fake-github/index.js";
import { installationCreatedEvent, pushEvent } from "../fake-github/push.js";
import { type AppHarness, startApp } from "../support/github.js";
import { NOW, seedCentralRepo, seedPullRequest, verdictIn } from "../support/scenario.js";

/** The app as a new installation runs it: nothing set, so the default mode, observe. */
function startNewInstallation(): Promise<AppHarness> {
  return startApp({
    app: createApp({
      config: readConfig({ RULEBOOK_SWEEP_INTERVAL_HOURS: "0" }),
      clock: () => Date.parse(NOW),
    }),
  });
}

/** acme/api: no CODEOWNERS, template or security policy, no rulesets: drift the sweep finds. */
function seedApi(gh: AppHarness): RepoState {
  return gh.fake.seedRepo({ owner: "acme", name: "api", visibility: "public", files: { LICENSE: "MIT\n" } });
}

/** bob commits straight onto api's main branch and GitHub sends the push. */
async function directPush(gh: AppHarness, repo: RepoState) {
  const before = repo.branches.get("main") as string;
  const commit = gh.fake.seedCommit(repo, { message: "fix: b", author: "bob", files: { "src/b.ts": "b\n" } });
  await gh.deliver("push", pushEvent(gh.fake, repo, { before, after: commit.sha, pusher: "bob" }));
}

function install(gh: AppHarness) {
  return gh.deliver(
    "installation",
    installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo-admin"),
  );
}

function issuesOf(repo: RepoState) {
  return [...repo.issues.values()].filter((issue) => !issue.isPullRequest);
}

describe("observe mode, where a new installation starts", () => {
  it("concludes neutral with every finding, opens no RTFM issue, and opens only the dashboard", async () => {
    const gh = await startNewInstallation();
    const central = gh.fake.seedRepo({ owner: "acme", name: ".github", files: { "README.md": "# acme\n" } });
    const api = seedApi(gh);

    const pr = seedPullRequest(gh, api, { title: "Add login" });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(api, pr.number, "opened"));
    const [run] = gh.fake.checkRuns(api, { headSha: pr.head.sha, name: "rulebook" });
    expect(run?.conclusion).toBe("neutral");
    expect(run?.output.title).toBe(
      "Would block once enforced: 1 error, 0 warnings, 0 notices, 0 not evaluated",
    );
    expect(run?.output.summary).toContain(
      "> [!NOTE]\n> Observe mode: the bundle only observes `pr-title`, so this check blocks nothing; with `mode: enforce` it would fail.",
    );
    expect(verdictIn(run?.output.summary).findings.map((f) => f.standard)).toEqual(["pr-title"]);

    await directPush(gh, api);
    await install(gh);

    // The only issue the installation opened: the dashboard, in the central repository.
    expect(issuesOf(api)).toEqual([]);
    const issues = issuesOf(central);
    expect(issues.map((issue) => [issue.title, issue.labels])).toEqual([
      ["Rulebook compliance dashboard", ["rulebook-dashboard"]],
    ]);
    const body = issues[0]?.body ?? "";
    expect(body).toContain("Mode: **observe**. Rulebook judges and reports, and blocks nothing");
    expect(body).toContain(
      [
        "## What enforce would do",
        "",
        "### Checks it would fail",
        "",
        `- acme/api#${pr.number}: \`pr-title\``,
        "",
        "### RTFM issues it would open",
        "",
        "- acme/.github: one drift issue, with tasks `branch-protection`, `codeowners`, `issue-templates`, `pr-template`, `release-tag-protection`",
        "- acme/api: one drift issue, with tasks `branch-protection`, `codeowners`, `issue-templates`, `pr-template`, `release-tag-protection`, `security-policy`",
        `- acme/api: \`no-direct-push\`, for the push at ${NOW} by \`@bob\``,
      ].join("\n"),
    );

    // The next sweep finds the same: observing costs no write, not even the dashboard's.
    gh.fake.requests.reset();
    await install(gh);
    expect(
      gh.fake.requests.all.filter((r) => r.method !== "GET" && r.route !== GRAPHQL_ROUTE).map((r) => r.route),
    ).toEqual([]);
  });
});

/** The org's bundle: the shipped standards, mode unset (observe), or with `settings.mode: enforce`. */
function bundleFiles(mode?: "enforce"): Record<string, string> {
  return {
    "standards/rulebook.yml": [
      'version: "acme-1"',
      "extends: default",
      ...(mode ? ["settings:", `  mode: ${mode}`] : []),
      "",
    ].join("\n"),
  };
}

describe("turning enforcement on", () => {
  it("previews the bundle pull request, then blocks the open pull request and opens the drift issue", async () => {
    const gh = await startNewInstallation();
    const central = seedCentralRepo(gh, { ...bundleFiles(), "README.md": "# acme\n" });
    const api = seedApi(gh);
    const pr = seedPullRequest(gh, api, { title: "Add login" });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(api, pr.number, "opened"));
    await install(gh);
    expect(issuesOf(api)).toEqual([]);

    // The admin proposes the bundle change; its check previews what enforcing would do.
    const proposal = gh.fake.seedPullRequest(central, {
      title: "feat(standards): enforce the standards",
      author: "octo-admin",
      head: "feat/enforce",
      commits: [
        {
          message: "feat(standards): enforce the standards",
          author: "octo-admin",
          files: bundleFiles("enforce"),
        },
      ],
    });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(central, proposal.number, "opened"));
    const [preview] = gh.fake.checkRuns(central, { headSha: proposal.head.sha, name: "rulebook/bundle" });
    expect(preview?.conclusion).toBe("success");
    expect(preview?.output.title).toBe("Valid; changes the mode of 20 standard(s)");
    const summary = preview?.output.summary ?? "";
    expect(summary).toContain("### Rollout");
    expect(summary).toContain(
      "Enforces 20 standards the current bundle only observes: `conventional-commits`, ",
    );
    expect(summary).toContain(
      "- `acme/api`: a drift issue with the tasks `pr-template`, `issue-templates`, `codeowners`, `security-policy`, `branch-protection`, `release-tag-protection`",
    );
    expect(summary).toContain(`- acme/api#${pr.number}: its check would fail on \`pr-title\``);

    // It is merged: the push to the bundle sweeps the org with the new version.
    const before = central.branches.get("main") as string;
    const merge = gh.fake.seedCommit(central, {
      message: "feat(standards): enforce the standards",
      author: "octo-admin",
      files: bundleFiles("enforce"),
    });
    await gh.deliver("push", pushEvent(gh.fake, central, { before, after: merge.sha, pusher: "octo-admin" }));

    const runs = gh.fake.checkRuns(api, { headSha: pr.head.sha, name: "rulebook" });
    expect(runs.at(-1)?.conclusion).toBe("failure");
    expect(issuesOf(api).map((issue) => issue.title)).toEqual([
      "RTFM: acme/api drifts from the organization's standards",
    ]);
    const dashboard = issuesOf(central).find((issue) => issue.labels.includes("rulebook-dashboard"));
    expect(dashboard?.body).toContain("Mode: **enforce**.");
    expect(dashboard?.body).not.toContain("## What enforce would do");
  });

  it("lets a standard's own mode override the bundle's", async () => {
    const gh = await startNewInstallation();
    seedCentralRepo(gh, {
      "standards/rulebook.yml": [
        "extends: default",
        "settings:",
        "  mode: observe",
        "standards:",
        "  pr-title:",
        "    mode: enforce",
        "",
      ].join("\n"),
    });
    const api = seedApi(gh);
    const pr = seedPullRequest(gh, api, {
      title: "Add login",
      files: { "src/login.test.ts": 'it.skip("logs in", () => {});\n' },
    });

    await gh.deliver("pull_request", gh.fake.pullRequestEvent(api, pr.number, "opened"));

    const [run] = gh.fake.checkRuns(api, { headSha: pr.head.sha, name: "rulebook" });
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toBe("Blocked: 2 errors, 0 warnings, 0 notices, 0 not evaluated");
    expect(run?.output.summary).toContain("Observe mode: the bundle only observes `no-hidden-test-skips`");
  });
});
