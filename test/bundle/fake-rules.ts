/** A small registry of fake rules for bundle tests, independent of the real rules being written. */
import { z } from "zod";
import { defineRule, type Rule } from "../../src/rules/types.js";
import { zPattern } from "../../src/util/pattern.js";

const commitMessage = defineRule({
  id: "commit-message",
  scope: "pr",
  description: "Commit messages follow a convention",
  options: z.strictObject({ types: z.array(z.string()).default(["feat", "fix"]) }),
  requires: ["pr.commits"],
  check: () => [],
});

const prTitle = defineRule({
  id: "pr-title",
  scope: "pr",
  description: "The pull request title matches a pattern",
  options: z.strictObject({ pattern: zPattern }),
  requires: ["pr.description"],
  check: () => [],
});

const requiredFile = defineRule({
  id: "required-file",
  scope: "repo",
  description: "A file exists, optionally with canonical content",
  options: z.strictObject({ path: z.string(), canonical: z.string().optional() }),
  requires: ["repo.files"],
  files: (options) => [options.path],
  bundleFiles: (options) => (options.canonical ? [options.canonical] : []),
  check: () => [],
});

export const fakeRules: ReadonlyMap<string, Rule> = new Map<string, Rule>(
  [commitMessage, prTitle, requiredFile].map((rule) => [rule.id, rule as Rule]),
);
