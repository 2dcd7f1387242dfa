/**
 * Finds the constructs that skip, disable, focus or expect the failure of tests in one source file, read as
 * code: each language's lexer tells code from comments and strings, markers are matched on the whole file
 * (so a decorator or call split across lines is one construct), import aliases and `*testing.T` names are
 * resolved, constant conditions are evaluated, and a local helper that skips makes every call to it a skip.
 * Pure; shared by the test-skip rule, the skip inventory and the deleted-tests rule.
 */
import { type Lexed, lex, lineAt, lineStarts, SYNTAXES, type SyntaxName } from "./code-lexer.js";

export type SkipEffect = "skip" | "focus" | "todo" | "xfail";

export interface DetectedSkip {
  /** First and last line (1-based) of the construct. */
  line: number;
  endLine: number;
  /** How the construct is named in a finding, such as `it.skip` or `@pytest.mark.skipif`. */
  label: string;
  effect: SkipEffect;
  /** True when it skips only under a condition read at run time (`skipIf(os == …)`, `assumeTrue(x)`). */
  conditional: boolean;
  /** The local helper through which the skip happens, when it does. */
  via?: string;
  /** The skipped test's name, when it can be read. */
  testName?: string;
  /** Text of the comments on the construct's lines and of the comment lines just above it. */
  comments: string[];
}

export interface Language {
  name: string;
  syntax: SyntaxName;
  /** File name endings. */
  extensions: readonly string[];
}

const LANGUAGES: readonly Language[] = [
  {
    name: "JavaScript/TypeScript",
    syntax: "javascript",
    extensions: [".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"],
  },
  { name: "Python", syntax: "python", extensions: [".py"] },
  { name: "Go", syntax: "go", extensions: [".go"] },
  { name: "Java", syntax: "java", extensions: [".java"] },
  { name: "Kotlin", syntax: "kotlin", extensions: [".kt", ".kts"] },
  { name: "Ruby", syntax: "ruby", extensions: [".rb"] },
  { name: "Rust", syntax: "rust", extensions: [".rs"] },
  { name: "C#", syntax: "csharp", extensions: [".cs"] },
  { name: "PHP", syntax: "php", extensions: [".php"] },
  { name: "Swift", syntax: "swift", extensions: [".swift"] },
  { name: "Elixir", syntax: "elixir", extensions: [".ex", ".exs"] },
];

/** Where test suites keep their tests, by the conventions of the supported languages' runners. */
export const DEFAULT_TEST_PATHS = [
  "**/*.test.*",
  "**/*.spec.*",
  "**/*_test.*",
  "**/*_spec.rb",
  "**/test_*.py",
  "**/tests/**",
  "**/test/**",
  "**/__tests__/**",
  "**/spec/**",
  "**/*Test.{java,kt,cs,php,swift}",
  "**/*Tests.{java,kt,cs,swift}",
];

export function languageOf(path: string): Language | undefined {
  return LANGUAGES.find((language) => language.extensions.some((ext) => path.endsWith(ext)));
}

/** Code with its offsets in the source, after identifiers are normalized as the language's compiler does. */
interface CodeView {
  text: string;
  /** Source offset of each character of `text`. */
  origin: (index: number) => number;
}

interface Marker {
  /** Matched on the code view; must be global. */
  re: RegExp;
  effect: SkipEffect | ((m: RegExpExecArray) => SkipEffect);
  label: (m: RegExpExecArray) => string;
  /**
   * The construct reads a condition from the arguments that follow the match: it skips when the condition
   * equals `skipsWhen`. A constant condition makes it unconditional, or no skip at all.
   */
  condition?: { skipsWhen: boolean } | "runtime";
  /** For JavaScript `.skip(…)`: the first argument decides whether this is a conditional (Playwright) skip. */
  jsArguments?: boolean;
  /** Matched on the source instead of the code, with its start in code (`it["skip"]`). */
  onSource?: boolean;
  /**
   * Where the skipped test's name is: the first string argument (`argument`; within the match when there
   * is one there), the first string argument after the match (`after`: the match holds a string that is
   * not the name, as the key in `it["skip"]`), the next definition, or the enclosing one.
   */
  names?: "argument" | "after" | "next" | "enclosing";
  /**
   * Whether a match counts, for a name matched as any word and looked up in a set: an alternation of many
   * names would be tried at every position of the file.
   */
  keep?: (m: RegExpExecArray) => boolean;
}

interface Detector {
  markers(view: CodeView, lexed: Lexed, path: string, partial: boolean): Marker[];
  /** Regular expression for a definition whose body can hold a skip; group 1 is the name. */
  definitions?: RegExp;
  /**
   * A definition of group 2 is an assignment, `= …` or `: Type = …` after the match, read by hand: a
   * pattern scanning for the `=` after each `:` would rescan a long line from every declaration on it.
   */
  typedAssignments?: boolean;
  /** How a definition's body is delimited. */
  body?: "braces" | "indent";
  /** Names of tests: a declaration whose group 1 (a string or identifier) names the test. */
  tests: RegExp;
  /** Test cases, for counting them (`tests` when absent): suites and helpers excluded. */
  cases?: RegExp;
  /** Calls to helpers may omit parentheses (Ruby). */
  bareCalls?: boolean;
}

const RX = (source: string, flags = "gmu") => new RegExp(source, flags);

/** A marker built from a regular expression source, labelled by its match without trailing `(` and spaces. */
function marker(source: string, effect: Marker["effect"], extra: Partial<Marker> = {}): Marker {
  return {
    re: RX(source),
    effect,
    label: (m) =>
      m[0]
        .replace(/\s*([.[\]():,>])\s*/g, "$1")
        .replace(/\s+/g, " ")
        .replace(/\($/, ""),
    names: "enclosing",
    ...extra,
  };
}

const JS_BASES = "it|test|describe|suite|context|specify|bench|Deno\\s*\\.\\s*test";
const JS_CHAIN =
  "describe|concurrent|sequential|serial|parallel|each|skip|only|todo|fails|failing|fixme|fail";
const JS_EFFECTS: Record<string, SkipEffect> = {
  skip: "skip",
  fixme: "skip",
  only: "focus",
  todo: "todo",
  fails: "xfail",
  failing: "xfail",
  fail: "xfail",
};

const javascript: Detector = {
  markers: () => [
    ...Object.entries(JS_EFFECTS).map(([word, effect]) =>
      marker(
        `(?<![\\w$.])(?:${JS_BASES})(?:\\s*\\.\\s*(?:${JS_CHAIN}))*?\\s*\\.\\s*${word}\\b(?!\\s*=(?!=))(?:\\s*\\()?`,
        effect,
        { jsArguments: true, names: "argument" },
      ),
    ),
    marker(`(?<![\\w$.])(?:${JS_BASES})(?:\\s*\\.\\s*(?:${JS_CHAIN}))*\\s*\\.\\s*skipIf\\s*\\(`, "skip", {
      condition: { skipsWhen: true },
      names: "argument",
    }),
    marker(`(?<![\\w$.])(?:${JS_BASES})(?:\\s*\\.\\s*(?:${JS_CHAIN}))*\\s*\\.\\s*runIf\\s*\\(`, "skip", {
      condition: { skipsWhen: false },
      names: "argument",
    }),
    marker("(?<![\\w$.])x(?:it|test|describe|context|specify|suite)\\s*\\(", "skip", { names: "argument" }),
    marker("(?<![\\w$.])f(?:it|describe|context)\\s*\\(", "focus", { names: "argument" }),
    marker("(?<![\\w$.])this\\s*\\.\\s*skip\\s*\\(", "skip"),
    marker("(?<![\\w$.])(?:t|ctx|context|testContext)\\s*\\.\\s*skip\\s*\\(", "skip", { jsArguments: true }),
    marker("(?<![\\w$.])(?:t|ctx|context|testContext)\\s*\\.\\s*todo\\s*\\(", "todo"),
    marker("(?<![\\w$.:])pending\\s*\\(", "skip"),
    // node:test and Deno options: test("x", { skip: true }, fn), { todo: "…" }, { only: true }
    {
      re: RX(
        `(?<![\\w$.])(?:${JS_BASES})\\s*\\(\\s*(?:(?:"[^"\\n]*"|'[^'\\n]*'|\`[^\`]*\`|[\\w$.]+)\\s*,\\s*)?\\{[^{}]*?\\b(skip|todo|only|ignore)\\s*:(?!\\s*(?:false|0|undefined|null)\\b)`,
      ),
      effect: "skip",
      label: (m) => `{ ${m[1]}: … }`,
      names: "argument",
    },
    // Computed access: it["skip"](…), test['only'](…), test["todo"](…)
    {
      re: RX(`(?<![\\w$.])(?:${JS_BASES})\\s*\\[\\s*(["'\`])(skip|only|todo)\\1\\s*\\]`),
      effect: (m) => (m[2] === "only" ? "focus" : m[2] === "todo" ? "todo" : "skip"),
      label: (m) => m[0].replace(/\s+/g, ""),
      onSource: true,
      names: "after",
    },
  ],
  definitions: /(?<![\w$.])(?:function\s*\*?\s*([\w$]+)\s*\(|(?:const|let|var)\s+([\w$]+)\s*(?=[:=]))/gu,
  typedAssignments: true,
  body: "braces",
  // A name just after a dot (`it.\nit.\nit…`) does not start a match: the chain from its head already
  // covers it, and rescanning the chain from every name takes quadratic time. The lookahead comes first so
  // the lookbehind is not tried inside runs of spaces.
  tests: /(?=[dist])(?<![\w$.]|\.\s*)(?:it|test|specify|describe)(?:\s*\.\s*\w+)*\s*\(\s*["'`]/gu,
  cases:
    /(?=[xfist])(?<![\w$.]|\.\s*)(?:x|f)?(?:it|test|specify)(?:\s*\.\s*\w+)*\s*\(\s*["'`]|(?<![\w$.])(?:it|test)\s*\.\s*each\b/gu,
};

/** Names under which a module, or names imported from it, are visible in a Python file. */
function pythonImports(code: string, partial: boolean) {
  const pytest = new Set(["pytest"]);
  const mark = new Set<string>();
  const unittest = new Set(["unittest"]);
  const fromPytest = new Map<string, string>(); // local name -> pytest function
  const fromUnittest = new Map<string, string>();
  for (const m of code.matchAll(/^[ \t]*import[ \t]+([^\n]+)/gmu)) {
    for (const part of (m[1] ?? "").split(",")) {
      const alias = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/u.exec(part);
      if (!alias?.[1]) continue;
      const local = alias[2] ?? alias[1];
      if (alias[1] === "pytest") pytest.add(local);
      if (alias[1] === "unittest") unittest.add(local);
    }
  }
  for (const m of code.matchAll(
    /^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([^)\n]+(?:\n[^)\n]*)*?)\)?[ \t]*$/gmu,
  )) {
    const module = m[1] ?? "";
    for (const part of (m[2] ?? "").split(",")) {
      const alias = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/u.exec(part);
      if (!alias?.[1]) continue;
      const local = alias[2] ?? alias[1];
      if (module === "pytest" && alias[1] === "mark") mark.add(local);
      else if (module === "pytest") fromPytest.set(local, alias[1]);
      else if (module === "unittest" || module === "unittest.case") fromUnittest.set(local, alias[1]);
    }
  }
  if (partial) {
    // A diff window rarely shows the imports: take the names test files conventionally import.
    mark.add("mark");
    for (const name of ["skip", "skipIf", "skipUnless", "expectedFailure", "SkipTest"]) {
      if (![...fromUnittest.values()].includes(name)) fromUnittest.set(name, name);
    }
  }
  return { pytest, mark, unittest, fromPytest, fromUnittest };
}

const python: Detector = {
  // Module names and imported names are matched as any word and looked up: an alternation of every alias,
  // or a pattern per imported name, would read the file once per name.
  markers: (view, _lexed, _path, partial) => {
    const imports = pythonImports(view.text, partial);
    const isPytest = (m: RegExpExecArray) => imports.pytest.has(m[1] ?? "");
    const isUnittest = (m: RegExpExecArray) => imports.unittest.has(m[1] ?? "");
    // `pytest.mark` (group 1 the module) or a name `mark` was imported as (group 2).
    const isMark = (m: RegExpExecArray) =>
      m[1] !== undefined ? imports.pytest.has(m[1]) : imports.mark.has(m[2] ?? "");
    const mark = "@?(?<![\\w.])(?:(\\w+)\\s*\\.\\s*mark|(\\w+))\\s*\\.\\s*";
    const markers: Marker[] = [
      marker(`${mark}skipif\\s*\\(`, "skip", {
        condition: { skipsWhen: true },
        names: "next",
        keep: isMark,
      }),
      marker(`${mark}skip\\b`, "skip", { names: "next", keep: isMark }),
      marker(`${mark}xfail\\b`, "xfail", { names: "next", keep: isMark }),
      marker("(?<![\\w.])(\\w+)\\s*\\.\\s*skip\\s*(?:\\.\\s*Exception\\s*)?\\(", "skip", { keep: isPytest }),
      marker("(?<![\\w.])(\\w+)\\s*\\.\\s*xfail\\s*\\(", "xfail", { keep: isPytest }),
      marker("(?<![\\w.])(\\w+)\\s*\\.\\s*importorskip\\s*\\(", "skip", {
        condition: "runtime",
        keep: isPytest,
      }),
      marker("@?(?<![\\w.])(\\w+)\\s*\\.\\s*skip\\b(?!If|Unless|Test)", "skip", {
        names: "next",
        keep: isUnittest,
      }),
      marker("@?(?<![\\w.])(\\w+)\\s*\\.\\s*skipIf\\s*\\(", "skip", {
        condition: { skipsWhen: true },
        names: "next",
        keep: isUnittest,
      }),
      marker("@?(?<![\\w.])(\\w+)\\s*\\.\\s*skipUnless\\s*\\(", "skip", {
        condition: { skipsWhen: false },
        names: "next",
        keep: isUnittest,
      }),
      marker("@?(?<![\\w.])(\\w+)\\s*\\.\\s*expectedFailure\\b", "xfail", {
        names: "next",
        keep: isUnittest,
      }),
      marker("(?<![\\w.])self\\s*\\.\\s*skipTest\\s*\\(", "skip"),
      marker("(?<![\\w.])raise\\s+(?:(\\w+)\\s*\\.\\s*(?:case\\s*\\.\\s*)?)?SkipTest\\b", "skip", {
        keep: (m) => m[1] === undefined || isUnittest(m),
      }),
    ];
    const pytestFunctions: Record<string, Pick<Marker, "effect" | "condition">> = {
      skip: { effect: "skip" },
      xfail: { effect: "xfail" },
      importorskip: { effect: "skip", condition: "runtime" },
    };
    for (const [name, found] of Object.entries(pytestFunctions)) {
      if (![...imports.fromPytest.values()].includes(name)) continue;
      markers.push(
        marker("(?<![\\w.])(\\w+)\\s*\\(", found.effect, {
          ...found,
          keep: (m) => imports.fromPytest.get(m[1] ?? "") === name,
        }),
      );
    }
    const unittestDecorators: Record<string, Pick<Marker, "effect" | "condition">> = {
      skip: { effect: "skip" },
      skipIf: { effect: "skip", condition: { skipsWhen: true } },
      skipUnless: { effect: "skip", condition: { skipsWhen: false } },
      expectedFailure: { effect: "xfail" },
      SkipTest: { effect: "skip" },
    };
    for (const [name, found] of Object.entries(unittestDecorators)) {
      if (![...imports.fromUnittest.values()].includes(name)) continue;
      const call = found.condition ? "\\s*\\(" : "\\b";
      const re = name === "SkipTest" ? "(?<![\\w.])raise\\s+(\\w+)\\b" : `@(?<![\\w.])(\\w+)${call}`;
      markers.push(
        marker(re, found.effect, {
          ...found,
          names: name === "SkipTest" ? "enclosing" : "next",
          keep: (m) => imports.fromUnittest.get(m[1] ?? "") === name,
        }),
      );
    }
    return markers;
  },
  definitions: /^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(|^[ \t]*(\w+)[ \t]*=(?!=)/gmu,
  body: "indent",
  tests: /^[ \t]*(?:async[ \t]+)?def[ \t]+(test\w*)/gmu,
};

/** Identifiers of type `*testing.T`, `*testing.B`, `*testing.F` or `testing.TB` in a Go file. */
function goTestingNames(code: string, path: string): Set<string> {
  const packages = new Set(["testing"]);
  for (const m of code.matchAll(/(?:^|[\s(;])(\w+)\s+"testing"/gu)) if (m[1]) packages.add(m[1]);
  const found = new Set<string>(path.endsWith("_test.go") ? ["t", "b", "f", "tb"] : []);
  // `a, b *testing.T`: the last name is matched, the names listed before it are read backwards by hand; a
  // pattern repeating `\w+\s*,\s*` restarts at every name of a long list and takes quadratic time.
  // The package is matched as any word and looked up: an alternation of every alias would be tried at
  // every position.
  const typed = /(?<!\w)(\w+)\s+(?:\*\s*)?(\w+)\s*\.\s*(?:T|B|F|TB)\b/gu;
  let listedFrom = 0;
  for (let m = typed.exec(code); m; m = typed.exec(code)) {
    if (!packages.has(m[2] ?? "")) {
      typed.lastIndex = m.index + 1;
      continue;
    }
    const listed = [m[1] ?? ""];
    for (let previous = listedBefore(code, m.index, listedFrom); previous; ) {
      listed.unshift(previous.name);
      previous = listedBefore(code, previous.at, listedFrom);
    }
    for (const name of listed) if (name !== "var") found.add(name);
    listedFrom = m.index + m[0].length;
  }
  // x := t, x = tb: an alias of a known name is one too, followed in one pass over the assignments.
  const aliases = new Map<string, string[]>();
  for (const m of code.matchAll(/(?<![\w.])(\w+)\s*:?=\s*(\w+)\s*(?:$|;|\n)/gmu)) {
    if (!m[1] || !m[2]) continue;
    const known = aliases.get(m[2]);
    if (known) known.push(m[1]);
    else aliases.set(m[2], [m[1]]);
  }
  const pending = [...found];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const alias of aliases.get(name) ?? []) {
      if (found.has(alias)) continue;
      found.add(alias);
      pending.push(alias);
    }
  }
  return found;
}

const isSpace = (char: string) => /\s/u.test(char);
const isWordChar = (char: string) => /\w/u.test(char);

/** The name listed just before `at` (`a, ` before `b *testing.T`), not reading before `from`. */
function listedBefore(code: string, at: number, from: number): { name: string; at: number } | undefined {
  let i = at;
  while (i > from && isSpace(code.charAt(i - 1))) i -= 1;
  if (i <= from || code.charAt(i - 1) !== ",") return undefined;
  i -= 1;
  while (i > from && isSpace(code.charAt(i - 1))) i -= 1;
  const end = i;
  while (i > from && isWordChar(code.charAt(i - 1))) i -= 1;
  if (i === end || (i > 0 && isWordChar(code.charAt(i - 1)))) return undefined;
  return { name: code.slice(i, end), at: i };
}

const go: Detector = {
  markers: (view, _lexed, path) => {
    const receivers = goTestingNames(view.text, path);
    const markers = [
      marker("(?<![\\w])(?:\\w+\\s*\\.\\s*)?T\\s*\\(\\s*\\)\\s*\\.\\s*(?:Skip|Skipf|SkipNow)\\s*\\(", "skip"),
    ];
    if (receivers.size > 0) {
      markers.push(
        marker("(?<![\\w.])(\\w+)\\s*\\.\\s*(?:Skip|Skipf|SkipNow)\\s*\\(", "skip", {
          keep: (m) => receivers.has(m[1] ?? ""),
        }),
      );
    }
    return markers;
  },
  // A receiver holds no parenthesis: `[^()]` ends at the next one instead of rescanning to the file's end.
  definitions: /(?<![\w.])func\s+(?:\([^()]*\)\s*)?(\w+)\s*(?:\[[^\]]*\])?\s*\(/gu,
  body: "braces",
  tests: /(?<![\w.])func\s+((?:Test|Benchmark|Fuzz)\w*)\s*\(/gu,
};

/** JUnit assumption functions imported statically (Java) or by name (Kotlin), so callable without a class. */
function jvmStaticAssumptions(code: string): string[] {
  const all = ["assumeTrue", "assumeFalse", "assumeThat", "assumeNotNull", "assumeNoException", "abort"];
  const found = new Set<string>();
  for (const m of code.matchAll(
    /\bimport\s+(?:static\s+)?org\s*\.\s*junit\s*\.\s*(?:jupiter\s*\.\s*api\s*\.\s*Assumptions|Assume)\s*\.\s*(\*|\w+)/gu,
  )) {
    if (m[1] === "*") for (const name of all) found.add(name);
    else if (m[1] && all.includes(m[1])) found.add(m[1]);
  }
  return [...found];
}

function assumptionMarkers(prefix: string): Marker[] {
  return [
    marker(`${prefix}assumeTrue\\s*\\(`, "skip", { condition: { skipsWhen: false } }),
    marker(`${prefix}assumeFalse\\s*\\(`, "skip", { condition: { skipsWhen: true } }),
    marker(`${prefix}(?:assumeThat|assumeNotNull|assumeNoException)\\s*\\(`, "skip", {
      condition: "runtime",
    }),
    marker(`${prefix}abort\\s*\\(`, "skip"),
  ];
}

/**
 * A character of a JVM test's name (up to a `(`, backtick or line break), not the start of the next `fun` or
 * `void` (a name in backticks may hold them); the name starts after the spaces and is read whole (a lookahead
 * and its backreference): a name that gives back characters, or a scan from every keyword of a long line to
 * its end, takes quadratic time.
 */
const JVM_NAME_CHAR = "(?!(?<![\\w.])(?:fun|void)\\s)[^`(\\n]";
const JVM_NAME_START = "(?!(?<![\\w.])(?:fun|void)\\s)[^`(\\s]";

const jvm: Detector = {
  markers: (view) => {
    const imported = jvmStaticAssumptions(view.text);
    return [
      marker("@(?:[\\w.]*\\.)?(?:Ignore|Disabled)\\b(?![\\w.])", "skip", { names: "next" }),
      marker("@(?:[\\w.]*\\.)?(?:Disabled|Enabled)(?:If|On|For|In)\\w*\\b", "skip", {
        condition: "runtime",
        names: "next",
      }),
      {
        ...marker("@(?:[\\w.]*\\.)?Test\\s*\\((?:[^()]|\\([^()]*\\))*?\\benabled\\s*=\\s*false\\b", "skip"),
        label: () => "@Test(enabled = false)",
        names: "next",
      },
      marker("\\bthrow\\s+(?:new\\s+)?(?:[\\w.]*\\.)?SkipException\\s*\\(", "skip"),
      // Kotest: xtest, xcontext, xshould… and .config(enabled = false)
      marker(
        "(?<![\\w.])x(?:test|context|describe|it|should|feature|scenario|expect|given|when|then)\\s*\\(",
        "skip",
        {
          names: "argument",
        },
      ),
      {
        ...marker("\\.\\s*config\\s*\\((?:[^()]|\\([^()]*\\))*?\\benabled\\s*=\\s*false\\b", "skip"),
        label: () => ".config(enabled = false)",
      },
      // Starts only where a dotted name starts: from every dot of `a.a.a…` the prefix would rescan the rest.
      ...assumptionMarkers("(?<![\\w.])(?:[\\w.]*\\.)?(?:Assumptions|Assume)\\s*\\.\\s*"),
      ...(imported.length > 0
        ? assumptionMarkers("(?<![\\w.])").filter((m) => imported.some((name) => m.re.source.includes(name)))
        : []),
    ];
  },
  definitions:
    /(?<![\w.])(?:fun\s+(?:<[^<>]*>\s*)?(\w+)\s*\(|(?:void|boolean|int|String|Unit|static|private|protected|public)\s+(\w+)\s*\()/gu,
  body: "braces",
  tests: RX(
    `(?<![\\w.])(?:fun|void)\\s+(?:\`(?=([^\`(\\n]+))\\1\`|\`?(?:(?=(${JVM_NAME_START}(?:${JVM_NAME_CHAR})*))\\2|(?=\\()|(?<=\`)\\s*(?=\\())\`?)\\s*\\(`,
    "gu",
  ),
  cases:
    /@(?:[\w.]*\.)?(?:Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\b(?:\s*\([^()]*\))?\s*(?:@\w+(?:\([^()]*\))?\s*)*(?:(?:public|private|protected|internal|open|suspend|fun|void)\s+)*(?:`([^`\n]+)`|(\w+))\s*\(/gu,
};

/** RSpec's `pending` runs the example and expects it to fail; `focus` runs only the focused ones. */
const RUBY_EFFECT = (m: RegExpExecArray): SkipEffect =>
  m[1] === "pending" ? "xfail" : m[1] === "focus" ? "focus" : "skip";

const ruby: Detector = {
  markers: () => [
    marker("^[ \\t]*(skip|pending)\\b(?![?!:]|\\s*[=.]|\\s*\\))", RUBY_EFFECT, { label: (m) => m[1] ?? "" }),
    marker("[{;][ \\t]*(skip|pending)\\b(?![?!:]|\\s*[=.])", RUBY_EFFECT, { label: (m) => m[1] ?? "" }),
    marker(
      "(?<![\\w.:@$])x(?:it|describe|context|specify|example|scenario|feature)(?![\\w?!:=])(?=\\s*[('\"]|\\s+\\w|\\s*$| do)",
      "skip",
      { names: "argument" },
    ),
    marker(
      "(?<![\\w.:@$])f(?:it|describe|context|specify|example|scenario|feature)(?![\\w?!:=])(?=\\s*[('\"]|\\s+\\w)",
      "focus",
      { names: "argument" },
    ),
    marker("^[ \\t]*focus[ \\t]*$", "focus", { label: () => "focus" }),
    {
      ...marker("(?<![\\w:])(skip|pending|focus):\\s*(?:true\\b|[\"':])", RUBY_EFFECT, { names: "argument" }),
      label: (m) => `${m[1]}: metadata`,
    },
    {
      ...marker(",\\s*:(skip|pending|focus)\\b", RUBY_EFFECT, { names: "argument" }),
      label: (m) => `:${m[1]} metadata`,
    },
  ],
  definitions: /^[ \t]*def[ \t]+(?:self\.)?(\w+[?!]?)/gmu,
  body: "indent",
  bareCalls: true,
  tests: /(?<![\w.])(?:it|specify|example|scenario|test)\s*(?:\(\s*)?["']|^[ \t]*def[ \t]+(test_\w+)/gmu,
};

const rust: Detector = {
  markers: () => [
    { ...marker("#\\s*\\[\\s*ignore\\b", "skip", { names: "next" }), label: () => "#[ignore]" },
    {
      ...marker("#\\s*\\[\\s*cfg_attr\\s*\\((?:[^()\\]]|\\([^()]*\\))*?\\bignore\\b", "skip", {
        condition: "runtime",
        names: "next",
      }),
      label: () => "#[cfg_attr(…, ignore)]",
    },
  ],
  tests: /(?<![\w.])fn\s+(\w+)/gu,
  // Matched from the function, its attributes read backwards: matched from each attribute, the run of
  // attributes after it would be read again from every one of them.
  cases:
    /(?=(?:pub|async|fn)\b)(?<=#\s*\[\s*(?:\w+\s*::\s*)?test\b[^\]]*\]\s*(?:#\s*\[[^\]]*\]\s*)*)(?:pub\s+)?(?:async\s+)?fn\s+(\w+)/gu,
};

const csharp: Detector = {
  markers: () => [
    {
      ...marker(
        // The lookahead first, so that the lookbehind is not tried at every character of a long space run.
        "(?=[NIE])(?<=[\\[,]\\s*)(?:NUnit\\s*\\.\\s*Framework\\s*\\.\\s*)?(Ignore|Explicit)(?:Attribute)?\\s*(?=[(\\],])",
        "skip",
        {
          names: "next",
        },
      ),
      label: (m) => `[${m[1]}]`,
    },
    {
      ...marker(
        "\\b(Fact|Theory|SkippableFact|SkippableTheory|TestMethod|Test|TestCase)(?:Attribute)?\\s*\\((?:[^()]|\\([^()]*\\))*?\\bSkip\\s*=",
        "skip",
        { names: "next" },
      ),
      label: (m) => `[${m[1]}(Skip = …)]`,
    },
    marker("(?<![\\w.])Assert\\s*\\.\\s*(?:Ignore|Inconclusive|Skip)\\s*\\(", "skip"),
    marker("(?<![\\w.])Assert\\s*\\.\\s*SkipWhen\\s*\\(", "skip", { condition: { skipsWhen: true } }),
    marker("(?<![\\w.])Assert\\s*\\.\\s*SkipUnless\\s*\\(", "skip", { condition: { skipsWhen: false } }),
    marker("(?<![\\w.])Skip\\s*\\.\\s*If\\s*\\(", "skip", { condition: { skipsWhen: true } }),
    marker("(?<![\\w.])Skip\\s*\\.\\s*IfNot\\s*\\(", "skip", { condition: { skipsWhen: false } }),
    marker("(?<![\\w.])Assume\\s*\\.\\s*That\\s*\\(", "skip", { condition: "runtime" }),
  ],
  definitions:
    /(?<![\w.])(?:void|Task|bool|static|private|protected|public|internal)\s+(?:async\s+)?(?:void\s+|Task\s+)?(\w+)\s*\(/gu,
  body: "braces",
  tests: /(?<![\w.])(?:void|Task)\s+(\w+)\s*\(/gu,
  // Matched from the method, its attributes read backwards, as for Rust.
  cases:
    /(?=(?:public|async|void|Task)\b)(?<=\[\s*(?:Test|Fact|Theory|TestMethod|TestCase|SkippableFact)\b[^\]]*\]\s*(?:\[[^\]]*\]\s*)*)(?:public\s+)?(?:async\s+)?(?:void|Task)\s+(\w+)\s*\(/gu,
};

const php: Detector = {
  markers: () => [
    marker("(?:\\$this\\s*->|(?<!\\w)(?:self|static|parent|\\w+)\\s*::)\\s*markTestSkipped\\s*\\(", "skip"),
    marker(
      "(?:\\$this\\s*->|(?<!\\w)(?:self|static|parent|\\w+)\\s*::)\\s*markTestIncomplete\\s*\\(",
      "todo",
    ),
    // Pest: test(…)->skip(), ->todo(); not a collection's ->skip($n)
    marker("\\)\\s*->\\s*skip\\s*\\(\\s*(?=\\)|['\"]|true\\b)", "skip"),
    marker("\\)\\s*->\\s*todo\\s*\\(", "todo"),
  ],
  definitions: /(?<![\w$])function\s+(\w+)\s*\(/gu,
  body: "braces",
  tests: /(?<![\w$])function\s+(test\w*)\s*\(|(?<![\w$>])(?:it|test)\s*\(\s*['"]/gu,
};

const swift: Detector = {
  markers: () => [
    marker("(?<![\\w.])throw\\s+XCTSkip\\s*\\(", "skip"),
    marker("(?<![\\w.])XCTSkipIf\\s*\\(", "skip", { condition: { skipsWhen: true } }),
    marker("(?<![\\w.])XCTSkipUnless\\s*\\(", "skip", { condition: { skipsWhen: false } }),
    marker("(?<![\\w.])(?:XCTExpectFailure|withKnownIssue)\\s*[({]", "xfail"),
    {
      ...marker(
        "@(?:Test|Suite)\\s*\\((?:[^()]|\\((?:[^()]|\\([^()]*\\))*\\))*?\\.disabled\\s*\\(\\s*if\\s*:",
        "skip",
        {
          condition: { skipsWhen: true },
          names: "next",
        },
      ),
      label: () => ".disabled(if:)",
    },
    {
      ...marker(
        "@(?:Test|Suite)\\s*\\((?:[^()]|\\((?:[^()]|\\([^()]*\\))*\\))*?\\.enabled\\s*\\(\\s*if\\s*:",
        "skip",
        {
          condition: { skipsWhen: false },
          names: "next",
        },
      ),
      label: () => ".enabled(if:)",
    },
    {
      ...marker(
        "@(?:Test|Suite)\\s*\\((?:[^()]|\\((?:[^()]|\\([^()]*\\))*\\))*?\\.disabled\\b(?!\\s*\\(\\s*if\\b)",
        "skip",
        {
          names: "next",
        },
      ),
      label: () => ".disabled",
    },
  ],
  definitions: /(?<![\w.])func\s+(\w+)\s*\(/gu,
  body: "braces",
  tests: /(?<![\w.])func\s+(test\w*)\s*\(|@Test\b[\s\S]{0,400}?func\s+(\w+)/gu,
  cases: /(?<![\w.])func\s+(test\w*)\s*\(|@Test\b(?:\s*\((?:[^()]|\([^()]*\))*\))?\s*func\s+(\w+)/gu,
};

const elixir: Detector = {
  markers: () => [
    {
      ...marker(
        // A list ends at its `]` or at the next `[`, so a scan from every `@tag [` stops at the next one.
        "@(?:tag|moduletag|describetag)\\s*(?:\\(\\s*)?(?::skip\\b|skip:|\\[[^[\\]]*?(?::skip\\b|skip:))",
        "skip",
        {
          names: "next",
        },
      ),
      label: (m) => `@${/@(\w+)/.exec(m[0])?.[1] ?? "tag"} :skip`,
    },
  ],
  tests: /(?<![\w.])test\s+"/gu,
};

const DETECTORS: Record<SyntaxName, Detector> = {
  javascript,
  python,
  go,
  java: jvm,
  kotlin: jvm,
  ruby,
  rust,
  csharp,
  php,
  swift,
  elixir,
};

/**
 * The code a compiler sees: Unicode escapes in JavaScript, Java, Kotlin and C# identifiers decoded
 * (`it.\u0073kip` is `it.skip`), Python identifiers NFKC-normalized (`ｓkip` is `skip`).
 */
function codeView(code: string, syntax: SyntaxName): CodeView {
  const escapes = syntax === "javascript" || syntax === "java" || syntax === "kotlin" || syntax === "csharp";
  const nfkc = syntax === "python";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test is for any character beyond ASCII
  if (!(escapes && code.includes("\\u")) && !(nfkc && /[^\x00-\x7f]/.test(code))) {
    return { text: code, origin: (i) => i };
  }
  const chars: string[] = [];
  const origin: number[] = [];
  const unicodeEscape = /\\u+(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4}))/y;
  for (let i = 0; i < code.length; ) {
    if (escapes && code.charAt(i) === "\\") {
      unicodeEscape.lastIndex = i;
      const m = unicodeEscape.exec(code);
      if (m) {
        chars.push(String.fromCodePoint(Number.parseInt(m[1] ?? m[2] ?? "0", 16)));
        origin.push(i);
        i += m[0].length;
        continue;
      }
    }
    const point = code.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(point);
    const normal = nfkc && point > 0x7f ? char.normalize("NFKC") : char;
    for (const c of normal) {
      chars.push(c);
      origin.push(i);
    }
    i += char.length;
  }
  const text = chars.join("");
  return { text, origin: (i) => origin[i] ?? code.length };
}

/** The text of a call's first argument, from just after its `(` (or `if:`) to a comma or `)` at depth 0. */
function firstArgument(text: string, from: number): string {
  let depth = 0;
  for (let i = from; i < text.length && i < from + 2000; i++) {
    const char = text.charAt(i);
    if (char === "(" || char === "[" || char === "{") depth += 1;
    else if (char === ")" || char === "]" || char === "}") {
      if (depth === 0) return text.slice(from, i);
      depth -= 1;
    } else if (char === "," && depth === 0) return text.slice(from, i);
  }
  return text.slice(from, from + 2000);
}

const TRUE = new Set(["true", "True", "1", "!false", "!0", "!!1", "!!true", "notFalse", "not0", "yes"]);
const FALSE = new Set([
  "false",
  "False",
  "0",
  "!true",
  "!1",
  "!!0",
  "!!false",
  "notTrue",
  "not1",
  "None",
  "nil",
  "null",
]);

/** The value of a condition that is a constant (`true`, `1 == 1`, `x or True`); undefined when read at run time. */
function constantCondition(argument: string): boolean | undefined {
  let text = argument.replace(/^\s*condition\s*=(?!=)/, "").replace(/\s+/g, "");
  while (/^\((.*)\)$/.test(text)) text = text.slice(1, -1);
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  const same = /^(\d+|true|false|True|False)(===?|!==?)(\d+|true|false|True|False)$/.exec(text);
  if (same) return (same[1] === same[3]) === (same[2]?.startsWith("=") ?? false);
  if (/(?:\|\||\bor)(?:true|True|1)$/.test(text) || /^(?:true|True|1)(?:\|\||or)/.test(text)) return true;
  if (/(?:&&|and)(?:false|False|0)$/.test(text) || /^(?:false|False|0)(?:&&|and)/.test(text)) return false;
  return undefined;
}

/** Whether a JavaScript `.skip(…)` with this first argument is a Playwright-style conditional skip. */
function jsConditional(argument: string): boolean | undefined {
  const text = argument.trim();
  const constant = constantCondition(text);
  if (constant !== undefined) return constant ? false : undefined;
  if (text === "" || /^["'`]/.test(text)) return false;
  return /=>|===?|!==?|<|>|&&|\|\||\bprocess\s*\.|\bbrowserName\b|\bisMobile\b/.test(text);
}

interface Raw {
  start: number;
  end: number;
  label: string;
  effect: SkipEffect;
  conditional: boolean;
  names: Marker["names"];
  nameFrom: number;
}

function applyMarkers(view: CodeView, lexed: Lexed, markers: Marker[]): Raw[] {
  const found: Raw[] = [];
  for (const m of markers) {
    const haystack = m.onSource ? lexed.source : view.text;
    m.re.lastIndex = 0;
    for (let match = m.re.exec(haystack); match; match = m.re.exec(haystack)) {
      if (match[0] === "") {
        m.re.lastIndex += 1;
        continue;
      }
      if (m.keep && !m.keep(match)) {
        // Another name may start inside the match: `a . mark.skip` where only `mark` is pytest's.
        m.re.lastIndex = match.index + 1;
        continue;
      }
      const start = m.onSource ? match.index : view.origin(match.index);
      if (m.onSource && lexed.code.charAt(start) !== lexed.source.charAt(start)) continue; // not in code
      const endIndex = match.index + match[0].length;
      let conditional = false;
      if (m.condition !== undefined && m.condition !== "runtime") {
        const value = constantCondition(firstArgument(view.text, endIndex));
        if (value !== undefined && value !== m.condition.skipsWhen) continue; // never skips
        conditional = value === undefined;
      } else if (m.condition === "runtime") {
        conditional = true;
      } else if (m.jsArguments && match[0].endsWith("(")) {
        const value = jsConditional(firstArgument(view.text, endIndex));
        if (value === undefined) continue;
        conditional = value;
      }
      found.push({
        start,
        end: m.onSource ? endIndex : view.origin(endIndex - 1) + 1,
        label: m.label(match),
        effect: typeof m.effect === "function" ? m.effect(match) : m.effect,
        conditional,
        names: m.names,
        nameFrom: m.onSource ? endIndex : view.origin(endIndex - 1) + 1,
      });
    }
  }
  // One construct per start offset; of overlapping ones keep the first and longest.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Raw[] = [];
  for (const raw of found) {
    const last = kept[kept.length - 1];
    if (last && raw.start < last.end) continue;
    kept.push(raw);
  }
  return kept;
}

interface Definition {
  name: string;
  /** Offset of the name in the source. */
  nameAt: number;
  bodyStart: number;
  bodyEnd: number;
}

/** Local definitions (functions, and names assigned an expression) with the extent of their bodies. */
function definitionsOf(code: string, detector: Detector): Definition[] {
  if (!detector.definitions) return [];
  const found: Definition[] = [];
  const re = new RegExp(detector.definitions.source, detector.definitions.flags);
  const assignmentAt = firstOf(code, "=\n");
  const bracedBodyEnd = bodyEnds(code);
  for (let m = re.exec(code); m; m = re.exec(code)) {
    let text = m[0];
    if (detector.typedAssignments && m[2] !== undefined) {
      // `: Type` runs up to the first `=` or line break; then comes `=`, not `==`.
      let at = m.index + text.length;
      if (code.charAt(at) === ":") {
        const end = assignmentAt(at + 1);
        at = end > at + 1 ? end : at;
      }
      if (code.charAt(at) !== "=" || code.charAt(at + 1) === "=") {
        re.lastIndex = m.index + 1;
        continue;
      }
      text = code.slice(m.index, at + 1);
      re.lastIndex = at + 1;
    }
    const groupIndex = m[1] !== undefined ? 1 : 2;
    const name = m[groupIndex];
    if (!name || /^(?:if|for|while|switch|catch|return|new|else|function)$/.test(name)) continue;
    const start = m.index + text.length - (text.endsWith("(") ? 1 : 0);
    const nameAt = m.index + text.indexOf(name);
    const end = detector.body === "indent" ? indentedBodyEnd(code, m.index) : bracedBodyEnd(start);
    found.push({ name, nameAt, bodyStart: start, bodyEnd: end });
  }
  return found;
}

/**
 * The first offset at or after a given one holding one of `chars` (or the text's end), for offsets asked in
 * increasing order: each part of the text is read once.
 */
function firstOf(text: string, chars: string): (from: number) => number {
  let checkedFrom = 0;
  let found = -1;
  return (from) => {
    if (from < checkedFrom || from > found) {
      found = from;
      while (found < text.length && !chars.includes(text.charAt(found))) found += 1;
      checkedFrom = from;
    }
    return found;
  };
}

const OPENERS = "{([";
const CLOSERS = "})]";

/**
 * The ends of braced bodies (or, for an expression, of the statement) in one file. Definitions nest and
 * follow each other within a statement, so scanning from each one would read the same text again and again:
 * brackets are paired once, a scan jumps over a bracketed group, and where a scan has already been (at the
 * top level, not yet inside braces, just after a character that is not a space) the same end is reused.
 */
function bodyEnds(code: string): (from: number) => number {
  // Any closer pairs with the innermost open bracket, whatever its kind: depth is counted, not matched.
  const closerOf = new Int32Array(code.length).fill(-1);
  const braces = new Int32Array(code.length + 1);
  const open: number[] = [];
  for (let i = 0; i < code.length; i++) {
    const char = code.charAt(i);
    braces[i + 1] = (braces[i] ?? 0) + (char === "{" ? 1 : 0);
    if (OPENERS.includes(char)) open.push(i);
    else if (CLOSERS.includes(char)) {
      const opener = open.pop();
      if (opener !== undefined) closerOf[opener] = i;
    }
  }
  const known = new Int32Array(code.length + 1).fill(-1);
  return (from) => {
    const seen: number[] = [];
    const end = (() => {
      let opened = false;
      // The last character before `i` that is not a space: a statement ending in an operator goes on.
      let last = "";
      for (let i = from; i < code.length; ) {
        if (!opened && i > from && (known[i] ?? -1) !== -1 && !/\s/u.test(code.charAt(i - 1))) {
          return known[i] ?? code.length;
        }
        if (!opened && i > from && !/\s/u.test(code.charAt(i - 1))) seen.push(i);
        const char = code.charAt(i);
        if (OPENERS.includes(char)) {
          const closer = closerOf[i] ?? -1;
          if (closer === -1) return code.length;
          if ((braces[closer + 1] ?? 0) - (braces[i] ?? 0) > 0) opened = true;
          if (opened && code.charAt(closer) === "}") return closer + 1;
          last = code.charAt(closer);
          i = closer + 1;
          continue;
        }
        if (CLOSERS.includes(char)) return i;
        if (char === ";" || (char === "\n" && !opened && !"=,(.?:&|+".includes(last || "\n"))) return i;
        if (!/\s/u.test(char)) last = char;
        i += 1;
      }
      return code.length;
    })();
    for (const at of seen) known[at] = end;
    return end;
  };
}

/** The end of a body made of the lines indented deeper than the line at `from` (Python, Ruby). */
function indentedBodyEnd(code: string, from: number): number {
  const lineStart = code.lastIndexOf("\n", from) + 1;
  const indent = /^[ \t]*/.exec(code.slice(lineStart))?.[0].length ?? 0;
  let next = code.indexOf("\n", from);
  while (next !== -1) {
    const line = code.slice(
      next + 1,
      code.indexOf("\n", next + 1) === -1 ? code.length : code.indexOf("\n", next + 1),
    );
    const lineIndent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    // Ruby's `end` closes the definition at its own indentation.
    if (line.trim() !== "" && lineIndent <= indent)
      return /^\s*end\b/.test(line) ? next + 1 + line.length : next;
    next = code.indexOf("\n", next + 1);
  }
  return code.length;
}

/** Calls to local helpers whose bodies skip, transitively, as constructs of their own. */
function helperCalls(code: string, detector: Detector, raws: Raw[], definitions: Definition[]): Raw[] {
  const helpers = new Map<string, Raw>();
  const inside = (d: Definition, at: number) => at >= d.bodyStart && at < d.bodyEnd;
  const calls: Raw[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of definitions) {
      if (helpers.has(d.name) || /^test/i.test(d.name)) continue;
      const skip = raws.find((r) => inside(d, r.start)) ?? calls.find((c) => inside(d, c.start));
      if (!skip) continue;
      helpers.set(d.name, skip);
      grew = true;
      const call = detector.bareCalls
        ? RX(`(?<![\\w$:])${d.name.replace(/[$?!]/g, "\\$&")}(?![\\w?!]|\\s*=[^=])`)
        : RX(`(?:@\\s*|(?<![\\w$]))${d.name.replace(/\$/g, "\\$")}\\b(?=\\s*[(.\\n]|\\s*$)`, "gmu");
      for (const m of code.matchAll(call)) {
        const at = m.index ?? 0;
        if (at === d.nameAt || inside(d, at) || calls.some((c) => c.start === at)) continue;
        if (definitions.some((other) => other.nameAt === at)) continue;
        calls.push({
          start: at,
          end: at + m[0].length,
          label: `${m[0].trim()} (calls ${skip.label})`,
          effect: skip.effect,
          conditional: skip.conditional,
          names: skip.names === "next" ? "next" : "enclosing",
          nameFrom: at + m[0].length,
        });
      }
    }
  }
  return calls.map((c) => {
    const name = /^@?\s*([\w$?!]+)/.exec(c.label)?.[1] ?? "";
    return { ...c, via: name } as Raw & { via: string };
  });
}

/** The skipped test's name: the first string argument, the next test definition, or the enclosing test. */
function testNameOf(
  lexed: Lexed,
  tests: readonly RegExpExecArray[],
  definitions: Definition[],
  raw: Raw,
): string | undefined {
  const { source, strings } = lexed;
  if (raw.names === "argument" || raw.names === "after") {
    const within = raw.names === "argument";
    const next = strings.find((s) => s.start >= (within ? raw.start : raw.end));
    if (
      next &&
      ((within && next.start < raw.end) || /^[\s(,]*$/.test(lexed.code.slice(raw.nameFrom, next.start)))
    ) {
      return source
        .slice(next.start, next.end)
        .replace(/^[\w$@~]*(["'`]+)/, "")
        .replace(/["'`]+$/, "");
    }
  }
  // The first test at or after the construct, found by bisection: a scan per construct is quadratic.
  let low = 0;
  let high = tests.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((tests[mid]?.index ?? 0) < raw.start) low = mid + 1;
    else high = mid;
  }
  if (raw.names === "next") {
    const next = tests[low];
    return next ? nameOfTest(next, lexed) : undefined;
  }
  const before = tests[low - 1];
  if (!before) return undefined;
  const test = before;
  // A skip inside a helper defined after the test belongs to the helper, not to the test.
  const helper = definitions.find(
    (d) =>
      d.nameAt >= test.index + test[0].length &&
      d.nameAt < raw.start &&
      raw.start < d.bodyEnd &&
      d.bodyEnd > d.bodyStart + 1,
  );
  return helper ? undefined : nameOfTest(test, lexed);
}

function nameOfTest(m: RegExpExecArray, lexed: Lexed): string | undefined {
  const group = m.slice(1).find((g) => g !== undefined);
  if (group) return group.trim();
  const at = (m.index ?? 0) + m[0].length - 1;
  const span = lexed.strings.find((s) => s.start === at);
  return span ? lexed.source.slice(span.start + 1, span.end - 1) : undefined;
}

/** The text of the comments on each line, built once per file. */
function commentsByLine(lexed: Lexed, starts: number[]): Map<number, string[]> {
  const byLine = new Map<number, string[]>();
  for (const c of lexed.comments) {
    const from = lineAt(starts, c.start);
    const to = lineAt(starts, Math.max(c.start, c.end - 1));
    const text = lexed.source.slice(c.start, c.end);
    for (let line = from; line <= to; line++) {
      const texts = byLine.get(line);
      if (texts) texts.push(text);
      else byLine.set(line, [text]);
    }
  }
  return byLine;
}

/** Comments on lines `first`…`last` and the run of comment-only lines just above `first`. */
function adjacentComments(
  lexed: Lexed,
  starts: number[],
  byLine: Map<number, string[]>,
  first: number,
  last: number,
): string[] {
  const texts = new Set<string>();
  for (let line = first; line <= last; line++) for (const t of byLine.get(line) ?? []) texts.add(t);
  for (let line = first - 1; line >= 1 && byLine.has(line) && onlyComment(lexed, starts, line); line--) {
    for (const t of byLine.get(line) ?? []) texts.add(t);
  }
  return [...texts];
}

function onlyComment(lexed: Lexed, starts: number[], line: number): boolean {
  const start = starts[line - 1] ?? 0;
  const end = starts[line] ?? lexed.code.length;
  return lexed.code.slice(start, end).trim() === "";
}

/** Every skip, focus, todo and expected failure in a file; undefined when the language is not supported. */
export function detectSkips(
  path: string,
  source: string,
  options: {
    /** The source is only the part of the file a diff shows (other lines blank), so imports may be unseen. */
    partial?: boolean;
  } = {},
): DetectedSkip[] | undefined {
  const language = languageOf(path);
  if (!language) return undefined;
  const syntax = SYNTAXES[language.syntax];
  // In a diff window a block comment may have opened above the first line shown: its `*` lines are comment.
  const shown =
    options.partial && syntax.blockComments.some((b) => b.open === "/*")
      ? source.replace(/^[ \t]*\*(?!\/).*$/gm, (line) => " ".repeat(line.length))
      : source;
  const lexed = lex(shown, syntax);
  const view = codeView(lexed.code, language.syntax);
  const detector = DETECTORS[language.syntax];
  const raws = applyMarkers(view, lexed, detector.markers(view, lexed, path, options.partial ?? false));
  const definitions = definitionsOf(lexed.code, detector);
  const calls = helperCalls(lexed.code, detector, raws, definitions);
  const starts = lineStarts(source);
  const tests = [...lexed.code.matchAll(new RegExp(detector.tests.source, detector.tests.flags))];
  const byLine = commentsByLine(lexed, starts);
  return [...raws, ...calls]
    .sort((a, b) => a.start - b.start)
    .map((raw): DetectedSkip => {
      const line = lineAt(starts, raw.start);
      const endLine = lineAt(starts, Math.max(raw.start, raw.end - 1));
      const testName = testNameOf(lexed, tests, definitions, raw);
      const via = (raw as Raw & { via?: string }).via;
      return {
        line,
        endLine,
        label: raw.label,
        effect: raw.effect,
        conditional: raw.conditional,
        ...(via ? { via } : {}),
        ...(testName ? { testName } : {}),
        comments: adjacentComments(lexed, starts, byLine, line, endLine),
      };
    });
}

/** The test cases a source declares, by name ("" when unnamed); undefined when the language is not supported. */
export function testCases(path: string, source: string): string[] | undefined {
  const language = languageOf(path);
  if (!language) return undefined;
  const lexed = lex(source, SYNTAXES[language.syntax]);
  const detector = DETECTORS[language.syntax];
  const cases = detector.cases ?? detector.tests;
  return [...lexed.code.matchAll(new RegExp(cases.source, cases.flags))].map(
    (m) => nameOfTest(m as RegExpExecArray, lexed) ?? "",
  );
}
