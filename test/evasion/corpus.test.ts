/** The skip corpora, judged by the real `test-skip` rule (see judge-corpus.ts). */
import rule from "../../src/rules/test-skip.js";
import type { Rule } from "../../src/rules/types.js";
import { EVASIONS } from "./evasion-corpus.js";
import { judgeCorpora } from "./judge-corpus.js";
import { LEGITIMATE } from "./legitimate-corpus.js";

judgeCorpora(rule as Rule, { name: "code skip", evasions: EVASIONS, legitimate: LEGITIMATE });
