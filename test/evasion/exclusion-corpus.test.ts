/**
 * The exclusion corpora, judged by the real `test-exclusion` rule on a pull request that adds each file
 * whole: every evasion is reported at exactly its lines, and no legitimate change is reported.
 */
import { describe, expect, it } from "@jest/globals";
import rule from "../../src/rules/test-exclusion.js";
import { isNotEvaluated, type Rule } from "../../src/rules/types.js";
import { prScope } from "../support/facts.js";
import { ruleContext } from "../support/rule-tester.js";
import { type CorpusCase, ISSUES } from "./evasion-corpus.js";
import { EXCLUSION_EVASIONS } from "./exclusion-evasion-corpus.js";
import { EXCLUSION_LEGITIMATE } from "./exclusion-legitimate-corpus.js";

async function reportedLines(c: CorpusCase): Promise<number[]> {
  const facts = prScope(
    { files: [{ path: c.path, status: "added", binary: false, content: c.source }] },
    { issues: ISSUES },
  );
  const result = await (rule as Rule).check(ruleContext(rule as Rule, { name: c.name, facts }));
  if (isNotEvaluated(result)) throw new Error(`not evaluated: ${result.notEvaluated}`);
  return result.map((f) => f.line ?? 0);
}

describe("the exclusion evasion corpus", () => {
  it("holds at least 60 attempts", () => {
    expect(EXCLUSION_EVASIONS.length).toBeGreaterThanOrEqual(60);
  });
  for (const c of EXCLUSION_EVASIONS) {
    it(`reports ${c.name}`, async () => {
      expect(await reportedLines(c)).toEqual(c.lines);
    });
  }
});

describe("the exclusion false-positive corpus", () => {
  it("holds at least 60 legitimate changes", () => {
    expect(EXCLUSION_LEGITIMATE.length).toBeGreaterThanOrEqual(60);
  });
  for (const c of EXCLUSION_LEGITIMATE) {
    it(`passes ${c.name}`, async () => {
      expect(await reportedLines(c)).toEqual([]);
    });
  }
});
