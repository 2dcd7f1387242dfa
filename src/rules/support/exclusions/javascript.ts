/**
 * Exclusions in JavaScript and TypeScript configuration files (`jest.config.ts`, `vitest.config.mts`,
 * `playwright.config.ts`, `.mocharc.js`). They are programs, and TypeScript ones need a TypeScript
 * parser; the project's code lexer already tells code from strings and comments, so the settings are
 * read from the code with the nesting of the objects that hold them. Pure.
 */
import { lex, lineAt, lineStarts, SYNTAXES } from "../code-lexer.js";
import { commentsOf } from "./comments.js";
import { type JsRunner, settingExclusions } from "./config-keys.js";
import type { DetectedExclusion } from "./types.js";

const IDENTIFIER = /[\w$]/;

/** The exclusions a JavaScript or TypeScript configuration of `runner` sets. */
export function javascriptConfigExclusions(runner: JsRunner, source: string): DetectedExclusion[] {
  const lexed = lex(source, SYNTAXES.javascript);
  const { code } = lexed;
  const starts = lineStarts(source);
  const lines = source.split("\n");
  const literalAt = new Map(lexed.strings.map((span) => [span.start, span]));
  /** Keys of the objects that hold the position, outermost first (`undefined` for an array or a call). */
  const stack: Array<string | undefined> = [];
  let pendingKey: string | undefined;
  const found: DetectedExclusion[] = [];
  for (let i = 0; i < code.length; i++) {
    const char = code[i] ?? "";
    if (char === "{" || char === "[" || char === "(") {
      stack.push(char === "(" ? undefined : pendingKey);
      pendingKey = undefined;
    } else if (char === "}" || char === "]" || char === ")") {
      stack.pop();
      pendingKey = undefined;
    } else if (char === ",") {
      pendingKey = undefined;
    } else if (IDENTIFIER.test(char) || char === '"' || char === "'") {
      const literal = literalAt.get(i);
      let end = i;
      let name: string;
      if (literal) {
        end = literal.end;
        name = source.slice(literal.start + 1, literal.end - 1);
      } else {
        while (end < code.length && IDENTIFIER.test(code[end] ?? "")) end++;
        name = code.slice(i, end);
      }
      let after = end;
      while (after < code.length && /\s/.test(code[after] ?? "")) after++;
      if (code[after] === ":" && code[after + 1] !== ":") {
        pendingKey = name;
        const keys = [...stack.filter((k) => k !== undefined), name];
        const value = valueSpan(code, after + 1);
        // Each value is reported at its own line: an array may gain one entry in a pull request.
        for (const span of lexed.strings.filter((s) => s.start >= value.start && s.end <= value.end)) {
          const line = lineAt(starts, span.start);
          const keyLine = lineAt(starts, i);
          // A comment above the key covers the entries of an array written below it.
          const comments = [
            ...(keyLine !== line ? commentsOf(lines, keyLine, ["//", "/*", "*"]) : []),
            ...commentsOf(lines, line, ["//", "/*", "*"]),
          ];
          for (const exclusion of settingExclusions(runner, keys, [
            source.slice(span.start + 1, span.end - 1),
          ]))
            found.push({ ...exclusion, line, comments });
        }
      }
      i = Math.max(i, end - 1);
    }
  }
  return found;
}

/** The value after a `key:`, up to the `,` or closing bracket at its own depth. */
function valueSpan(code: string, from: number): { start: number; end: number } {
  let depth = 0;
  for (let i = from; i < code.length; i++) {
    const char = code[i];
    if (char === "{" || char === "[" || char === "(") depth++;
    else if (char === "}" || char === "]" || char === ")") {
      if (depth === 0) return { start: from, end: i };
      depth--;
    } else if (char === "," && depth === 0) return { start: from, end: i };
  }
  return { start: from, end: code.length };
}
