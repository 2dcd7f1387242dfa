/**
 * What GitHub would show of a markdown text, read with marked's GFM lexer: the text a reader sees, the
 * raw HTML that would reach the page, the mentions that would ping, the entities that would be decoded,
 * and the code blocks. Tests of the escaping layer assert on these instead of on markdown source.
 */
import { marked, type Token } from "marked";

export interface RenderedMarkdown {
  /** Everything a reader sees, code included, whitespace collapsed, zero-width joiners removed. */
  text: string;
  /** Raw HTML that GitHub would render as HTML (tags and comments). */
  html: string[];
  /** `@handle`s in plain text (outside code and links), which GitHub turns into pings. */
  mentions: string[];
  /** Character references in plain text, which GitHub decodes (so `&lt;` would show as `<`). */
  entities: string[];
  /** The content of fenced or indented code blocks, in order. */
  codeBlocks: string[];
  /** Links and images, by target. */
  links: string[];
}

/** Text from pull request titles, commit subjects, branch names, paths and messages that tries to escape. */
export const HOSTILE = [
  "@acme/platform please look",
  "ping @alice and @bob-2",
  "<img src=x onerror=alert(1)>",
  "</details> and <details open>",
  "<!-- hidden --> comment",
  "Rewrite the header as <type>(<scope>)?: <subject>",
  "Closes #<issue> in <owner>/<repo>; rename to <new-name>",
  "*  @<org>/<team>",
  "&lt;script&gt; and &amp; and &#64;alice",
  "[click](javascript:alert(1)) ![x](https://evil.example/x.png)",
  "*bold* _em_ ~~struck~~ __strong__",
  "# not a heading",
  "> not a quote",
  "- not a list",
  "1. not a list either",
  "a | table | row",
  "back\\slash \\* and \\` and C:\\path",
  "snake_case_name and _edges_",
  "a `code` span and an unmatched ` backtick",
  "``` fence ``` inside",
  "feat: `rm -rf /` @org/team <img src=x>",
  "line one\nline two with @alice\n# third",
];

const MENTION = /(?:^|[^A-Za-z0-9_])(@[A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9._-]+)?)/g;
const ENTITY = /&#?[A-Za-z0-9]+;/g;

export function normalizeText(text: string): string {
  return text.replaceAll("\u200d", "").replace(/\s+/g, " ").trim();
}

export function inspectMarkdown(markdown: string): RenderedMarkdown {
  const found: RenderedMarkdown = {
    text: "",
    html: [],
    mentions: [],
    entities: [],
    codeBlocks: [],
    links: [],
  };
  const parts: string[] = [];
  const walk = (tokens: readonly Token[] | undefined, inLink: boolean) => {
    for (const token of tokens ?? []) visit(token, inLink);
  };
  const visit = (token: Token, inLink: boolean): void => {
    switch (token.type) {
      case "html":
        found.html.push(token.text.trim());
        return;
      case "codespan":
        parts.push(token.text);
        return;
      case "code":
        found.codeBlocks.push(token.text);
        parts.push(` ${token.text} `);
        return;
      case "escape":
        parts.push(token.text);
        return;
      case "image":
        found.links.push(token.href);
        found.html.push(`<img src="${token.href}">`);
        return;
      case "link":
        found.links.push(token.href);
        walk(token.tokens, true);
        return;
      case "br":
      case "space":
      case "hr":
        parts.push(" ");
        return;
      case "list":
        for (const item of token.items) visit(item, inLink);
        return;
      case "table":
        for (const cell of [...token.header, ...token.rows.flat()]) {
          walk(cell.tokens, inLink);
          parts.push(" ");
        }
        return;
      default: {
        if ("tokens" in token && token.tokens) {
          walk(token.tokens, inLink);
          if (token.type !== "text") parts.push(" ");
          return;
        }
        const text = "text" in token && typeof token.text === "string" ? token.text : "";
        if (!inLink) for (const match of text.matchAll(MENTION)) found.mentions.push(match[1] as string);
        found.entities.push(...(text.match(ENTITY) ?? []));
        parts.push(text);
      }
    }
  };
  walk(marked.lexer(markdown, { gfm: true }), false);
  found.text = normalizeText(parts.join(""));
  return found;
}
