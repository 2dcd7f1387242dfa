/** Every rule the engine knows, by id. A bundle's standards refer to these ids. */
import branchName from "./branch-name.js";
import bypassedCheck from "./bypassed-check.js";
import ciStepsCanFail from "./ci-steps-can-fail.js";
import commitMessage from "./commit-message.js";
import consistentFile from "./consistent-file.js";
import deletedTests from "./deleted-tests.js";
import directPush from "./direct-push.js";
import guardedPaths from "./guarded-paths.js";
import prBody from "./pr-body.js";
import prTitle from "./pr-title.js";
import requiredChecks from "./required-checks.js";
import requiredFile from "./required-file.js";
import ruleset from "./ruleset.js";
import selfMerge from "./self-merge.js";
import testExclusion from "./test-exclusion.js";
import testSkip from "./test-skip.js";
import type { Rule } from "./types.js";

const all: Rule[] = [
  // rules: one import per rule, kept in alphabetical order
  branchName,
  bypassedCheck,
  ciStepsCanFail,
  commitMessage,
  consistentFile,
  deletedTests,
  directPush,
  guardedPaths,
  prBody,
  prTitle,
  requiredChecks,
  requiredFile,
  ruleset,
  selfMerge,
  testExclusion,
  testSkip,
];

export const rules: ReadonlyMap<string, Rule> = new Map(all.map((rule) => [rule.id, rule]));
