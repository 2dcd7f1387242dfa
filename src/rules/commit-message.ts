/**
 * Every commit of a pull request follows Conventional Commits, and names only allowed co-authors. One
 * finding per commit names all of its problems in plain words and quotes the offending text.
 */
import { z } from "zod";
import type { Commit } from "../facts/schema.js";
import { matchesGlobs } from "../util/pattern.js";
import {
  conventionalHeaderOptions,
  guessedTypeCaveat,
  type HeaderOptions,
  headerOf,
  headerShape,
  isMergeMessage,
  lintConventional,
  plainProblems,
  suggestHeader,
  unreadableMessage,
} from "./support/conventional.js";
import { compareRuleFindings } from "./support/finding-order.js";
import { shortSha } from "./support/sha.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

const options = z
  .object({
    ...conventionalHeaderOptions,
    /** Globs over `Name <email>`; when given, every `Co-authored-by` trailer must match one. */
    allowedCoAuthors: z.array(z.string().min(1)).optional(),
    ignoreMerges: z.boolean().default(true),
  })
  .strict();

/** How to rewrite one commit's message: amend the head commit, reword an earlier one. */
function rewordCommand(commit: Commit, headSha: string, baseSha: string, change: string): string {
  const push = "then `git push --force-with-lease`";
  if (commit.sha === headSha) return `Run \`git commit --amend\` and ${change}, ${push}.`;
  const short = shortSha(commit.sha);
  return `Run \`git rebase -i ${baseSha}\`, change \`pick ${short}\` to \`reword ${short}\` and ${change}, ${push}.`;
}

export default defineRule({
  id: "commit-message",
  scope: "pr",
  description:
    "Every commit of the pull request follows Conventional Commits (commitlint, config-conventional)",
  options,
  requires: ["pr.commits"],
  async check({ facts, options }) {
    const pr = facts.pullRequest;
    if (!pr?.commits) return [];
    const headerOptions: HeaderOptions = options;
    const unreadable = pr.commits
      .map((commit) => unreadableMessage(`the message of commit ${shortSha(commit.sha)}`, commit.message))
      .filter((reason) => reason !== undefined);
    if (unreadable.length > 0) return notEvaluated(`${unreadable.join("; ")}, so it was not checked`);
    const findings: RuleFinding[] = [];
    for (const commit of pr.commits) {
      const merge = isMergeMessage(commit.message);
      if (merge && options.ignoreMerges) continue;
      const header = headerOf(commit.message);
      const errors = await lintConventional(commit.message, headerOptions, { lintMerges: true });
      const plain = plainProblems(commit.message, errors, headerOptions);
      const changes: string[] = [];
      if (plain.header && !merge) {
        const suggestion = await suggestHeader(header, headerOptions);
        changes.push(
          suggestion
            ? `change the header to ${JSON.stringify(suggestion.header)}${guessedTypeCaveat(suggestion)}`
            : `write the header as \`${headerShape(headerOptions)}\``,
        );
      }
      if (plain.lines) changes.push("wrap the lines after the header at 100 characters");
      const strangers = (options.allowedCoAuthors ? commit.coAuthors : [])
        .map((coAuthor) => `${coAuthor.name} <${coAuthor.email}>`)
        .filter((person) => !matchesGlobs(person, options.allowedCoAuthors ?? []));
      for (const person of strangers) {
        plain.problems.push(`its co-author ${JSON.stringify(person)} is not one allowedCoAuthors lists`);
        plain.found.push(`Co-authored-by: ${person}`);
        changes.push(`correct or remove the trailer \`Co-authored-by: ${person}\``);
      }
      if (strangers.length > 0) {
        plain.expected.push(
          `co-authors matching one of: ${options.allowedCoAuthors?.join(", ") || "(none allowed)"}`,
        );
      }
      if (plain.problems.length === 0) continue;
      // A merge commit is not reworded but dropped, whatever else is wrong with it.
      const remediation =
        merge && plain.header
          ? `Drop the merge commit by rebasing onto the base: \`git rebase ${pr.base.sha}\`, then \`git push --force-with-lease\`.`
          : rewordCommand(commit, pr.head.sha, pr.base.sha, changes.join(", and "));
      findings.push({
        message: `Commit ${shortSha(commit.sha)} ${JSON.stringify(header)}${merge ? ", a merge commit" : ""}: ${plain.problems.join("; ")}`,
        expected: plain.expected.join("; "),
        found: plain.found.join("\n"),
        remediation,
      });
    }
    // No finding has a place, so this orders them by message.
    return findings.sort(compareRuleFindings);
  },
});
