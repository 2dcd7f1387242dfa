/**
 * Judges an evasion corpus and a false-positive corpus with a real rule, on a pull request that adds each
 * file whole: every evasion must be reported at exactly its lines, and no legitimate case at all.
 */
import { describe, expect, it } from "@jest/globals";
import { isNotEvaluated, type Rule } from "../../src/rules/types.js";
import { prScope } from "../support/facts.js";
import { ruleContext } from "../support/rule-tester.js";
import { type CorpusCase, ISSUES } from "./evasion-corpus.js";

/** Each corpus holds at least this many cases, so it samples the idioms rather than a few of them. */
const MINIMUM_CASES = 60;

export function judgeCorpora(
  rule: Rule,
  corpora: { name: string; evasions: readonly CorpusCase[]; legitimate: readonly CorpusCase[] },
): void {
  async function reportedLines(c: CorpusCase): Promise<number[]> {
    const facts = prScope(
      { files: [{ path: c.path, status: "added", binary: false, content: c.source }] },
      { issues: ISSUES },
    );
    const result = await rule.check(ruleContext(rule, { name: c.name, facts }));
    if (isNotEvaluated(result)) throw new Error(`not evaluated: ${result.notEvaluated}`);
    return result.map((f) => f.line ?? 0);
  }

  describe(`the ${corpora.name} evasion corpus`, () => {
    it(`holds at least ${MINIMUM_CASES} attempts`, () => {
      expect(corpora.evasions.length).toBeGreaterThanOrEqual(MINIMUM_CASES);
    });
    for (const c of corpora.evasions) {
      it(`reports ${c.name}`, async () => {
        expect(await reportedLines(c)).toEqual(c.lines);
      });
    }
  });

  describe(`the ${corpora.name} false-positive corpus`, () => {
    it(`holds at least ${MINIMUM_CASES} legitimate cases`, () => {
      expect(corpora.legitimate.length).toBeGreaterThanOrEqual(MINIMUM_CASES);
    });
    for (const c of corpora.legitimate) {
      it(`passes ${c.name}`, async () => {
        expect(await reportedLines(c)).toEqual([]);
      });
    }
  });
}
