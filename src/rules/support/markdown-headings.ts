/**
 * The ATX headings (`## Summary`) of a markdown text with their line numbers, as GitHub renders them:
 * lines inside fenced code blocks, HTML comment blocks and a leading YAML front matter are not headings.
 */
export interface MarkdownHeading {
  /** 1 to 6, the number of `#`. */
  level: number;
  /** The heading's text: trimmed, inner whitespace collapsed, the optional closing `#`s and inline comments removed. */
  text: string;
  /** 1-based line number. */
  line: number;
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const COMMENT_START = /^ {0,3}<!--/;

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

/** A heading's text without the optional closing `#` sequence (which must follow a space or stand alone). */
function headingText(rest: string): string {
  const text = withoutHtmlComments(rest).trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === "#") end--;
  const closed = end === 0 || end === text.length || text[end - 1] === " " || text[end - 1] === "\t";
  return (closed ? text.slice(0, end) : text).trim().replace(/\s+/g, " ");
}

export interface MarkdownHeadingsOptions {
  /** Whether a leading `---` opens YAML front matter (a file's), or is a thematic break (a pull request body's). */
  frontMatter?: boolean;
}

export function markdownHeadings(
  markdown: string,
  { frontMatter = true }: MarkdownHeadingsOptions = {},
): MarkdownHeading[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const headings: MarkdownHeading[] = [];
  let fence: string | undefined;
  let inComment = false;
  let inFrontMatter = frontMatter && lines[0]?.trimEnd() === "---";
  lines.forEach((line, index) => {
    if (index === 0 && inFrontMatter) return;
    if (inFrontMatter) {
      if (line.trimEnd() === "---" || line.trimEnd() === "...") inFrontMatter = false;
      return;
    }
    if (inComment) {
      if (line.includes("-->")) inComment = false;
      return;
    }
    const fenceMarker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (
        fenceMarker !== undefined &&
        fenceMarker[0] === fence[0] &&
        fenceMarker.length >= fence.length &&
        line.trim() === fenceMarker
      )
        fence = undefined;
      return;
    }
    if (fenceMarker) {
      fence = fenceMarker;
      return;
    }
    if (COMMENT_START.test(line)) {
      // A comment block ends on the line that holds `-->`; until then nothing in it is rendered.
      inComment = !line.slice(line.indexOf("<!--") + 4).includes("-->");
      return;
    }
    const heading = ATX_HEADING.exec(line);
    if (heading) {
      headings.push({ level: heading[1]?.length ?? 1, text: headingText(heading[2] ?? ""), line: index + 1 });
    }
  });
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
