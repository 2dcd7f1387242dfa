/**
 * What a sweep spends, per repository and per budget (REST core requests, a 304 free; GraphQL points):
 * a cold sweep reads many repositories per query, a warm one with nothing changed only probes them, and
 * a repository that changed is read again. A repository that cannot be read never passes.
 */
import { describe, expect, it } from "@jest/globals";
import { GRAPHQL_ROUTE } from "../fake-github/index.js";
import { installationCreatedEvent } from "../fake-github/push.js";
import { seedCompliantOrg } from "../support/compliant-repo.js";
import type { AppHarness } from "../support/github.js";
import { startConfiguredApp } from "../support/scenario.js";

const REPOSITORIES = 150;
const DRIFTED = 10;

async function sweep(gh: AppHarness) {
  gh.fake.requests.reset();
  await gh.deliver(
    "installation",
    installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo-admin"),
  );
  const units = gh.fake.requests.units();
  return { ...units, perRepository: (units.core + units.graphql) / (REPOSITORIES + 1) };
}

function sweptLine(gh: AppHarness) {
  return gh.logs.filter((l) => l.msg === "sweep done").at(-1);
}

describe("the units a sweep spends", () => {
  it("costs at most 0.25 units per repository cold and 0.05 warm, and reads a changed repository again", async () => {
    const gh = await startConfiguredApp();
    const changed = seedCompliantOrg(gh.fake, REPOSITORIES, { drifted: DRIFTED }).at(-1);

    const cold = await sweep(gh);
    expect(sweptLine(gh)).toMatchObject({ swept: REPOSITORIES + 1, failing: DRIFTED });
    expect(cold.perRepository).toBeLessThanOrEqual(0.25);

    const warm = await sweep(gh);
    expect(sweptLine(gh)).toMatchObject({ swept: REPOSITORIES + 1, failing: DRIFTED });
    expect(warm.perRepository).toBeLessThanOrEqual(0.05);
    // The cold sweep's issues changed the listing (open issue counts); since then nothing changed:
    // nothing is written, and the repository list costs nothing (304).
    const settled = await sweep(gh);
    expect(settled.perRepository).toBeLessThanOrEqual(0.05);
    expect(gh.fake.requests.all.filter((r) => r.method !== "GET" && r.route !== GRAPHQL_ROUTE)).toEqual([]);
    expect(
      gh.fake.requests.all.filter((r) => r.route === "GET /installation/repositories").map((r) => r.status),
      // Two pages, listed for the sweep and again for the dashboard.
    ).toEqual([304, 304, 304, 304]);

    // One repository loses its security policy: it alone is read in full and gets its drift issue.
    gh.fake.seedCommit(changed ?? "", { files: { "SECURITY.md": null } });
    await sweep(gh);
    expect(sweptLine(gh)).toMatchObject({ failing: DRIFTED + 1 });
    const full = gh.fake.requests.all.filter((r) => r.query?.includes("object(expression:"));
    expect(full.map((r) => [...(r.query ?? "").matchAll(/name: "([^"]+)"\)/g)].map((m) => m[1]))).toEqual([
      [changed?.name],
    ]);
  });

  it("never passes a repository whose facts GitHub would not give", async () => {
    const gh = await startConfiguredApp();
    seedCompliantOrg(gh.fake, 3);
    gh.fake.faults.inject(GRAPHQL_ROUTE, { status: 502 });
    await sweep(gh);
    expect(sweptLine(gh)).toMatchObject({ swept: 4 });
    const central = gh.fake.repo("acme/.github");
    const [dashboard] = [...central.issues.values()].filter((i) => i.labels.includes("rulebook-dashboard"));
    expect(dashboard?.body).toContain("| `pr-template` | 0 | 0 | 0 | 0 | 4 |");
  });
});
