/**
 * Configuration a pull request adds that takes tests out of the run: an ignore pattern in a runner's
 * configuration, a deselecting flag in a test script, a build tool's exclusion list, a collection hook
 * that drops files. An agent that "quarantines a flaky test" rarely writes `it.skip`; it edits such a
 * file and the suite goes green with the test never run. Like a skip, an exclusion passes only with an
 * open tracking issue cited beside it (or, in JSON, which has no comments, in a commit message); on an
 * agent's change, whether a test may leave the run is a human's decision.
 */
import { z } from "zod";
import type { ChangedFile, Facts } from "../facts/schema.js";
import { compareStrings } from "../util/compare.js";
import { compilePattern, matchesGlobs, zPattern } from "../util/pattern.js";
import { type AddedExclusion, addedExclusions, describeExclusion } from "./support/exclusions/added.js";
import { readsExclusions } from "./support/exclusions/detect.js";
import { compareRuleFindings } from "./support/finding-order.js";
import { findIssueReferences, trackingOf, zReferenceForms } from "./support/issue-references.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

const options = z
  .object({
    /** The forms of tracking reference a comment (or commit message) may use; each is verified on GitHub. */
    references: zReferenceForms,
    /** Another tracker's key, such as `\b[A-Z]+-\d+\b` (RE2 syntax), accepted as written. */
    issuePattern: zPattern.optional(),
    /** Filters that narrow the run to what they name (`go test -run`, `jest -t`): report or allow. */
    narrowing: z.enum(["report", "allow"]).default("report"),
    /** Globs of files to check; empty checks every file a detector reads. */
    paths: z.array(z.string().min(1)).default([]),
    /** Globs of files never checked. */
    ignorePaths: z.array(z.string().min(1)).default([]),
  })
  .strict();
type Options = z.infer<typeof options>;

/** Longest `found` text, so a minified line cannot flood the check run. */
const MAX_FOUND_LENGTH = 200;

interface Added {
  file: ChangedFile;
  exclusion: AddedExclusion;
  /** Where its reference must be: a comment beside it, or (JSON) a commit message. */
  commentable: boolean;
  references: string[];
  external: boolean;
}

interface Scan {
  added: Added[];
  /** Files whose added lines or whole content could not be read, with why. */
  unread: string[];
}

const scans = new WeakMap<Facts, { options: Options; scan: Scan }>();

function inScope(path: string, options: Options): boolean {
  return matchesGlobs(path, options.paths, true) && !matchesGlobs(path, options.ignorePaths);
}

function scanPullRequest(facts: Facts, options: Options): Scan {
  const cached = scans.get(facts);
  if (cached?.options === options) return cached.scan;
  const external = options.issuePattern === undefined ? undefined : compilePattern(options.issuePattern);
  const messages = (facts.pullRequest?.commits ?? []).map((c) => c.message).join("\n");
  const scan: Scan = { added: [], unread: [] };
  for (const file of facts.pullRequest?.files ?? []) {
    if (!inScope(file.path, options)) continue;
    const result = addedExclusions(file);
    if (!result) continue;
    if ("omitted" in result) {
      scan.unread.push(`${file.path} (no diff was given)`);
      continue;
    }
    if ("unparsed" in result) {
      scan.unread.push(`${file.path} (${result.unparsed})`);
      continue;
    }
    for (const exclusion of result.exclusions) {
      if (exclusion.effect === "narrow" && options.narrowing === "allow") continue;
      const text = result.commentable ? exclusion.comments.join("\n") : messages;
      scan.added.push({
        file,
        exclusion,
        commentable: result.commentable,
        references: findIssueReferences(text, options.references, facts.repo),
        external: external?.test(text) ?? false,
      });
    }
  }
  scans.set(facts, { options, scan });
  return scan;
}

export default defineRule({
  id: "test-exclusion",
  scope: "pr",
  description:
    "Added configuration does not take tests out of the run (ignore patterns, deselection, skip flags, excluded tags) without citing an open tracking issue",
  options,
  authority: {
    ask: "code-owners",
    because: "whether a test may leave the run is for a human to decide, not for the change the test gates",
  },
  requires: ["pr.files"],
  changedFileContents: (options) => (path) => readsExclusions(path) && inScope(path, options),
  issueReferences({ facts, options }) {
    return [...new Set(scanPullRequest(facts, options).added.flatMap((a) => a.references))].sort();
  },
  check({ facts, options }) {
    if (!facts.pullRequest?.files) return notEvaluated("the pull request's changed files were not gathered");
    const { added, unread } = scanPullRequest(facts, options);
    if (unread.length > 0)
      return notEvaluated(
        `${unread.length} changed configuration file(s) could not be read, so whether they take tests out of the run is unknown: ${unread.sort(compareStrings).join("; ")}`,
      );
    const findings: RuleFinding[] = [];
    const unverified: string[] = [];
    for (const item of added) {
      if (item.external) continue;
      const tracking = trackingOf(item.references, facts.issues);
      if (tracking.kind === "tracked") continue;
      if (tracking.kind === "unverified") {
        unverified.push(`${item.file.path}:${item.exclusion.line} cites ${item.references.join(", ")}`);
        continue;
      }
      findings.push(finding(item, options, tracking.known));
    }
    if (findings.length === 0 && unverified.length > 0) {
      const why = facts.unavailable.issues ?? "the tracking issues were not looked up on GitHub";
      return notEvaluated(
        `${unverified.length} exclusion(s) cite a tracking issue that was not verified (${why}), so they neither pass nor fail: ${unverified.join("; ")}`,
      );
    }
    return findings.sort(compareRuleFindings);
  },
});

function finding(
  item: Added,
  options: Options,
  known: ReadonlyArray<readonly [string, string | undefined]>,
): RuleFinding {
  const { file, exclusion } = item;
  const where = `${file.path}:${exclusion.line}`;
  const forms = options.references.map((form) => (form === "issue-url" ? "an issue URL" : form)).join(", ");
  const place = item.commentable ? "a comment beside it" : "the message of a commit that adds it";
  const citing =
    known.length === 0
      ? `with no tracking issue cited in ${place}`
      : `citing ${known.map(([ref, state]) => `${ref}, which ${state === "closed" ? "is closed" : "does not exist or cannot be read"}`).join("; ")}`;
  const found = exclusion.text || `${exclusion.setting} ${exclusion.excluded}`;
  const howToCite = item.commentable
    ? "cite it in a comment on that line or just above, e.g. `# excluded until #123 is fixed`"
    : "cite it in the message of the commit that adds the exclusion (JSON has no comments), e.g. `Refs: #123`";
  return {
    message: `${capitalize(describeExclusion(exclusion))}, ${citing}`,
    path: file.path,
    line: exclusion.line,
    ...(exclusion.endLine !== undefined ? { endLine: exclusion.endLine } : {}),
    expected: `every test stays in the run, or an open tracking issue (${forms}) cited in ${place}`,
    found: found.length > MAX_FOUND_LENGTH ? `${found.slice(0, MAX_FOUND_LENGTH)}…` : found,
    remediation: `Fix the code under test so the tests it leaves out pass, and remove ${exclusion.setting} ${JSON.stringify(exclusion.excluded)} at ${where} so they run again. If they must stay out of the run, open (or reopen) an issue for them and ${howToCite}.`,
  };
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
