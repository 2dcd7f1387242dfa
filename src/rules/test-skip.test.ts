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
/** The same files, with the states GitHub gave for the issues they cite. */
const withIssues = (issues: Record<string, "open" | "closed" | "missing">, ...files: ChangedFile[]) =>
  prScope({ files }, { issues });
/** A file whose whole new content is given, with the lines `added` (1-based) added by the pull request. */
function withContent(path: string, content: string, added: number[]): ChangedFile {
  const lines = content.split("\n");
  return {
    path,
    status: "modified",
    binary: false,
    content,
    patch: [
      `@@ -1,${lines.length - added.length} +1,${lines.length} @@`,
      ...lines.map((l, i) => `${added.includes(i + 1) ? "+" : " "}${l}`),
    ].join("\n"),
  };
}

const EXPECTED =
  "the test runs, or a comment on its line or just above citing an open tracking issue (#123, owner/repo#123, an issue URL)";

const DOES = {
  skip: "skips a test",
  focus: "focuses tests, so every other test is skipped",
  todo: "declares a test that does not run (todo)",
  xfail: "expects a test to fail, so its failure goes unnoticed",
} as const;
const NOUN = { skip: "skip", todo: "todo", xfail: "expected failure" } as const;

/** The exact finding for an added construct; `comment` is the language's line comment. */
function at(
  path: string,
  line: number,
  label: string,
  language: string,
  effect: keyof typeof DOES,
  text: string,
  comment = "//",
  extra: { conditional?: boolean; citing?: string; endLine?: number } = {},
) {
  const what = extra.conditional ? `${DOES[effect]} when a condition read at run time holds` : DOES[effect];
  const citing =
    effect === "focus"
      ? "and must not be committed"
      : (extra.citing ?? "with no comment beside it citing a tracking issue");
  return {
    message: `Adds ${label} (${language}), which ${what}, ${citing}`,
    path,
    line,
    ...(extra.endLine !== undefined ? { endLine: extra.endLine } : {}),
    expected: EXPECTED,
    found: text.trim(),
    remediation:
      effect === "focus"
        ? `Remove the focus (${label}) at ${path}:${line} so every test runs again.`
        : `Fix the code under test so the test passes and remove the ${NOUN[effect]} (${label}) at ${path}:${line}. If the ${NOUN[effect]} must stay, open (or reopen) an issue for it and cite it in a comment on that line or just above, e.g. \`${comment} ${NOUN[effect]} until #123 is fixed\`; a reference inside a string does not count.`,
  };
}

const JS_LINES: Array<[string, string, keyof typeof DOES, boolean?]> = [
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
  ["    this.skip();", "this.skip", "skip"],
  ["fit('logs in', () => {});", "fit", "focus"],
  ["fdescribe('auth', () => {", "fdescribe", "focus"],
  ["it.skipIf(process.platform === 'win32')('links', () => {});", "it.skipIf", "skip", true],
  ["test.describe.fixme('checkout', () => {", "test.describe.fixme", "skip"],
  ["test.failing('known bug', () => {});", "test.failing", "xfail"],
  ["describe.skip.each([1, 2])('case %i', () => {", "describe.skip", "skip"],
];

const PYTHON_LINES: Array<[string, string, keyof typeof DOES, boolean?]> = [
  ["@pytest.mark.skip(reason='flaky')", "@pytest.mark.skip", "skip"],
  ["@pytest.mark.skipif(sys.platform == 'win32', reason='no')", "@pytest.mark.skipif", "skip", true],
  ["@pytest.mark.xfail(strict=False)", "@pytest.mark.xfail", "xfail"],
  ["    pytest.skip('not ready')", "pytest.skip", "skip"],
  ["@unittest.skip('later')", "@unittest.skip", "skip"],
  ["@unittest.skipIf(True, 'no')", "@unittest.skipIf", "skip"],
  ["@skipUnless(HAS_DB, 'needs db')", "@skipUnless", "skip", true],
  ["        self.skipTest('no network')", "self.skipTest", "skip"],
  ["@unittest.expectedFailure", "@unittest.expectedFailure", "xfail"],
  ["pytestmark = pytest.mark.skip", "pytest.mark.skip", "skip"],
  ["np = pytest.importorskip('numpy')", "pytest.importorskip", "skip", true],
  ["        raise unittest.SkipTest('later')", "raise unittest.SkipTest", "skip"],
  ["    pytest.xfail('known')", "pytest.xfail", "xfail"],
];

const GO_LINES: Array<[string, string]> = [
  ['\tt.Skip("flaky on CI")', "t.Skip"],
  ['\tt.Skipf("needs %s", dep)', "t.Skipf"],
  ["\tt.SkipNow()", "t.SkipNow"],
  ['\tb.Skip("slow")', "b.Skip"],
  ['\ts.T().Skip("later")', "s.T().Skip"],
];

const JVM_LINES: Array<[string, string, boolean?]> = [
  ["    @Disabled", "@Disabled"],
  ['    @Disabled("flaky")', "@Disabled"],
  ["    @DisabledOnOs(OS.WINDOWS)", "@DisabledOnOs", true],
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

const RUST_LINES: Array<[string, string, boolean?]> = [
  ["#[ignore]", "#[ignore]"],
  ['#[ignore = "slow"]', "#[ignore]"],
  ["#[cfg_attr(windows, ignore)]", "#[cfg_attr(…, ignore)]", true],
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
      name: "a skip whose comment on the same line cites an open issue",
      facts: withIssues(
        { "acme/api#123": "open" },
        added("src/a.test.ts", ["it.skip('x', () => {}); // skip until #123 is fixed"]),
      ),
    },
    {
      name: "a skip whose comment line above links an open issue's URL",
      facts: withIssues(
        { "acme/api#45": "open" },
        added("tests/test_a.py", [
          "# https://github.com/acme/api/issues/45",
          "@pytest.mark.skip(reason='flaky')",
        ]),
      ),
    },
    {
      name: "a skip whose context comment above names owner/repo#12, open",
      facts: withIssues(
        { "acme/auth#12": "open" },
        hunk("src/a.test.ts", [
          [" ", "// blocked by acme/auth#12"],
          ["+", "it.skip('x', () => {});"],
        ]),
      ),
    },
    {
      name: "GH-123 counts when the bundle allows that form",
      facts: withIssues({ "acme/api#77": "open" }, added("pkg/a_test.go", ['\tt.Skip("flaky") // GH-77'])),
      options: { references: ["GH-123"] },
    },
    {
      name: "one open issue among several cited is enough",
      facts: withIssues(
        { "acme/api#1": "closed", "acme/api#2": "open" },
        added("src/a.test.ts", ["it.skip('x', () => {}); // #1, now #2"]),
      ),
    },
    {
      name: "conditional skips are allowed when the bundle says so, constant ones are not conditional",
      facts: withFiles(
        added("tests/test_a.py", ["@pytest.mark.skipif(sys.platform == 'win32', reason='posix only')"]),
        added("src/a.test.ts", [
          "test.skipIf(false)('runs', () => {});",
          "test.runIf(true)('runs', () => {});",
        ]),
      ),
      options: { conditional: "allow" },
    },
    {
      name: "a multi-line decorator whose argument line is added is read whole, with its comment",
      facts: withIssues(
        { "acme/api#9": "open" },
        withContent(
          "tests/test_a.py",
          "import pytest\n\n@pytest.mark.skipif(  # #9\n    True,\n    reason='x',\n)\ndef test_a():\n    pass",
          [4],
        ),
      ),
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
            "Adds it.skip (JavaScript/TypeScript), which skips a test, with no comment beside it citing a tracking issue",
          path: "src/login.test.ts",
          line: 2,
          expected:
            "the test runs, or a comment on its line or just above citing an open tracking issue (#123, owner/repo#123, an issue URL)",
          found: "it.skip('rejects expired tokens', () => {",
          remediation:
            "Fix the code under test so the test passes and remove the skip (it.skip) at src/login.test.ts:2. If the skip must stay, open (or reopen) an issue for it and cite it in a comment on that line or just above, e.g. `// skip until #123 is fixed`; a reference inside a string does not count.",
        },
      ],
    },
    {
      name: "a reference inside a string does not count, nor one in the skip's reason",
      facts: withIssues(
        { "acme/api#1": "open" },
        added("src/a.test.ts", ['it.skip("x", () => {}); const c = "#1";']),
        added("pkg/a_test.go", ['\tt.Skip("see #1")']),
      ),
      findings: [
        at("pkg/a_test.go", 1, "t.Skip", "Go", "skip", '\tt.Skip("see #1")'),
        at(
          "src/a.test.ts",
          1,
          "it.skip",
          "JavaScript/TypeScript",
          "skip",
          'it.skip("x", () => {}); const c = "#1";',
        ),
      ],
    },
    {
      name: "a closed or missing issue does not track anything",
      facts: withIssues(
        { "acme/api#1": "closed", "acme/api#404": "missing" },
        added("tests/test_a.py", [
          "@pytest.mark.skip  # see #1",
          "def test_a(): pass",
          "@pytest.mark.xfail  # #404",
        ]),
      ),
      findings: [
        at("tests/test_a.py", 1, "@pytest.mark.skip", "Python", "skip", "@pytest.mark.skip  # see #1", "#", {
          citing: "citing acme/api#1, which is closed",
        }),
        at("tests/test_a.py", 3, "@pytest.mark.xfail", "Python", "xfail", "@pytest.mark.xfail  # #404", "#", {
          citing: "citing acme/api#404, which does not exist or cannot be read",
        }),
      ],
    },
    {
      name: "an annotation split across lines is one construct, reported where it starts",
      facts: withFiles(
        withContent(
          "src/test/java/ATest.java",
          "class ATest {\n  @Test(\n      enabled = false)\n  void a() {}\n}",
          [3],
        ),
      ),
      findings: [
        at("src/test/java/ATest.java", 2, "@Test(enabled = false)", "Java", "skip", "  @Test(", "//", {
          endLine: 3,
        }),
      ],
    },
    {
      name: "a call added to a helper that skips, already in the file, is a skip",
      facts: withFiles(
        withContent(
          "tests/test_db.py",
          "import pytest\n\ndef needs_db():\n    pytest.skip('no db')\n\ndef test_a():\n    needs_db()\n",
          [7],
        ),
      ),
      findings: [
        at("tests/test_db.py", 7, "needs_db (calls pytest.skip)", "Python", "skip", "    needs_db()", "#"),
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
      findings: JS_LINES.map(([line, label, effect, conditional], i) =>
        at("src/all.test.tsx", i + 1, label, "JavaScript/TypeScript", effect, line, "//", { conditional }),
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
      findings: PYTHON_LINES.map(([line, label, effect, conditional], i) =>
        at("tests/test_all.py", i + 1, label, "Python", effect, line, "#", { conditional }),
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
        ...JVM_LINES.map(([line, label, conditional], i) =>
          at("src/test/java/AllTest.java", i + 1, label, "Java", "skip", line, "//", { conditional }),
        ),
        at("src/test/kotlin/AllTest.kt", 1, "@Ignore", "Kotlin", "skip", "    @Ignore"),
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
      findings: RUST_LINES.map(([line, label, conditional], i) =>
        at("tests/all.rs", i + 1, label, "Rust", "skip", line, "//", { conditional }),
      ),
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
      name: "a line with two constructs gives a finding for each",
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
        at(
          "src/a.test.ts",
          1,
          "it.skip",
          "JavaScript/TypeScript",
          "skip",
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
      name: "a skip citing an issue that was not looked up is neither a pass nor a failure",
      facts: prScope(
        { files: [added("src/a.test.ts", ["it.skip('x', () => {}); // #5"])] },
        { unavailable: { issues: "GITHUB_TOKEN is not set, so the cited issues could not be looked up" } },
      ),
      notEvaluated:
        "1 skip(s) cite a tracking issue that was not verified (GITHUB_TOKEN is not set, so the cited issues could not be looked up), so they neither pass nor fail: src/a.test.ts:1 cites acme/api#5",
    },
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
    {
      name: "a line longer than the parser reads: too large, never a pass",
      facts: withFiles(
        added("src/a.test.ts", ["it.skip('x', () => {});", `const data = "${"x".repeat(20_000)}";`]),
      ),
      notEvaluated:
        "too large: line 2 of src/a.test.ts has 20016 characters, more than the 20000 read, so it was not read for skipped tests",
    },
    {
      name: "a file larger than the parser reads: too large",
      facts: withFiles(
        added(
          "src/a.test.ts",
          Array.from({ length: 60_000 }, () => "it.skip('x', () => {});"),
        ),
      ),
      notEvaluated:
        "too large: src/a.test.ts has 1439999 characters, more than the 1048576 read, so it was not read for skipped tests",
    },
  ],
});

describe("test-skip options", () => {
  it("checks every file by default", () => {
    expect(rule.options.parse({})).toEqual({
      references: ["#123", "owner/repo#123", "issue-url"],
      conditional: "report",
      paths: [],
      ignorePaths: [],
    });
  });

  it("refuses an issuePattern RE2 cannot run in linear time, and unknown keys", () => {
    expect(rule.options.safeParse({ issuePattern: "(?<=JIRA-)\\d+" }).success).toBe(false);
    expect(rule.options.safeParse({ ignore: ["x"] }).success).toBe(false);
  });
});
