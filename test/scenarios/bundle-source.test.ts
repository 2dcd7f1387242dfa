/**
 * Where the bundle that judges an organization's pull requests comes from: its `.github` repository's
 * `standards/` folder, or the shipped default; cached by commit, refreshed with a conditional request
 * after the TTL, and re-read at once when a push changes it.
 */
import { describe, expect, it } from "@jest/globals";
import { pushEvent } from "../fake-github/push.js";
import { type AppHarness, webUrlUnderTest } from "../support/github.js";
import { openPullRequest, seedCentralRepo, startConfiguredApp, verdictIn } from "../support/scenario.js";

/** The org's bundle: the default one plus a standard asking for a scope in every pull request title. */
const ORG_BUNDLE = {
  "standards/rulebook.yml": [
    "extends: default",
    "standards:",
    "  scoped-pr-title:",
    "    title: Pull request titles name the area they change",
    "    rule: pr-title",
    "    severity: error",
    "    options:",
    "      requireScope: true",
    "    rationale: Release notes are grouped by area, so every change says which area it touches.",
    "    remediation: 'Retitle the pull request as \"<type>(<area>): <subject>\".'",
    "",
  ].join("\n"),
  "standards/docs/scoped-pr-title.md": "# scoped-pr-title\n\nSay which area a change touches.\n",
};

const COMMITS = "GET /repos/{owner}/{repo}/commits";
const TREE = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
const BLOB = "GET /repos/{owner}/{repo}/git/blobs/{file_sha}";

interface Clock {
  now: number;
}

/** The app, reading the bundle again after a TTL of five minutes by `clock`. */
function startOrgApp(clock: Clock): Promise<AppHarness> {
  return startConfiguredApp({ RULEBOOK_BUNDLE_TTL_SECONDS: "300" }, () => clock.now);
}

/** How often the bundle's commit, tree and blobs were read. */
function bundleReadCounts(gh: AppHarness): number[] {
  return [gh.fake.requests.count(COMMITS), gh.fake.requests.count(TREE), gh.fake.requests.count(BLOB)];
}

describe("where the bundle comes from", () => {
  it("judges pull requests with the standards in the org's .github repository, naming it and its version", async () => {
    const clock = { now: Date.parse("2026-11-23T12:00:00Z") };
    const gh = await startOrgApp(clock);
    const central = seedCentralRepo(gh, ORG_BUNDLE);
    const bundleSha = central.branches.get("main") as string;
    const api = gh.fake.seedRepo({ owner: "acme", name: "api" });

    const run = await openPullRequest(gh, api, "feat/login");

    expect(run.conclusion).toBe("failure");
    const verdict = verdictIn(run.output.summary);
    expect(verdict.bundle).toEqual({ source: "acme/.github:standards", version: bundleSha.slice(0, 12) });
    expect(verdict.findings.map((f) => f.standard)).toEqual(["scoped-pr-title"]);
    // The org's own page is read in its .github repository at the bundle's commit.
    expect(verdict.findings.map((f) => f.docs)).toEqual([
      `${webUrlUnderTest()}/acme/.github/blob/${bundleSha}/standards/docs/scoped-pr-title.md`,
    ]);
    expect(run.output.summary).toContain(
      `<sub>Bundle \`acme/.github:standards\` version \`${bundleSha.slice(0, 12)}\``,
    );
  });

  it("judges with the shipped default bundle when the org has no .github repository", async () => {
    const gh = await startOrgApp({ now: Date.parse("2026-11-23T12:00:00Z") });
    const api = gh.fake.seedRepo({ owner: "acme", name: "api" });

    const run = await openPullRequest(gh, api, "feat/login");

    expect(run.conclusion).toBe("success");
    const verdict = verdictIn(run.output.summary);
    expect(verdict.bundle).toEqual({ source: "default", version: "2026.11.0" });
    expect(verdict.findings).toEqual([]);
    expect(run.output.summary).toContain("<sub>Bundle `default` version `2026.11.0`");
  });

  it("reads the bundle once per TTL, then asks with If-None-Match and re-reads nothing on 304", async () => {
    const clock = { now: Date.parse("2026-11-23T12:00:00Z") };
    const gh = await startOrgApp(clock);
    seedCentralRepo(gh, ORG_BUNDLE);
    const api = gh.fake.seedRepo({ owner: "acme", name: "api" });

    await openPullRequest(gh, api, "feat/one");
    expect(bundleReadCounts(gh)).toEqual([1, 1, 2]);

    gh.fake.requests.reset();
    clock.now += 299_000;
    await openPullRequest(gh, api, "feat/two");
    expect(bundleReadCounts(gh)).toEqual([0, 0, 0]);

    gh.fake.requests.reset();
    clock.now += 2_000;
    const run = await openPullRequest(gh, api, "feat/three");
    const bundleReads = gh.fake.requests.all.filter(
      (r) => r.route === COMMITS || r.route === TREE || r.route === BLOB,
    );
    expect(bundleReads.map((r) => [r.route, r.status])).toEqual([[COMMITS, 304]]);
    expect(verdictIn(run.output.summary).findings.map((f) => f.standard)).toEqual(["scoped-pr-title"]);
  });

  it("re-reads the bundle at once after a push to the .github repository touches standards/", async () => {
    const clock = { now: Date.parse("2026-11-23T12:00:00Z") };
    const gh = await startOrgApp(clock);
    const central = seedCentralRepo(gh, ORG_BUNDLE);
    const api = gh.fake.seedRepo({ owner: "acme", name: "api" });
    await openPullRequest(gh, api, "feat/one");

    // The org drops its extra standard again, well within the TTL.
    const before = central.branches.get("main") as string;
    const commit = gh.fake.seedCommit(central, {
      message: "chore: drop the scoped title standard",
      author: "octo-admin",
      files: {
        "standards/rulebook.yml": "extends: default\n",
        "standards/docs/scoped-pr-title.md": null,
      },
    });
    await gh.deliver(
      "push",
      pushEvent(gh.fake, central, { before, after: commit.sha, pusher: "octo-admin" }),
    );

    gh.fake.requests.reset();
    const run = await openPullRequest(gh, api, "feat/two");
    expect(run.conclusion).toBe("success");
    expect(verdictIn(run.output.summary).bundle).toEqual({
      source: "acme/.github:standards",
      version: commit.sha.slice(0, 12),
    });
    expect(gh.fake.requests.count(COMMITS)).toBe(0);
  });

  it("reads the bundle once for deliveries that arrive together on a cold start", async () => {
    const gh = await startOrgApp({ now: Date.parse("2026-11-23T12:00:00Z") });
    seedCentralRepo(gh, ORG_BUNDLE);
    const api = gh.fake.seedRepo({ owner: "acme", name: "api" });

    const runs = await Promise.all(
      ["feat/one", "feat/two", "feat/three"].map((head) => openPullRequest(gh, api, head)),
    );

    expect(runs.map((run) => run.conclusion)).toEqual(["failure", "failure", "failure"]);
    expect(bundleReadCounts(gh)).toEqual([1, 1, 2]);
  });
});
