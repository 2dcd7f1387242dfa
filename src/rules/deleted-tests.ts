/**
 * A pull request that deletes test cases or test files without adding as many needs an approving review
 * from an independent human: deleting the test is the quickest way to turn a failing check green, and the
 * most silent one.
 */
import { z } from "zod";
import { parsedPatchOf } from "../facts/diff.js";
import type { ChangedFile } from "../facts/schema.js";
import { compareStrings } from "../util/compare.js";
import { FILE_LIMITS, tooLarge } from "../util/input-limits.js";
import { matchesGlobs } from "../util/pattern.js";
import { plural } from "../util/plural.js";
import { describeTally, tallyApprovals } from "./support/approvals.js";
import { shortSha } from "./support/sha.js";
import { DEFAULT_TEST_PATHS, languageOf, testCases } from "./support/skip-detector.js";

import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

const options = z
  .object({
    /** Globs of test files; a leading `!` excludes. */
    paths: z.array(z.string().min(1)).min(1).default(DEFAULT_TEST_PATHS),
    minApprovals: z.number().int().min(1).default(1),
    /** Count only approvals on the head commit, so nothing can be deleted after the approval. */
    requireApprovalOnHead: z.boolean().default(true),
  })
  .strict();

interface Loss {
  file: ChangedFile;
  /** Names of the test cases its removed lines declare ("" for unnamed ones). */
  removed: string[];
  /** The whole test file is deleted. */
  deleted: boolean;
  /** GitHub left the deleted file's diff out, so how many cases it held is unknown. */
  unknown: boolean;
}

export default defineRule({
  id: "deleted-tests",
  scope: "pr",
  description:
    "Deleting test cases or test files without adding as many needs an approving review from an independent human",
  options,
  requires: ["pr.files", "pr.reviews"],
  check({ facts, options, isAgent, authorIsAgent }) {
    const pr = facts.pullRequest;
    if (!pr?.files || !pr.reviews)
      return notEvaluated("the pull request's files or reviews were not gathered");
    const losses: Loss[] = [];
    let addedCases = 0;
    let removedCases = 0;
    for (const file of pr.files) {
      const isTest = (path: string | undefined) =>
        path !== undefined && languageOf(path) !== undefined && matchesGlobs(path, options.paths);
      const wasTest = isTest(file.previousPath ?? file.path);
      if (!wasTest && !isTest(file.path)) continue;
      const patch = parsedPatchOf(file);
      const addedText = patch
        ? patch.lines
            .filter((l) => l.added)
            .map((l) => l.text)
            .join("\n")
        : "";
      const removedText = patch && wasTest ? patch.removed.map((l) => l.text).join("\n") : "";
      const large =
        tooLarge(`the lines ${file.path} adds`, addedText, FILE_LIMITS) ??
        tooLarge(`the lines ${file.path} removes`, removedText, FILE_LIMITS);
      if (large) return notEvaluated(`${large}, so its test cases were not counted`);
      const added = testCases(file.path, addedText) ?? [];
      const removed = testCases(file.path, removedText) ?? [];
      addedCases += added.length;
      removedCases += removed.length;
      const deleted = file.status === "removed" && wasTest;
      const unknown = deleted && !patch;
      if (unknown || removed.length > added.length) losses.push({ file, removed, deleted, unknown });
    }
    // Tests moved or rewritten elsewhere in the pull request make up for the ones removed here.
    if (losses.length === 0 || (addedCases >= removedCases && !losses.some((l) => l.unknown))) return [];
    const author = pr.author.login;
    const tally = tallyApprovals(pr.reviews, {
      excluded: [{ login: author, role: "the author" }],
      isAgent,
      ...(options.requireApprovalOnHead ? { headSha: pr.head.sha } : {}),
    });
    if (tally.approvers.length >= options.minApprovals) return [];
    const onHead = options.requireApprovalOnHead ? ` on ${shortSha(pr.head.sha)}` : "";
    const needed = `${options.minApprovals} approving review${options.minApprovals === 1 ? "" : "s"}${onHead}`;
    const atLeast = losses.some((l) => l.unknown) ? "at least " : "";
    const balance = `the pull request removes ${atLeast}${plural(removedCases, "test case")} and adds ${addedCases}`;
    return losses
      .sort((a, b) => compareStrings(a.file.path, b.file.path))
      .map(({ file, removed, deleted }): RuleFinding => {
        const named = removed.filter((name) => name !== "");
        const which = named.length > 0 ? ` (${named.map((n) => `"${n}"`).join(", ")})` : "";
        const what = deleted
          ? `Deletes the test file ${file.path}${removed.length > 0 ? ` and its ${plural(removed.length, "test case")}${which}` : ""}`
          : `Removes ${plural(removed.length, "test case")}${which} from ${file.path}`;
        const line = deleted ? undefined : parsedPatchOf(file)?.firstChangedLine;
        return {
          message: `${what}; ${balance}, and no independent human approved it`,
          path: file.path,
          ...(line !== undefined ? { line } : {}),
          expected: `as many test cases added as removed, or ${needed} from a human other than ${author}`,
          found: describeTally(tally),
          remediation: authorIsAgent
            ? `Stop: do not delete tests to get a check green. Restore the removed tests; if removing them is truly part of the task, ask a human maintainer other than ${author} to review the removal and approve the pull request${onHead}, and wait for that approval.`
            : `Restore the removed tests, or ask a reviewer other than ${author} to approve their removal${onHead}.`,
        };
      });
  },
});
