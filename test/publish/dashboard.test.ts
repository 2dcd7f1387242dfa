import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import type { Verdict } from "../../src/engine/verdict.js";
import { ISSUE_BODY_LIMIT, renderDashboard } from "../../src/publish/dashboard.js";
import { readMarker } from "../../src/publish/markers.js";

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
    const body = renderDashboard({ bundle, results, openIssues: [], time: "2026-11-23T12:00:00Z" });
    expect(body.length).toBeLessThanOrEqual(ISSUE_BODY_LIMIT);
    expect(body).toContain("| `codeowners` | 2500 | 2500 | 0 | 0 | 0 |");
    expect(body).not.toContain("## Repositories");
    expect(body).toContain("rulebook scan --org");
  });
});
