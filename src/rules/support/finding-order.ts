/** The order a rule returns its findings in: by path (findings without one first), line, then message. */
import { compareStrings } from "../../util/compare.js";
import type { RuleFinding } from "../types.js";

export function compareRuleFindings(a: RuleFinding, b: RuleFinding): number {
  return (
    compareStrings(a.path ?? "", b.path ?? "") ||
    (a.line ?? 0) - (b.line ?? 0) ||
    compareStrings(a.message, b.message)
  );
}
