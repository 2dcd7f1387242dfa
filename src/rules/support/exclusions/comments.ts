/**
 * Comments beside a line, for formats whose comments are whole lines or line tails (`#`, `//`, `;`,
 * `<!-- -->`): the tail of the line itself and the run of comment-only lines just above it. Pure.
 */

/** The comment-only lines just above `line` (1-based), nearest last, with their markers kept. */
export function commentLinesAbove(
  lines: readonly string[],
  line: number,
  markers: readonly string[],
): string[] {
  const above: string[] = [];
  for (let i = line - 2; i >= 0; i--) {
    const text = (lines[i] ?? "").trim();
    if (!markers.some((marker) => text.startsWith(marker))) break;
    above.unshift(text);
  }
  return above;
}

/**
 * The comment that ends a line: from the first `marker` outside quotes that starts the line or follows
 * a blank. Quotes are tracked so a `#` inside `"…"` or `'…'` stays part of the value.
 */
export function trailingComment(text: string, marker: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === "\\" && quote === '"') i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (text.startsWith(marker, i) && (i === 0 || /\s/.test(text[i - 1] ?? ""))) return text.slice(i);
  }
  return undefined;
}

/** The comments of a line: its own trailing comment and the comment lines above it. */
export function commentsOf(lines: readonly string[], line: number, markers: readonly string[]): string[] {
  const own = markers
    .map((marker) => trailingComment(lines[line - 1] ?? "", marker))
    .filter((c) => c !== undefined);
  return [...commentLinesAbove(lines, line, markers), ...own];
}
