import { describe, expect, it } from "@jest/globals";
import { type DetectedSkip, detectSkips, languageOf, testCases } from "./skip-detector.js";

/** The detected constructs without their comments, which have a test of their own. */
function skipsIn(path: string, source: string, options: { partial?: boolean } = {}) {
  return detectSkips(path, source, options)?.map(({ comments: _comments, ...skip }) => skip);
}

type Found = Omit<DetectedSkip, "comments">;

/** An unconditional construct on one line, as the detector reports it. */
const construct = (
  line: number,
  label: string,
  effect: DetectedSkip["effect"],
  testName?: string,
): Found => ({
  line,
  endLine: line,
  label,
  effect,
  conditional: false,
  ...(testName === undefined ? {} : { testName }),
});

describe("languageOf", () => {
  it.each([
    ["src/login.test.ts", "JavaScript/TypeScript"],
    ["web/App.spec.tsx", "JavaScript/TypeScript"],
    ["lib/a.cjs", "JavaScript/TypeScript"],
    ["tests/test_api.py", "Python"],
    ["pkg/api_test.go", "Go"],
    ["src/test/LoginTest.java", "Java"],
    ["build.gradle.kts", "Kotlin"],
    ["spec/user_spec.rb", "Ruby"],
    ["src/lib.rs", "Rust"],
    ["Tests/LoginTests.cs", "C#"],
    ["tests/LoginTest.php", "PHP"],
    ["Tests/LoginTests.swift", "Swift"],
    ["test/user_test.exs", "Elixir"],
  ])("%s is %s", (path, name) => {
    expect(languageOf(path)?.name).toBe(name);
  });

  it.each(["README.md", "Makefile", "script.sh", "types.d"])("%s is not a supported language", (path) => {
    expect(languageOf(path)).toBeUndefined();
  });
});

describe("detectSkips: constructs that skip, focus or expect failure", () => {
  it.each<[string, string, Found[]]>([
    // JavaScript and TypeScript
    ["a.test.ts", 'it.skip("logs in", () => {});', [construct(1, "it.skip", "skip", "logs in")]],
    ["a.test.ts", 'describe.only("suite", () => {});', [construct(1, "describe.only", "focus", "suite")]],
    ["a.test.ts", 'test.todo("later");', [construct(1, "test.todo", "todo", "later")]],
    ["a.test.ts", 'it.fails("known bug", () => {});', [construct(1, "it.fails", "xfail", "known bug")]],
    ["a.test.ts", 'xit("old", () => {});', [construct(1, "xit", "skip", "old")]],
    ["a.test.ts", 'fdescribe("x", () => {});', [construct(1, "fdescribe", "focus", "x")]],
    // No test name: it is read only from a string right after the marker, and here `(true)(` comes first.
    ["a.test.ts", 'it.skipIf(true)("x", () => {});', [construct(1, "it.skipIf", "skip")]],
    ["a.test.ts", 'test("slow", { skip: true }, () => {});', [construct(1, "{ skip: … }", "skip", "slow")]],
    // A Unicode escape in an identifier is the letter it stands for.
    ["a.test.ts", 'it.\\u0073kip("x", () => {});', [construct(1, "it.skip", "skip", "x")]],
    // A call split across lines is one construct.
    ["a.test.ts", 'it\n  .skip("x", () => {});', [{ ...construct(1, "it.skip", "skip", "x"), endLine: 2 }]],
    // Python
    [
      "test_a.py",
      'import pytest\n\n@pytest.mark.skip(reason="slow")\ndef test_upload():\n    pass',
      [construct(3, "@pytest.mark.skip", "skip", "test_upload")],
    ],
    [
      "test_a.py",
      "import pytest as pt\n\n@pt.mark.xfail\ndef test_b():\n    pass",
      [construct(3, "@pt.mark.xfail", "xfail", "test_b")],
    ],
    [
      "test_a.py",
      [
        "import unittest",
        "",
        "class T(unittest.TestCase):",
        '    @unittest.skip("later")',
        "    def test_x(self):",
        "        pass",
        "",
        "    def test_y(self):",
        '        self.skipTest("no db")',
      ].join("\n"),
      [construct(4, "@unittest.skip", "skip", "test_x"), construct(9, "self.skipTest", "skip", "test_y")],
    ],
    // Go, Java, Kotlin, Ruby, Rust, C#, PHP, Swift, Elixir
    [
      "a_test.go",
      'func TestA(t *testing.T) {\n\tt.Skip("flaky")\n}',
      [construct(2, "t.Skip", "skip", "TestA")],
    ],
    [
      "LoginTest.java",
      '@Disabled("flaky")\n@Test\nvoid loginWorks() {}',
      [construct(1, "@Disabled", "skip", "loginWorks")],
    ],
    [
      "LoginTest.java",
      "import static org.junit.jupiter.api.Assumptions.assumeTrue;\nvoid a() {\n  assumeTrue(false);\n}",
      [construct(3, "assumeTrue", "skip", "a")],
    ],
    ["LoginTest.kt", "@Ignore\n@Test\nfun `logs in`() {}", [construct(1, "@Ignore", "skip", "logs in")]],
    ["user_spec.rb", 'xit "works" do\nend', [construct(1, "xit", "skip", "works")]],
    ["user_spec.rb", 'it "x" do\n  skip "later"\nend', [construct(2, "skip", "skip", "x")]],
    ["user_spec.rb", 'it "x" do\n  pending "bug"\nend', [construct(2, "pending", "xfail", "x")]],
    ["lib.rs", "#[test]\n#[ignore]\nfn slow() {}", [construct(2, "#[ignore]", "skip", "slow")]],
    [
      "LoginTests.cs",
      '[Fact(Skip = "flaky")]\npublic void Works() {}',
      [construct(1, "[Fact(Skip = …)]", "skip", "Works")],
    ],
    [
      "LoginTest.php",
      'function testA() {\n  $this->markTestSkipped("x");\n}',
      [construct(2, "$this->markTestSkipped", "skip", "testA")],
    ],
    [
      "LoginTests.swift",
      'func testA() throws {\n  throw XCTSkip("x")\n}',
      [construct(2, "throw XCTSkip", "skip", "testA")],
    ],
    ["user_test.exs", '@tag :skip\ntest "x" do\nend', [construct(1, "@tag :skip", "skip", "x")]],
  ])("%s: %j", (path, source, found) => {
    expect(skipsIn(path, source)).toEqual(found);
  });
});

describe("detectSkips: computed access", () => {
  // The bracketed key says what the call does; the test's name is the call's first argument.
  it.each<[string, Found[]]>([
    ['it["skip"]("x", () => {});', [construct(1, 'it["skip"]', "skip", "x")]],
    ["test['skip']('y', () => {});", [construct(1, "test['skip']", "skip", "y")]],
    ["test['only']('z', () => {});", [construct(1, "test['only']", "focus", "z")]],
    ['it["todo"]("later");', [construct(1, 'it["todo"]', "todo", "later")]],
  ])("%j", (source, found) => {
    expect(skipsIn("a.test.ts", source)).toEqual(found);
  });
});

describe("detectSkips: conditions", () => {
  it.each<[string, string, Found[]]>([
    // A condition read at run time makes a conditional skip.
    [
      "a.test.ts",
      'it.skipIf(process.env.CI)("x", () => {});',
      [{ ...construct(1, "it.skipIf", "skip"), conditional: true }],
    ],
    [
      "a.test.ts",
      'test("webkit only", async ({ browserName }) => {\n  test.skip(browserName === "webkit", "flaky");\n});',
      [{ ...construct(2, "test.skip", "skip", "webkit only"), conditional: true }],
    ],
    [
      "test_a.py",
      'import sys, pytest\n@pytest.mark.skipif(sys.platform == "win32", reason="x")\ndef test_path():\n    pass',
      [{ ...construct(2, "@pytest.mark.skipif", "skip", "test_path"), conditional: true }],
    ],
    [
      "LoginTest.java",
      "void a() {\n  Assumptions.assumeTrue(isLinux());\n}",
      [{ ...construct(2, "Assumptions.assumeTrue", "skip", "a"), conditional: true }],
    ],
    // A constant condition that never skips is no skip at all.
    ["a.test.ts", 'it.skipIf(false)("x", () => {});', []],
    ["a.test.ts", 'it.runIf(1 === 1)("x", () => {});', []],
    ["a.test.ts", 'test("slow", { skip: false }, () => {});', []],
    ["test_a.py", '@pytest.mark.skipif(False, reason="x")\ndef test_a():\n    pass', []],
    [
      "LoginTest.java",
      "import static org.junit.jupiter.api.Assumptions.assumeTrue;\nvoid a() {\n  assumeTrue(true);\n}",
      [],
    ],
  ])("%s: %j", (path, source, found) => {
    expect(skipsIn(path, source)).toEqual(found);
  });
});

describe("detectSkips: legitimate code is not flagged", () => {
  it.each([
    ["a.test.ts", '// it.skip("x")\nconst s = "it.skip(";\n/* xit("y") */'],
    ["a.test.ts", 'it("skips blank lines", () => {\n  expect(list.skip(2)).toEqual([]);\n});'],
    ["a.test.ts", "const skip = true;\nconst only = items.only;\nskipWhitespace();"],
    [
      "test_a.py",
      '# @pytest.mark.skip\ndef test_a():\n    """Calls pytest.skip( in prose."""\n    skip_blank()',
    ],
    ["a_test.go", "func TestB(t *testing.T) {\n\tr.Skip(3)\n}"],
    // Outside a _test.go file `t` is not known to be a *testing.T.
    ["reader.go", "func read() {\n\tt.Skip(3)\n}"],
    ["user_spec.rb", 'it "x" do\n  expect(user.skip?).to be(false)\n  items.skip(1)\nend'],
    ["LoginTest.java", '@Test\nvoid a() {\n  String s = "@Disabled";\n}'],
    ["lib.rs", '#[test]\nfn a() {\n  // #[ignore]\n  let s = "#[ignore]";\n}'],
  ])("%s: %j", (path, source) => {
    expect(skipsIn(path, source)).toEqual([]);
  });

  it("gives nothing for a language it does not read", () => {
    expect(detectSkips("notes.txt", 'it.skip("x")')).toBeUndefined();
  });
});

describe("detectSkips: helpers, comments and diff windows", () => {
  it("makes every call to a local helper that skips a skip, through that helper", () => {
    const source = [
      "function onlyOnLinux() {",
      "  this.skip();",
      "}",
      'it("x", function () {',
      "  onlyOnLinux();",
      "});",
    ].join("\n");
    expect(skipsIn("a.test.js", source)).toEqual([
      construct(2, "this.skip", "skip"),
      { ...construct(5, "onlyOnLinux (calls this.skip)", "skip", "x"), via: "onlyOnLinux" },
    ]);
  });

  it("gives the comments on the construct's lines and the comment lines just above it", () => {
    const source = '// flaky on CI, see #12\n// owner: web\nit.skip("x", () => {}); // tracked';
    expect(detectSkips("a.test.ts", source)?.map((skip) => skip.comments)).toEqual([
      ["// tracked", "// owner: web", "// flaky on CI, see #12"],
    ]);
  });

  it("stops gathering comments above at a line of code", () => {
    const source = '// far\nconst a = 1;\n// near\nit.skip("x", () => {});';
    expect(detectSkips("a.test.ts", source)?.map((skip) => skip.comments)).toEqual([["// near"]]);
  });

  it("assumes a diff window's conventional imports, which the window rarely shows", () => {
    const source = "@mark.skip\ndef test_a():\n    pass";
    expect(skipsIn("test_a.py", source)).toEqual([]);
    expect(skipsIn("test_a.py", source, { partial: true })).toEqual([
      construct(1, "@mark.skip", "skip", "test_a"),
    ]);
  });

  it("reads a diff window's leading `*` lines as the inside of a block comment", () => {
    const source = ' * it.skip("x") was here\n */\nit("y", () => {});';
    expect(skipsIn("a.test.ts", source, { partial: true })).toEqual([]);
  });
});

describe("testCases", () => {
  it.each<[string, string, string[]]>([
    [
      "a.test.ts",
      'describe("suite", () => {\n  it("a", () => {});\n  test.each([1])("b %i", () => {});\n  xit("c", () => {});\n});',
      ["a", "", "c"],
    ],
    [
      "test_a.py",
      "def test_one():\n    pass\n\ndef helper():\n    pass\n\nasync def test_two():\n    pass",
      ["test_one", "test_two"],
    ],
    [
      "a_test.go",
      "func TestA(t *testing.T) {}\nfunc BenchmarkB(b *testing.B) {}\nfunc helper() {}",
      ["TestA", "BenchmarkB"],
    ],
    ["lib.rs", "#[test]\nfn a() {}\nfn helper() {}\n#[tokio::test]\nasync fn b() {}", ["a", "b"]],
    // Tests in comments and strings are not tests.
    ["a.test.ts", '// it("gone", () => {});\nconst s = \'it("no"\';', []],
  ])("%s: %j declares %j", (path, source, cases) => {
    expect(testCases(path, source)).toEqual(cases);
  });

  it("gives nothing for a language it does not read", () => {
    expect(testCases("notes.txt", 'it("x")')).toBeUndefined();
  });
});
