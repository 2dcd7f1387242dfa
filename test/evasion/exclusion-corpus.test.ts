/** The exclusion corpora, judged by the real `test-exclusion` rule (see judge-corpus.ts). */
import rule from "../../src/rules/test-exclusion.js";
import type { Rule } from "../../src/rules/types.js";
import { EXCLUSION_EVASIONS } from "./exclusion-evasion-corpus.js";
import { EXCLUSION_LEGITIMATE } from "./exclusion-legitimate-corpus.js";
import { judgeCorpora } from "./judge-corpus.js";

judgeCorpora(rule as Rule, {
  name: "exclusion",
  evasions: EXCLUSION_EVASIONS,
  legitimate: EXCLUSION_LEGITIMATE,
});
