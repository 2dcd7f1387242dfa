/**
 * Conventional Commits headers judged by `@commitlint/lint` with `@commitlint/config-conventional`'s rules,
 * shared by the `commit-message` and `pr-title` rules (a squash merge makes the title the commit header).
 */
import config from "@commitlint/config-conventional";
import lint from "@commitlint/lint";
import createPreset from "conventional-changelog-conventionalcommits";
import { z } from "zod";
import { INPUT_LIMITS, tooLarge } from "../../util/input-limits.js";

type LintRules = NonNullable<Parameters<typeof lint>[1]>;

/** config-conventional's commit types: build, chore, ci, docs, feat, fix, perf, refactor, revert, style, test. */
const CONVENTIONAL_TYPES: readonly string[] = config.rules["type-enum"][2];

const ERROR = config.rules["type-empty"][0];
const BODY_MAX_LINE_LENGTH = config.rules["body-max-line-length"][2];
const FOOTER_MAX_LINE_LENGTH = config.rules["footer-max-line-length"][2];

/**
 * The preset's parser options (without them commitlint cannot read `feat(api)!: x`), built once, with issue
 * references turned off: no rule reads them, and the parser's reference pattern backtracks in cubic time on
 * a long line (one 800-character word took a second). The one visible effect: a reference line such as
 * `Refs #12` no longer starts the footer, so a long line after it is reported as a body line; the limit is
 * the same, config-conventional's 100 characters for body and footer lines alike.
 */
const parserOpts = { ...createPreset().parser, issuePrefixes: undefined, referenceActions: undefined };

/** The options both rules take, spread into each rule's own strict options object. */
export const conventionalHeaderOptions = {
  types: z
    .array(
      z
        .string()
        .regex(/^[a-z0-9_]+$/, "a type is lower-case letters, digits or _ (the header parser reads \\w+)"),
    )
    .min(1)
    .default([...CONVENTIONAL_TYPES]),
  /** Allowed scopes; absent means any scope. */
  scopes: z.array(z.string().min(1)).min(1).optional(),
  requireScope: z.boolean().default(false),
  headerMaxLength: z.number().int().positive().default(100),
};

const HeaderOptionsSchema = z.object(conventionalHeaderOptions);
export type HeaderOptions = z.infer<typeof HeaderOptionsSchema>;

/** One commitlint rule that failed, such as `type-enum`, with commitlint's own message. */
interface ConventionalProblem {
  rule: string;
  message: string;
}

function lintRules(options: HeaderOptions): LintRules {
  const rules: LintRules = {
    ...config.rules,
    "type-enum": [ERROR, "always", options.types],
    "header-max-length": [ERROR, "always", options.headerMaxLength],
  };
  if (options.scopes) rules["scope-enum"] = [ERROR, "always", options.scopes];
  if (options.requireScope) rules["scope-empty"] = [ERROR, "never"];
  return rules;
}

/** The first line of a commit message. */
export function headerOf(message: string): string {
  return message.split(/\r?\n/, 1)[0] ?? "";
}

/**
 * Why a message (its header first) is too large to give commitlint, whose parser backtracks on long
 * lines; undefined when it can be read. `what` names the message, such as `the message of commit abc1234`.
 */
export function unreadableMessage(what: string, message: string): string | undefined {
  return (
    tooLarge(`the header of ${what}`, headerOf(message), { chars: INPUT_LIMITS.headerChars }) ??
    tooLarge(what, message, { chars: INPUT_LIMITS.messageChars, lineChars: INPUT_LIMITS.messageLineChars })
  );
}

// The merge messages git, GitHub and other hosts write; commitlint ignores the same ones by default.
const MERGE_HEADER =
  /^(?:Merge (?:pull request|branch|remote-tracking branch|tag) |Merge .+ into |Merged .+ in(?:to)? |Merged PR |Automatic merge|Auto-merged .+ into )/;

/** Whether the message is one git or a forge writes for a merge commit. */
export function isMergeMessage(message: string): boolean {
  return MERGE_HEADER.test(headerOf(message));
}

/**
 * The commitlint errors for a message, in commitlint's order. Messages commitlint ignores by default
 * (merges, reverts, `fixup!`, version bumps) have none, except merges when `lintMerges` is set.
 */
export async function lintConventional(
  message: string,
  options: HeaderOptions,
  { lintMerges = false }: { lintMerges?: boolean } = {},
): Promise<ConventionalProblem[]> {
  const outcome = await lint(message, lintRules(options), {
    parserOpts,
    defaultIgnores: !(lintMerges && isMergeMessage(message)),
  });
  return outcome.errors.map((error) => ({ rule: error.name, message: error.message }));
}

/** The header shape the options ask for, such as `type(scope)?: subject, type one of: feat, fix`. */
export function headerShape(options: HeaderOptions): string {
  const scope = options.requireScope ? "(scope)" : "(scope)?";
  const scopes = options.scopes ? `; scope one of: ${options.scopes.join(", ")}` : "";
  return `type${scope}: subject, type one of: ${options.types.join(", ")}${scopes}`;
}

/** What a header must look like to satisfy one commitlint rule, as a short literal. */
export function expectedFor(rule: string, options: HeaderOptions): string {
  switch (rule) {
    case "header-max-length":
      return `a header of at most ${options.headerMaxLength} characters`;
    case "body-max-line-length":
      return `body lines of at most ${BODY_MAX_LINE_LENGTH} characters`;
    case "footer-max-line-length":
      return `footer lines of at most ${FOOTER_MAX_LINE_LENGTH} characters`;
    case "subject-case":
      return "a subject starting in lower case";
    case "subject-full-stop":
      return 'a subject not ending with "."';
    default:
      return headerShape(options);
  }
}

const TYPED_HEADER = /^([A-Za-z]+)(\([^()]*\))?(!?)\s*:\s*(.*)$/;

/** What a header's problems come to, in plain words, with what to expect and the offending text. */
interface PlainProblems {
  /** Each problem as a reader says it ("the type "wip" is not one of …"), header first, no duplicates. */
  problems: string[];
  /** What the text should be instead, one entry per kind of problem. */
  expected: string[];
  /** The offending text: the header when it is at fault, then each body or footer line over the limit. */
  found: string[];
  /** Whether the header is at fault (a body or footer line may be too). */
  header: boolean;
  /** Whether a body or footer line is too long. */
  lines: boolean;
}

const LINE_RULES = new Set(["body-max-line-length", "footer-max-line-length"]);
/** Header problems in the order a reader meets them: the type, the scope, the subject, then the whole line. */
const READING_ORDER = [
  "type-empty",
  "subject-empty",
  "type-case",
  "type-enum",
  "scope-empty",
  "scope-case",
  "scope-enum",
  "subject-case",
  "subject-full-stop",
  "header-max-length",
  "header-trim",
];
const readingRank = (rule: string) => {
  const rank = READING_ORDER.indexOf(rule);
  return rank === -1 ? READING_ORDER.length : rank;
};

/** Whether the header's type, lower-cased, is one the options allow. */
function knownType(header: string, options: HeaderOptions): boolean {
  const type = TYPED_HEADER.exec(header.trim())?.[1];
  return type !== undefined && options.types.includes(type.toLowerCase());
}

/** One commitlint error in words, read against the header it judged. */
function inWords(
  rule: string,
  header: string,
  options: HeaderOptions,
  fallback: string,
  noun: string,
): string {
  const typed = TYPED_HEADER.exec(header.trim());
  const type = typed?.[1] ?? "";
  const scope = typed?.[2]?.slice(1, -1) ?? "";
  switch (rule) {
    case "type-empty":
      return typed
        ? `the ${noun} has no type before the colon`
        : `the ${noun} does not start with a type and a colon, as in "feat: add login"`;
    case "subject-empty":
      return typed
        ? `the ${noun} has nothing after "${type}:"`
        : `the ${noun} does not start with a type and a colon, as in "feat: add login"`;
    case "type-case":
      return `the type "${type}" is not lower-case`;
    case "type-enum":
      return `the type "${type}" is not one of ${options.types.join(", ")}`;
    case "scope-case":
      return `the scope "${scope}" is not lower-case`;
    case "scope-enum":
      return `the scope "${scope}" is not one of ${options.scopes?.join(", ") ?? "the allowed scopes"}`;
    case "scope-empty":
      return `the ${noun} names no scope, as in "feat(api): add login"`;
    case "header-max-length":
      return `the ${noun} is ${header.length} characters long, more than the ${options.headerMaxLength} allowed`;
    case "header-trim":
      return `the ${noun} starts or ends with whitespace`;
    case "subject-case":
      return "the subject starts with a capital letter or is all capitals";
    case "subject-full-stop":
      return 'the subject ends with "."';
    default:
      return fallback;
  }
}

/**
 * A message's commitlint errors in plain words (no rule ids), with what is expected and the offending text:
 * the header when it is at fault, and each body or footer line over the limit, quoted whole.
 */
export function plainProblems(
  message: string,
  errors: ConventionalProblem[],
  options: HeaderOptions,
  /** What the first line is called: a commit's `header`, or a pull request's `title`. */
  noun = "header",
): PlainProblems {
  const header = headerOf(message);
  const headerErrors = errors
    .filter((e) => !LINE_RULES.has(e.rule))
    .sort((a, b) => readingRank(a.rule) - readingRank(b.rule));
  const lineErrors = errors.filter((e) => LINE_RULES.has(e.rule));
  const typeCase = headerErrors.some((e) => e.rule === "type-case");
  const untyped = !TYPED_HEADER.test(header.trim());
  const problems = [
    ...new Set(
      headerErrors
        // A capitalised known type ("Feat") is one problem, its case, not also an unknown type.
        .filter((e) => !(typeCase && e.rule === "type-enum" && knownType(header, options)))
        // A header with no type at all has no scope either; saying so twice helps nobody.
        .filter((e) => !(untyped && e.rule === "scope-empty"))
        .map((e) => inWords(e.rule, header, options, e.message, noun)),
    ),
  ];
  const found = headerErrors.length > 0 ? [header] : [];
  if (lineErrors.length > 0) {
    const limit = Math.min(BODY_MAX_LINE_LENGTH, FOOTER_MAX_LINE_LENGTH);
    const long = message
      .split(/\r?\n/)
      .slice(1)
      .filter((line) => line.length > limit);
    problems.push(
      long.length === 1
        ? `a line after the ${noun} is ${long[0]?.length} characters long, more than the ${limit} allowed`
        : `${long.length} lines after the ${noun} are longer than the ${limit} characters allowed`,
    );
    found.push(...long);
  }
  return {
    problems,
    expected: [...new Set([...headerErrors, ...lineErrors].map((e) => expectedFor(e.rule, options)))],
    found,
    header: headerErrors.length > 0,
    lines: lineErrors.length > 0,
  };
}
// Only verbs whose type is unambiguous ("Update ..." could be any type). A "Fix" verb would repeat the
// type ("fix: fix the crash"), so it is dropped; "Add" stays ("feat: add login").
const LEADING_VERBS: Readonly<Record<string, { type: string; keepVerb: boolean }>> = {
  add: { type: "feat", keepVerb: true },
  implement: { type: "feat", keepVerb: true },
  introduce: { type: "feat", keepVerb: true },
  fix: { type: "fix", keepVerb: false },
  fixes: { type: "fix", keepVerb: false },
  fixed: { type: "fix", keepVerb: false },
};

/** Lower-cases a capitalised first word ("Add" -> "add") but leaves acronyms ("API") alone. */
function lowerFirstWord(text: string): string {
  return /^[A-Z](?:[a-z]|$|\s)/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function cleanSubject(subject: string): string {
  return lowerFirstWord(subject.trim().replace(/\.+$/, "").trim());
}

/** A corrected header; `guessedType` when the type was read from a leading verb and may not fit the change. */
interface HeaderSuggestion {
  header: string;
  guessedType?: string;
}

/**
 * A corrected header when one can be derived mechanically (case, full stop, spacing, or a leading verb
 * such as "Add" that names the type) and the result passes every rule; otherwise undefined.
 */
export async function suggestHeader(
  header: string,
  options: HeaderOptions,
): Promise<HeaderSuggestion | undefined> {
  const trimmed = header.trim();
  const typed = TYPED_HEADER.exec(trimmed);
  let suggestion: HeaderSuggestion | undefined;
  if (typed) {
    const [, type = "", scope = "", bang = "", subject = ""] = typed;
    suggestion = { header: `${type.toLowerCase()}${scope}${bang}: ${cleanSubject(subject)}` };
  } else {
    const [first = "", ...words] = trimmed.split(/\s+/);
    const verb = LEADING_VERBS[first.toLowerCase()];
    if (verb && words.length > 0) {
      const subject = verb.keepVerb ? trimmed : words.join(" ");
      suggestion = { header: `${verb.type}: ${cleanSubject(subject)}`, guessedType: verb.type };
    }
  }
  if (suggestion === undefined || suggestion.header === header) return undefined;
  return (await lintConventional(suggestion.header, options)).length === 0 ? suggestion : undefined;
}

/** The caveat a suggestion with a guessed type needs, with a leading space; empty otherwise. */
export function guessedTypeCaveat(suggestion: HeaderSuggestion): string {
  return suggestion.guessedType
    ? ` (if "${suggestion.guessedType}" does not describe the change, use the type that does)`
    : "";
}
