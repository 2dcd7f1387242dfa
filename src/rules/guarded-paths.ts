/**
 * Changes to the files that define the gates themselves (workflows, code owners, test configuration, the
 * standards) need an approving review from an independent human: an agent must not loosen its own gates.
 */
import { z } from "zod";
import { parsedPatchOf } from "../facts/diff.js";
import type { ChangedFile } from "../facts/schema.js";
import { compareStrings } from "../util/compare.js";
import { matchesGlobs } from "../util/pattern.js";
import { describeTally, tallyApprovals } from "./support/approvals.js";
import { cannotFailInPullRequest, WORKFLOW_PATHS } from "./support/cannot-fail.js";
import { addedExclusions, describeExclusion } from "./support/exclusions/added.js";
import { readsExclusions } from "./support/exclusions/detect.js";
import { zReferenceForms } from "./support/issue-references.js";
import { shortSha } from "./support/sha.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

export const DEFAULT_GUARDED_PATHS = [
  ".github/workflows/**",
  "CODEOWNERS",
  ".github/CODEOWNERS",
  "docs/CODEOWNERS",
  "standards/**",
  "jest.config.*",
  "vitest.config.*",
  "pytest.ini",
  ".github/rulebook/**",
];

const options = z
  .object({
    /** Globs of guarded files; a leading `!` excludes. A rename guards both its old and its new path. */
    paths: z.array(z.string().min(1)).min(1).default(DEFAULT_GUARDED_PATHS),
    /** Guard every author's changes, not only those of agents. */
    always: z.boolean().default(false),
    minApprovals: z.number().int().min(1).default(1),
    /** Count only approvals on the head commit, so an agent cannot push more after the approval. */
    requireApprovalOnHead: z.boolean().default(true),
  })
  .strict();

export default defineRule({
  id: "guarded-paths",
  scope: "pr",
  authority: {
    ask: "code-owners",
    because: "a change to the files that define the gates needs the approval of a human who did not write it",
  },
  description: "Changes to guarded paths have an approving review from an independent human",
  options,
  requires: ["pr.files", "pr.reviews"],
  // Workflows, and guarded files that can take tests out of the run, are read whole, so the approval
  // request names what the change makes unable to fail or takes out of the run.
  changedFileContents: (options) => (path) =>
    matchesGlobs(path, WORKFLOW_PATHS) || (readsExclusions(path) && matchesGlobs(path, options.paths)),
  check({ facts, options, isAgent, authorIsAgent }) {
    const pr = facts.pullRequest;
    if (!pr?.files || !pr.reviews)
      return notEvaluated("the pull request's files or reviews were not gathered");
    if (!options.always && !authorIsAgent) return [];
    const guarded = pr.files
      .filter((file) => file.status !== "unchanged" && guardingGlob(file, options.paths) !== undefined)
      .sort((a, b) => compareStrings(a.path, b.path));
    if (guarded.length === 0) return [];
    const author = pr.author.login;
    const onHead = options.requireApprovalOnHead ? ` on ${shortSha(pr.head.sha)}` : "";
    const tally = tallyApprovals(pr.reviews, {
      excluded: [{ login: author, role: "the author" }],
      isAgent,
      ...(options.requireApprovalOnHead ? { headSha: pr.head.sha } : {}),
    });
    if (tally.approvers.length >= options.minApprovals) return [];
    const needed = `${options.minApprovals} approving review${options.minApprovals === 1 ? "" : "s"}`;
    const who = `not ${author} (the author${authorIsAgent ? ", an agent" : ""}) and not a bot or agent`;
    const afterApproval = options.requireApprovalOnHead
      ? "; push nothing after the approval, or it must be given again"
      : "";
    const { found } = cannotFailInPullRequest(facts, {
      paths: WORKFLOW_PATHS,
      references: zReferenceForms.parse(undefined),
    });
    return guarded.map((file): RuleFinding => {
      const line = file.status === "removed" ? undefined : parsedPatchOf(file)?.firstChangedLine;
      const unableToFail = found.filter((item) => item.path === file.path).map((item) => item.description);
      const warning =
        unableToFail.length > 0 ? `; it makes tests unable to fail: ${unableToFail.join("; ")}` : "";
      const excludes = exclusionsNamed(file);
      return {
        message: `${describeChange(file)}, a guarded path ("${guardingGlob(file, options.paths)}"), needs ${needed}${onHead} from an independent human, ${who}; the pull request has ${tally.approvers.length}${warning}${excludes ? `. The change takes tests out of the run: ${excludes}` : ""}`,
        path: file.path,
        ...(line !== undefined ? { line } : {}),
        expected: `${needed}${onHead} by a human other than ${author}`,
        found: describeTally(tally),
        remediation: `Ask a maintainer who is a human other than ${author} to review the change to ${file.path}${excludes ? ` (it takes tests out of the run: ${excludes})` : ""} and approve the pull request${onHead}${afterApproval}.`,
      };
    });
  },
});

/**
 * The exclusions the change adds to a guarded file, in words with their lines, so the approver sees what
 * leaves the run; undefined when it adds none (or the file is not one the exclusion detectors read).
 */
function exclusionsNamed(file: ChangedFile): string | undefined {
  const found = addedExclusions(file);
  if (!found || !("exclusions" in found) || found.exclusions.length === 0) return undefined;
  return found.exclusions.map((e) => `line ${e.line} ${describeExclusion(e)}`).join("; ");
}

/** The first positive glob that guards the file's new or old path, when the file is guarded at all. */
function guardingGlob(file: ChangedFile, paths: readonly string[]): string | undefined {
  const candidates = file.previousPath === undefined ? [file.path] : [file.path, file.previousPath];
  const guardedPath = candidates.find((path) => matchesGlobs(path, paths));
  if (guardedPath === undefined) return undefined;
  return paths.find((glob) => !glob.startsWith("!") && matchesGlobs(guardedPath, [glob]));
}

function describeChange(file: ChangedFile): string {
  if (file.status === "removed") return `Removing ${file.path}`;
  if (file.previousPath !== undefined && file.previousPath !== file.path) {
    return `Moving ${file.previousPath} to ${file.path}`;
  }
  return `${file.status === "added" ? "Adding" : "Changing"} ${file.path}`;
}
