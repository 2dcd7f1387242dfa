/**
 * Lines a pull request adds that skip, disable, focus or expect the failure of tests, without a tracking
 * issue: a failing test skipped as a "known limitation" and then copied into four other repositories is
 * how a broken feature stays hidden.
 */
import { z } from "zod";
import { type PatchLine, parsedPatchOf } from "../facts/diff.js";
import { compareStrings } from "../util/compare.js";
import { compilePattern, matchesGlobs, zPattern } from "../util/pattern.js";
import { compareRuleFindings } from "./support/finding-order.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

const options = z
  .object({
    /** An extra issue reference form, such as a Jira key `[A-Z]+-\d+` (RE2 syntax). */
    issuePattern: zPattern.optional(),
    /** Globs of files to check; empty checks every file in a supported language. */
    paths: z.array(z.string().min(1)).default([]),
    /** Globs of files never checked, such as fixtures that hold skips on purpose. */
    ignorePaths: z.array(z.string().min(1)).default([]),
  })
  .strict();

type Effect = "skip" | "focus" | "todo" | "xfail";

const EFFECTS: Record<Effect, { does: string; noun: string }> = {
  skip: { does: "skips a test", noun: "skip" },
  focus: { does: "focuses tests, so every other test is skipped", noun: "focus" },
  todo: { does: "declares a test that does not run (todo)", noun: "todo" },
  xfail: { does: "expects a test to fail, so its failure goes unnoticed", noun: "expected failure" },
};

/** The effect of a construct named by the keyword a pattern captures. */
const KEYWORD_EFFECTS: Record<string, Effect> = {
  only: "focus",
  fit: "focus",
  fdescribe: "focus",
  fcontext: "focus",
  focus: "focus",
  todo: "todo",
  xfail: "xfail",
  fail: "xfail",
  fails: "xfail",
  failing: "xfail",
  expectedFailure: "xfail",
  pending: "xfail",
};

interface Construct {
  /** Written by hand for short lines; anchored or bounded so matching stays linear. */
  re: RegExp;
  /** How the construct is named in a finding; the matched text without a trailing `(` when absent. */
  label?: (match: RegExpExecArray) => string;
}

interface Language {
  name: string;
  extensions: string[];
  /** Prefixes of comments that run to the end of the line. */
  lineComments: string[];
  /** Whether `/* … *\/` comments exist (and lines starting with `*` continue one). */
  blockComments: boolean;
  /** Characters that open and close a string literal on one line. */
  quotes: string;
  constructs: Construct[];
}

const LANGUAGES: Language[] = [
  {
    name: "JavaScript/TypeScript",
    extensions: [".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"],
    lineComments: ["//"],
    blockComments: true,
    quotes: "\"'`",
    constructs: [
      {
        // it.skip, test.only, describe.skip.each, test.concurrent.only, test.describe.fixme, it.skipIf(…)
        re: /(?<![\w$.])(?:it|test|describe|suite|context|specify|bench)(?:\.(?:describe|concurrent|sequential|serial|parallel|each|skip|only|todo|fails|failing|fixme|fail|skipIf|runIf))*\.(skip|only|todo|fails|failing|fixme|fail|skipIf|runIf)\b/,
      },
      { re: /(?<![\w$.])(xit|xtest|xdescribe|xcontext|xspecify|xsuite)\s*\(/ },
      { re: /(?<![\w$.])(fit|fdescribe)\s*\(/ },
      { re: /(?<![\w$.])this\.skip\s*\(\s*\)/, label: () => "this.skip()" },
    ],
  },
  {
    name: "Python",
    extensions: [".py"],
    lineComments: ["#"],
    blockComments: false,
    quotes: "\"'",
    constructs: [
      { re: /@?(?<![\w.])pytest\.mark\.(skip|skipif|xfail)\b/ },
      { re: /(?<![\w.])pytest\.(skip|xfail|importorskip)\s*\(/ },
      { re: /(?:@(?:unittest\.)?|(?<![\w.])unittest\.)(skip|skipIf|skipUnless|expectedFailure)\b/ },
      { re: /(?<![\w.])(skipIf|skipUnless)\s*\(/ },
      { re: /(?<![\w.])self\.(skipTest)\s*\(/ },
      { re: /(?<![\w.])raise\s+(?:unittest\.)?(SkipTest)\b/, label: (m) => `raise ${m[1]}` },
    ],
  },
  {
    name: "Go",
    extensions: [".go"],
    lineComments: ["//"],
    blockComments: true,
    quotes: "\"'`",
    // Only the conventional receivers of *testing.T/B/F (and a suite's T()), so a parser's Skip() is not a test.
    constructs: [{ re: /(?<![\w.])(?:t|b|f|tb|\w+\.T\(\))\.(Skip|Skipf|SkipNow)\(/ }],
  },
  {
    name: "Java/Kotlin",
    extensions: [".java", ".kt", ".kts"],
    lineComments: ["//"],
    blockComments: true,
    quotes: "\"'",
    constructs: [
      { re: /@(Disabled\w*|Ignore)\b/ },
      { re: /@Test\s*\([^()]*\benabled\s*=\s*false\b/, label: () => "@Test(enabled = false)" },
    ],
  },
  {
    name: "Ruby",
    extensions: [".rb"],
    lineComments: ["#"],
    blockComments: false,
    quotes: "\"'",
    constructs: [
      // In statement position only, so `skip = true` or `options[:skip]` is not a test.
      { re: /^\s*(skip|pending)(?=\s*$|\s*\(|\s+["'\w])/, label: (m) => m[1] ?? "" },
      {
        re: /(?<![\w.:])(xit|xdescribe|xcontext|xspecify|xexample|xscenario|xfeature)(?=\s*$|\s*\(|\s+["'\w:])/,
      },
      {
        re: /(?<![\w.:])(fit|fdescribe|fcontext|fspecify|fexample|fscenario|ffeature)(?=\s*$|\s*\(|\s+["'\w:])/,
      },
      { re: /^\s*(focus)\s*$/, label: () => "focus" },
      { re: /(?<![\w:])(skip|pending|focus):\s*(?:true\b|["'])/, label: (m) => `${m[1]}: metadata` },
      { re: /,\s*:(skip|pending|focus)\b/, label: (m) => `:${m[1]} metadata` },
    ],
  },
  {
    name: "Rust",
    extensions: [".rs"],
    lineComments: ["//"],
    blockComments: true,
    quotes: '"', // not `'`, which also opens lifetimes
    constructs: [
      { re: /#\[\s*ignore\b/, label: () => "#[ignore]" },
      { re: /#\[\s*cfg_attr\s*\([^[\]]*\bignore\b/, label: () => "#[cfg_attr(…, ignore)]" },
    ],
  },
  {
    name: "C#",
    extensions: [".cs"],
    lineComments: ["//"],
    blockComments: true,
    quotes: "\"'",
    constructs: [
      { re: /\[[^[\]]*(?<![\w.])Ignore\b/, label: () => "[Ignore]" },
      { re: /\[[^[\]]*\b(Fact|Theory)\s*\([^()[\]]*\bSkip\s*=/, label: (m) => `[${m[1]}(Skip = …)]` },
      { re: /(?<![\w.])Assert\.Ignore\s*\(/ },
    ],
  },
];

/**
 * Issue references every repository understands: `#123` (so also `owner/repo#123`, but not the HTML entity
 * `&#123;`), `GH-123`, and issue URLs (`…/issues/123`).
 */
const ISSUE_REFERENCES = [/(?<!&)#\d+\b/, /\bGH-\d+\b/, /\/issues\/\d+\b/];

/** Longest `found` text: an added minified line must not flood the check run. */
const MAX_FOUND_LENGTH = 200;

export default defineRule({
  id: "test-skip",
  scope: "pr",
  description:
    "Added lines do not skip, disable, focus or expect the failure of tests without a tracking issue",
  options,
  requires: ["pr.files"],
  check({ facts, options }) {
    const files = facts.pullRequest?.files;
    if (!files) return notEvaluated("the pull request's changed files were not gathered");
    const issuePattern =
      options.issuePattern === undefined ? undefined : compilePattern(options.issuePattern);
    const hasIssueReference = (text: string) =>
      ISSUE_REFERENCES.some((re) => re.test(text)) || (issuePattern?.test(text) ?? false);
    const findings: RuleFinding[] = [];
    const omitted: string[] = [];
    for (const file of files) {
      if (file.status === "removed" || file.status === "unchanged" || file.binary) continue;
      const language = LANGUAGES.find((lang) => lang.extensions.some((ext) => file.path.endsWith(ext)));
      if (!language || !inScope(file.path, options)) continue;
      const patch = parsedPatchOf(file);
      if (!patch) {
        omitted.push(file.path);
        continue;
      }
      const { lines } = patch;
      const textAt = new Map(lines.map((line) => [line.line, line.text]));
      for (const line of lines) {
        if (!line.added) continue;
        const found = findConstruct(line, language);
        if (!found) continue;
        if (hasIssueReference(line.text) || hasIssueReference(textAt.get(line.line - 1) ?? "")) continue;
        findings.push(finding(file.path, line, language, found));
      }
    }
    if (omitted.length > 0) {
      const list = omitted.sort(compareStrings).join(", ");
      return notEvaluated(
        `no diff was given for ${omitted.length} changed file(s) (GitHub leaves out very large ones), so their added lines could not be checked for skipped tests: ${list}`,
      );
    }
    return findings.sort(compareRuleFindings);
  },
});

function inScope(path: string, selection: { paths: string[]; ignorePaths: string[] }): boolean {
  return matchesGlobs(path, selection.paths, true) && !matchesGlobs(path, selection.ignorePaths);
}

interface FoundConstruct {
  label: string;
  effect: Effect;
}

/** The first construct (by position) on the line's code, with strings emptied and comments removed. */
function findConstruct(line: PatchLine, language: Language): FoundConstruct | undefined {
  // Emptying strings and dropping comments never creates a construct, so most lines stop here.
  if (!language.constructs.some((construct) => construct.re.test(line.text))) return undefined;
  const code = codeOf(line.text, language);
  let first: { index: number; found: FoundConstruct } | undefined;
  for (const construct of language.constructs) {
    const match = construct.re.exec(code);
    if (!match || (first && first.index <= match.index)) continue;
    const label = construct.label ? construct.label(match) : match[0].replace(/[\s(]+$/, "");
    const keyword = match[1] ?? "";
    first = { index: match.index, found: { label, effect: KEYWORD_EFFECTS[keyword] ?? "skip" } };
  }
  return first?.found;
}

/**
 * The line's code: string literals emptied (`"it.skip"` becomes `""`) and comments removed, so a skip that
 * is only mentioned is not reported. Strings and comments that span lines are not tracked.
 */
function codeOf(text: string, language: Language): string {
  if (language.blockComments && /^\s*\*/.test(text)) return ""; // inside a block comment
  let code = "";
  let i = 0;
  while (i < text.length) {
    const char = text.charAt(i);
    if (language.lineComments.some((prefix) => text.startsWith(prefix, i))) break;
    if (language.blockComments && text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end === -1) break;
      code += " ";
      i = end + 2;
    } else if (language.quotes.includes(char)) {
      let j = i + 1;
      while (j < text.length && text.charAt(j) !== char) j += text.charAt(j) === "\\" ? 2 : 1;
      code += char + char;
      i = j + 1;
    } else {
      code += char;
      i += 1;
    }
  }
  return code;
}

function finding(path: string, line: PatchLine, language: Language, found: FoundConstruct): RuleFinding {
  const { does, noun } = EFFECTS[found.effect];
  const trimmed = line.text.trim();
  const comment = language.lineComments[0] ?? "//";
  const remediation =
    found.effect === "focus"
      ? `Remove the focus (${found.label}) at ${path}:${line.line} so every test runs again.`
      : `Fix the code under test so the test passes and remove the ${noun} (${found.label}) at ${path}:${line.line}; if the ${noun} is truly needed, link its tracking issue on that line, e.g. \`${comment} ${noun} until #123 is fixed\`.`;
  return {
    message: `Adds ${found.label} (${language.name}), which ${does}, with no issue reference on this line or the line above`,
    path,
    line: line.line,
    expected: "the test runs, or an issue reference on this line or the line above",
    found: trimmed.length > MAX_FOUND_LENGTH ? `${trimmed.slice(0, MAX_FOUND_LENGTH)}…` : trimmed,
    remediation,
  };
}
