/** The pull request's head branch is named by the convention, unless automation owns it. */
import { z } from "zod";
import { compilePattern, matchesGlobs, zPattern } from "../util/pattern.js";
import { DETACHED_HEAD, shellArg } from "./support/shell.js";
import { defineRule, notEvaluated } from "./types.js";

export const DEFAULT_BRANCH_PATTERN =
  "^(feat|fix|docs|chore|refactor|test|ci|build|perf|style|revert)/[a-z0-9._-]+$";

const options = z
  .object({
    /** Regular expressions (RE2); the branch must match at least one. */
    patterns: z.array(zPattern).min(1).default([DEFAULT_BRANCH_PATTERN]),
    /** Globs of branches automation creates, which are not judged. */
    allow: z
      .array(z.string().min(1))
      .default(["dependabot/**", "renovate/**", "release-please--**", "gh-readonly-queue/**"]),
  })
  .strict();

// Prefixes people and agents often write for a Conventional Commits type.
const PREFIX_ALIASES: Readonly<Record<string, string>> = {
  feature: "feat",
  features: "feat",
  bugfix: "fix",
  hotfix: "fix",
  bug: "fix",
  doc: "docs",
};

/** A conforming name derived from the branch (case, separators, a common prefix alias), if one matches. */
function suggestBranch(branch: string, matches: (name: string) => boolean): string | undefined {
  const [prefix = "", ...rest] = branch.toLowerCase().split("/");
  const slug = rest
    .join("-")
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug === "") return undefined;
  const candidate = `${PREFIX_ALIASES[prefix] ?? prefix}/${slug}`;
  return candidate !== branch && matches(candidate) ? candidate : undefined;
}

export default defineRule({
  id: "branch-name",
  scope: "pr",
  description: "The head branch is named by the convention (feat/..., fix/...), unless automation owns it",
  options,
  requires: ["pr"],
  check({ facts, options }) {
    const pr = facts.pullRequest;
    if (!pr) return [];
    const branch = pr.head.ref;
    if (branch === DETACHED_HEAD) {
      return notEvaluated(
        "HEAD is detached, so there is no branch name to judge; check out the branch the pull request comes from",
      );
    }
    if (matchesGlobs(branch, options.allow)) return [];
    const patterns = options.patterns.map(compilePattern);
    const matches = (name: string) => patterns.some((pattern) => pattern.test(name));
    if (matches(branch)) return [];
    const suggestion = suggestBranch(branch, matches);
    const target = suggestion ?? "<new-name>";
    const from = shellArg(branch);
    return [
      {
        message: `Head branch "${branch}" matches none of the branch name patterns`,
        expected: options.patterns.join(" or "),
        found: branch,
        remediation:
          `Rename the branch${suggestion ? "" : " to a name matching the patterns"}: ` +
          `\`git branch -m ${from} ${target} && git push -u origin ${target}\`, then ` +
          (pr.number > 0
            ? `open a new pull request from \`${target}\` and close #${pr.number} (a pull request's head branch cannot change).`
            : `open the pull request from \`${target}\`.`),
      },
    ];
  },
});
