/**
 * Patterns that come from a bundle: regular expressions run on RE2 semantics (linear time, so a
 * bundle cannot hang the app with catastrophic backtracking), and globs through picomatch.
 *
 * Linear is not cheap: RE2's work grows with the size of the compiled program times the text, so a
 * bundle pattern is bounded in both (`PATTERN_LIMITS`, documented in docs/bundle-format.md).
 */
import picomatch from "picomatch";
import { RE2JS } from "re2js";
import { z } from "zod";

export const PATTERN_LIMITS = {
  /** Longest regular expression a bundle may supply (characters). */
  maxLength: 1000,
  /** Largest bound of a counted repetition (`{n}`, `{n,}`, `{n,m}`); nested ones multiply. */
  maxRepeat: 32,
  /**
   * Largest compiled program (RE2 instructions): the work per byte of text grows with it. The default
   * branch-name pattern, eleven alternatives and two classes, takes 68.
   */
  maxProgramSize: 72,
  /** Most text one pattern is matched against (UTF-8 bytes); a larger text is not evaluated. */
  maxInputBytes: 100 * 1024,
} as const;

interface Pattern {
  source: string;
  /**
   * True when the pattern matches anywhere in `text` (use `^…$` to anchor). Throws, naming the sizes,
   * for a text over `PATTERN_LIMITS.maxInputBytes`: the engine reports the standard as not evaluated.
   */
  test(text: string): boolean;
}

const compiled = new Map<string, Pattern>();

/**
 * Compiles a bundle-supplied regular expression with RE2 semantics; throws with RE2's message when it
 * is invalid, or with the limit it is over.
 */
export function compilePattern(source: string): Pattern {
  const known = compiled.get(source);
  if (known) return known;
  if (source.length > PATTERN_LIMITS.maxLength) {
    throw new Error(
      `pattern is ${source.length} characters long; at most ${PATTERN_LIMITS.maxLength} are allowed`,
    );
  }
  const re = RE2JS.compile(source);
  const repeat = largestRepeat(source);
  if (repeat.count > PATTERN_LIMITS.maxRepeat) {
    throw new Error(
      `${repeat.at} repeats up to ${repeat.count} times${repeat.nested ? " (nested repetitions multiply)" : ""}; at most ${PATTERN_LIMITS.maxRepeat} are allowed`,
    );
  }
  const size = re.programSize();
  if (size > PATTERN_LIMITS.maxProgramSize) {
    throw new Error(
      `pattern compiles to ${size} RE2 instructions; at most ${PATTERN_LIMITS.maxProgramSize} are allowed (split it into several simpler patterns)`,
    );
  }
  const pattern: Pattern = {
    source,
    test: (text) => {
      const bytes = utf8Length(text);
      if (bytes > PATTERN_LIMITS.maxInputBytes) {
        throw new Error(
          `too large: the text is ${bytes} bytes and a bundle pattern reads at most ${PATTERN_LIMITS.maxInputBytes}`,
        );
      }
      return re.test(text);
    },
  };
  compiled.set(source, pattern);
  return pattern;
}

function utf8Length(text: string): number {
  // Each UTF-16 unit is at most 3 bytes of UTF-8, so most texts need no encoding to know.
  if (text.length * 3 <= PATTERN_LIMITS.maxInputBytes) return text.length;
  return new TextEncoder().encode(text).length;
}

/**
 * The counted repetition of `source` (valid RE2 syntax) that repeats most, counting the repetitions
 * around it: `(a{4}){8}` repeats `a` 32 times. `{n,}` counts n (what follows is a loop, not copies).
 * Escapes, `\Q…\E`, `\x{…}`, `\p{…}` and character classes are skipped, since a brace there is no
 * repetition.
 */
export function largestRepeat(source: string): { count: number; at: string; nested: boolean } {
  // Per open group: the largest product inside it so far. `atom` is what a following repetition
  // repeats: the product inside the last group closed, or 1 for a single character or class.
  const groups: number[] = [1];
  let atom = 1;
  let largest = { count: 1, at: "", nested: false };
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "\\") {
      const next = source[i + 1];
      if (next === "Q") {
        const end = source.indexOf("\\E", i + 2);
        i = end < 0 ? source.length : end + 2;
      } else if ((next === "x" || next === "p" || next === "P") && source[i + 2] === "{") {
        const end = source.indexOf("}", i + 3);
        i = end < 0 ? source.length : end + 1;
      } else {
        i += 2;
      }
      atom = 1;
      continue;
    }
    if (c === "[") {
      i = classEnd(source, i);
      atom = 1;
      continue;
    }
    if (c === "(") {
      groups.push(1);
      i += 1;
      continue;
    }
    if (c === ")") {
      atom = groups.pop() ?? 1;
      const outer = groups.length - 1;
      groups[outer] = Math.max(groups[outer] ?? 1, atom);
      i += 1;
      continue;
    }
    if (c === "|") {
      atom = 1;
      i += 1;
      continue;
    }
    const counted = c === "{" ? /^\{(\d+)(?:,(\d*))?\}/.exec(source.slice(i)) : null;
    if (counted) {
      const bound = Math.max(Number(counted[1]), counted[2] ? Number(counted[2]) : 0);
      const count = bound * atom;
      if (count > largest.count) largest = { count, at: `\`${counted[0]}\``, nested: atom > 1 };
      atom = count;
      const inner = groups.length - 1;
      groups[inner] = Math.max(groups[inner] ?? 1, count);
      i += counted[0].length;
      continue;
    }
    // `*`, `+` and `?` loop or skip without copying; anything else is a single character.
    if (c !== "*" && c !== "+" && c !== "?") atom = 1;
    i += 1;
  }
  return largest;
}

/** The index just past the character class opening at `start`; `]` first (after `^`) is a member. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === "^") i += 1;
  if (source[i] === "]") i += 1;
  while (i < source.length && source[i] !== "]") {
    if (source[i] === "\\") i += 2;
    else if (source.startsWith("[:", i)) {
      const end = source.indexOf(":]", i + 2);
      i = end < 0 ? i + 1 : end + 2;
    } else i += 1;
  }
  return i + 1;
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

/**
 * The bundle patterns in `value`, as parsed by `schema`: the strings `zPattern` checked, wherever a
 * rule's options schema nests it (objects, arrays, records, optional or default values, unions).
 */
export function patternsIn(schema: z.ZodType, value: unknown): string[] {
  if (schema === zPattern) return typeof value === "string" ? [value] : [];
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const inner = (key: string) => def[key] as z.ZodType;
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
      return patternsIn(inner("innerType"), value);
    case "pipe":
      return patternsIn(inner("out"), value);
    case "lazy":
      return patternsIn((def.getter as () => z.ZodType)(), value);
    case "array":
      return Array.isArray(value) ? value.flatMap((item) => patternsIn(inner("element"), item)) : [];
    case "record":
      return isObject(value)
        ? Object.values(value).flatMap((item) => patternsIn(inner("valueType"), item))
        : [];
    case "object": {
      if (!isObject(value)) return [];
      const shape = def.shape as Record<string, z.ZodType>;
      return Object.entries(shape).flatMap(([key, field]) => patternsIn(field, value[key]));
    }
    case "union": {
      // The option that reads most patterns in the value: a pattern is never missed, nor counted twice.
      const found = (def.options as z.ZodType[]).map((option) => patternsIn(option, value));
      return found.reduce((most, next) => (next.length > most.length ? next : most), []);
    }
    default:
      return [];
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

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
