/** The pull request title is a Conventional Commits header: a squash merge makes it the commit's header. */
import { z } from "zod";
import {
  conventionalHeaderOptions,
  expectedFor,
  guessedTypeCaveat,
  headerShape,
  lintConventional,
  suggestHeader,
} from "./support/conventional.js";
import { compareRuleFindings } from "./support/finding-order.js";
import { pullRequestArg, shellArg } from "./support/shell.js";
import { defineRule, type RuleFinding } from "./types.js";

export default defineRule({
  id: "pr-title",
  scope: "pr",
  description: "The pull request title is a Conventional Commits header (commitlint, config-conventional)",
  options: z.object(conventionalHeaderOptions).strict(),
  requires: ["pr.description"],
  async check({ facts, options }) {
    const pr = facts.pullRequest;
    if (!pr) return [];
    const problems = await lintConventional(pr.title, options);
    if (problems.length === 0) return [];
    const suggestion = await suggestHeader(pr.title, options);
    const remediation = suggestion
      ? `Retitle the pull request: \`gh pr edit ${pullRequestArg(pr)} --title ${shellArg(suggestion.header)}\`${guessedTypeCaveat(suggestion)}.`
      : `Retitle the pull request as \`${headerShape(options)}\`: \`gh pr edit ${pullRequestArg(pr)} --title '<type>: <subject>'\`.`;
    const findings: RuleFinding[] = problems.map((problem) => ({
      message: `Pull request title ${JSON.stringify(pr.title)} violates ${problem.rule}: ${problem.message}`,
      expected: expectedFor(problem.rule, options),
      found: pr.title,
      remediation,
    }));
    // No finding has a place, so this orders them by message.
    return findings.sort(compareRuleFindings);
  },
});
