/**
 * The dashboard is read by everyone who can read its repository. acme's central `.github` is public, so
 * its dashboard names acme's public repositories and only counts the private and internal ones; a
 * bundle that names a private dashboard repository gets the full view there, and one that names a
 * repository the app cannot reach gets no write there and a loud warning.
 */
import { describe, expect, it } from "@jest/globals";
import type { RepoState } from "../fake-github/index.js";
import { installationCreatedEvent, pushEvent } from "../fake-github/push.js";
import { compliantRepoFiles } from "../support/compliant-repo.js";
import type { AppHarness } from "../support/github.js";
import { startConfiguredApp } from "../support/scenario.js";

const BUNDLE = ['version: "acme-1"', "extends: default", ""].join("\n");

const SKIPPED = ["describe('keys', () => {", "  it.skip('rotates the hsm keys', () => {});", "});", ""].join(
  "\n",
);

/** A public central repository, a public compliant `web`, a private `vault` and an internal `intranet`, both drifting. */
function seedOrg(gh: AppHarness, bundle = BUNDLE, visibility: "public" | "internal" = "public") {
  const files = compliantRepoFiles();
  const { "SECURITY.md": _security, ...drifting } = files;
  const central = gh.fake.seedRepo({
    owner: "acme",
    name: ".github",
    visibility,
    files: { ...files, "standards/rulebook.yml": bundle },
  });
  gh.fake.seedRepo({ owner: "acme", name: "web", visibility: "public", files });
  gh.fake.seedRepo({
    owner: "acme",
    name: "vault",
    visibility: "private",
    files: { ...drifting, "src/keys/rotate.test.ts": SKIPPED },
  });
  gh.fake.seedRepo({
    owner: "acme",
    name: "intranet",
    visibility: "internal",
    files: { ...drifting, "portal/keys.test.ts": SKIPPED },
  });
  return central;
}

async function sweep(gh: AppHarness) {
  await gh.deliver(
    "installation",
    installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo-admin"),
  );
}

function dashboards(repo: RepoState) {
  return [...repo.issues.values()].filter((i) => i.labels.includes("rulebook-dashboard"));
}

/** What the private and internal repositories leave on a dashboard that may name them. */
const HIDDEN = [
  "vault",
  "intranet",
  "rotates the hsm keys",
  "src/keys/rotate.test.ts",
  "portal/keys.test.ts",
];

describe("the dashboard, as its repository's readers see it", () => {
  it("in a public central repository, names the public repositories and counts the others", async () => {
    const gh = await startConfiguredApp();
    const central = seedOrg(gh);
    await sweep(gh);

    const [dashboard, ...others] = dashboards(central);
    expect(others).toEqual([]);
    expect(dashboard?.body).toContain("4 repositories, 4 failing.");
    expect(dashboard?.body).toContain("| acme/web |");
    expect(dashboard?.body).toContain(
      "> 2 private or internal repositories are counted in the totals but not named here",
    );
    // Nowhere in the central repository: not in the dashboard, its marker, nor any other issue there.
    for (const issue of central.issues.values())
      for (const hidden of HIDDEN) expect(`${issue.title}\n${issue.body}`).not.toContain(hidden);
  });

  it("in an internal central repository, names the public and internal repositories, not the private one", async () => {
    const gh = await startConfiguredApp();
    const central = seedOrg(gh, BUNDLE, "internal");
    await sweep(gh);

    const [dashboard] = dashboards(central);
    expect(dashboard?.body).toContain("| acme/intranet |");
    expect(dashboard?.body).toContain("| acme/intranet | 1 | 0 | 0 | 0 | 1 |");
    expect(dashboard?.body).toContain("> 1 private repository is counted in the totals but not named here");
    for (const hidden of ["vault", "src/keys/rotate.test.ts"]) expect(dashboard?.body).not.toContain(hidden);
  });

  it("in a private dashboard repository the bundle names, shows everything and leaves the central one closed", async () => {
    const gh = await startConfiguredApp();
    const central = seedOrg(gh);
    const compliance = gh.fake.seedRepo({ owner: "acme", name: "compliance", visibility: "private" });
    await sweep(gh);
    expect(dashboards(central).map((i) => i.state)).toEqual(["open"]);

    const before = central.branches.get("main") as string;
    const moved = gh.fake.seedCommit(central, {
      message: "feat: keep the dashboard in a private repository",
      author: "octo-admin",
      files: {
        "standards/rulebook.yml": `${BUNDLE}settings:\n  dashboardRepository: compliance\n`,
      },
    });
    await gh.deliver("push", pushEvent(gh.fake, central, { before, after: moved.sha, pusher: "octo-admin" }));
    await sweep(gh);

    const [full, ...others] = dashboards(compliance);
    expect(others).toEqual([]);
    for (const hidden of ["acme/vault", "acme/intranet", "acme/web", "rotates the hsm keys"])
      expect(full?.body).toContain(hidden);
    expect(full?.body).not.toContain("not named here");
    const [old] = dashboards(central);
    expect(old?.state).toBe("closed");
    expect(old?.body).toBe(
      "# Rulebook compliance dashboard\n\nThe dashboard moved to the repository the bundle's `settings.dashboardRepository` names; this issue is no longer updated.\n",
    );
  });

  it("writes nothing to a dashboard repository the app cannot reach, and says so loudly", async () => {
    const gh = await startConfiguredApp();
    const central = seedOrg(gh, `${BUNDLE}settings:\n  dashboardRepository: compliance\n`);
    await sweep(gh);

    expect(gh.fake.requests.all.filter((r) => r.path.includes("/repos/acme/compliance"))).toEqual([]);
    expect(gh.logs.filter((l) => l.level >= 50)).toEqual([
      expect.objectContaining({
        org: "acme",
        dashboardRepository: "compliance",
        msg: "the bundle's settings.dashboardRepository names a repository this app cannot write to; no dashboard was written there",
      }),
    ]);
    const [dashboard] = dashboards(central);
    expect(dashboard?.body).toContain(
      "> The bundle's `settings.dashboardRepository` names `compliance`, which this app cannot write to",
    );
    for (const hidden of HIDDEN) expect(dashboard?.body).not.toContain(hidden);
  });
});
