/**
 * Attempts to slip a skipped, focused or expected-to-fail test past `test-skip`, each with the lines the
 * rule must report. Written in the idioms real suites use (Jest, Vitest, Mocha, Playwright, node:test,
 * pytest, unittest, Go testing, JUnit 4/5, TestNG, Kotest, RSpec, minitest, Rust, NUnit, xUnit, MSTest,
 * PHPUnit, Pest, XCTest, Swift Testing, ExUnit). Every file is added whole by the pull request.
 */
export interface CorpusCase {
  name: string;
  path: string;
  source: string;
  /** Lines the rule reports (one finding each); empty for a legitimate snippet. */
  lines: number[];
}

/** Issues the corpora cite, as GitHub would report them. */
export const ISSUES = { "acme/api#1": "closed", "acme/api#123": "open", "acme/web#77": "open" } as const;

const js = (name: string, source: string, lines: number[]): CorpusCase => ({
  name,
  path: "src/session.test.ts",
  source,
  lines,
});
const py = (name: string, source: string, lines: number[]): CorpusCase => ({
  name,
  path: "tests/test_session.py",
  source,
  lines,
});
const go = (name: string, source: string, lines: number[]): CorpusCase => ({
  name,
  path: "session/session_test.go",
  source,
  lines,
});
const java = (name: string, source: string, lines: number[]): CorpusCase => ({
  name,
  path: "src/test/java/com/acme/SessionTest.java",
  source,
  lines,
});

export const EVASIONS: CorpusCase[] = [
  // Fake or misplaced references
  js("a reference in a string on the same line", 'it.skip("expires", () => {}); const c = "#1";', [1]),
  js("a reference in the skip's own title", 'it.skip("expires (#123)", () => {});', [1]),
  py(
    "a reference inside the reason",
    '@pytest.mark.skip(reason="see #123")\ndef test_expiry():\n    pass',
    [1],
  ),
  py(
    "a reference to an issue that is closed",
    "@pytest.mark.skip  # see #1\ndef test_expiry():\n    pass",
    [1],
  ),
  js(
    "a reference two lines above, with code between",
    "// #123\nconst user = makeUser();\nit.skip('x', () => {});",
    [3],
  ),
  js("an HTML entity that looks like a reference", "it.skip('x', () => {}); // &#123;", [1]),
  js("a reference in a template literal", "xit(`expires ${'#123'}`, () => {});", [1]),
  go(
    "a reference in the skip message",
    'func TestExpiry(t *testing.T) {\n\tt.Skip("tracked in #123")\n}',
    [2],
  ),
  js("a number without #", "it.skip('x', () => {}); // issue 123", [1]),
  js(
    "a pull request URL, not an issue",
    "// https://github.com/acme/api/pull/123\nit.skip('x', () => {});",
    [2],
  ),
  // Split across lines, whitespace and comments inside the construct
  js("a member access split across lines", "it\n  .skip('expires', () => {});", [1]),
  js("a comment between the object and .skip", "describe /* auth */ .skip('auth', () => {});", [1]),
  py(
    "a decorator whose call spans lines",
    "import pytest\n\n@pytest.mark.skipif(\n    True,\n    reason='later',\n)\ndef test_a():\n    pass",
    [3],
  ),
  java(
    "a TestNG attribute on its own line",
    'class SessionTest {\n  @Test(\n      groups = "slow",\n      enabled = false)\n  public void expires() {}\n}',
    [2],
  ),
  {
    name: "an xUnit Skip on the next line of the attribute",
    path: "tests/SessionTests.cs",
    source:
      'public class SessionTests {\n    [Fact(\n        Skip = "flaky")]\n    public void Expires() {}\n}',
    lines: [2],
  },
  js("non-breaking spaces around the dot", "it\u00a0.\u00a0skip('x', () => {});", [1]),
  js("a Unicode escape in the identifier", "it.\\u0073kip('x', () => {});", [1]),
  py(
    "a full-width letter Python folds to ASCII",
    "import pytest\n\n@pytest.mark.ｓkip\ndef test_a():\n    pass",
    [3],
  ),
  java(
    "a Unicode escape in a Java annotation",
    "class SessionTest {\n  @\\u0044isabled\n  void a() {}\n}",
    [2],
  ),
  // Aliases and imports
  py("from pytest import mark", "from pytest import mark\n\n@mark.skip\ndef test_a():\n    pass", [3]),
  py("import pytest as pt", "import pytest as pt\n\n@pt.mark.xfail\ndef test_a():\n    pass", [3]),
  py(
    "from pytest import mark as m",
    "from pytest import mark as m\n\n@m.skipif(True, reason='x')\ndef test_a(): pass",
    [3],
  ),
  py(
    "from pytest import skip as bail",
    "from pytest import skip as bail\n\ndef test_a():\n    bail('later')",
    [4],
  ),
  py(
    "import unittest as ut",
    "import unittest as ut\n\nclass T(ut.TestCase):\n    @ut.skip('x')\n    def test_a(self): pass",
    [4],
  ),
  py(
    "from unittest import skipUnless with a constant false condition",
    "from unittest import skipUnless\n\n@skipUnless(False, 'x')\ndef test_a(): pass",
    [3],
  ),
  py("a module-level pytestmark", "import pytest\n\npytestmark = pytest.mark.skip(reason='wip')", [3]),
  py(
    "a skip marker bound to a name",
    "import pytest\n\nlater = pytest.mark.skip\n\n@later\ndef test_a(): pass",
    [3, 5],
  ),
  js("a skip bound to a name", "const later = it.skip;\nlater('x', () => {});", [1, 2]),
  js(
    "a skip chosen by a ternary",
    "const maybe = process.env.CI ? it.skip : it;\nmaybe('x', () => {});",
    [1, 2],
  ),
  java(
    "a static import of assumeTrue with a constant false",
    "import static org.junit.jupiter.api.Assumptions.assumeTrue;\nclass SessionTest {\n  void a() { assumeTrue(false); }\n}",
    [3],
  ),
  java(
    "a wildcard static import of Assume",
    "import static org.junit.Assume.*;\nclass SessionTest {\n  void a() { assumeTrue(false); }\n}",
    [3],
  ),
  // Helpers in the same file
  py(
    "a helper that skips",
    "import pytest\n\ndef needs_db():\n    pytest.skip('no db')\n\ndef test_a():\n    needs_db()",
    [4, 7],
  ),
  py(
    "a helper method calling self.skipTest",
    "import unittest\n\nclass T(unittest.TestCase):\n    def _later(self):\n        self.skipTest('x')\n\n    def test_a(self):\n        self._later()",
    [5, 8],
  ),
  js(
    "a function wrapping describe.skip",
    "function quarantined() {\n  describe.skip('auth', () => {});\n}\nquarantined();",
    [2, 4],
  ),
  go(
    "a helper taking testing.TB",
    'func skipSlow(tb testing.TB) {\n\ttb.Skip("slow")\n}\n\nfunc TestA(t *testing.T) {\n\tskipSlow(t)\n}',
    [2, 6],
  ),
  go(
    "a helper calling another helper",
    "func a(t *testing.T) { t.SkipNow() }\nfunc b(t *testing.T) { a(t) }\nfunc TestA(t *testing.T) { b(t) }",
    [1, 2, 3],
  ),
  {
    name: "a Ruby helper that calls skip",
    path: "spec/session_spec.rb",
    source: "def quarantine\n  skip 'later'\nend\n\nit 'expires' do\n  quarantine\nend",
    lines: [2, 6],
  },
  // Always-true conditions
  js("skipIf(true)", "test.skipIf(true)('x', () => {});", [1]),
  js("runIf(false)", "describe.runIf(false)('x', () => {});", [1]),
  js("skipIf with a tautology", "test.skipIf(1 === 1)('x', () => {});", [1]),
  py(
    "skipif(True) with a keyword condition",
    "import pytest\n\n@pytest.mark.skipif(condition=True, reason='x')\ndef test_a(): pass",
    [3],
  ),
  py("skipIf(1)", "import unittest\n\n@unittest.skipIf(1, 'x')\ndef test_a(): pass", [3]),
  py(
    "a condition that is true whatever the left side",
    "import pytest\n\n@pytest.mark.skipif(sys.platform == 'x' or True, reason='')\ndef test_a(): pass",
    [3],
  ),
  java("assumeFalse(true)", "class SessionTest {\n  void a() { Assumptions.assumeFalse(true); }\n}", [2]),
  {
    name: "XCTSkipIf(true)",
    path: "Tests/SessionTests.swift",
    source: 'func testExpiry() throws {\n    try XCTSkipIf(true, "later")\n}',
    lines: [2],
  },
  js("a skip inside if (true)", "it('x', function () {\n  if (true) this.skip();\n});", [2]),
  // Constructs the line-based rule missed
  java(
    "JUnit 5 Assumptions.abort()",
    'class SessionTest {\n  void a() { Assumptions.abort("later"); }\n}',
    [2],
  ),
  java("JUnit 4 Assume", "class SessionTest {\n  void a() { Assume.assumeTrue(false); }\n}", [2]),
  js("Jasmine pending()", "it('x', () => {\n  pending('later');\n});", [2]),
  {
    name: "NUnit [Explicit] and Assert.Inconclusive",
    path: "tests/SessionTests.cs",
    source:
      '[Test, Explicit]\npublic void A() {}\n\n[Test]\npublic void B() { Assert.Inconclusive("later"); }',
    lines: [1, 5],
  },
  go("a Skip on a *testing.T not named t", 'func TestA(tt *testing.T) {\n\ttt.Skip("x")\n}', [2]),
  go(
    "a Skip in a subtest with its own name",
    'func TestA(t *testing.T) {\n\tt.Run("b", func(st *testing.T) {\n\t\tst.SkipNow()\n\t})\n}',
    [3],
  ),
  go("a testify suite's T()", 'func (s *SessionSuite) TestA() {\n\ts.T().Skip("x")\n}', [2]),
  // Other runners and forms
  js("node:test options object", "test('expires', { skip: 'later' }, () => {});", [1]),
  js("node:test todo option", "test('expires', { todo: true }, () => {});", [1]),
  js("a computed member", 'it["skip"]("x", () => {});', [1]),
  js("Playwright test.fixme", "test.fixme('checkout', async ({ page }) => {});", [1]),
  js("Vitest describe.skip.each", "describe.skip.each([1, 2])('case %i', () => {});", [1]),
  js("test.only hides every other test", "test.only('x', () => {});", [1]),
  js("Mocha context skip inside an interpolation", "const s = `${it.skip('x', () => {})}`;", [1]),
  {
    name: "RSpec skip metadata on a separate line",
    path: "spec/session_spec.rb",
    source: "it 'expires',\n   skip: 'later' do\nend",
    lines: [2],
  },
  {
    name: "minitest skip after a heredoc",
    path: "test/session_test.rb",
    source: "def test_expiry\n  body = <<~JSON\n    {}\n  JSON\n  skip\nend",
    lines: [5],
  },
  {
    name: "Rust ignore with a reason",
    path: "tests/session.rs",
    source: '#[test]\n#[ignore = "slow"]\nfn expires() {}',
    lines: [2],
  },
  {
    name: "PHPUnit markTestSkipped through static::",
    path: "tests/SessionTest.php",
    source:
      "<?php\nfinal class SessionTest extends TestCase {\n  public function testExpiry(): void { static::markTestSkipped('x'); }\n}",
    lines: [3],
  },
  {
    name: "Pest ->skip()",
    path: "tests/SessionTest.php",
    source: "<?php\nit('expires', function () {})->skip();",
    lines: [2],
  },
  {
    name: "Swift Testing .disabled trait",
    path: "Tests/SessionTests.swift",
    source: '@Test(.tags(.slow), .disabled("later"))\nfunc expires() {}',
    lines: [1],
  },
  {
    name: "ExUnit @tag skip with a reason",
    path: "test/session_test.exs",
    source: '@tag skip: "later"\ntest "expires" do\nend',
    lines: [1],
  },
  {
    name: "ExUnit @moduletag :skip",
    path: "test/session_test.exs",
    source: "defmodule SessionTest do\n  @moduletag :skip\nend",
    lines: [2],
  },
  {
    name: "Kotest xtest",
    path: "src/test/kotlin/SessionTest.kt",
    source: 'class SessionTest : FunSpec({\n  xtest("expires") {}\n})',
    lines: [2],
  },
];
