/** Rollout modes: which standards block, and what the check concludes, mode by mode. */
import { describe, expect, it } from "@jest/globals";
import type { Mode } from "../../src/bundle/types.js";
import { checkOutcome, modeOf } from "../../src/engine/mode.js";
import type { Finding, Verdict } from "../../src/engine/verdict.js";
import { bundle, standard } from "./fixtures.js";

function finding(id: string, extra: Partial<Finding> = {}): Finding {
  return { standard: id, rule: "r", severity: "error", message: "m", remediation: "f", docs: "d", ...extra };
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

const twoStandards = (mode?: Mode, titleMode?: Mode) =>
  bundle([standard("title", "r", titleMode ? { mode: titleMode } : {}), standard("skips", "r")], {
    settings: {
      checkName: "rulebook",
      escalateAfter: 3,
      agents: { logins: [], coAuthors: [] },
      ...(mode ? { mode } : {}),
    },
  });

describe("modeOf", () => {
  it("takes the standard's own mode, else the bundle's, else the app's default", () => {
    expect(modeOf(twoStandards("observe", "enforce"), "title", "observe")).toBe("enforce");
    expect(modeOf(twoStandards("observe", "enforce"), "skips", "enforce")).toBe("observe");
    expect(modeOf(twoStandards(), "skips", "enforce")).toBe("enforce");
    expect(modeOf(twoStandards(), "skips", "observe")).toBe("observe");
  });
});

describe("checkOutcome", () => {
  it.each([
    ["an enforced error fails", "enforce", [finding("skips")], [], "failure", []],
    ["an observed error is neutral, and named", "observe", [finding("skips")], [], "neutral", ["skips"]],
    [
      "a warning blocks nothing, in either mode",
      "observe",
      [finding("skips", { severity: "warning" })],
      [],
      "success",
      [],
    ],
    [
      "pending errors keep the check running",
      "observe",
      [finding("skips", { pending: true })],
      [],
      "pending",
      [],
    ],
    [
      "an error standard not judged fails closed when enforced",
      "enforce",
      [],
      [{ standard: "skips", reason: "no facts", severity: "error" as const }],
      "failure",
      [],
    ],
    [
      "and is neutral when observed",
      "observe",
      [],
      [{ standard: "skips", reason: "no facts", severity: "error" as const }],
      "neutral",
      ["skips"],
    ],
  ])("%s", (_name, mode, findings, notEvaluated, conclusion, observed) => {
    const outcome = checkOutcome(verdict(findings, notEvaluated), twoStandards(mode as Mode), "observe");
    expect([outcome.conclusion, outcome.observed]).toEqual([conclusion, observed]);
  });

  it("fails on the enforced standard and names the observed one when modes are mixed", () => {
    const outcome = checkOutcome(
      verdict([finding("skips"), finding("title")]),
      twoStandards("observe", "enforce"),
      "observe",
    );
    expect(outcome).toEqual({ conclusion: "failure", blocking: ["skips", "title"], observed: ["skips"] });
  });
});
