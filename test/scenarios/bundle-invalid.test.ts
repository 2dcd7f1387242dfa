/**
 * An invalid bundle never judges anything: verdicts keep the last valid version and say so, the broken
 * version becomes an RTFM issue in the central repository listing every error at file:line:column, and
 * the dashboard warns. Without any valid version, checks fail closed with the bundle's errors.
 */
import { describe, expect, it } from "@jest/globals";
import type { RepoState } from "../fake-github/index.js";
import { pushEvent } from "../fake-github/push.js";
import { openPullRequest, seedCentralRepo, startConfiguredApp } from "../support/scenario.js";

const VALID = [
  'version: "acme-1"',
  "extends: default",
  "standards:",
  "  scoped-pr-title:",
  "    title: Pull request titles name the area they change",
  "    rule: pr-title",
  "    severity: error",
  "    options:",
  "      requireScope: true",
  "    rationale: Release notes are grouped by area.",
  "    remediation: Put the area in the title's scope.",
  "",
].join("\n");

/** The next version, with two mistakes: a severity that does not exist and a misspelt key. */
const INVALID = VALID.replace('version: "acme-1"', 'version: "acme-2"')
  .replace("    severity: error", "    severity: fatal")
  .replace("    options:", "    optionz:");

const DOCS = { "standards/docs/scoped-pr-title.md": "# scoped-pr-title\n" };

const ERRORS = [
  'standards/rulebook.yml:7:5 standards.scoped-pr-title.severity: expected one of error, warning, notice, got "fatal"',
  'standards/rulebook.yml:8:5 standards.scoped-pr-title.optionz: unknown key "optionz" (did you mean "options"?)',
];

function issuesTitled(repo: RepoState, title: string) {
  return [...repo.issues.values()].filter((issue) => issue.title === title);
}

describe("an invalid bundle", () => {
  it("keeps judging with the last valid version, says so, and reports every error in an RTFM issue and the dashboard", async () => {
    const gh = await startConfiguredApp();
    const central = seedCentralRepo(gh, { "standards/rulebook.yml": VALID, ...DOCS });
    const api = gh.fake.seedRepo({ owner: "acme", name: "api" });
    await openPullRequest(gh, api, "feat/one");

    const before = central.branches.get("main") as string;
    const broken = gh.fake.seedCommit(central, {
      message: "feat: make the title standard fatal",
      author: "octo-admin",
      files: { "standards/rulebook.yml": INVALID },
    });
    await gh.deliver(
      "push",
      pushEvent(gh.fake, central, { before, after: broken.sha, pusher: "octo-admin" }),
    );

    const [incident, ...others] = issuesTitled(central, "RTFM: The rulebook bundle is valid in acme/.github");
    expect(others).toEqual([]);
    expect(incident?.state).toBe("open");
    expect(incident?.labels).toEqual(["rtfm"]);
    expect(incident?.assignees).toEqual(["octo-admin"]);
    for (const error of ERRORS) expect(incident?.body).toContain(`- **Found:** ${error}`);
    expect(incident?.body).toContain(`- **Commit:** ${broken.sha}`);
    expect(incident?.body).toContain("- **Actor:** @octo-admin (User)");

    const [dashboard, ...moreDashboards] = issuesTitled(central, "Rulebook compliance dashboard");
    expect(moreDashboards).toEqual([]);
    expect(dashboard?.body).toContain(
      [
        "> [!WARNING]",
        `> The newest bundle (${broken.sha.slice(0, 12)}) is invalid; verdicts use acme-1.`,
        ...ERRORS.map((error) => `> ${error}`),
      ].join("\n"),
    );

    const run = await openPullRequest(gh, api, "feat/two");
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain(
      `> [!WARNING]\n> The newest version of the organization's bundle (${broken.sha.slice(0, 12)}) is invalid; this verdict uses the last valid version, \`acme-1\`.`,
    );
    expect(run.output.summary).toContain("<sub>Bundle `acme/.github:standards` version `acme-1`");
    expect(run.output.summary).toContain("`scoped-pr-title`");
  });

  it("fails checks closed with the bundle's errors when no recent version was ever valid", async () => {
    const gh = await startConfiguredApp();
    const central = seedCentralRepo(gh, { "standards/rulebook.yml": INVALID, ...DOCS });
    gh.fake.seedCommit(central, {
      message: "docs: explain the title standard",
      author: "octo-admin",
      files: { "standards/docs/scoped-pr-title.md": "# scoped-pr-title\n\nName the area.\n" },
    });
    const api = gh.fake.seedRepo({ owner: "acme", name: "api" });

    const run = await openPullRequest(gh, api, "feat/one");

    expect(run.status).toBe("completed");
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe(
      "Rulebook could not judge this commit: the organization's bundle is invalid and no earlier version is valid",
    );
    for (const error of ERRORS) expect(run.output.summary).toContain(`- ${error}`);
  });

  it("fails closed, rather than fall back to the shipped default, when the org's first bundle is invalid", async () => {
    const gh = await startConfiguredApp();
    const central = seedCentralRepo(gh, { "README.md": "# acme\n" });
    const api = gh.fake.seedRepo({ owner: "acme", name: "api" });
    expect((await openPullRequest(gh, api, "feat/one")).conclusion).toBe("success");

    const before = central.branches.get("main") as string;
    const first = gh.fake.seedCommit(central, {
      message: "feat: our own standards",
      author: "octo-admin",
      files: { "standards/rulebook.yml": INVALID, ...DOCS },
    });
    await gh.deliver("push", pushEvent(gh.fake, central, { before, after: first.sha, pusher: "octo-admin" }));

    const run = await openPullRequest(gh, api, "feat/two");
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe(
      "Rulebook could not judge this commit: the organization's bundle is invalid and no earlier version is valid",
    );
    expect(issuesTitled(central, "RTFM: The rulebook bundle is valid in acme/.github")).toHaveLength(1);
  });

  it("fails closed with a size error, without downloading it, for a 20 MB rulebook.yml", async () => {
    const gh = await startConfiguredApp();
    const huge = `${VALID}${"# padding\n".repeat(2 * 1024 * 1024)}`;
    seedCentralRepo(gh, { "standards/rulebook.yml": huge, ...DOCS });
    const api = gh.fake.seedRepo({ owner: "acme", name: "api" });

    const run = await openPullRequest(gh, api, "feat/one");

    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain(
      `- standards/rulebook.yml:1:1 file is ${huge.length} bytes; a bundle file may be at most 1048576 bytes`,
    );
    expect(gh.fake.requests.count("GET /repos/{owner}/{repo}/git/blobs/{file_sha}")).toBe(0);
  });

  it("refuses a bundle read from GitHub that extends anything but the shipped default", async () => {
    const gh = await startConfiguredApp();
    seedCentralRepo(gh, { "standards/rulebook.yml": 'version: "acme-9"\nextends: ../shared\n' });
    const api = gh.fake.seedRepo({ owner: "acme", name: "api" });

    const run = await openPullRequest(gh, api, "feat/one");

    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain(
      '- standards/rulebook.yml:2:1 extends: a bundle read from GitHub can extend only "default", not "../shared"; copy what it needs into this bundle',
    );
  });
});
