import { describe, expect, it } from "@jest/globals";
import { prScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import type { ChangedFile } from "../facts/schema.js";
import rule from "./test-skip.js";

/** A file whose patch adds `lines` from line 1. */
function added(path: string, lines: string[]): ChangedFile {
  return {
    path,
    status: "modified",
    binary: false,
    patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join("\n"),
  };
}

/** A file whose patch mixes context (" ") and added ("+") lines from line 1. */
function hunk(path: string, lines: Array<[" " | "+" | "-", string]>): ChangedFile {
  const oldCount = lines.filter(([m]) => m !== "+").length;
  const newCount = lines.filter(([m]) => m !== "-").length;
  return {
    path,
    status: "modified",
    binary: false,
    patch: [`@@ -1,${oldCount} +1,${newCount} @@`, ...lines.map(([m, text]) => `${m}${text}`)].join("\n"),
  };
}

const withFiles = (...files: ChangedFile[]) => prScope({ files });

const EXPECTED = "the test runs, or an issue reference on this line or the line above";

const DOES = {
  skip: "skips a test",
  focus: "focuses tests, so every other test is skipped",
  todo: "declares a test that does not run (todo)",
  xfail: "expects a test to fail, so its failure goes unnoticed",
} as const;
const NOUN = { skip: "skip", todo: "todo", xfail: "expected failure" } as const;

/** The exact finding for an added line; `comment` is the language's line comment. */
function at(
  path: string,
  line: number,
  label: string,
  language: string,
  effect: keyof typeof DOES,
  text: string,
  comment = "//",
) {
  return {
    message: `Adds ${label} (${language}), which ${DOES[effect]}, with no issue reference on this line or the line above`,
    path,
    line,
    expected: EXPECTED,
    found: text.trim(),
    remediation:
      effect === "focus"
        ? `Remove the focus (${label}) at ${path}:${line} so every test runs again.`
        : `Fix the code under test so the test passes and remove the ${NOUN[effect]} (${label}) at ${path}:${line}; if the ${NOUN[effect]} is truly needed, link its tracking issue on that line, e.g. \`${comment} ${NOUN[effect]} until #123 is fixed\`.`,
  };
}

const JS_LINES: Array<[string, string, keyof typeof DOES]> = [
  ["it.skip('logs in', () => {});", "it.skip", "skip"],
  ['  test.skip("refreshes", async () => {});', "test.skip", "skip"],
  ["describe.skip('auth', () => {", "describe.skip", "skip"],
  ["xit('logs out', () => {});", "xit", "skip"],
  ["xdescribe('session', () => {", "xdescribe", "skip"],
  ["xtest ('expires', () => {});", "xtest", "skip"],
  ["it.todo('rotates keys');", "it.todo", "todo"],
  ["test.todo(`audits`);", "test.todo", "todo"],
  ["it.only('logs in', () => {});", "it.only", "focus"],
  ["describe.only('auth', () => {", "describe.only", "focus"],
  ["test.concurrent.only('races', async () => {});", "test.concurrent.only", "focus"],
  ["    this.skip();", "this.skip()", "skip"],
  ["fit('logs in', () => {});", "fit", "focus"],
  ["fdescribe('auth', () => {", "fdescribe", "focus"],
  ["it.skipIf(process.platform === 'win32')('links', () => {});", "it.skipIf", "skip"],
  ["test.describe.fixme('checkout', () => {", "test.describe.fixme", "skip"],
  ["test.failing('known bug', () => {});", "test.failing", "xfail"],
  ["describe.skip.each([1, 2])('case %i', () => {", "describe.skip", "skip"],
];

const PYTHON_LINES: Array<[string, string, keyof typeof DOES]> = [
  ["@pytest.mark.skip(reason='flaky')", "@pytest.mark.skip", "skip"],
  ["@pytest.mark.skipif(sys.platform == 'win32', reason='no')", "@pytest.mark.skipif", "skip"],
  ["@pytest.mark.xfail(strict=False)", "@pytest.mark.xfail", "xfail"],
  ["    pytest.skip('not ready')", "pytest.skip", "skip"],
  ["@unittest.skip('later')", "@unittest.skip", "skip"],
  ["@unittest.skipIf(True, 'no')", "@unittest.skipIf", "skip"],
  ["@skipUnless(HAS_DB, 'needs db')", "@skipUnless", "skip"],
  ["        self.skipTest('no network')", "self.skipTest", "skip"],
  ["@unittest.expectedFailure", "@unittest.expectedFailure", "xfail"],
  ["pytestmark = pytest.mark.skip", "pytest.mark.skip", "skip"],
  ["np = pytest.importorskip('numpy')", "pytest.importorskip", "skip"],
  ["        raise unittest.SkipTest('later')", "raise SkipTest", "skip"],
  ["    pytest.xfail('known')", "pytest.xfail", "xfail"],
];

const GO_LINES: Array<[string, string]> = [
  ['\tt.Skip("flaky on CI")', "t.Skip"],
  ['\tt.Skipf("needs %s", dep)', "t.Skipf"],
  ["\tt.SkipNow()", "t.SkipNow"],
  ['\tb.Skip("slow")', "b.Skip"],
  ['\ts.T().Skip("later")', "s.T().Skip"],
];

const JVM_LINES: Array<[string, string]> = [
  ["    @Disabled", "@Disabled"],
  ['    @Disabled("flaky")', "@Disabled"],
  ["    @DisabledOnOs(OS.WINDOWS)", "@DisabledOnOs"],
  ["    @Ignore", "@Ignore"],
  ["    @Test(enabled = false)", "@Test(enabled = false)"],
];

const RUBY_LINES: Array<[string, string, keyof typeof DOES]> = [
  ["    skip", "skip", "skip"],
  ['    skip "not yet"', "skip", "skip"],
  ["    skip if ENV['CI']", "skip", "skip"],
  ['    pending "broken upstream"', "pending", "xfail"],
  ['  xit "logs in" do', "xit", "skip"],
  ['  xdescribe "auth" do', "xdescribe", "skip"],
  ["  xcontext 'when expired' do", "xcontext", "skip"],
  ['  fit "logs in" do', "fit", "focus"],
  ['  it "logs in", skip: true do', "skip: metadata", "skip"],
  ['  it "logs in", :focus do', ":focus metadata", "focus"],
];

const RUST_LINES: Array<[string, string]> = [
  ["#[ignore]", "#[ignore]"],
  ['#[ignore = "slow"]', "#[ignore]"],
  ["#[cfg_attr(windows, ignore)]", "#[cfg_attr(…, ignore)]"],
];

const CSHARP_LINES: Array<[string, string, keyof typeof DOES]> = [
  ["    [Ignore]", "[Ignore]", "skip"],
  ['    [Ignore("flaky")]', "[Ignore]", "skip"],
  ['    [Fact(Skip = "flaky")]', "[Fact(Skip = …)]", "skip"],
  ['    [Theory(Skip="later")]', "[Theory(Skip = …)]", "skip"],
  ['    [Test, Ignore("later")]', "[Ignore]", "skip"],
  ['        Assert.Ignore("not ready");', "Assert.Ignore", "skip"],
];

testRule(rule, {
  valid: [
    {
      name: "ordinary tests",
      facts: withFiles(
        added("src/login.test.ts", ["it('logs in', () => {", "  expect(login()).toBe(true);", "});"]),
        added("tests/test_login.py", ["def test_login():", "    assert login()"]),
      ),
    },
    {
      name: "a skip with an issue reference on the same line",
      facts: withFiles(added("src/a.test.ts", ["it.skip('x', () => {}); // skip until #123 is fixed"])),
    },
    {
      name: "a skip whose added line above links an issue URL",
      facts: withFiles(
        added("tests/test_a.py", [
          "# https://github.com/acme/api/issues/45",
          "@pytest.mark.skip(reason='flaky')",
        ]),
      ),
    },
    {
      name: "a skip whose context line above names owner/repo#12",
      facts: withFiles(
        hunk("src/a.test.ts", [
          [" ", "// blocked by acme/auth#12"],
          ["+", "it.skip('x', () => {});"],
        ]),
      ),
    },
    {
      name: "a GH-123 reference counts",
      facts: withFiles(added("pkg/a_test.go", ['\tt.Skip("GH-77: flaky")'])),
    },
    {
      name: "the issuePattern option accepts a Jira key",
      facts: withFiles(added("src/a.test.ts", ["test.skip('x', () => {}); // PAY-1432"])),
      options: { issuePattern: "\\b[A-Z]+-\\d+\\b" },
    },
    {
      name: "skips only mentioned in comments, strings or doc comments",
      facts: withFiles(
        added("src/a.test.ts", [
          "// never commit it.skip or it.only",
          "it('rejects it.skip and test.only in names', () => {});",
          "/* xit( is jasmine's */ const x = 1;",
          " * Use describe.only locally only.",
          "const s = `this.skip()`;",
        ]),
        added("tests/test_a.py", ["# @pytest.mark.skip is forbidden", "msg = '@unittest.skip'"]),
        added("spec/a_spec.rb", ["# skip", "  puts 'skip'"]),
      ),
    },
    {
      name: "words that only look like skips",
      facts: withFiles(
        added("lib/paging.py", [
          "skip = request.args.get('skip')",
          "rows = query.skip(10)",
          "def skip_blank(x):",
        ]),
        added("lib/reader.go", ["\tdec.Skip()", "\tif err := p.Skip(); err != nil {"]),
        added("lib/options.rb", ["skip = options[:skip]", "  @skip = true", "x.pending?"]),
        added("src/Model.cs", ["    [JsonIgnore]", "    [IgnoreDataMember]"]),
        added("src/T.java", ['    @DisplayName("Ignore case")', "    @Test"]),
        added("src/lib.rs", ["#[test]", "fn ignore_whitespace() {}"]),
        added("src/chart.ts", [
          "chart.fit();",
          "const xit = 1;",
          "const test = { skip: 1 }; test.skipped = 2;",
        ]),
      ),
    },
    {
      name: "skips that were already there (context) or are removed",
      facts: withFiles(
        hunk("src/a.test.ts", [
          [" ", "it.skip('old', () => {});"],
          ["-", "xit('gone', () => {});"],
          ["+", "it('new', () => {});"],
        ]),
      ),
    },
    {
      name: "files outside the supported languages",
      facts: withFiles(
        added("docs/testing.md", ["Never commit `it.skip`."]),
        added("a.test.ts.snap", ["it.skip"]),
      ),
    },
    {
      name: "files outside paths or inside ignorePaths",
      facts: withFiles(
        added("e2e/login.spec.ts", ["test.skip('x', () => {});"]),
        added("src/fixtures/skipped.test.ts", ["it.skip('fixture', () => {});"]),
      ),
      options: { paths: ["src/**"], ignorePaths: ["**/fixtures/**"] },
    },
    {
      name: "removed and binary files, and an omitted patch outside the supported languages",
      facts: withFiles(
        { path: "src/old.test.ts", status: "removed", binary: false },
        { path: "assets/logo.png", status: "added", binary: true },
        { path: "package-lock.json", status: "modified", binary: false },
        { path: "tests/ignored/huge.test.ts", status: "modified", binary: false },
      ),
      options: { ignorePaths: ["tests/ignored/**"] },
    },
  ],
  invalid: [
    {
      name: "a skipped test with no issue reference, written out in full",
      facts: withFiles(
        hunk("src/login.test.ts", [
          [" ", "describe('login', () => {"],
          ["+", "  it.skip('rejects expired tokens', () => {"],
        ]),
      ),
      findings: [
        {
          message:
            "Adds it.skip (JavaScript/TypeScript), which skips a test, with no issue reference on this line or the line above",
          path: "src/login.test.ts",
          line: 2,
          expected: "the test runs, or an issue reference on this line or the line above",
          found: "it.skip('rejects expired tokens', () => {",
          remediation:
            "Fix the code under test so the test passes and remove the skip (it.skip) at src/login.test.ts:2; if the skip is truly needed, link its tracking issue on that line, e.g. `// skip until #123 is fixed`.",
        },
      ],
    },
    {
      name: "every JavaScript/TypeScript construct",
      facts: withFiles(
        added(
          "src/all.test.tsx",
          JS_LINES.map(([line]) => line),
        ),
      ),
      findings: JS_LINES.map(([line, label, effect], i) =>
        at("src/all.test.tsx", i + 1, label, "JavaScript/TypeScript", effect, line),
      ),
    },
    {
      name: "every Python construct",
      facts: withFiles(
        added(
          "tests/test_all.py",
          PYTHON_LINES.map(([line]) => line),
        ),
      ),
      findings: PYTHON_LINES.map(([line, label, effect], i) =>
        at("tests/test_all.py", i + 1, label, "Python", effect, line, "#"),
      ),
    },
    {
      name: "every Go construct",
      facts: withFiles(
        added(
          "pkg/all_test.go",
          GO_LINES.map(([line]) => line),
        ),
      ),
      findings: GO_LINES.map(([line, label], i) => at("pkg/all_test.go", i + 1, label, "Go", "skip", line)),
    },
    {
      name: "every Java construct, and Kotlin",
      facts: withFiles(
        added(
          "src/test/java/AllTest.java",
          JVM_LINES.map(([line]) => line),
        ),
        added("src/test/kotlin/AllTest.kt", ["    @Ignore"]),
      ),
      findings: [
        ...JVM_LINES.map(([line, label], i) =>
          at("src/test/java/AllTest.java", i + 1, label, "Java/Kotlin", "skip", line),
        ),
        at("src/test/kotlin/AllTest.kt", 1, "@Ignore", "Java/Kotlin", "skip", "    @Ignore"),
      ],
    },
    {
      name: "every Ruby construct",
      facts: withFiles(
        added(
          "spec/all_spec.rb",
          RUBY_LINES.map(([line]) => line),
        ),
      ),
      findings: RUBY_LINES.map(([line, label, effect], i) =>
        at("spec/all_spec.rb", i + 1, label, "Ruby", effect, line, "#"),
      ),
    },
    {
      name: "every Rust construct",
      facts: withFiles(
        added(
          "tests/all.rs",
          RUST_LINES.map(([line]) => line),
        ),
      ),
      findings: RUST_LINES.map(([line, label], i) => at("tests/all.rs", i + 1, label, "Rust", "skip", line)),
    },
    {
      name: "every C# construct",
      facts: withFiles(
        added(
          "Tests/AllTests.cs",
          CSHARP_LINES.map(([line]) => line),
        ),
      ),
      findings: CSHARP_LINES.map(([line, label, effect], i) =>
        at("Tests/AllTests.cs", i + 1, label, "C#", effect, line),
      ),
    },
    {
      name: "an issue reference two lines above does not count, nor an HTML entity or a plain number",
      facts: withFiles(
        added("src/a.test.ts", [
          "// see #123",
          "",
          "it.skip('x', () => {});",
          "it.skip('&#123;', () => {}); // 123",
        ]),
      ),
      findings: [
        at("src/a.test.ts", 3, "it.skip", "JavaScript/TypeScript", "skip", "it.skip('x', () => {});"),
        at(
          "src/a.test.ts",
          4,
          "it.skip",
          "JavaScript/TypeScript",
          "skip",
          "it.skip('&#123;', () => {}); // 123",
        ),
      ],
    },
    {
      name: "a line with two constructs gives one finding naming the first",
      facts: withFiles(added("src/a.test.ts", ["describe.only('a', () => { it.skip('b', () => {}); });"])),
      findings: [
        at(
          "src/a.test.ts",
          1,
          "describe.only",
          "JavaScript/TypeScript",
          "focus",
          "describe.only('a', () => { it.skip('b', () => {}); });",
        ),
      ],
    },
    {
      name: "a Jira key does not count without the issuePattern option",
      facts: withFiles(added("src/a.test.ts", ["test.skip('x', () => {}); // PAY-1432"])),
      findings: [
        at(
          "src/a.test.ts",
          1,
          "test.skip",
          "JavaScript/TypeScript",
          "skip",
          "test.skip('x', () => {}); // PAY-1432",
        ),
      ],
    },
    {
      name: "findings are sorted by path and line across files",
      facts: withFiles(
        added("src/b.test.ts", ["it('ok', () => {});", "it.only('x', () => {});"]),
        added("src/a.test.ts", ["xit('x', () => {});"]),
      ),
      findings: [
        at("src/a.test.ts", 1, "xit", "JavaScript/TypeScript", "skip", "xit('x', () => {});"),
        at("src/b.test.ts", 2, "it.only", "JavaScript/TypeScript", "focus", "it.only('x', () => {});"),
      ],
    },
    {
      name: "a very long added line is cut in found",
      facts: withFiles(added("dist/bundle.test.js", [`it.skip('x',()=>{${"a;".repeat(150)}});`])),
      findings: [
        at(
          "dist/bundle.test.js",
          1,
          "it.skip",
          "JavaScript/TypeScript",
          "skip",
          `it.skip('x',()=>{${"a;".repeat(150)}});`,
        ),
      ].map((f) => ({ ...f, found: `${f.found.slice(0, 200)}…` })),
    },
  ],
  notEvaluated: [
    {
      name: "GitHub omitted the patch of changed test files",
      facts: withFiles(
        { path: "src/z.test.ts", status: "modified", binary: false },
        added("src/a.test.ts", ["it.skip('x', () => {});"]),
        { path: "tests/test_big.py", status: "added", binary: false },
      ),
      notEvaluated:
        "no diff was given for 2 changed file(s) (GitHub leaves out very large ones), so their added lines could not be checked for skipped tests: src/z.test.ts, tests/test_big.py",
    },
  ],
});

describe("test-skip options", () => {
  it("checks every file by default", () => {
    expect(rule.options.parse({})).toEqual({ paths: [], ignorePaths: [] });
  });

  it("refuses an issuePattern RE2 cannot run in linear time, and unknown keys", () => {
    expect(rule.options.safeParse({ issuePattern: "(?<=JIRA-)\\d+" }).success).toBe(false);
    expect(rule.options.safeParse({ ignore: ["x"] }).success).toBe(false);
  });
});
