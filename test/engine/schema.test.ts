import { describe, expect, it } from "@jest/globals";
import { evaluate } from "../../src/engine/evaluate.js";
import { VERDICT_SCHEMA, type Verdict } from "../../src/engine/verdict.js";
import { prScope } from "../support/facts.js";
import { VERDICT_JSON_SCHEMA, validateVerdict } from "../support/verdict-schema.js";
import { bundle, fakeRule, profile, registryOf, standard } from "./fixtures.js";

/** A verdict with every status, a waiver of each kind and findings with every field. */
async function richVerdict(): Promise<Verdict> {
  const rules = registryOf(
    fakeRule("full", {
      check: () => [
        {
          message: "test skipped",
          path: "src/a.test.ts",
          line: 4,
          endLine: 6,
          expected: "no skipped tests",
          found: "it.skip(",
          remediation: "Remove the skip.",
        },
        { message: "ci running", pending: true },
      ],
    }),
    fakeRule("pass"),
    fakeRule("push-only", { scope: "push" }),
    fakeRule("reviews", { requires: ["pr.reviews"] }),
  );
  const theBundle = bundle(
    [
      standard("failing", "full", { since: "2027-01-01" }),
      standard("passing", "pass"),
      standard("pushes", "push-only"),
      standard("waived", "full"),
      standard("exempt", "full", { exemptions: { actors: ["alice"], branches: [] } }),
      standard("reviewed", "reviews"),
      standard("elsewhere", "pass", { profiles: ["go"] }),
    ],
    {
      profiles: { all: profile("all"), go: profile("go", { languages: ["Go"] }) },
      waivers: [
        {
          repository: "acme/*",
          standard: "waived",
          owner: "@alice",
          reason: "Moving.",
          expires: "2027-01-31",
        },
        { repository: "acme/api", standard: "failing", owner: "@bob", reason: "Old.", expires: "2026-01-31" },
      ],
      settings: { ...bundle([]).settings, docsUrl: "https://example.org/standards/" },
    },
  );
  return evaluate(
    theBundle,
    prScope({ reviews: undefined }, { unavailable: { "pr.reviews": "no token" } }),
    rules,
  );
}

describe("schema/rulebook.findings.v1.json", () => {
  it("describes the verdict format it names", () => {
    expect(VERDICT_JSON_SCHEMA.properties.schema.const).toBe(VERDICT_SCHEMA);
    expect(VERDICT_JSON_SCHEMA.$id).toBe("urn:rulebook:schema:rulebook.findings.v1");
  });

  it("accepts a real verdict with every status, waiver kind and finding field", async () => {
    const verdict = await richVerdict();
    expect(verdict.standards.map((s) => s.status).sort()).toEqual([
      "exempt",
      "fail",
      "not-applicable",
      "not-applicable",
      "not-evaluated",
      "pass",
      "waived",
    ]);
    expect(verdict.waivers.map((w) => w.status)).toEqual(["expired", "active"]);
    const valid = validateVerdict(JSON.parse(JSON.stringify(verdict)));
    expect(validateVerdict.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each<[string, (v: Record<string, unknown> & Verdict) => void, string]>([
    ["another schema version", (v) => Object.assign(v, { schema: "rulebook.findings/v2" }), "/schema"],
    ["an unknown top-level field", (v) => Object.assign(v, { extra: 1 }), ""],
    [
      "a finding without remediation",
      (v) => Reflect.deleteProperty(v.findings[0] ?? {}, "remediation"),
      "/findings/0",
    ],
    ["a finding at line 0", (v) => Object.assign(v.findings[0] ?? {}, { line: 0 }), "/findings/0/line"],
    [
      "a finding with an unknown severity",
      (v) => Object.assign(v.findings[0] ?? {}, { severity: "fatal" }),
      "/findings/0/severity",
    ],
    [
      "pending set to false",
      (v) => Object.assign(v.findings[0] ?? {}, { pending: false }),
      "/findings/0/pending",
    ],
    [
      "an unknown standard status",
      (v) => Object.assign(v.standards[0] ?? {}, { status: "skipped" }),
      "/standards/0/status",
    ],
    [
      "an unknown waiver status",
      (v) => Object.assign(v.waivers[0] ?? {}, { status: "revoked" }),
      "/waivers/0/status",
    ],
    [
      "a not-evaluated entry without a reason",
      (v) => Reflect.deleteProperty(v.notEvaluated[0] ?? {}, "reason"),
      "/notEvaluated/0",
    ],
  ])("rejects %s", async (_name, corrupt, instancePath) => {
    const verdict = JSON.parse(JSON.stringify(await richVerdict()));
    corrupt(verdict);
    expect(validateVerdict(verdict)).toBe(false);
    expect(validateVerdict.errors?.map((e) => e.instancePath)).toContain(instancePath);
  });
});
