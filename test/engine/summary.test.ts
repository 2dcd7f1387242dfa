import { describe, expect, it } from "@jest/globals";
import { blockingNotEvaluated, summarize } from "../../src/engine/summary.js";
import type { Finding, Verdict } from "../../src/engine/verdict.js";
import { bundle, standard } from "./fixtures.js";

function finding(severity: Finding["severity"], pending?: boolean): Finding {
  return {
    standard: "s",
    rule: "r",
    severity,
    message: "m",
    remediation: "Fix it.",
    docs: "docs/s.md",
    ...(pending ? { pending } : {}),
  };
}

function verdict(findings: Finding[], notEvaluated: Verdict["notEvaluated"] = []): Verdict {
  return {
    schema: "rulebook.findings/v1",
    bundle: { source: "test", version: "1" },
    findings,
    notEvaluated,
    standards: [],
    waivers: [],
  };
}

describe("summarize", () => {
  it.each([
    ["no findings", [], { counts: { error: 0, warning: 0, notice: 0 }, pending: 0, conclusion: "success" }],
    [
      "warnings and notices only",
      [finding("warning"), finding("notice"), finding("notice")],
      { counts: { error: 0, warning: 1, notice: 2 }, pending: 0, conclusion: "success" },
    ],
    [
      "an error",
      [finding("error"), finding("warning")],
      { counts: { error: 1, warning: 1, notice: 0 }, pending: 0, conclusion: "failure" },
    ],
    [
      "only pending errors",
      [finding("error", true), finding("error", true), finding("warning")],
      { counts: { error: 2, warning: 1, notice: 0 }, pending: 2, conclusion: "pending" },
    ],
    [
      "a pending error beside a standing one",
      [finding("error", true), finding("error")],
      { counts: { error: 2, warning: 0, notice: 0 }, pending: 1, conclusion: "failure" },
    ],
    [
      "a pending warning",
      [finding("warning", true)],
      { counts: { error: 0, warning: 1, notice: 0 }, pending: 1, conclusion: "success" },
    ],
  ])("%s", (_name, findings, expected) => {
    expect(summarize(verdict(findings))).toEqual({ ...expected, notEvaluated: 0 });
  });

  it("counts standards not evaluated but leaves the policy to the caller", () => {
    expect(summarize(verdict([], [{ standard: "s", reason: "r", severity: "error" }]))).toEqual({
      counts: { error: 0, warning: 0, notice: 0 },
      pending: 0,
      notEvaluated: 1,
      conclusion: "success",
    });
  });
});

describe("blockingNotEvaluated", () => {
  const theBundle = bundle([
    standard("blocks", "r"),
    standard("warns", "r", { severity: "warning" }),
    standard("later", "r", { since: "2030-01-01" }),
  ]);

  it("lists the standards not evaluated that would block, by their recorded severity or the bundle's", () => {
    const result = verdict(
      [],
      [
        { standard: "blocks", reason: "a" },
        { standard: "later", reason: "b", severity: "warning" },
        { standard: "unknown", reason: "c" },
        { standard: "warns", reason: "d" },
        { standard: "x", reason: "e", severity: "error" },
      ],
    );
    expect(blockingNotEvaluated(result, theBundle)).toEqual([
      { standard: "blocks", reason: "a" },
      { standard: "unknown", reason: "c" },
      { standard: "x", reason: "e", severity: "error" },
    ]);
  });
});
