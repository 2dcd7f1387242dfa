import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import type { Verdict } from "../../src/engine/verdict.js";
import { FULL_VIEW, ISSUE_BODY_LIMIT, renderDashboard } from "../../src/publish/dashboard.js";
import { readMarker } from "../../src/publish/markers.js";
import type { Visibility } from "../../src/util/visibility.js";

const standards = [
  { id: "codeowners", title: "CODEOWNERS" },
  { id: "license", title: "Licence" },
] as const;

function verdict(repository: string, statuses: Array<"pass" | "fail" | "waived">): Verdict {
  return {
    schema: "rulebook.findings/v1",
    bundle: { source: "acme/.github:standards", version: "abc123" },
    findings: [],
    notEvaluated: [],
    standards: standards.map((s, i) => ({ standard: s.id, title: s.title, status: statuses[i] ?? "pass" })),
    waivers: statuses.includes("waived")
      ? [
          {
            standard: "license",
            repository,
            owner: "@alice",
            reason: "legal review | pending",
            expires: "2027-01-31",
            status: "active",
          },
        ]
      : [],
  };
}

const bundle = { source: "acme/.github:standards", version: "abc123", standards: standards as never };

describe("renderDashboard", () => {
  it("shows totals, a matrix, waivers and open issues, with a marker to find it again", () => {
    const body = renderDashboard({
      bundle,
      results: [
        { repository: "acme/web", verdict: verdict("acme/web", ["pass", "waived"]) },
        { repository: "acme/api", verdict: verdict("acme/api", ["fail", "pass"]) },
        { repository: "acme/broken", error: "GitHub answered 502" },
      ],
      openIssues: [
        {
          repository: "acme/api",
          standard: "codeowners",
          number: 4,
          url: "https://github.com/acme/api/issues/4",
        },
      ],
      audience: FULL_VIEW,
      time: "2026-11-23T12:00:00Z",
    });
    expect(readMarker(body, "dashboard", z.object({ v: z.literal(1) }))).toEqual({ v: 1 });
    expect(body).toContain("3 repositories, 2 failing.");
    expect(body).toContain("| `codeowners` | 1 | 1 | 0 | 0 | 1 |");
    expect(body).toContain("| `license` | 1 | 0 | 1 | 0 | 1 |");
    expect(body).toContain("| acme/api | ❌ | ✅ |");
    expect(body).toContain("| acme/web | ✅ | 🟡 |");
    expect(body).toContain(
      "| acme/web | `license` | `@alice` | 2027-01-31 | active | legal review \\| pending |",
    );
    expect(body).toContain("- [acme/api#4](https://github.com/acme/api/issues/4) `codeowners`");
    expect(body.indexOf("acme/api |")).toBeLessThan(body.indexOf("acme/web |"));
  });

  it("says loudly when the newest bundle is invalid", () => {
    const body = renderDashboard({
      bundle,
      bundleProblem: "The bundle at def456 is invalid:\nrulebook.yml:3:1 standards: bad",
      results: [],
      openIssues: [],
      audience: FULL_VIEW,
      time: "2026-11-23T12:00:00Z",
    });
    expect(body).toContain(
      "> [!WARNING]\n> The bundle at def456 is invalid:\n> rulebook.yml:3:1 standards: bad",
    );
  });

  it("summarizes a large org to stay under the issue body limit", () => {
    const results = Array.from({ length: 5000 }, (_, i) => {
      const repository = `acme/service-with-a-long-name-${String(i).padStart(5, "0")}`;
      return { repository, verdict: verdict(repository, [i % 2 ? "fail" : "pass", "pass"]) };
    });
    const body = renderDashboard({
      bundle,
      results,
      openIssues: [],
      audience: FULL_VIEW,
      time: "2026-11-23T12:00:00Z",
    });
    expect(body.length).toBeLessThanOrEqual(ISSUE_BODY_LIMIT);
    expect(body).toContain("| `codeowners` | 2500 | 2500 | 0 | 0 | 0 |");
    expect(body).not.toContain("## Repositories");
    expect(body).toContain("rulebook scan --org");
  });
});

describe("renderDashboard, read where the dashboard is written", () => {
  const skip = (path: string, testName: string) => ({
    path,
    line: 3,
    label: "it.skip",
    effect: "skip" as const,
    conditional: false,
    testName,
    cited: false,
  });
  const visibilities = new Map<string, Visibility>([
    ["acme/web", "public"],
    ["acme/site", "public"],
    ["acme/vault", "private"],
    ["acme/ledger", "private"],
    ["acme/intranet", "internal"],
  ]);
  /** An org of two public, two private and one internal repository, each leaving a trace in every section. */
  function orgDashboard(readers: Visibility, overrides: Partial<Parameters<typeof renderDashboard>[0]> = {}) {
    return renderDashboard({
      bundle,
      results: [
        // Waived by a waiver whose glob covers every repository.
        { repository: "acme/web", verdict: verdict("acme/*", ["pass", "waived"]) },
        { repository: "acme/site", verdict: verdict("acme/site", ["fail", "pass"]) },
        { repository: "acme/vault", verdict: verdict("acme/vault", ["fail", "waived"]) },
        { repository: "acme/ledger", error: "HTTP 502: the ledger-backend refused" },
        { repository: "acme/intranet", verdict: verdict("acme/intranet", ["pass", "fail"]) },
      ],
      openIssues: [
        {
          repository: "acme/site",
          standard: "codeowners",
          number: 3,
          url: "https://github.com/acme/site/issues/3",
        },
        {
          repository: "acme/vault",
          standard: "codeowners",
          number: 7,
          url: "https://github.com/acme/vault/issues/7",
        },
      ],
      skips: [
        {
          repository: "acme/site",
          skips: [skip("test/a.test.ts", "refunds cash"), skip("test/login.test.ts", "signs in staff")],
          exclusions: [],
          files: 4,
          fetched: 0,
        },
        {
          repository: "acme/vault",
          skips: [skip("src/keys/rotate.test.ts", "rotates the hsm keys"), skip("b.test.ts", "refunds cash")],
          exclusions: [
            {
              path: "jest.config.js",
              line: 4,
              runner: "jest",
              setting: "testPathIgnorePatterns",
              excluded: "/hsm-rotation/",
              effect: "exclude",
              cited: false,
            },
          ],
          files: 9,
          fetched: 0,
        },
        {
          repository: "acme/ledger",
          skips: [skip("keys/rotate_test.py", "rotates the hsm keys")],
          exclusions: [
            {
              path: "jest.config.js",
              line: 4,
              runner: "jest",
              setting: "testPathIgnorePatterns",
              excluded: "/hsm-rotation/",
              effect: "exclude",
              cited: false,
            },
          ],
          files: 3,
          fetched: 0,
        },
        {
          repository: "acme/intranet",
          skips: [skip("portal/login.test.ts", "signs in staff")],
          exclusions: [],
          files: 2,
          fetched: 0,
        },
      ],
      rollout: {
        mode: "observe",
        checks: [
          { repository: "acme/site", number: 5, standards: ["codeowners"] },
          { repository: "acme/vault", number: 41, standards: ["codeowners"] },
          { repository: "acme/intranet", number: 12, standards: ["license"] },
        ],
        drift: [{ repository: "acme/vault", standards: ["codeowners"] }],
        incidents: [
          {
            repository: "acme/vault",
            standard: "direct-push",
            event: "push to main",
            time: "T1",
            actor: "mallory",
          },
          { repository: "acme/intranet", standard: "self-merge", event: "merge", time: "T2", actor: "ivan" },
        ],
      },
      rulesetChanges: [
        {
          repository: "acme/vault",
          ruleset: "vault-tags",
          action: "edited",
          actor: "trudy",
          time: "T3",
          change: "rules added: creation",
        },
      ],
      failedJobs: {
        count: 3,
        recent: [
          { job: "judge", subject: "acme/vault#41", error: "HTTP 500", time: "T4" },
          { job: "sweep-batch", subject: "5 repositories of acme", error: "acme/ledger is gone", time: "T5" },
          { job: "judge", subject: "acme/site#5", error: "HTTP 502", time: "T6" },
        ],
      },
      audience: { readers, visibilities },
      time: "2026-11-23T12:00:00Z",
      ...overrides,
    });
  }
  /** Every trace the private repositories leave in the sections above. */
  const PRIVATE_TRACES = [
    "vault",
    "ledger",
    "rotates the hsm keys",
    "src/keys/rotate.test.ts",
    "hsm-rotation",
    "keys/rotate_test.py",
    "mallory",
    "trudy",
    "#41",
    "issues/7",
    "push to main",
  ];
  const INTERNAL_TRACES = ["intranet", "signs in staff", "portal/login.test.ts", "ivan", "#12"];
  const stateOf = (body: string) =>
    readMarker(
      body,
      "dashboard-state",
      z.object({ repositories: z.record(z.string(), z.unknown()) }).loose(),
    );

  it("a public repository's dashboard names public repositories only and counts the others", () => {
    const body = orgDashboard("public");
    for (const trace of [...PRIVATE_TRACES, ...INTERNAL_TRACES]) expect(body).not.toContain(trace);
    expect(Object.keys(stateOf(body)?.repositories ?? {})).toEqual(["acme/site", "acme/web"]);
    expect(body).toContain("5 repositories, 4 failing.");
    expect(body).toContain(
      "> 3 private or internal repositories are counted in the totals but not named here: anyone can read this repository.",
    );
    expect(body).toContain("| `codeowners` | 2 | 2 | 0 | 0 | 1 |");
    expect(body).toContain("| acme/site | ❌ | ✅ |");
    expect(body).toContain("| acme/* | `license` | `@alice` | 2027-01-31 | active |");
    expect(body).toContain("- [acme/site#3](https://github.com/acme/site/issues/3) `codeowners`");
    expect(body).toContain("- acme/site#5: `codeowners`\n- 2 more entries about repositories not named here");
    expect(body).toContain(
      "Not named here: 6 skipped, focused, expected-to-fail or excluded tests in 3 more repositories.",
    );
    // "refunds cash" is skipped in a public and a private repository: only the public place is said.
    expect(body).toContain("### The same skipped test in several repositories\n\nNone.");
    expect(body).toContain("> 3 jobs failed after every retry");
    expect(body).toContain("`judge` acme/site#5 at T6: HTTP 502");
    expect(body).toContain("> - 2 more about repositories not named here");
    expect(body).toContain("- 1 more entry about repositories not named here");
  });

  it("an internal repository's dashboard names public and internal repositories, not private ones", () => {
    const body = orgDashboard("internal");
    for (const trace of PRIVATE_TRACES) expect(body).not.toContain(trace);
    for (const trace of INTERNAL_TRACES) expect(body).toContain(trace);
    expect(Object.keys(stateOf(body)?.repositories ?? {})).toEqual([
      "acme/intranet",
      "acme/site",
      "acme/web",
    ]);
    expect(body).toContain(
      "> 2 private repositories are counted in the totals but not named here: every member of the enterprise can read this repository.",
    );
  });

  it("a private repository's dashboard names every repository, with every detail", () => {
    const body = orgDashboard("private");
    for (const trace of [...PRIVATE_TRACES, ...INTERNAL_TRACES]) expect(body).toContain(trace);
    expect(Object.keys(stateOf(body)?.repositories ?? {})).toHaveLength(5);
    expect(body).not.toContain("not named here");
    expect(body).toContain("- `refunds cash`: acme/site (`test/a.test.ts:3`), acme/vault (`b.test.ts:3`)");
  });

  it("quotes a text whose names only contain a left-out repository's, not one that names it", () => {
    const body = orgDashboard("public", {
      failedJobs: {
        count: 2,
        recent: [
          {
            job: "judge",
            subject: "acme/web#2",
            error: "acme/vault-docs and ledgers.io answered 502",
            time: "T",
          },
          { job: "judge", subject: "acme/web#3", error: "see Vault.js", time: "T" },
        ],
      },
    });
    expect(body).toContain("`judge` acme/web#2 at T: acme/vault-docs and ledgers.io answered 502");
    expect(body).not.toContain("Vault.js");
    expect(body).toContain("> - 1 more about repositories not named here");
  });

  it("takes a repository of unknown visibility as private, and quotes no text that names a private one", () => {
    const body = orgDashboard("public", {
      results: [
        { repository: "acme/web", error: "Could not resolve to a Repository with the name 'acme/vault'." },
        { repository: "acme/site", error: "HTTP 404 while reading Vault's settings" },
        { repository: "acme/unlisted", verdict: verdict("acme/unlisted", ["pass", "pass"]) },
      ],
      bundleProblem: "rulebook.yml:9:5 waivers.0.repository: acme/ledger is archived",
    });
    for (const trace of [...PRIVATE_TRACES, "unlisted"]) expect(body).not.toContain(trace);
    const withheld = { s: "EE", e: "its error names a repository not shown here" };
    expect(stateOf(body)?.repositories).toEqual({
      "acme/site": { ...withheld, i: [["codeowners", 3, "https://github.com/acme/site/issues/3"]] },
      "acme/web": withheld,
    });
    expect(body).toContain("> 1 private or internal repository is counted in the totals");
    expect(body).toContain("its errors name a repository not shown here");
  });
});
