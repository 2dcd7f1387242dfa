/**
 * Regular expressions in src/ run on attacker-controlled text (pull requests, commit messages, file
 * contents) in a backtracking engine. A quantifier inside a quantified group, or overlapping alternatives
 * under a quantifier, can make such a pattern take exponential or polynomial time; this test refuses new
 * ones unless they are on the reviewed allow-list below, each with the reason it is safe.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type AST, RegExpParser } from "@eslint-community/regexpp";
import { describe, expect, it } from "@jest/globals";
import ts from "typescript";

const SRC = join(import.meta.dirname, "..", "..", "src");

/** Pattern sources (as written in src/) known to be safe, with why. Keep it short. */
const ALLOWED: ReadonlyMap<string, string> = new Map([
  [
    String.raw`(?:[^()]|\((?:[^()]|\([^()]*\))*\))*?`,
    "parentheses nested two deep, each level told apart by its delimiters: one way to match",
  ],
  [
    String.raw`(?:@\w+(?:\([^()]*\))?\s*)*`,
    "annotations: each starts at an @ outside parentheses and its arguments end at the first )",
  ],
  [
    "(?:(?:public|private|protected|internal|open|suspend|fun|void)\\s+)*",
    "keywords of letters each ended by spaces they cannot hold: one way to split",
  ],
]);

interface Hazard {
  /** The quantified element, as written. */
  raw: string;
  why: string;
}

const SAMPLE = [
  ...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)),
  "é",
  "\u00a0",
  "\u2028",
  "𝒳",
];

/** Characters of the sample alphabet an element can start with (a coarse but sound-enough overlap test). */
function firstChars(elements: readonly AST.Element[], flags: string): Set<string> {
  const found = new Set<string>();
  for (const element of elements) {
    switch (element.type) {
      case "Character":
      case "CharacterClass":
      case "CharacterSet":
      case "ExpressionCharacterClass": {
        const re = new RegExp(`^(?:${element.raw})$`, flags.replace(/[gy]/g, ""));
        for (const c of SAMPLE) if (re.test(c)) found.add(c);
        return found;
      }
      case "Group":
      case "CapturingGroup": {
        let empty = false;
        for (const alternative of element.alternatives) {
          for (const c of firstChars(alternative.elements, flags)) found.add(c);
          if (canBeEmpty(alternative.elements)) empty = true;
        }
        if (!empty) return found;
        break;
      }
      case "Quantifier":
        for (const c of firstChars([element.element], flags)) found.add(c);
        if (element.min > 0 && !canBeEmpty([element.element])) return found;
        break;
      case "Backreference":
        for (const c of SAMPLE) found.add(c);
        return found;
      default:
        break; // assertions consume nothing
    }
  }
  return found;
}

function canBeEmpty(elements: readonly AST.Element[]): boolean {
  return elements.every((element) => {
    switch (element.type) {
      case "Quantifier":
        return element.min === 0 || canBeEmpty([element.element]);
      case "Group":
      case "CapturingGroup":
        return element.alternatives.some((alternative) => canBeEmpty(alternative.elements));
      case "Assertion":
        return true;
      default:
        return false;
    }
  });
}

/** Characters of the sample alphabet one character element matches. */
function charsOf(element: AST.Node, flags: string): Set<string> {
  const re = new RegExp(`^(?:${element.raw})$`, flags.replace(/[gy]/g, ""));
  return new Set(SAMPLE.filter((c) => re.test(c)));
}

function isCharacterElement(node: AST.Node): boolean {
  return ["Character", "CharacterClass", "CharacterSet", "ExpressionCharacterClass"].includes(node.type);
}

/** The repeating quantifiers (maximum above one) within a node, the node included. */
function repeatingQuantifiers(node: AST.Node): AST.Quantifier[] {
  const found: AST.Quantifier[] = node.type === "Quantifier" && node.max > 1 ? [node] : [];
  const children =
    node.type === "Group" || node.type === "CapturingGroup"
      ? node.alternatives
      : node.type === "Alternative"
        ? node.elements
        : node.type === "Quantifier"
          ? [node.element]
          : [];
  return [...found, ...children.flatMap(repeatingQuantifiers)];
}

/** Every character of the sample alphabet that some character element within a node matches. */
function allChars(node: AST.Node, flags: string): Set<string> {
  if (isCharacterElement(node)) return charsOf(node, flags);
  if (node.type === "Backreference") return new Set(SAMPLE);
  const children =
    node.type === "Group" || node.type === "CapturingGroup"
      ? node.alternatives
      : node.type === "Alternative"
        ? node.elements
        : node.type === "Quantifier"
          ? [node.element]
          : [];
  return new Set(children.flatMap((child) => [...allChars(child, flags)]));
}

/**
 * Whether an alternative of a repeated group is tied to a delimiter: a character it must match at its top
 * level that no repeating quantifier in the group can match, so that each repetition ends at a place the
 * text fixes and the inner quantifiers cannot trade characters across repetitions (`(?:\s*\.\s*\w+)*`).
 */
function delimited(alternative: AST.Alternative, group: AST.Node, flags: string): boolean {
  const inner = repeatingQuantifiers(group)
    .filter((q) => q !== group)
    .map((q) => allChars(q.element, flags));
  return alternative.elements.some(
    (element) =>
      isCharacterElement(element) &&
      [...charsOf(element, flags)].every((c) => inner.every((set) => !set.has(c))),
  );
}

/** Quantified groups that hold a repeating quantifier, or alternatives that can start alike. */
function hazardsOf(source: string, flags: string): Hazard[] {
  const parser = new RegExpParser({ ecmaVersion: 2025 });
  const pattern = parser.parsePattern(source, 0, source.length, {
    unicode: flags.includes("u"),
    unicodeSets: flags.includes("v"),
  });
  const hazards: Hazard[] = [];
  const visit = (node: AST.Node) => {
    if (node.type === "Quantifier" && node.max > 1) {
      const inner = node.element;
      if ((inner.type === "Group" || inner.type === "CapturingGroup") && !ALLOWED.has(node.raw)) {
        const undelimited = inner.alternatives.some(
          (alternative) =>
            repeatingQuantifiers(alternative).length > 0 && !delimited(alternative, node, flags),
        );
        if (undelimited) {
          hazards.push({ raw: node.raw, why: "a repeating quantifier inside a repeated group" });
        } else {
          const starts = inner.alternatives.map((a) => firstChars(a.elements, flags));
          const overlap = starts.some((a, i) =>
            starts.slice(i + 1).some((b) => [...a].some((c) => b.has(c))),
          );
          if (overlap) hazards.push({ raw: node.raw, why: "alternatives that can start alike, repeated" });
        }
      }
    }
    const children =
      node.type === "Pattern" || node.type === "Group" || node.type === "CapturingGroup"
        ? node.alternatives
        : node.type === "Alternative"
          ? node.elements
          : node.type === "Quantifier"
            ? [node.element]
            : node.type === "Assertion" && "alternatives" in node
              ? node.alternatives
              : [];
    for (const child of children) visit(child);
  };
  visit(pattern);
  return hazards;
}

interface FoundPattern {
  where: string;
  source: string;
  flags: string;
  /** False for a template whose substitutions were replaced by placeholders. */
  constant: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/**
 * The pattern source an argument spells: a string, or a template whose substitutions (alternations of
 * names built at run time) stand as one placeholder word each.
 */
function sourceText(node: ts.Node | undefined): { text: string; constant: boolean } | undefined {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) {
    return { text: node.text, constant: true };
  }
  if (node && ts.isTemplateExpression(node)) {
    const text = node.head.text + node.templateSpans.map((span) => `(?:x)${span.literal.text}`).join("");
    return { text, constant: false };
  }
  return undefined;
}

function firstParameter(node: ts.Node): string | undefined {
  const fn =
    ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)
      ? node
      : undefined;
  const parameter = fn?.parameters[0]?.name;
  return parameter && ts.isIdentifier(parameter) ? parameter.text : undefined;
}

/** Names of the file's functions that pass their first parameter to `RegExp` (directly or through another). */
function patternBuilders(file: ts.SourceFile): Set<string> {
  const functions = new Map<string, ts.Node>();
  const collect = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) && node.name) functions.set(node.name.text, node);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      if (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer)) {
        functions.set(node.name.text, node.initializer);
      }
    }
    ts.forEachChild(node, collect);
  };
  collect(file);
  const builders = new Set(["RegExp"]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, fn] of functions) {
      const parameter = firstParameter(fn);
      if (builders.has(name) || !parameter) continue;
      let passes = false;
      const look = (node: ts.Node) => {
        if (
          (ts.isCallExpression(node) || ts.isNewExpression(node)) &&
          ts.isIdentifier(node.expression) &&
          builders.has(node.expression.text)
        ) {
          const first = node.arguments?.[0];
          if (first && ts.isIdentifier(first) && first.text === parameter) passes = true;
        }
        ts.forEachChild(node, look);
      };
      look(fn);
      if (passes) {
        builders.add(name);
        grew = true;
      }
    }
  }
  return builders;
}

/**
 * Every regular expression literal in src/, and every source handed to `RegExp(…)` or to a local function
 * that builds one (`marker("…")`), as a constant or a template with its substitutions as placeholders.
 */
function patternsInSrc(): FoundPattern[] {
  const found: FoundPattern[] = [];
  for (const path of sourceFiles(SRC)) {
    const file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
    const builders = patternBuilders(file);
    const where = (node: ts.Node) =>
      `${relative(SRC, path)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node) => {
      if (ts.isRegularExpressionLiteral(node)) {
        const text = node.text;
        const end = text.lastIndexOf("/");
        found.push({
          where: where(node),
          source: text.slice(1, end),
          flags: text.slice(end + 1),
          constant: true,
        });
      } else if (
        (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
        ts.isIdentifier(node.expression) &&
        builders.has(node.expression.text)
      ) {
        const source = sourceText(node.arguments?.[0]);
        // A helper's second argument may be anything; its patterns are taken as Unicode ones.
        const flags = node.expression.text === "RegExp" ? sourceText(node.arguments?.[1]) : undefined;
        if (source) {
          found.push({
            where: where(node),
            source: source.text,
            flags: flags?.text ?? "u",
            constant: source.constant,
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

/** The hazards of a pattern; a template that does not parse with placeholders is not a pattern on its own. */
function hazardsIn(pattern: FoundPattern): Hazard[] {
  try {
    return hazardsOf(pattern.source, pattern.flags);
  } catch (error) {
    if (!pattern.constant) return [];
    throw new Error(`${pattern.where}: ${(error as Error).message}`);
  }
}

describe("regular expressions in src/", () => {
  it("finds the patterns it is meant to check", () => {
    const patterns = patternsInSrc();
    expect(patterns.length).toBeGreaterThan(100);
    expect(patterns.some((p) => p.where.startsWith("facts/trailers.ts"))).toBe(true);
    // Built through local helpers: `marker("…")` in the skip detector.
    expect(patterns.some((p) => p.source.includes("markTestSkipped"))).toBe(true);
  });

  it("holds no nested or overlapping repetition outside the reviewed allow-list", () => {
    const flagged = patternsInSrc().flatMap((p) =>
      hazardsIn(p).map((h) => `${p.where}: ${h.raw} (${h.why})`),
    );
    expect(flagged).toEqual([]);
  });

  it.each([
    ["(a+)+", "a repeating quantifier inside a repeated group"],
    [String.raw`(\w+\s?)*`, "a repeating quantifier inside a repeated group"],
    [String.raw`(?:\w|\d)+`, "alternatives that can start alike, repeated"],
    ["(?:a|ab)*c", "alternatives that can start alike, repeated"],
    [String.raw`(?:\w+,?)*`, "a repeating quantifier inside a repeated group"],
  ])("flags %s", (source, why) => {
    expect(hazardsOf(source, "u")).toEqual([{ raw: expect.any(String), why }]);
  });

  it.each([
    String.raw`(?:\w+\s*,\s*)?\w+`,
    "(?:ab|cd)+",
    String.raw`(?:\s*\.\s*\w+)*`,
    `[^"]*"`,
    String.raw`(?:\s*\.\s*\w)`,
  ])("accepts %s", (source) => {
    expect(hazardsOf(source, "u")).toEqual([]);
  });
});
