/** Every commit of a pull request follows Conventional Commits, and names only allowed co-authors. */
import { z } from "zod";
import type { Commit } from "../facts/schema.js";
import { matchesGlobs } from "../util/pattern.js";
import {
  conventionalHeaderOptions,
  expectedFor,
  guessedTypeCaveat,
  type HeaderOptions,
  headerOf,
  headerShape,
  isMergeMessage,
  lintConventional,
  suggestHeader,
} from "./support/conventional.js";
import { compareRuleFindings } from "./support/finding-order.js";
import { shortSha } from "./support/sha.js";
import { defineRule, type RuleFinding } from "./types.js";

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
    const findings: RuleFinding[] = [];
    for (const commit of pr.commits) {
      const merge = isMergeMessage(commit.message);
      if (merge && options.ignoreMerges) continue;
      const short = shortSha(commit.sha);
      const header = headerOf(commit.message);
      const quoted = JSON.stringify(header);
      const problems = await lintConventional(commit.message, headerOptions, { lintMerges: true });
      if (problems.length > 0) {
        const suggestion = merge ? undefined : await suggestHeader(header, headerOptions);
        const headerFix = merge
          ? `Drop the merge commit by rebasing onto the base: \`git rebase ${pr.base.sha}\`, then \`git push --force-with-lease\`.`
          : rewordCommand(
              commit,
              pr.head.sha,
              pr.base.sha,
              suggestion
                ? `change the header to ${JSON.stringify(suggestion.header)}${guessedTypeCaveat(suggestion)}`
                : `write the header as \`${headerShape(headerOptions)}\``,
            );
        for (const problem of problems) {
          // A body or footer problem is fixed in the body or footer; the header may be fine.
          const part = /^(body|footer)-/.exec(problem.rule)?.[1];
          findings.push({
            message: `Commit ${short} ${quoted} violates ${problem.rule}: ${problem.message}`,
            expected: expectedFor(problem.rule, headerOptions),
            found: header,
            remediation:
              part && !merge
                ? rewordCommand(commit, pr.head.sha, pr.base.sha, `fix the ${part}: ${problem.message}`)
                : headerFix,
          });
        }
      }
      if (options.allowedCoAuthors) {
        for (const coAuthor of commit.coAuthors) {
          const person = `${coAuthor.name} <${coAuthor.email}>`;
          if (matchesGlobs(person, options.allowedCoAuthors)) continue;
          findings.push({
            message: `Commit ${short} ${quoted} has co-author ${JSON.stringify(person)}, which allowedCoAuthors does not list`,
            expected: `a co-author matching one of: ${options.allowedCoAuthors.join(", ") || "(none allowed)"}`,
            found: person,
            remediation: rewordCommand(
              commit,
              pr.head.sha,
              pr.base.sha,
              `correct or remove the trailer \`Co-authored-by: ${person}\``,
            ),
          });
        }
      }
    }
    // No finding has a place, so this orders them by message.
    return findings.sort(compareRuleFindings);
  },
});
