/**
 * Hidden markers: HTML comments that let the app find its own issues and comments again and carry the
 * little state it needs (occurrence counts, evidence already recorded) inside GitHub itself. Anyone who
 * can edit the issue can edit a marker, so its data is parsed with a schema, never trusted: a marker that
 * does not match is reported through `onInvalid` and read as absent, and the next write rebuilds it.
 */
import type { z } from "zod";

const PREFIX = "<!-- rulebook:";

export function writeMarker(kind: string, data: unknown): string {
  // `--` cannot appear inside an HTML comment; JSON never needs it unescaped.
  return `${PREFIX}${kind} ${JSON.stringify(data).replaceAll("--", "-\\u002d")} -->`;
}

/** Where a marker that does not match its schema is reported; by default a process warning, which the app logs. */
export type InvalidMarkerHandler = (problem: string) => void;

export function warnInvalidMarker(problem: string): void {
  process.emitWarning(problem, { code: "RULEBOOK_INVALID_MARKER" });
}

/** The raw text of the first marker of `kind` in `body`, or undefined when there is none. */
function markerText(body: string | null | undefined, kind: string): string | undefined {
  if (!body) return undefined;
  const start = body.indexOf(`${PREFIX}${kind} `);
  if (start < 0) return undefined;
  const from = start + PREFIX.length + kind.length + 1;
  const end = body.indexOf(" -->", from);
  return end < 0 ? undefined : body.slice(from, end);
}

/** Whether `body` holds a marker of `kind`, whatever its data. */
export function hasMarker(body: string | null | undefined, kind: string): boolean {
  return markerText(body, kind) !== undefined;
}

/**
 * The data of the first marker of `kind` in `body`, checked against `schema`; undefined when there is
 * none, and also (after reporting it) when it is not JSON or does not match.
 */
export function readMarker<T>(
  body: string | null | undefined,
  kind: string,
  schema: z.ZodType<T>,
  onInvalid: InvalidMarkerHandler = warnInvalidMarker,
): T | undefined {
  const text = markerText(body, kind);
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    onInvalid(`the hidden rulebook:${kind} marker is not JSON; it is ignored and will be rewritten`);
    return undefined;
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  onInvalid(
    `the hidden rulebook:${kind} marker was edited or corrupted (${where}); it is ignored and will be rewritten`,
  );
  return undefined;
}
