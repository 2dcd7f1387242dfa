/**
 * The one way text reaches the markdown people and agents read: check runs, RTFM issues, the dashboard,
 * comments. Everything that does not come from the app's own templates (findings' messages and fixes,
 * standards' titles and rationales, paths, pull request titles, commit subjects, branch names, logins)
 * goes through these helpers, so that on GitHub placeholders such as `<org>/<team>` stay visible,
 * `@mentions` ping nobody, HTML does not render, entities are not decoded, and backticks cannot break
 * out of a code span or a fence. Pure: strings in, strings out.
 */

/** Follows an `@` so that GitHub does not read it as a mention; invisible when rendered. */
const ZERO_WIDTH_JOINER = "\u200d";

/** The longest run of backticks in `text` (a loop: a large JSON document has more runs than a call takes arguments). */
function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * A value shown literally (a path, a branch, a title, a command): a code span whose fence is longer than
 * any backtick run inside, on one line. Inside a code span nothing renders: no HTML, no mention, no emphasis.
 */
export function code(value: string): string {
  const oneLine = value.replace(/\r?\n/g, " ");
  if (oneLine.trim() === "") return "_(empty)_";
  const fence = "`".repeat(longestBacktickRun(oneLine) + 1);
  // CommonMark strips one space on each side when both are there, so a value touching a backtick is padded.
  const padded = /^`|`$/.test(oneLine) || /^ .* $/.test(oneLine) ? ` ${oneLine} ` : oneLine;
  return `${fence}${padded}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in `body`. */
export function fenced(language: string, body: string): string {
  const fence = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${fence}${language}\n${body.replace(/\n$/, "")}\n${fence}`;
}

/**
 * The code spans of `text` as CommonMark finds them: a run of n backticks opens one, and the next run of
 * exactly n closes it; a run that no run closes is literal text.
 */
function splitCodeSpans(text: string): Array<{ code: boolean; text: string }> {
  const parts: Array<{ code: boolean; text: string }> = [];
  const runs = [...text.matchAll(/`+/g)];
  // The next run of the same length after each run, found in one pass from the end: a search per run
  // would take quadratic time on a text of many backticks.
  const nextSameLength: Array<number | undefined> = [];
  const lastSeen = new Map<number, number>();
  for (let i = runs.length - 1; i >= 0; i--) {
    const length = runs[i]?.[0].length ?? 0;
    nextSameLength[i] = lastSeen.get(length);
    lastSeen.set(length, i);
  }
  let plainFrom = 0;
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i] as RegExpMatchArray;
    const start = open.index ?? 0;
    if (start < plainFrom) continue;
    const closeAt = nextSameLength[i];
    if (closeAt === undefined) continue;
    const close = runs[closeAt] as RegExpMatchArray;
    const end = (close.index ?? 0) + close[0].length;
    if (start > plainFrom) parts.push({ code: false, text: text.slice(plainFrom, start) });
    parts.push({ code: true, text: text.slice(start, end) });
    plainFrom = end;
    i = closeAt;
  }
  if (plainFrom < text.length) parts.push({ code: false, text: text.slice(plainFrom) });
  return parts;
}

/** Plain text (no code span in it) as markdown that renders exactly that text. */
function escapePlain(text: string): string {
  return (
    text
      // A backslash before punctuation (or before the code span or line end after this text) would escape
      // it or break the line; doubled, it shows itself.
      .replace(/\\(?=[!-/:-@[-`{-~]|$)/g, "\\\\")
      // HTML, links, emphasis, strikethrough and stray backticks.
      .replace(/[<[\]*~`]/g, "\\$&")
      // `_` emphasises only at a word's edge; inside snake_case it is plain.
      .replace(/_(?![A-Za-z0-9])|(?<![A-Za-z0-9])_/g, "\\_")
      // An entity such as `&lt;` would be decoded.
      .replace(/&(?=#?[A-Za-z0-9]+;)/g, "\\&")
      // A mention is `@` after a non-word character and before a letter or digit.
      .replace(/(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])/g, `@${ZERO_WIDTH_JOINER}`)
      // What starts a line could start a heading, a quote, a list or a setext underline.
      .replace(/(^|\n)([ \t]*)(?:([#>+=-])|(\d+)(?=[.)]))/g, (_all, start, space, mark, digits) =>
        mark ? `${start}${space}\\${mark}` : `${start}${space}${digits}\\`,
      )
  );
}

/**
 * A code span as written, with one more space inside each end when its content starts and ends with one:
 * CommonMark strips a space from each end of such a span, and the text must show as it was written.
 */
function padCodeSpan(span: string): string {
  const fence = /^`+/.exec(span)?.[0] ?? "`";
  const content = span.slice(fence.length, span.length - fence.length);
  // Plain string checks: the pattern `^ .*\S.* $` backtracks in quadratic time on a long span.
  const padded = content.startsWith(" ") && content.endsWith(" ") && content.trim() !== "";
  return padded ? `${fence} ${content} ${fence}` : span;
}

/**
 * Prose from outside the app's templates (a finding's message or fix, a standard's rationale) as inline
 * markdown: its code spans stay code spans, everything else renders as the very text it is. Newlines are
 * kept; the caller indents continuation lines where the context needs it.
 */
export function inline(text: string): string {
  // A continuation line indented four spaces would turn into a code block; prose needs no indentation.
  return splitCodeSpans(text.replace(/\n[ \t]+/g, "\n"))
    .map((part) => (part.code ? padCodeSpan(part.text) : escapePlain(part.text)))
    .join("");
}

/** Markdown (from `inline` or `code`) made to fit one table cell: one line, pipes escaped. */
export function cell(markdown: string): string {
  return markdown.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/** Prose as a block quote, line by line. */
export function quote(text: string): string {
  return text
    .trim()
    .split("\n")
    .map((line) => `> ${inline(line)}`.trimEnd())
    .join("\n");
}

/** Text for inside an HTML element the app writes (a `<summary>`): entities, never tags. */
function htmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A collapsed section: `summary` is plain text, `body` markdown; blank lines keep the body rendered. */
export function details(summary: string, body: string): string {
  return `<details><summary>${htmlText(summary)}</summary>\n\n${body}\n\n</details>`;
}

/** A link whose label is prose and whose target is a URL the app built. */
export function link(label: string, url: string): string {
  return `[${inline(label)}](${url.replace(/[ ()<>]/g, (c) => encodeURIComponent(c))})`;
}

/**
 * A docs reference: a link labelled `label`, else with the file's path in its repository when it is a URL
 * to a file on GitHub (`standards/docs/x.md`), else the URL itself; a bundle path (no URL) as code.
 */
export function docsReference(docs: string, label?: string): string {
  if (!/^https?:\/\//.test(docs)) return code(docs);
  const path = /\/blob\/[^/]+\/(.+)$/.exec(docs)?.[1];
  return link(label ?? (path ? decodeURIComponent(path) : docs), docs);
}

const HANDLE = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9._-]+)?$/;

/**
 * Someone the app means to notify (an owner it names in an RTFM issue): `@user` or `@org/team` as a
 * mention; anything else, which no valid handle looks like, as code that pings nobody.
 */
export function mention(handle: string): string {
  return HANDLE.test(handle) ? handle : code(handle);
}

/** A login named without notifying them (a dashboard entry, an author in passing). */
export function quietLogin(login: string): string {
  return code(`@${login}`);
}

/** A commit SHA, bare so that GitHub links it to the commit; anything that is no SHA, as code. */
export function commitRef(sha: string): string {
  return /^[0-9a-f]{7,64}$/.test(sha) ? sha : code(sha);
}
