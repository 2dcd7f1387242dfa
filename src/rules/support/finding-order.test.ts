import { describe, expect, it } from "@jest/globals";
import type { RuleFinding } from "../types.js";
import { compareRuleFindings } from "./finding-order.js";

function finding(message: string, path?: string, line?: number): RuleFinding {
  return { message, remediation: "fix it", ...(path ? { path } : {}), ...(line ? { line } : {}) };
}

describe("compareRuleFindings", () => {
  it("orders by path (none first), then line, then message", () => {
    const findings = [
      finding("b", "src/a.ts", 9),
      finding("z", "src/a.ts", 2),
      finding("a", "src/a.ts", 9),
      finding("whole change"),
      finding("a", "README.md"),
    ];
    expect(findings.sort(compareRuleFindings).map((f) => [f.path, f.line, f.message])).toEqual([
      [undefined, undefined, "whole change"],
      ["README.md", undefined, "a"],
      ["src/a.ts", 2, "z"],
      ["src/a.ts", 9, "a"],
      ["src/a.ts", 9, "b"],
    ]);
  });
});
