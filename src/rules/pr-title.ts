/** The pull request title is a Conventional Commits header: a squash merge makes it the commit's header. */
import { z } from "zod";
import {
  conventionalHeaderOptions,
  guessedTypeCaveat,
  headerShape,
  lintConventional,
  plainProblems,
  suggestHeader,
  unreadableMessage,
} from "./support/conventional.js";
import { pullRequestArg, shellArg } from "./support/shell.js";
import { defineRule, notEvaluated } from "./types.js";

export default defineRule({
  id: "pr-title",
  scope: "pr",
  description: "The pull request title is a Conventional Commits header (commitlint, config-conventional)",
  options: z.object(conventionalHeaderOptions).strict(),
  requires: ["pr.description"],
  async check({ facts, options }) {
    const pr = facts.pullRequest;
    if (!pr) return [];
    const unreadable = unreadableMessage("the pull request title", pr.title);
    if (unreadable) return notEvaluated(`${unreadable}, so it was not checked`);
    const errors = await lintConventional(pr.title, options);
    if (errors.length === 0) return [];
    const plain = plainProblems(pr.title, errors, options, "title");
    const suggestion = await suggestHeader(pr.title, options);
    const remediation = suggestion
      ? `Retitle the pull request: \`gh pr edit ${pullRequestArg(pr)} --title ${shellArg(suggestion.header)}\`${guessedTypeCaveat(suggestion)}.`
      : `Retitle the pull request as \`${headerShape(options)}\`: \`gh pr edit ${pullRequestArg(pr)} --title '<type>: <subject>'\`.`;
    return [
      {
        message: `Pull request title ${JSON.stringify(pr.title)}: ${plain.problems.join("; ")}`,
        expected: plain.expected.join("; "),
        found: pr.title,
        remediation,
      },
    ];
  },
});
