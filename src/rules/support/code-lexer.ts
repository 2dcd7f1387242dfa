/**
 * A small table-driven lexer for the languages test suites are written in. It does not parse: it only
 * tells code from comments and string literals (docstrings, template literals, raw strings, heredocs,
 * block comments, sigils), so that rules reading source match constructs in code and never in text.
 * Pure; linear in the length of the source.
 */

interface Span {
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export interface Lexed {
  source: string;
  /**
   * The source with every comment and the contents of every string literal blanked to spaces (line breaks
   * kept, delimiters of strings kept), so offsets and line numbers are those of the source. Code inside a
   * string's interpolation (`${…}`, `#{…}`, `\(…)`) stays, because it runs.
   */
  code: string;
  comments: Span[];
  /** Whole literals, delimiters included. */
  strings: Span[];
}

interface StringForm {
  /** Sticky regular expression for the opening (prefix and delimiter). */
  open: RegExp;
  /** The closing delimiter, given the opening match. */
  close: (open: RegExpExecArray) => string;
  /** A backslash escapes the next character. */
  escapes: boolean;
  /** A line break ends an unterminated literal (single-line strings). */
  singleLine?: boolean;
  /** A doubled closing delimiter stands for itself (C# verbatim `""`). */
  doubled?: boolean;
  /** Interpolation: its opening inside the literal and the bracket that closes it. */
  interpolation?: { open: string; close: ")" | "}" };
  /** The literal may not follow an identifier character (its prefix letter would be part of a name). */
  notAfterWord?: boolean;
}

interface Syntax {
  lineComments: string[];
  blockComments: Array<{ open: string; close: string; nested?: boolean }>;
  /** Comments whose delimiters stand at the start of a line (Ruby `=begin` … `=end`). */
  lineBlockComments?: Array<{ open: RegExp; close: RegExp }>;
  strings: StringForm[];
  /** Paired-delimiter literals: Ruby `%w[…]`/`%q(…)`, Elixir sigils `~r/…/`. */
  percentLiterals?: RegExp;
  /** Heredocs: an opener whose body starts on the next line and ends at a line holding only its label. */
  heredoc?: RegExp;
  /** `/…/` regular-expression literals, told from division by the character before them. */
  regexLiterals?: boolean;
  /** A character literal `?x` (Ruby, Elixir). */
  questionChars?: boolean;
}

const WORD = /[\p{L}\p{N}_$]/u;
const PAIRS: Record<string, string> = { "(": ")", "[": "]", "{": "}", "<": ">" };

function quoted(
  open: RegExp,
  close: string,
  options: Omit<StringForm, "open" | "close"> = { escapes: true },
) {
  return { open, close: () => close, ...options } satisfies StringForm;
}

const C_COMMENTS = { lineComments: ["//"], blockComments: [{ open: "/*", close: "*/" }] };
const NESTED_C_COMMENTS = {
  lineComments: ["//"],
  blockComments: [{ open: "/*", close: "*/", nested: true }],
};
const DOUBLE = quoted(/"/y, '"', { escapes: true, singleLine: true });
const SINGLE = quoted(/'/y, "'", { escapes: true, singleLine: true });

/** Syntaxes by language family. */
export const SYNTAXES = {
  javascript: {
    ...C_COMMENTS,
    strings: [
      DOUBLE,
      SINGLE,
      quoted(/`/y, "`", { escapes: true, interpolation: { open: "${", close: "}" } }),
    ],
    regexLiterals: true,
  },
  python: {
    lineComments: ["#"],
    blockComments: [],
    strings: [
      {
        open: /(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?("""|''')/y,
        close: (m) => m[1] ?? '"""',
        escapes: true,
        notAfterWord: true,
      },
      {
        open: /(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?(["'])/y,
        close: (m) => m[1] ?? '"',
        escapes: true,
        singleLine: true,
        notAfterWord: true,
      },
    ],
  },
  go: {
    ...C_COMMENTS,
    strings: [DOUBLE, SINGLE, quoted(/`/y, "`", { escapes: false })],
  },
  java: {
    ...C_COMMENTS,
    strings: [quoted(/"""/y, '"""'), DOUBLE, SINGLE],
  },
  kotlin: {
    ...NESTED_C_COMMENTS,
    strings: [
      quoted(/"""/y, '"""', { escapes: false, interpolation: { open: "${", close: "}" } }),
      quoted(/"/y, '"', { escapes: true, singleLine: true, interpolation: { open: "${", close: "}" } }),
      SINGLE,
    ],
  },
  csharp: {
    ...C_COMMENTS,
    strings: [
      quoted(/\$*"""/y, '"""', { escapes: false }),
      quoted(/(?:\$@|@\$|@)"/y, '"', { escapes: false, doubled: true }),
      quoted(/\$"/y, '"', { escapes: true, singleLine: true, interpolation: { open: "{", close: "}" } }),
      DOUBLE,
      SINGLE,
    ],
  },
  rust: {
    ...NESTED_C_COMMENTS,
    strings: [
      { open: /b?r(#*)"/y, close: (m) => `"${m[1] ?? ""}`, escapes: false, notAfterWord: true },
      quoted(/b?"/y, '"', { escapes: true, notAfterWord: true }),
      // A character literal; a lone `'` opens a lifetime (`'a`), which is code.
      quoted(/b?'(?=\\|[^'\\\n]')/uy, "'", { escapes: true, singleLine: true }),
    ],
  },
  swift: {
    ...NESTED_C_COMMENTS,
    strings: [
      quoted(/(#+)"""/y, '"""', { escapes: false }),
      quoted(/"""/y, '"""', { escapes: true, interpolation: { open: "\\(", close: ")" } }),
      { open: /(#+)"/y, close: (m) => `"${m[1] ?? ""}`, escapes: false, singleLine: true },
      quoted(/"/y, '"', { escapes: true, singleLine: true, interpolation: { open: "\\(", close: ")" } }),
    ],
  },
  ruby: {
    lineComments: ["#"],
    blockComments: [],
    lineBlockComments: [{ open: /^=begin\b/, close: /^=end\b/ }],
    strings: [
      quoted(/"/y, '"', { escapes: true, interpolation: { open: "#{", close: "}" } }),
      quoted(/'/y, "'", { escapes: true }),
      quoted(/`/y, "`", { escapes: true }),
    ],
    percentLiterals: /%[qQwWiIrsx]?(?=[([{<|!/^])/y,
    heredoc: /<<([~-]?)(["'`]?)([A-Za-z_]\w*)\2/y,
    regexLiterals: true,
    questionChars: true,
  },
  elixir: {
    lineComments: ["#"],
    blockComments: [],
    strings: [
      quoted(/~[a-zA-Z]+(?:"""|''')/y, '"""', { escapes: true }),
      quoted(/"""/y, '"""', { escapes: true, interpolation: { open: "#{", close: "}" } }),
      quoted(/'''/y, "'''", { escapes: true }),
      quoted(/"/y, '"', { escapes: true, interpolation: { open: "#{", close: "}" } }),
      quoted(/'/y, "'", { escapes: true }),
    ],
    percentLiterals: /~[a-zA-Z]+(?=[([{<|/"'])/y,
    questionChars: true,
  },
  php: {
    lineComments: ["//", "#"],
    blockComments: [{ open: "/*", close: "*/" }],
    strings: [quoted(/"/y, '"'), quoted(/'/y, "'"), quoted(/`/y, "`")],
    heredoc: /<<<[ \t]*(["']?)([A-Za-z_]\w*)\1/y,
  },
} satisfies Record<string, Syntax>;

export type SyntaxName = keyof typeof SYNTAXES;

/** Characters after which `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set("(,=:[!&|?{};+-*%<>~^\n".split(""));
const REGEX_KEYWORDS =
  /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|when|if|unless|and|or|not)$/;

/** What the lexer is inside: code (the file, or an interpolation up to its closing bracket), or a literal. */
type Frame =
  | { kind: "code"; close: ")" | "}" | undefined; depth: number }
  | {
      kind: "string";
      start: number;
      close: string;
      form: Omit<StringForm, "open" | "close">;
      /** Where the literal's text not yet blanked starts (after its opening or its last interpolation). */
      textStart: number;
    };

class Lexer {
  readonly #src: string;
  readonly #syntax: Syntax;
  readonly #blank: Uint8Array;
  readonly comments: Span[] = [];
  readonly strings: Span[] = [];
  #pos = 0;
  /** Heredoc bodies announced on the current line, read when it ends. */
  #pendingHeredocs: Array<{ label: string; indented: boolean }> = [];
  /**
   * Literals and interpolations nest (`${`…`${…}`…`}`): an explicit stack rather than recursion, so that no
   * depth of nesting can overflow the call stack.
   */
  readonly #stack: Frame[] = [];
  /**
   * Places from which reading a `/…/` literal found no end, by state (1 outside a class, 2 inside), so that
   * a line of many `/` is read once rather than once from every `/`.
   */
  readonly #regexDeadEnds: Uint8Array;

  constructor(src: string, syntax: Syntax) {
    this.#src = src;
    this.#syntax = syntax;
    this.#blank = new Uint8Array(src.length);
    this.#regexDeadEnds = new Uint8Array(src.length);
  }

  lex(): Lexed {
    this.#stack.push({ kind: "code", close: undefined, depth: 0 });
    for (let frame = this.#stack.at(-1); frame; frame = this.#stack.at(-1)) {
      if (frame.kind === "code") this.#codeStep(frame);
      else this.#stringStep(frame);
    }
    const chars: string[] = [];
    for (let i = 0; i < this.#src.length; i++) {
      const char = this.#src.charAt(i);
      chars.push(this.#blank[i] && char !== "\n" && char !== "\r" ? " " : char);
    }
    return { source: this.#src, code: chars.join(""), comments: this.comments, strings: this.strings };
  }

  #blankRange(start: number, end: number) {
    this.#blank.fill(1, start, Math.min(end, this.#src.length));
  }

  /** Leaves the current frame; a literal whose interpolation ended goes on with its text. */
  #leave() {
    this.#stack.pop();
    const parent = this.#stack.at(-1);
    if (parent?.kind === "string") parent.textStart = this.#pos;
  }

  /**
   * Reads one step of code: up to the end of the source or, inside an interpolation, to its closing bracket
   * (consumed), where the frame ends.
   */
  #codeStep(frame: Extract<Frame, { kind: "code" }>) {
    const src = this.#src;
    if (this.#pos >= src.length) {
      this.#leave();
      return;
    }
    const char = src.charAt(this.#pos);
    if (frame.close !== undefined) {
      if (char === (frame.close === ")" ? "(" : "{")) frame.depth += 1;
      else if (char === frame.close) {
        if (frame.depth === 0) {
          this.#pos += 1;
          this.#leave();
          return;
        }
        frame.depth -= 1;
      }
    }
    if (char === "\n") {
      this.#pos += 1;
      this.#readHeredocs();
      this.#lineBlockComment();
      return;
    }
    if (this.#pos === 0 && this.#lineBlockComment()) return;
    if (this.#comment() || this.#string() || this.#percentLiteral() || this.#heredocOpener()) return;
    if (this.#regexLiteral() || this.#questionChar()) return;
    this.#pos += 1;
  }

  #comment(): boolean {
    const src = this.#src;
    const start = this.#pos;
    for (const prefix of this.#syntax.lineComments) {
      if (!src.startsWith(prefix, start)) continue;
      if (prefix === "#" && src.charAt(start + 1) === "[" && this.#syntax.heredoc?.source.startsWith("<<<")) {
        continue; // a PHP 8 attribute, not a comment
      }
      let end = src.indexOf("\n", start);
      if (end === -1) end = src.length;
      this.#addComment(start, end);
      this.#pos = end;
      return true;
    }
    for (const block of this.#syntax.blockComments) {
      if (!src.startsWith(block.open, start)) continue;
      let depth = 1;
      let i = start + block.open.length;
      while (i < src.length && depth > 0) {
        if (src.startsWith(block.close, i)) {
          depth -= 1;
          i += block.close.length;
        } else if (block.nested && src.startsWith(block.open, i)) {
          depth += 1;
          i += block.open.length;
        } else i += 1;
      }
      this.#addComment(start, i);
      this.#pos = i;
      return true;
    }
    return false;
  }

  #addComment(start: number, end: number) {
    this.comments.push({ start, end });
    this.#blankRange(start, end);
  }

  /** At the start of a line: a Ruby `=begin` … `=end` block. */
  #lineBlockComment(): boolean {
    const src = this.#src;
    for (const block of this.#syntax.lineBlockComments ?? []) {
      const start = this.#pos;
      if (!block.open.test(src.slice(start, start + 16))) continue;
      let lineStart = src.indexOf("\n", start);
      while (lineStart !== -1 && !block.close.test(src.slice(lineStart + 1, lineStart + 17))) {
        lineStart = src.indexOf("\n", lineStart + 1);
      }
      let end = lineStart === -1 ? src.length : src.indexOf("\n", lineStart + 1);
      if (end === -1) end = src.length;
      this.#addComment(start, end);
      this.#pos = end;
      return true;
    }
    return false;
  }

  #string(): boolean {
    const src = this.#src;
    const start = this.#pos;
    for (const form of this.#syntax.strings) {
      form.open.lastIndex = start;
      const open = form.open.exec(src);
      if (!open) continue;
      if (form.notAfterWord && start > 0 && WORD.test(src.charAt(start - 1))) continue;
      this.#pos = start + open[0].length;
      this.#enterString(start, form.close(open), form);
      return true;
    }
    return false;
  }

  /** Starts reading a literal's contents, from the current position up to and including `close`. */
  #enterString(start: number, close: string, form: Omit<StringForm, "open" | "close">) {
    this.#stack.push({ kind: "string", start, close, form, textStart: this.#pos });
  }

  /** Reads one step of a literal, blanking its text and entering its interpolations as code. */
  #stringStep(frame: Extract<Frame, { kind: "string" }>) {
    const src = this.#src;
    const { close, form } = frame;
    const i = this.#pos;
    const char = src.charAt(i);
    if (i >= src.length || (form.singleLine && char === "\n")) {
      // Unterminated: the text runs to the end of the line (single-line forms) or of the source.
      this.#pos = Math.min(this.#pos, src.length);
      this.#blankRange(frame.textStart, this.#pos);
      this.strings.push({ start: frame.start, end: this.#pos });
      this.#leave();
    } else if (
      form.escapes &&
      char === "\\" &&
      !(form.interpolation && src.startsWith(form.interpolation.open, i))
    ) {
      this.#pos += 2;
    } else if (src.startsWith(close, i)) {
      if (form.doubled && src.startsWith(close, i + close.length)) {
        this.#pos += close.length * 2;
        return;
      }
      this.#blankRange(frame.textStart, i);
      this.#pos = i + close.length;
      this.strings.push({ start: frame.start, end: this.#pos });
      this.#leave();
    } else if (form.interpolation && src.startsWith(form.interpolation.open, i)) {
      this.#blankRange(frame.textStart, i);
      this.#pos = i + form.interpolation.open.length;
      this.#stack.push({ kind: "code", close: form.interpolation.close, depth: 0 });
    } else {
      this.#pos += 1;
    }
  }

  #percentLiteral(): boolean {
    const re = this.#syntax.percentLiterals;
    if (!re) return false;
    const src = this.#src;
    const start = this.#pos;
    // `a % (b)` and `x %w` are arithmetic after a value.
    if (src.charAt(start) === "%" && /[\w)\]}]\s*$/.test(src.slice(Math.max(0, start - 40), start)))
      return false;
    re.lastIndex = start;
    const open = re.exec(src);
    if (!open) return false;
    const delimiter = src.charAt(start + open[0].length);
    const closer = PAIRS[delimiter];
    this.#pos = start + open[0].length + 1;
    if (!closer) {
      this.#enterString(start, delimiter, { escapes: true });
      return true;
    }
    let depth = 1;
    const textStart = this.#pos;
    while (this.#pos < src.length && depth > 0) {
      const char = src.charAt(this.#pos);
      if (char === "\\") this.#pos += 1;
      else if (char === delimiter) depth += 1;
      else if (char === closer) depth -= 1;
      this.#pos += 1;
    }
    this.#blankRange(textStart, this.#pos - 1);
    this.strings.push({ start, end: this.#pos });
    return true;
  }

  #heredocOpener(): boolean {
    const re = this.#syntax.heredoc;
    if (!re) return false;
    const start = this.#pos;
    re.lastIndex = start;
    const open = re.exec(this.#src);
    if (!open) return false;
    const php = re.source.startsWith("<<<");
    const label = (php ? open[2] : open[3]) ?? "";
    const dash = php ? "~" : (open[1] ?? "");
    // Ruby's bare `<<LABEL` is also a shift (`list << item`); only an upper-case label opens a heredoc.
    if (!php && dash === "" && label !== label.toUpperCase()) return false;
    this.#pendingHeredocs.push({ label, indented: dash !== "" });
    this.#pos = start + open[0].length;
    return true;
  }

  /** After a line break: the bodies of the heredocs the previous line opened. */
  #readHeredocs() {
    const src = this.#src;
    for (const { label, indented } of this.#pendingHeredocs.splice(0)) {
      const start = this.#pos;
      let lineStart = start;
      while (lineStart < src.length) {
        let lineEnd = src.indexOf("\n", lineStart);
        if (lineEnd === -1) lineEnd = src.length;
        const line = src.slice(lineStart, lineEnd).replace(/\r$/, "");
        const text = indented ? line.trimStart() : line;
        if (text === label || (indented && new RegExp(`^${label}\\b`).test(text))) {
          this.#blankRange(start, lineStart);
          this.strings.push({ start, end: lineEnd });
          this.#pos = lineEnd;
          return;
        }
        lineStart = lineEnd + 1;
      }
      this.#blankRange(start, src.length);
      this.strings.push({ start, end: src.length });
      this.#pos = src.length;
    }
  }

  #regexLiteral(): boolean {
    if (!this.#syntax.regexLiterals) return false;
    const src = this.#src;
    const start = this.#pos;
    if (src.charAt(start) !== "/" || src.charAt(start + 1) === "/" || src.charAt(start + 1) === "*") {
      return false;
    }
    const before = src.slice(Math.max(0, start - 20), start).replace(/[ \t]+$/, "");
    const previous = before.charAt(before.length - 1);
    if (before !== "" && !BEFORE_REGEX.has(previous) && !REGEX_KEYWORDS.test(before)) return false;
    let i = start + 1;
    let inClass = false;
    const visited: number[] = [];
    let closed = false;
    while (i < src.length) {
      // A place reached in the same state as a scan that found no end: this one finds none either.
      const state = inClass ? 2 : 1;
      if ((this.#regexDeadEnds[i] ?? 0) & state) break;
      visited.push(i, state);
      const char = src.charAt(i);
      if (char === "\n") break; // not a regular expression after all
      if (char === "\\") i += 1;
      else if (char === "[") inClass = true;
      else if (char === "]") inClass = false;
      else if (char === "/" && !inClass) {
        closed = true;
        break;
      }
      i += 1;
    }
    if (!closed) {
      for (let v = 0; v < visited.length; v += 2) {
        const at = visited[v] ?? 0;
        this.#regexDeadEnds[at] = (this.#regexDeadEnds[at] ?? 0) | (visited[v + 1] ?? 0);
      }
      return false;
    }
    this.#blankRange(start + 1, i);
    this.strings.push({ start, end: i + 1 });
    this.#pos = i + 1;
    return true;
  }

  #questionChar(): boolean {
    if (!this.#syntax.questionChars) return false;
    const src = this.#src;
    const start = this.#pos;
    if (src.charAt(start) !== "?" || start + 1 >= src.length) return false;
    if (start > 0 && /[\w)\]}?!]/.test(src.charAt(start - 1))) return false; // `valid?` or a ternary
    const next = src.charAt(start + 1);
    if (/\s/.test(next) || WORD.test(src.charAt(start + 2))) return false;
    this.#blankRange(start + 1, start + 2);
    this.strings.push({ start, end: start + 2 });
    this.#pos = start + 2;
    return true;
  }
}

/** Lexes `source` with the given syntax. */
export function lex(source: string, syntax: Syntax): Lexed {
  return new Lexer(source, syntax).lex();
}

/** Offsets at which each line starts, for turning offsets into 1-based line numbers. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line holding `offset`. */
export function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}
