/**
 * Hidden markers: HTML comments that let the app find its own issues and comments again and carry the
 * little state it needs (occurrence counts, evidence already recorded) inside GitHub itself.
 */
const PREFIX = "<!-- rulebook:";

export function writeMarker(kind: string, data: unknown): string {
  // `--` cannot appear inside an HTML comment; JSON never needs it unescaped.
  return `${PREFIX}${kind} ${JSON.stringify(data).replaceAll("--", "-\\u002d")} -->`;
}

/** The data of the first marker of `kind` in `body`, or undefined when there is none or it is unreadable. */
export function readMarker<T = unknown>(body: string | null | undefined, kind: string): T | undefined {
  if (!body) return undefined;
  const start = body.indexOf(`${PREFIX}${kind} `);
  if (start < 0) return undefined;
  const from = start + PREFIX.length + kind.length + 1;
  const end = body.indexOf(" -->", from);
  if (end < 0) return undefined;
  try {
    return JSON.parse(body.slice(from, end)) as T;
  } catch {
    return undefined;
  }
}
