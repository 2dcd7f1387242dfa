/** Every rule the engine knows, by id. A bundle's standards refer to these ids. */
import bypassedCheck from "./bypassed-check.js";
import consistentFile from "./consistent-file.js";
import directPush from "./direct-push.js";
import guardedPaths from "./guarded-paths.js";
import requiredChecks from "./required-checks.js";
import requiredFile from "./required-file.js";
import selfMerge from "./self-merge.js";
import testSkip from "./test-skip.js";
import type { Rule } from "./types.js";

const all: Rule[] = [
  // rules: one import per rule, kept in alphabetical order
  bypassedCheck,
  consistentFile,
  directPush,
  guardedPaths,
  requiredChecks,
  requiredFile,
  selfMerge,
  testSkip,
];

export const rules: ReadonlyMap<string, Rule> = new Map(all.map((rule) => [rule.id, rule]));
