/**
 * Commit message trailers (`Co-authored-by:`, `Signed-off-by:`, ...), parsed the way `git interpret-trailers`
 * finds them: in the message's last paragraph, never in its subject. Pure, shared by both gatherers.
 */
import type { Person } from "./schema.js";

interface Trailer {
  /** The key as written, such as `Co-authored-by`. */
  key: string;
  /** The value with continuation lines joined by single spaces. */
  value: string;
}

const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/;
const CONTINUATION_LINE = /^[ \t]+\S/;
/** Prefixes git writes itself; a last paragraph holding one needs only a quarter of trailer lines to count. */
const GIT_GENERATED_PREFIXES = ["Signed-off-by: ", "(cherry picked from commit "];

/** The trailers of a commit message, in order; empty when its last paragraph is not a trailer block. */
export function parseTrailers(message: string): Trailer[] {
  const paragraphs = message
    .replace(/\r\n?/g, "\n")
    .trim()
    .split(/\n(?:[ \t]*\n)+/);
  // The first paragraph is the subject, which is never a trailer block.
  if (paragraphs.length < 2) return [];
  const lines = (paragraphs.at(-1) ?? "").split("\n");

  const trailers: Trailer[] = [];
  let nonTrailerLines = 0;
  let gitGenerated = false;
  let last: Trailer | undefined;
  for (const line of lines) {
    if (last && CONTINUATION_LINE.test(line)) {
      last.value = `${last.value} ${line.trim()}`;
      continue;
    }
    if (GIT_GENERATED_PREFIXES.some((prefix) => line.startsWith(prefix))) gitGenerated = true;
    const match = TRAILER_LINE.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      last = { key: match[1], value: match[2].trim() };
      trailers.push(last);
    } else {
      last = undefined;
      nonTrailerLines++;
    }
  }
  const isTrailerBlock =
    trailers.length > 0 &&
    (nonTrailerLines === 0 || (gitGenerated && trailers.length * 3 >= nonTrailerLines));
  return isTrailerBlock ? trailers : [];
}

/** `Name <email>` as a person; undefined when the value has no `<email>` part. */
export function parsePerson(value: string): Person | undefined {
  // String search, not a pattern: a lazy name before `\s*<` backtracks in quadratic time on long values.
  const text = value.trim();
  const open = text.lastIndexOf("<");
  if (open === -1 || !text.endsWith(">")) return undefined;
  const name = text.slice(0, open);
  const email = text.slice(open + 1, -1);
  if (email.includes(">") || /[\n\r\u2028\u2029]/.test(name)) return undefined;
  return { name: name.trim(), email: email.trim() };
}

/** The `Co-authored-by:` trailers of a commit message (key case-insensitive, as GitHub reads them), without repeats. */
export function parseCoAuthors(message: string): Person[] {
  const seen = new Set<string>();
  const people: Person[] = [];
  for (const trailer of parseTrailers(message)) {
    if (trailer.key.toLowerCase() !== "co-authored-by") continue;
    const person = parsePerson(trailer.value);
    if (!person) continue;
    const key = `${person.name}\n${person.email.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    people.push(person);
  }
  return people;
}
