/**
 * Every parser that reads text from outside (file contents, commit messages, pull request titles, bodies
 * and branches) finishes in well under a second on long adversarial inputs: repeated prefixes of what its
 * patterns look for, long runs of spaces, deep nesting and constructs left open. A pattern that backtracks
 * in quadratic time takes seconds to minutes on these sizes; a linear one takes milliseconds.
 */
import { describe, expect, it } from "@jest/globals";
import { incidentsFromVerdict } from "../../src/app/incidents.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { parseCoAuthors, parsePerson, parseTrailers } from "../../src/facts/trailers.js";
import { FULL_VIEW, renderDashboard } from "../../src/publish/dashboard.js";
import { cell, code, details, fenced, inline, quote } from "../../src/publish/markdown.js";
import { renderJson, renderMarkdown, renderText } from "../../src/publish/render.js";
import { renderRtfmBody } from "../../src/publish/rtfm.js";
import consistentFile from "../../src/rules/consistent-file.js";
import { lex, SYNTAXES, type SyntaxName } from "../../src/rules/support/code-lexer.js";
import { headerOf, isMergeMessage } from "../../src/rules/support/conventional.js";
import { detectSkips, testCases } from "../../src/rules/support/skip-detector.js";
import type { Rule } from "../../src/rules/types.js";
import { INPUT_LIMITS } from "../../src/util/input-limits.js";
import { diffText } from "../../src/util/text-diff.js";
import { commit, NOW, prScope, repoScope } from "../support/facts.js";
import { ruleContext } from "../support/rule-tester.js";
import { defaultBundle } from "../support/shipped-texts.js";

/** Each call must finish within this; a linear parser takes a tenth of it or less on a loaded machine. */
const BUDGET_MS = 1000;
/** Code for the skip detector: each file is lexed and scanned by some twenty patterns. */
const CODE_CHARS = 100_000;
/** Text for the cheaper helpers (trailers, diffs, markdown). */
const TEXT_CHARS = 250_000;

/** `unit` repeated to exactly `size` characters. */
function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

const slowest: Array<[number, string]> = [];

/** Runs `call` and fails when it takes longer than the budget. */
async function timed(label: string, call: () => unknown): Promise<void> {
  const started = performance.now();
  await call();
  const elapsed = performance.now() - started;
  slowest.push([elapsed, label]);
  expect({ label, withinBudget: elapsed < BUDGET_MS }).toEqual({ label, withinBudget: true });
}

/** Inputs that hurt any language: runs of spaces and line breaks after a word, long words, lone brackets. */
function genericInputs(size: number): Array<[string, string]> {
  return [
    ["a word then spaces", `a${fill(" ", size - 2)}!`],
    ["a word then tabs", `a${fill("\t", size - 2)}!`],
    ["a word then blank lines", `a${fill("\n", size - 2)}!`],
    ["a word then spaced lines", `a${fill(" \n", size - 2)}!`],
    ["CRLF lines", fill("a\r\n", size)],
    ["one long word", fill("a", size)],
    ["words and spaces", fill("a ", size)],
    ["a comma list", fill("a, ", size)],
    ["a dotted name", fill("a.", size)],
    ["open parentheses", fill("(", size)],
    ["open brackets", fill("[", size)],
    ["open braces", fill("{", size)],
    ["angle brackets", fill("<", size)],
    ["slashes", fill("/", size)],
    ["backslashes", fill("\\", size)],
    ["at signs", fill("@", size)],
    ["double quotes", fill('"', size)],
    ["backticks", fill("`", size)],
  ];
}

/** What each language's patterns look for, repeated: every restart of a backtracking pattern rescans. */
const PREFIXES: Record<SyntaxName, string[]> = {
  javascript: [
    "it.",
    "it.each.",
    "describe.skip",
    'test("x", {',
    "this.",
    "const a:",
    "const a = ",
    "function f(",
    "xit",
    'it["',
    "t.",
    "Deno.test(",
    "\\u0073",
    "/[",
  ],
  python: [
    "@pytest.mark.",
    "pytest.",
    "from pytest import (",
    "from pytest import skip as s",
    "import pytest as p, ",
    "def f(",
    "self.",
    "raise ",
    "a = ",
    "ｓ",
  ],
  go: ["func (", "func ", "t.", "a, ", "a *testing.T, ", "x := t\n", "T().", 'a "testing"\n', "a b.T "],
  java: [
    "Assume.",
    "org.junit.Assume.",
    "@Test(",
    "@a.",
    "@Disabled",
    "throw new a.",
    "import static org.junit.Assume.*;\n",
    "void ",
    "void a ",
    "public ",
    "@Test @a(",
  ],
  kotlin: ["fun <", "fun ", "fun a ", "@Test(", ".config(", "xtest(", "fun `", "assumeTrue("],
  ruby: ["skip ", "xit ", "def ", "%w[", "<<A\n", "=begin\n", "?a", "{ skip", "it ", ", :skip", "a."],
  rust: ["#[", "#[cfg_attr(", "fn ", 'r#"', "#[test] ", "b'"],
  csharp: ["[", "[Fact(", "Assert.", "Skip.", '$"{', '@"', ", ", "public ", "[Test]"],
  php: ["$this->", "a::", ")->", "function ", "<<<A\n", "#[", "it("],
  swift: ["@Test(", "@Test((", "XCTSkip", '"\\(', '#"', "func ", "@Test "],
  elixir: ["@tag [", "@tag ", "~r/", 'test "', '"#{', "@moduletag "],
};

/** Nesting as deep as the input allows, in each language's own brackets and interpolations. */
const NESTING: Record<SyntaxName, string[]> = {
  javascript: ["`${", "(", "{", "["],
  python: ["(", "f'{"],
  go: ["(", "{"],
  java: ["(", "{"],
  kotlin: ['"${', "/*", "("],
  ruby: ['"#{', "%w[", "("],
  rust: ["/*", "("],
  csharp: ['$"{', "("],
  php: ["(", "{"],
  swift: ['"\\(', "/*", "("],
  elixir: ['"#{', "("],
};

/** Constructs opened and never closed. */
const UNTERMINATED = ['"', "'", "`", "/*", '"""', "'''", 'r#"', "<<A\n", "=begin\n", "/[", "%w[", "~r/"];

const PATHS: Record<SyntaxName, string> = {
  javascript: "src/a.test.ts",
  python: "tests/test_a.py",
  go: "a_test.go",
  java: "src/test/ATest.java",
  kotlin: "src/test/ATest.kt",
  ruby: "spec/a_spec.rb",
  rust: "tests/a.rs",
  csharp: "tests/ATest.cs",
  php: "tests/ATest.php",
  swift: "Tests/ATests.swift",
  elixir: "test/a_test.exs",
};

function codeInputs(syntax: SyntaxName): Array<[string, string]> {
  return [
    ...genericInputs(CODE_CHARS),
    ...PREFIXES[syntax].flatMap(
      (prefix): Array<[string, string]> => [
        [`repeated ${JSON.stringify(prefix)}`, fill(prefix, CODE_CHARS)],
        [`repeated ${JSON.stringify(prefix)} on lines`, fill(`${prefix}\n`, CODE_CHARS)],
        [`${JSON.stringify(prefix)} then spaces`, `${prefix}${fill(" ", CODE_CHARS)}`],
      ],
    ),
    ...NESTING[syntax].map((open): [string, string] => [
      `nested ${JSON.stringify(open)}`,
      fill(open, CODE_CHARS),
    ]),
    ...UNTERMINATED.map((open): [string, string] => [
      `unterminated ${JSON.stringify(open)}`,
      `${open}${fill("a ", CODE_CHARS)}`,
    ]),
  ];
}

describe("the skip detector and the code lexer", () => {
  for (const syntax of Object.keys(SYNTAXES) as SyntaxName[]) {
    it(`lexes ${syntax} adversarial inputs in time`, async () => {
      for (const [name, input] of codeInputs(syntax)) {
        await timed(`lex ${syntax}: ${name}`, () => lex(input, SYNTAXES[syntax]));
      }
    });
  }

  for (const syntax of Object.keys(SYNTAXES) as SyntaxName[]) {
    it(`reads ${syntax} adversarial inputs for skips and test cases in time`, async () => {
      const path = PATHS[syntax];
      for (const [name, input] of codeInputs(syntax)) {
        await timed(`detectSkips ${syntax}: ${name}`, () => detectSkips(path, input));
        await timed(`detectSkips partial ${syntax}: ${name}`, () =>
          detectSkips(path, input, { partial: true }),
        );
        await timed(`testCases ${syntax}: ${name}`, () => testCases(path, input));
      }
    });
  }

  it("reads python files that import thousands of names in time", async () => {
    const imports: Array<[string, (i: number) => string]> = [
      ["pytest aliases", (i) => `import pytest as p${i}\n`],
      ["pytest functions", (i) => `from pytest import skip as s${i}\n`],
      ["unittest decorators", (i) => `from unittest import skip as u${i}\n`],
    ];
    for (const [name, line] of imports) {
      const source = Array.from({ length: 5000 }, (_, i) => `${line(i)}def test_${i}():\n    pass\n`).join(
        "",
      );
      await timed(`detectSkips python: ${name}`, () => detectSkips(PATHS.python, source));
    }
  });

  it("lexes literals nested past any call stack's depth", () => {
    const depth = 200_000;
    const lexed = lex(`${"`${".repeat(depth)}x${"}`".repeat(depth)}`, SYNTAXES.javascript);
    expect(lexed.strings).toHaveLength(depth);
    expect(lexed.code.trim()).toBe(`${"`${".repeat(depth)}x${"}`".repeat(depth)}`);
  });
});

describe("the text helpers", () => {
  const inputs = genericInputs(TEXT_CHARS);
  const extra: Array<[string, string]> = [
    ["a name then spaces before an email", `a${fill(" ", TEXT_CHARS)}<`],
    ["repeated lone angle brackets", fill("a <", TEXT_CHARS)],
    ["repeated trailer keys", fill("Co-authored-by: a\n", TEXT_CHARS)],
    ["padded code spans", `\` ${fill(" a", TEXT_CHARS)}\``],
    ["many unmatched backtick runs", fill("`a``a", TEXT_CHARS)],
    ["many code spans", fill("`a`", TEXT_CHARS)],
    ["merge header prefix", `Merge ${fill("a into", TEXT_CHARS)}`],
  ];

  it("read adversarial commit messages, diffs and markdown in time", async () => {
    for (const [name, input] of [...inputs, ...extra]) {
      await timed(`trailers: ${name}`, () => parseTrailers(`subject\n\n${input}`));
      await timed(`co-authors: ${name}`, () => parseCoAuthors(`subject\n\nCo-authored-by: ${input}`));
      await timed(`person: ${name}`, () => parsePerson(input));
      await timed(`header: ${name}`, () => isMergeMessage(headerOf(input)));
      for (const whitespace of ["line-endings", "trailing", "all"] as const) {
        await timed(`diffText ${whitespace}: ${name}`, () =>
          diffText(input.slice(0, CODE_CHARS), `x\n${input.slice(0, 1000)}`, {
            whitespace,
            fileLabel: "a",
            canonicalLabel: "b",
          }),
        );
      }
      await timed(`markdown: ${name}`, () => {
        inline(input);
        code(input);
        fenced("text", input);
        quote(input);
        cell(inline(input));
        details(input, input);
      });
    }
  });
});

describe("the rules and the renderers", () => {
  /** Text as long as a rule reads, in lines no longer than it reads. */
  const body = (unit: string, size: number) => fill(`${fill(unit, 1000)}\n`, size);

  it("judge and render a pull request of adversarial text in time", async () => {
    const bundle = await defaultBundle();
    const cases: Array<[string, string]> = [
      ["spaces", " "],
      ["a comma list", "a, "],
      ["angle brackets", "a <"],
      ["backticks", "`a``"],
      ["open brackets", "(["],
      ["skips", "it.skip("],
    ];
    for (const [name, unit] of cases) {
      const facts = prScope({
        title: `feat: ${fill(unit, INPUT_LIMITS.headerChars - 6)}`,
        body: `## Summary\n\n${body(unit, INPUT_LIMITS.bodyChars - 20)}`,
        head: { ref: fill(unit.replace(/\s/g, "-"), 250), sha: "h".repeat(40) },
        commits: [
          commit(`fix: ${fill(unit, 90)}\n\n${body(unit, 2000)}`),
          commit(
            `${fill(unit, INPUT_LIMITS.headerChars)}\n\nCo-authored-by: ${fill(unit, INPUT_LIMITS.messageLineChars - 30)} <a@b>`,
          ),
        ],
        files: [
          {
            path: "src/a.test.ts",
            status: "added",
            binary: false,
            patch: `@@ -0,0 +1,1000 @@\n${body(`+${unit}`, 200_000)}`,
          },
          {
            path: "src/b.test.ts",
            status: "modified",
            binary: false,
            patch: `@@ -1,1000 +1,0 @@\n${body(`-${unit}`, 200_000)}`,
          },
        ],
      });
      const verdict = await (async () => {
        const started = performance.now();
        const result = await evaluate(bundle, facts);
        const elapsed = performance.now() - started;
        slowest.push([elapsed, `evaluate pull request: ${name}`]);
        expect({ name, withinBudget: elapsed < BUDGET_MS }).toEqual({ name, withinBudget: true });
        return result;
      })();
      await timed(`render check run: ${name}`, () => {
        renderMarkdown(verdict, { agentAuthor: true, bundle });
        renderText(verdict);
        renderJson(verdict);
      });
      const incidents = incidentsFromVerdict(bundle, verdict, {
        repository: "acme/api",
        kind: "event",
        key: "push:1",
        event: "push",
        time: NOW,
        actor: { login: "alice", type: "User" },
        sha: "1".repeat(40),
      });
      await timed(`render RTFM issues: ${name}`, () => {
        for (const incident of incidents) renderRtfmBody(incident);
      });
      await timed(`render dashboard: ${name}`, () =>
        renderDashboard({
          bundle,
          bundleProblem: fill(unit, INPUT_LIMITS.bodyChars),
          results: [],
          openIssues: [],
          time: NOW,
          audience: FULL_VIEW,
        }),
      );
    }
  });

  it("judge a repository's files of adversarial text in time", async () => {
    const bundle = await defaultBundle();
    for (const unit of [" ", "`", "<!-- ", "a, "]) {
      const content = body(unit, INPUT_LIMITS.fileChars - 2000);
      const files = Object.fromEntries(
        [
          "README.md",
          "CODEOWNERS",
          ".github/CODEOWNERS",
          "docs/CODEOWNERS",
          ".github/pull_request_template.md",
        ]
          .concat([
            "SECURITY.md",
            ".github/SECURITY.md",
            "LICENSE",
            "CONTRIBUTING.md",
            ".github/CONTRIBUTING.md",
          ])
          .map((path) => [path, content]),
      );
      await timed(`evaluate repository: ${JSON.stringify(unit)}`, () =>
        evaluate(bundle, repoScope({ files })),
      );
      await timed(`consistent-file: ${JSON.stringify(unit)}`, () =>
        (consistentFile as Rule).check(
          ruleContext(consistentFile, {
            name: "adversarial",
            facts: repoScope({ files: { ".editorconfig": content } }),
            options: { path: ".editorconfig", canonical: "templates/editorconfig" },
            bundleFiles: { "templates/editorconfig": `${content.slice(0, 5000)}x\n` },
          }),
        ),
      );
    }
  });

  it("reports the slowest call", () => {
    slowest.sort((a, b) => b[0] - a[0]);
    const [elapsed, label] = slowest[0] ?? [0, "none"];
    process.stdout.write(`slowest adversarial call: ${label}, ${elapsed.toFixed(0)} ms\n`);
    expect(elapsed).toBeLessThan(BUDGET_MS);
  });
});
