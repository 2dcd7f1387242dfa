/**
 * How much text from outside (file contents, commit messages, pull request titles and bodies) the parsers
 * read. Every pattern is meant to run in linear time, but a bound on the input keeps one pull request from
 * holding a worker however a parser behaves, and past it a rule says "not evaluated: too large" with the
 * reason, never that it passed.
 */
export const INPUT_LIMITS = {
  /** Characters of one file read as code or compared with a canonical copy (GitHub serves up to 1 MB). */
  fileChars: 1_048_576,
  /** Characters of one line of such a file: longer is generated or minified code, not one a person wrote. */
  lineChars: 20_000,
  /** Characters of a pull request body (GitHub's own limit). */
  bodyChars: 65_536,
  /** Characters of a commit message, and of one of its lines: commitlint's parser slows with their square. */
  messageChars: 16_384,
  messageLineChars: 4_000,
  /** Characters of a commit header or pull request title, as commitlint reads it. */
  headerChars: 1_000,
} as const;

/** Why a text is too large to read, naming it as `what`; undefined when it is within the limits. */
export function tooLarge(
  what: string,
  text: string,
  limits: { chars: number; lineChars?: number },
): string | undefined {
  if (text.length > limits.chars) {
    return `too large: ${what} has ${text.length} characters, more than the ${limits.chars} read`;
  }
  if (limits.lineChars === undefined || text.length <= limits.lineChars) return undefined;
  let line = 1;
  for (let start = 0; start <= text.length; line++) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    if (end - start > limits.lineChars) {
      return `too large: line ${line} of ${what} has ${end - start} characters, more than the ${limits.lineChars} read`;
    }
    if (newline === -1) break;
    start = newline + 1;
  }
  return undefined;
}

/** The limits of a file read as code. */
export const FILE_LIMITS = { chars: INPUT_LIMITS.fileChars, lineChars: INPUT_LIMITS.lineChars };
