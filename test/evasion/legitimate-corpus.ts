/**
 * Legitimate code that only looks like a skip (the word in strings, docstrings, comments and identifiers;
 * APIs that are not test runners; conditions that never skip) and skips properly tracked by an open issue:
 * `test-skip` must report none of them. Every file is added whole by the pull request.
 */
import type { CorpusCase } from "./evasion-corpus.js";

const ok = (name: string, path: string, source: string): CorpusCase => ({ name, path, source, lines: [] });
const JS = "src/parser.test.ts";
const PY = "tests/test_parser.py";
const GO = "parser/parser_test.go";
const JAVA = "src/test/java/com/acme/ParserTest.java";

export const LEGITIMATE: CorpusCase[] = [
  // Skip words in strings, template literals, regular expressions and titles
  ok(
    "a describe titled skip list",
    JS,
    'describe("skip list", () => {\n  it("skips nothing", () => {});\n});',
  ),
  ok("it.skip inside a string", JS, "const rule = 'it.skip is forbidden';"),
  ok("a template literal holding a skip", JS, "const code = `\n  it.skip('x', () => {});\n`;"),
  ok("a regular expression naming skips", JS, "const banned = /\\b(?:it|test)\\.skip\\(/;"),
  ok("a regular expression with a quote in it", JS, "const q = /\"/;\nit('quotes', () => {});"),
  ok("a test titled with .only", JS, "it('rejects test.only in committed code', () => {});"),
  ok("JSON fixtures with skip keys", JS, 'const fixture = { "skip": true, "only": false };'),
  // Comments and doc comments
  ok("a line comment", JS, "// never commit it.skip or xit\nit('x', () => {});"),
  ok("a block comment over lines", JS, "/*\n it.skip('old', () => {});\n xdescribe('old', () => {});\n*/"),
  ok(
    "a JSDoc comment",
    JS,
    "/**\n * Use `test.only` locally, never in CI.\n */\nexport function helper() {}",
  ),
  ok(
    "a Python docstring",
    PY,
    'def test_a():\n    """Do not @pytest.mark.skip this test.\n\n    pytest.skip() hides failures.\n    """\n    assert True',
  ),
  ok("a Python comment", PY, "# @pytest.mark.skip is forbidden here\ndef test_a():\n    assert True"),
  ok("a Python raw string", PY, "PATTERN = r'pytest\\.mark\\.skip'"),
  ok("a Python f-string", PY, 'msg = f"call self.skipTest({name})"'),
  ok("a Go raw string", GO, 'const doc = `\n\tt.Skip("x")\n`'),
  ok("a Go block comment", GO, "/*\n\tt.Skip()\n*/\nfunc TestA(t *testing.T) {}"),
  ok("a Java text block", JAVA, 'class ParserTest {\n  String s = """\n      @Disabled\n      """;\n}'),
  ok(
    "a Java Javadoc",
    JAVA,
    "class ParserTest {\n  /** Never use {@code @Ignore}. */\n  @Test void a() {}\n}",
  ),
  ok("a Kotlin raw string", "src/test/kotlin/ParserTest.kt", 'val s = """\n@Ignore\n"""'),
  ok("a Ruby heredoc", "spec/parser_spec.rb", "doc = <<~TXT\n  skip\n  xit 'x'\nTXT"),
  ok("a Ruby =begin block", "spec/parser_spec.rb", "=begin\n  skip\n=end\nit 'parses' do\nend"),
  ok("a Ruby string and symbol key", "spec/parser_spec.rb", "puts 'skip'\noptions[:skip] = false"),
  ok("a Rust raw string", "tests/parser.rs", 'const S: &str = r#"#[ignore]"#;\n#[test]\nfn parses() {}'),
  ok(
    "a Rust lifetime before an attribute",
    "tests/parser.rs",
    "fn f<'a>(s: &'a str) -> &'a str { s }\n#[test]\nfn parses() {}",
  ),
  ok("a C# verbatim string", "tests/ParserTests.cs", 'var s = @"[Ignore]\n""quoted""";'),
  ok(
    "a C# doc comment",
    "tests/ParserTests.cs",
    "/// <summary>Never [Ignore] a test.</summary>\n[Fact]\npublic void Parses() {}",
  ),
  ok("a PHP heredoc", "tests/ParserTest.php", "<?php\n$s = <<<EOT\n\\$this->markTestSkipped();\nEOT;"),
  ok("a Swift multi-line string", "Tests/ParserTests.swift", 'let s = """\nthrow XCTSkip("x")\n"""'),
  ok("an Elixir @doc heredoc", "test/parser_test.exs", '@doc """\n@tag :skip\n"""\ntest "parses" do\nend'),
  ok("an Elixir sigil", "test/parser_test.exs", 'pattern = ~r/@tag :skip/\ntest "parses" do\nend'),
  // Identifiers and APIs that are not test runners
  ok(
    "skipWhitespace",
    JS,
    "function skipWhitespace(s: string) { return s.trimStart(); }\nskipWhitespace(' a');",
  ),
  ok("an ORM's skip", JS, "const rows = await prisma.user.findMany({ skip: 10, take: 5 });"),
  ok("a stream's skip", JS, "const rest = iterator.skip(3);"),
  ok("a variable named xit", JS, "const xit = 1;\nconst fit = layout.fit();"),
  ok("a test context that is not t", JS, "parser.skip();"),
  ok("Python skip as a variable", PY, "skip = request.args.get('skip')\nrows = query.offset(skip)"),
  ok(
    "Python skip_blank helper",
    PY,
    "def skip_blank(lines):\n    return [l for l in lines if l]\n\ndef test_a():\n    assert skip_blank(['', 'a']) == ['a']",
  ),
  ok("a Go decoder's Skip", "parser/reader.go", "func read(dec *json.Decoder) {\n\tdec.Skip()\n}"),
  ok(
    "a Go Skip on a value not of a testing type",
    GO,
    "func TestA(t *testing.T) {\n\tp := newParser()\n\tp.Skip(3)\n}",
  ),
  ok(
    "Java @JsonIgnore",
    "src/main/java/com/acme/User.java",
    "class User {\n  @JsonIgnore\n  String secret;\n}",
  ),
  ok(
    "C# [JsonIgnore] and [IgnoreDataMember]",
    "src/User.cs",
    "[JsonIgnore]\npublic string Secret;\n[IgnoreDataMember]\npublic int Age;",
  ),
  ok("Ruby skip as a local variable", "lib/pager.rb", "skip = params[:skip].to_i\n@skip = true\nx.pending?"),
  ok("Rust fn named ignore_whitespace", "src/lexer.rs", "#[test]\nfn ignore_whitespace() {}"),
  ok("a Laravel collection skip", "app/Feed.php", "<?php\n$items = $collection->skip($offset)->take(10);"),
  ok(
    "SwiftUI .disabled modifier",
    "Sources/App/Login.swift",
    'Button("Log in") {}\n    .disabled(isLoading)',
  ),
  ok("Elixir skip as a keyword in a function call", "lib/pager.ex", "Repo.all(query, skip: 10)"),
  // Conditions that never skip
  js("skipIf(false)", "test.skipIf(false)('runs', () => {});"),
  js("runIf(true)", "test.runIf(true)('runs', () => {});"),
  py("skipif(False)", "import pytest\n\n@pytest.mark.skipif(False, reason='never')\ndef test_a(): pass"),
  java("assumeTrue(true)", "class ParserTest {\n  void a() { Assumptions.assumeTrue(true); }\n}"),
  ok("node:test with skip: false", JS, "test('runs', { skip: false }, () => {});"),
  // Properly tracked skips
  ok("a skip citing an open issue on its line", JS, "it.skip('x', () => {}); // flaky until #123 is fixed"),
  ok(
    "a skip citing an open issue in the comment line above",
    PY,
    "import pytest\n\n# https://github.com/acme/api/issues/123\n@pytest.mark.skip(reason='flaky')\ndef test_a(): pass",
  ),
  ok(
    "a skip citing another repository's open issue",
    GO,
    'func TestA(t *testing.T) {\n\tt.Skip("upstream") // acme/web#77\n}',
  ),
  ok(
    "a block of comment lines above",
    JAVA,
    "class ParserTest {\n  // Upstream bug; the vendor\n  // tracks it in acme/web#77.\n  @Disabled\n  void a() {}\n}",
  ),
  ok(
    "a Ruby skip with a reference",
    "spec/parser_spec.rb",
    "it 'parses' do\n  skip 'upstream' # acme/api#123\nend",
  ),
  ok("a Rust ignore with a reference", "tests/parser.rs", "#[test]\n#[ignore] // #123\nfn slow() {}"),
  ok(
    "a C# Skip with a reference",
    "tests/ParserTests.cs",
    '[Fact(Skip = "slow")] // #123\npublic void Slow() {}',
  ),
  ok("a PHP skip with a reference", "tests/ParserTest.php", "<?php\n$this->markTestSkipped('x'); // #123"),
  ok("an Elixir tag with a reference", "test/parser_test.exs", '# #123\n@tag :skip\ntest "parses" do\nend'),
  ok("a Swift skip with a reference", "Tests/ParserTests.swift", 'throw XCTSkip("x") // #123'),
  ok(
    "a multi-line decorator with its reference on the first line",
    PY,
    "import pytest\n\n@pytest.mark.skipif(  # #123\n    True,\n    reason='x',\n)\ndef test_a(): pass",
  ),
  // Files that are not code in a supported language
  ok("a markdown guide", "docs/testing.md", "Never commit `it.skip` or `@pytest.mark.skip`."),
  ok("a snapshot file", "src/__snapshots__/a.test.ts.snap", "exports[`it.skip`] = `x`;"),
];

function js(name: string, source: string): CorpusCase {
  return ok(name, JS, source);
}
function py(name: string, source: string): CorpusCase {
  return ok(name, PY, source);
}
function java(name: string, source: string): CorpusCase {
  return ok(name, JAVA, source);
}
