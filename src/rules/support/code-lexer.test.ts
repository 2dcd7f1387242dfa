import { describe, expect, it } from "@jest/globals";
import { type Lexed, lex, lineAt, lineStarts, SYNTAXES, type SyntaxName } from "./code-lexer.js";

/** The source text of each comment and string the lexer found, which is what rules rely on. */
function classified(syntax: SyntaxName, source: string) {
  const lexed = lex(source, SYNTAXES[syntax]);
  const text = (spans: Lexed["comments"]) => spans.map((span) => source.slice(span.start, span.end));
  return { comments: text(lexed.comments), strings: text(lexed.strings) };
}

const codeOf = (syntax: SyntaxName, source: string) => lex(source, SYNTAXES[syntax]).code;

describe("lex: comments", () => {
  it.each<[SyntaxName, string, string[]]>([
    ["javascript", "a(); // trailing note\nb();", ["// trailing note"]],
    ["javascript", "x /* one\ntwo */ y", ["/* one\ntwo */"]],
    ["go", "f() // go note", ["// go note"]],
    ["python", "x = 1  # why\ny = 2", ["# why"]],
    ["ruby", "x = 1 # note", ["# note"]],
    ["ruby", "=begin\nhidden\n=end\nputs 1", ["=begin\nhidden\n=end"]],
    ["elixir", "IO.puts(1) # note", ["# note"]],
    ["php", "f(); // one\ng(); # two", ["// one", "# two"]],
    // A PHP 8 attribute starts with # but is code.
    ["php", "#[Test]\nfunction a() {}", []],
    // `#` and `//` inside strings open no comment.
    ["python", 's = "# not a comment"  # real', ["# real"]],
    ["javascript", 'url = "https://example.com" // real', ["// real"]],
    // An unterminated block comment runs to the end of the source.
    ["javascript", "a /* never closed\nb", ["/* never closed\nb"]],
  ])("%s: %j has comments %j", (syntax, source, comments) => {
    expect(classified(syntax, source).comments).toEqual(comments);
  });

  it.each<[SyntaxName, string[], string]>([
    ["rust", ["/* a /* b */ c */"], `${" ".repeat(17)} d`],
    ["kotlin", ["/* a /* b */ c */"], `${" ".repeat(17)} d`],
    ["swift", ["/* a /* b */ c */"], `${" ".repeat(17)} d`],
    // C-style comments do not nest: the first */ closes the comment and the rest is code.
    ["javascript", ["/* a /* b */"], `${" ".repeat(12)} c */ d`],
    ["java", ["/* a /* b */"], `${" ".repeat(12)} c */ d`],
  ])("%s: nested block comments are %j", (syntax, comments, code) => {
    const source = "/* a /* b */ c */ d";
    expect(classified(syntax, source).comments).toEqual(comments);
    expect(codeOf(syntax, source)).toBe(code);
  });
});

describe("lex: strings", () => {
  it.each<[SyntaxName, string, string[]]>([
    // JavaScript: quotes, escapes, template literals, regular expressions.
    ["javascript", String.raw`say("it's \"quoted\"")`, [String.raw`"it's \"quoted\""`]],
    ["javascript", "a = 'x' + `y`", ["'x'", "`y`"]],
    ["javascript", `\`outer \${\`inner\`} end\``, ["`inner`", `\`outer \${\`inner\`} end\``]],
    ["javascript", 'const re = /"[^"]*"/g;', ['/"[^"]*"/']],
    ["javascript", "const half = total / 2 / count;", []],
    // Unterminated: a single-line string stops at the line break, and the next line is code.
    ["javascript", 'x = "open\ny = "closed"', ['"open', '"closed"']],
    // An escaped quote does not close the string, which then runs to the end.
    ["javascript", String.raw`x = "a\"`, [String.raw`"a\"`]],
    ["javascript", "p = `C:\\dir\\` + x", ["`C:\\dir\\` + x"]],
    // Go's raw string has no escapes, so the same backslash does not escape the backtick.
    ["go", "p := `C:\\dir\\` + x", ["`C:\\dir\\`"]],
    // Python: docstrings, prefixes.
    [
      "python",
      'def f():\n    """Doc with "quotes"\n    and lines."""\n    return 1',
      ['"""Doc with "quotes"\n    and lines."""'],
    ],
    ["python", "x = '''single'''", ["'''single'''"]],
    [
      "python",
      String.raw`x = r"\d+" + b'\x00' + f"{y}"`,
      [String.raw`r"\d+"`, String.raw`b'\x00'`, 'f"{y}"'],
    ],
    ["python", 'x = "abc\ny = 2', ['"abc']],
    // Java: text blocks and an escaped quote in a character literal.
    ["java", 'String s = """\n    Hello "world"\n    """;', ['"""\n    Hello "world"\n    """']],
    ["java", String.raw`char c = '\'';`, [String.raw`'\''`]],
    ["kotlin", String.raw`val r = """C:\path"""`, [String.raw`"""C:\path"""`]],
    // C#: verbatim strings double their quotes; raw strings hold quotes as they are.
    ["csharp", String.raw`var p = @"C:\dir\ ""quoted""";`, [String.raw`@"C:\dir\ ""quoted"""`]],
    ["csharp", 'var j = """{"k": 1}""";', ['"""{"k": 1}"""']],
    // Rust: raw strings with hashes, byte strings, and lifetimes that are not character literals.
    ["rust", 'let s = r#"say "hi""#;', ['r#"say "hi""#']],
    ["rust", String.raw`let b = b"\x00";`, [String.raw`b"\x00"`]],
    ["rust", "fn f<'a>(x: &'a str) -> char { 'x' }", ["'x'"]],
    ["swift", 'let s = #"a "b" c"#', ['#"a "b" c"#']],
    // Ruby: percent literals, character literals, and what only looks like them.
    ["ruby", "list = %w[a b c]", ["%w[a b c]"]],
    ["ruby", "x = a % (b)", []],
    ["ruby", "c = ?a", ["?a"]],
    ["ruby", "x.valid? ? 1 : 2", []],
    ["ruby", "list << item", []],
    ["ruby", "x = <<~EOS\nnever ends", ["never ends"]],
    // Elixir: sigils and heredocs.
    ["elixir", 'Regex.match?(~r/a"b/, s)', ['~r/a"b/']],
    ["elixir", 'doc = """\nline "q"\n"""', ['"""\nline "q"\n"""']],
  ])("%s: %j has strings %j", (syntax, source, strings) => {
    expect(classified(syntax, source).strings).toEqual(strings);
  });
});

describe("lex: code", () => {
  it.each<[SyntaxName, string, string]>([
    // Comments are blanked with their line breaks kept, so offsets and line numbers hold.
    ["javascript", "a /* x\ny */ b", "a     \n     b"],
    // String contents are blanked and their delimiters kept.
    ["javascript", 'x = "secret"', 'x = "      "'],
    // Interpolated code stays, because it runs.
    ["javascript", `\`a \${b} c\``, `\`  \${b}  \``],
    ["kotlin", `val s = "Hi \${name.trim()}!"`, `val s = "   \${name.trim()} "`],
    ["csharp", 'var s = $"{a} and {b}";', 'var s = $"{a}     {b}";'],
    ["swift", String.raw`let s = "sum: \(a + b)"`, String.raw`let s = "     \(a + b)"`],
    ["ruby", 'puts "n=#{n + 1}"', 'puts "  #{n + 1}"'],
    // Single quotes in Ruby do not interpolate.
    ["ruby", "puts '#{x}'", "puts '    '"],
    // Heredoc bodies are blanked up to their closing label.
    [
      "ruby",
      'text = <<~EOS\n  Hello "x"\n  EOS\nputs text',
      `text = <<~EOS\n${" ".repeat(11)}\n  EOS\nputs text`,
    ],
    ["php", '$s = <<<EOT\nHello "x"\nEOT;\necho $s;', "$s = <<<EOT\n         \nEOT;\necho $s;"],
    ["php", "$s = <<<'EOT'\nraw $x\nEOT;", "$s = <<<'EOT'\n      \nEOT;"],
  ])("%s: %j reads as %j", (syntax, source, code) => {
    expect(codeOf(syntax, source)).toBe(code);
  });

  it("keeps the source it was given", () => {
    expect(lex("a // b", SYNTAXES.go).source).toBe("a // b");
  });
});

describe("lineStarts and lineAt", () => {
  it.each<[string, number[]]>([
    ["", [0]],
    ["one line", [0]],
    ["a\nbc\n", [0, 2, 5]],
    ["\n\n", [0, 1, 2]],
  ])("lines of %j start at %j", (text, starts) => {
    expect(lineStarts(text)).toEqual(starts);
  });

  it.each([
    [0, 1],
    [1, 1],
    [2, 2],
    [4, 2],
    [5, 3],
    [100, 3],
  ])("offset %p of 'a\\nbc\\n' is on line %p", (offset, line) => {
    expect(lineAt(lineStarts("a\nbc\n"), offset)).toBe(line);
  });
});
