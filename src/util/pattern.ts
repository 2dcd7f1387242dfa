/**
 * Patterns that come from a bundle: regular expressions run on RE2 semantics (linear time, so a
 * bundle cannot hang the app with catastrophic backtracking), and globs through picomatch.
 */
import picomatch from "picomatch";
import { RE2JS } from "re2js";
import { z } from "zod";

/** Longest regular expression a bundle may supply. */
const MAX_PATTERN_LENGTH = 1000;

interface Pattern {
  source: string;
  /** True when the pattern matches anywhere in `text` (use `^…$` to anchor). */
  test(text: string): boolean;
}

const compiled = new Map<string, Pattern>();

/** Compiles a bundle-supplied regular expression with RE2 semantics; throws with RE2's message when invalid. */
export function compilePattern(source: string): Pattern {
  const known = compiled.get(source);
  if (known) return known;
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new Error(`pattern is ${source.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`);
  }
  const re = RE2JS.compile(source);
  const pattern: Pattern = { source, test: (text) => re.matcher(text).find() };
  compiled.set(source, pattern);
  return pattern;
}

/** A zod string that must compile as an RE2 regular expression (no backreferences or lookaround). */
export const zPattern = z.string().superRefine((source, ctx) => {
  try {
    compilePattern(source);
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      message: `not a safe regular expression (RE2 syntax, linear time): ${(error as Error).message}`,
    });
  }
});

const globs = new Map<string, (value: string) => boolean>();

function globMatcher(glob: string): (value: string) => boolean {
  let matcher = globs.get(glob);
  if (!matcher) {
    matcher = picomatch(glob, { dot: true, nocase: false });
    globs.set(glob, matcher);
  }
  return matcher;
}

/**
 * Whether `value` is selected by a list of globs: it must match at least one positive glob (or there
 * are none, when `emptyMatchesAll`) and no `!`-negated glob.
 */
export function matchesGlobs(value: string, list: readonly string[], emptyMatchesAll = false): boolean {
  const positive = list.filter((g) => !g.startsWith("!"));
  const negative = list.filter((g) => g.startsWith("!")).map((g) => g.slice(1));
  if (negative.some((g) => globMatcher(g)(value))) return false;
  if (positive.length === 0) return emptyMatchesAll;
  return positive.some((g) => globMatcher(g)(value));
}
