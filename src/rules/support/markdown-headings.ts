/**
 * The headings of a markdown text with their line numbers, as GitHub renders them: ATX (`## Summary`) and
 * setext (a line underlined with `===` or `---`) headings, read by marked's CommonMark lexer, so fenced and
 * indented code, HTML comment blocks and a leading YAML front matter hold no headings.
 */
import { Lexer, type Token } from "marked";

export interface MarkdownHeading {
  /** 1 to 6: the number of `#`, or 1 for a `===` and 2 for a `---` underline. */
  level: number;
  /** The heading's text: trimmed, inner whitespace collapsed, the optional closing `#`s and inline comments removed. */
  text: string;
  /** 1-based line number of the heading's (first) line. */
  line: number;
}

/** The text without `<!-- … -->` comments; an unclosed one hides the rest. Index scans keep it linear. */
export function withoutHtmlComments(text: string): string {
  let out = "";
  let from = 0;
  for (;;) {
    const open = text.indexOf("<!--", from);
    if (open === -1) return out + text.slice(from);
    out += text.slice(from, open);
    const close = text.indexOf("-->", open + 4);
    if (close === -1) return out;
    from = close + 3;
  }
}

interface MarkdownHeadingsOptions {
  /** Whether a leading `---` opens YAML front matter (a file's), or is a thematic break (a pull request body's). */
  frontMatter?: boolean;
}

/** The text with a leading front matter block blanked out, line for line, so line numbers stay true. */
function blankFrontMatter(lines: string[]): string[] {
  if (lines[0]?.trimEnd() !== "---") return lines;
  const end = lines.findIndex((line, index) => index > 0 && /^(?:---|\.\.\.)$/.test(line.trimEnd()));
  const last = end === -1 ? lines.length - 1 : end;
  return lines.map((line, index) => (index <= last ? "" : line));
}

export function markdownHeadings(
  markdown: string,
  { frontMatter = true }: MarkdownHeadingsOptions = {},
): MarkdownHeading[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const source = (frontMatter ? blankFrontMatter(lines) : lines).join("\n");
  const headings: MarkdownHeading[] = [];
  // Top-level tokens' raw texts concatenate to the source, so each one's line is the newlines before it.
  let line = 1;
  for (const token of Lexer.lex(source) as Token[]) {
    if (token.type === "heading") {
      const text = withoutHtmlComments(token.text).trim().replace(/\s+/g, " ");
      headings.push({ level: token.depth, text, line });
    }
    for (const char of token.raw) if (char === "\n") line++;
  }
  return headings;
}

/** A heading as it is written: `## Summary`. */
export function headingLine(heading: Pick<MarkdownHeading, "level" | "text">): string {
  return `${"#".repeat(heading.level)} ${heading.text}`;
}

/** The key headings are matched by: their text without case, spacing and a trailing colon. */
export function headingKey(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\s*:$/, "").trim().toLowerCase();
}
