/**
 * Constructs a pull request adds that skip, disable, focus or expect the failure of tests, unless a comment
 * beside them cites an open tracking issue: a failing test skipped as a "known limitation" and then copied
 * into four other repositories is how a broken feature stays hidden. Files are read as code (see
 * skip-detector.ts), so a skip named in a string, docstring or comment is not one, and a reference written
 * in a string does not count.
 */
import { z } from "zod";
import type { ChangedFile, Facts } from "../facts/schema.js";
import { compareStrings } from "../util/compare.js";
import { FILE_LIMITS, tooLarge } from "../util/input-limits.js";
import { compilePattern, matchesGlobs, zPattern } from "../util/pattern.js";
import { compareRuleFindings } from "./support/finding-order.js";
import { findIssueReferences, trackingOf, zReferenceForms } from "./support/issue-references.js";
import { newContent } from "./support/new-content.js";
import {
  DEFAULT_TEST_PATHS,
  type DetectedSkip,
  detectSkips,
  type Language,
  languageOf,
  type SkipEffect,
} from "./support/skip-detector.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

const options = z
  .object({
    /** The forms of tracking reference a comment may use; each is verified on GitHub. */
    references: zReferenceForms,
    /**
     * A reference to another tracker, such as a Jira key `[A-Z]+-\d+` (RE2 syntax). GitHub cannot verify
     * it, so it is accepted as written.
     */
    issuePattern: zPattern.optional(),
    /** Skips that depend on a condition read at run time (`skipif(sys.platform == …)`): report or allow. */
    conditional: z.enum(["report", "allow"]).default("report"),
    /** Globs of files to check; empty checks every file in a supported language. */
    paths: z.array(z.string().min(1)).default([]),
    /** Globs of files never checked, such as fixtures that hold skips on purpose. */
    ignorePaths: z.array(z.string().min(1)).default([]),
  })
  .strict();
type Options = z.infer<typeof options>;

const EFFECTS: Record<SkipEffect, { does: string; noun: string }> = {
  skip: { does: "skips a test", noun: "skip" },
  focus: { does: "focuses tests, so every other test is skipped", noun: "focus" },
  todo: { does: "declares a test that does not run (todo)", noun: "todo" },
  xfail: { does: "expects a test to fail, so its failure goes unnoticed", noun: "expected failure" },
};

const COMMENT: Record<string, string> = { Python: "#", Ruby: "#", Elixir: "#" };

/** Longest `found` text: an added minified line must not flood the check run. */
const MAX_FOUND_LENGTH = 200;

interface AddedSkip {
  file: ChangedFile;
  language: Language;
  skip: DetectedSkip;
  /** The tracking references its comments cite (`owner/repo#n`), and whether another tracker's key is cited. */
  references: string[];
  external: boolean;
  /** The construct's first line as written. */
  text: string;
}

interface Scan {
  skips: AddedSkip[];
  /** Changed files in scope whose added lines could not be read (GitHub left the diff out). */
  omitted: string[];
  /** Why files in scope were too large to read. */
  tooLarge: string[];
}

const scans = new WeakMap<Facts, { options: Options; scan: Scan }>();

/** The added skips of a pull request; computed once per facts and options (check and issueReferences share it). */
function scanPullRequest(facts: Facts, options: Options): Scan {
  const cached = scans.get(facts);
  if (cached?.options === options) return cached.scan;
  const external = options.issuePattern === undefined ? undefined : compilePattern(options.issuePattern);
  const scan: Scan = { skips: [], omitted: [], tooLarge: [] };
  for (const file of facts.pullRequest?.files ?? []) {
    if (file.status === "removed" || file.status === "unchanged" || file.binary) continue;
    const language = languageOf(file.path);
    if (!language || !inScope(file.path, options)) continue;
    const view = newContent(file);
    if (!view) {
      scan.omitted.push(file.path);
      continue;
    }
    const large = tooLarge(file.path, view.source, FILE_LIMITS);
    if (large) {
      scan.tooLarge.push(large);
      continue;
    }
    const lines = view.source.split("\n");
    for (const skip of detectSkips(file.path, view.source, { partial: view.partial }) ?? []) {
      if (skip.conditional && options.conditional === "allow") continue;
      if (!view.added(skip.line, skip.endLine)) continue;
      const comments = skip.comments.join("\n");
      scan.skips.push({
        file,
        language,
        skip,
        references: findIssueReferences(comments, options.references, facts.repo),
        external: external?.test(comments) ?? false,
        text: (lines[skip.line - 1] ?? "").trim(),
      });
    }
  }
  scans.set(facts, { options, scan });
  return scan;
}

function inScope(path: string, selection: { paths: string[]; ignorePaths: string[] }): boolean {
  return matchesGlobs(path, selection.paths, true) && !matchesGlobs(path, selection.ignorePaths);
}

export default defineRule({
  id: "test-skip",
  scope: "pr",
  description:
    "Added code does not skip, disable, focus or expect the failure of tests without citing an open tracking issue in a comment",
  options,
  requires: ["pr.files"],
  // Test files are read whole; elsewhere the diff's lines are enough, and reading costs a request per file.
  changedFileContents: (options) => (path) =>
    languageOf(path) !== undefined && inScope(path, options) && matchesGlobs(path, DEFAULT_TEST_PATHS),
  issueReferences({ facts, options }) {
    return [...new Set(scanPullRequest(facts, options).skips.flatMap((s) => s.references))].sort();
  },
  check({ facts, options }) {
    if (!facts.pullRequest?.files) return notEvaluated("the pull request's changed files were not gathered");
    const { skips, omitted, tooLarge } = scanPullRequest(facts, options);
    if (omitted.length > 0) {
      const list = omitted.sort(compareStrings).join(", ");
      return notEvaluated(
        `no diff was given for ${omitted.length} changed file(s) (GitHub leaves out very large ones), so their added lines could not be checked for skipped tests: ${list}`,
      );
    }
    if (tooLarge.length > 0) {
      return notEvaluated(
        `${tooLarge.sort(compareStrings).join("; ")}, so it was not read for skipped tests`,
      );
    }
    const findings: RuleFinding[] = [];
    const unverified: string[] = [];
    for (const added of skips) {
      // Focusing is never tracked work: it silently turns every other test off.
      if (added.skip.effect === "focus") {
        findings.push(finding(added, options, []));
        continue;
      }
      if (added.external) continue;
      const tracking = trackingOf(added.references, facts.issues);
      if (tracking.kind === "tracked") continue;
      if (tracking.kind === "unverified") {
        unverified.push(`${added.file.path}:${added.skip.line} cites ${added.references.join(", ")}`);
        continue;
      }
      findings.push(finding(added, options, tracking.known));
    }
    if (findings.length === 0 && unverified.length > 0) {
      const why = facts.unavailable.issues ?? "the tracking issues were not looked up on GitHub";
      return notEvaluated(
        `${unverified.length} skip(s) cite a tracking issue that was not verified (${why}), so they neither pass nor fail: ${unverified.join("; ")}`,
      );
    }
    return findings.sort(compareRuleFindings);
  },
});

function finding(
  added: AddedSkip,
  options: Options,
  known: ReadonlyArray<readonly [string, string | undefined]>,
): RuleFinding {
  const { file, language, skip } = added;
  const { does, noun } = EFFECTS[skip.effect];
  const what = skip.conditional ? `${does} when a condition read at run time holds` : does;
  const comment = COMMENT[language.name] ?? "//";
  const forms = options.references.map((form) => (form === "issue-url" ? "an issue URL" : form)).join(", ");
  const citing =
    skip.effect === "focus"
      ? "and must not be committed"
      : known.length === 0
        ? "with no comment beside it citing a tracking issue"
        : `citing ${known.map(([ref, state]) => `${ref}, which ${state === "closed" ? "is closed" : "does not exist or cannot be read"}`).join("; ")}`;
  const where = `${file.path}:${skip.line}`;
  const remediation =
    skip.effect === "focus"
      ? `Remove the focus (${skip.label}) at ${where} so every test runs again.`
      : `Fix the code under test so the test passes and remove the ${noun} (${skip.label}) at ${where}. If the ${noun} must stay, open (or reopen) an issue for it and cite it in a comment on that line or just above, e.g. \`${comment} ${noun} until #123 is fixed\`; a reference inside a string does not count.`;
  return {
    message: `Adds ${skip.label} (${language.name}), which ${what}, ${citing}`,
    path: file.path,
    line: skip.line,
    ...(skip.endLine !== skip.line ? { endLine: skip.endLine } : {}),
    expected: `the test runs, or a comment on its line or just above citing an open tracking issue (${forms})`,
    found: added.text.length > MAX_FOUND_LENGTH ? `${added.text.slice(0, MAX_FOUND_LENGTH)}…` : added.text,
    remediation,
  };
}
