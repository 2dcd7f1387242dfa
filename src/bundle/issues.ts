/**
 * Turns zod issues into bundle diagnostics: one per problem, located at its YAML key, with a message
 * in YAML terms ("expected a list, got a mapping") and, for unknown keys, the keys that are allowed.
 */
import { z } from "zod";
import type { BundleDiagnostic } from "./diagnostics.js";
import type { YamlPath, YamlSource } from "./yaml-source.js";

/** Parses `value` with `schema`; every issue becomes a diagnostic at `prefix` + the issue's path. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: YamlSource,
  prefix: YamlPath,
): { ok: true; data: z.output<S> } | { ok: false; errors: BundleDiagnostic[] } {
  const allowedKeys = new WeakMap<object, string[]>();
  const result = schema.safeParse(value, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys" && issue.inst instanceof z.ZodObject && isObject(issue.input)) {
        allowedKeys.set(issue.input, Object.keys(issue.inst.shape));
      }
      return describeIssue(issue);
    },
  });
  if (result.success) return { ok: true, data: result.data };
  const errors: BundleDiagnostic[] = [];
  for (const issue of result.error.issues) {
    const path = [...prefix, ...issue.path.map(pathSegment)];
    if (issue.code === "unrecognized_keys") {
      const holder = valueAt(value, issue.path.map(pathSegment));
      const allowed = isObject(holder) ? (allowedKeys.get(holder) ?? []) : [];
      for (const key of issue.keys)
        errors.push(source.diagnostic([...path, key], unknownKeyMessage(key, allowed)));
    } else {
      errors.push(source.diagnostic(path, issue.message));
    }
  }
  return { ok: false, errors };
}

function pathSegment(segment: PropertyKey): string | number {
  return typeof segment === "number" ? segment : String(segment);
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let current = value;
  for (const segment of path) {
    if (!isObject(current)) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/** `unknown key "severty" (did you mean "severity"?)`, or the allowed keys when none is close. */
function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const near = closest(key, allowed);
  if (near) return `unknown key "${key}" (did you mean "${near}"?)`;
  if (allowed.length === 0) return `unknown key "${key}"`;
  return `unknown key "${key}"; allowed keys: ${allowed.join(", ")}`;
}

/** The candidate within a small edit distance of `word`, for typo hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** How a value looks in YAML terms, for "got …" in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return typeof value;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  map: "a mapping",
  array: "a list",
  tuple: "a list",
  null: "null",
};

type RawIssue = z.core.$ZodRawIssue;

/** The message for an issue, in YAML terms; used as the parse's error map, so schema-level messages still win. */
export function describeIssue(issue: RawIssue): string {
  const got = describeValue(issue.input);
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return `required key is missing (expected ${typeName(issue.expected)})`;
      if (
        issue.expected === "string" &&
        (typeof issue.input === "number" || typeof issue.input === "boolean")
      ) {
        return `expected a string, got ${got} (put it in quotes to make it text)`;
      }
      return `expected ${typeName(issue.expected)}, got ${got}`;
    case "invalid_value":
      if (issue.values.length === 1) return `expected ${String(issue.values[0])}, got ${got}`;
      return `expected one of ${issue.values.map(String).join(", ")}, got ${got}`;
    case "too_small":
      return bound("at least", issue.origin, issue.minimum, issue.inclusive, got);
    case "too_big":
      return bound("at most", issue.origin, issue.maximum, issue.inclusive, got);
    case "invalid_format":
      if (issue.format === "regex" && "pattern" in issue)
        return `expected text matching ${String(issue.pattern)}, got ${got}`;
      return `expected ${issue.format === "url" ? "a URL" : `a ${issue.format}`}, got ${got}`;
    case "not_multiple_of":
      return `expected a multiple of ${String(issue.divisor)}, got ${got}`;
    case "unrecognized_keys":
      return issue.keys.map((key) => `unknown key "${key}"`).join("; ");
    case "invalid_union":
      return `does not match any of the allowed forms, got ${got}`;
    case "invalid_key":
      return `invalid key, got ${got}`;
    case "invalid_element":
      return `invalid entry, got ${got}`;
    default:
      return issue.message ?? `invalid value, got ${got}`;
  }
}

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function bound(
  relation: "at least" | "at most",
  origin: string,
  limit: number | bigint | Date,
  inclusive: boolean | undefined,
  got: string,
): string {
  const n = Number(limit);
  switch (origin) {
    case "array":
    case "set":
      return `expected ${relation} ${n} ${n === 1 ? "entry" : "entries"}`;
    case "string":
      if (relation === "at least" && n === 1) return "must not be empty";
      return `expected ${relation} ${n} characters`;
    default: {
      const op =
        relation === "at least" ? (inclusive === false ? ">" : ">=") : inclusive === false ? "<" : "<=";
      return `expected a number ${op} ${n}, got ${got}`;
    }
  }
}
