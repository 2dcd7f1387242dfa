/**
 * Exclusions in Gradle build scripts (Groovy and Kotlin DSL): `exclude`, `excludeTestsMatching`,
 * `excludeTags`, `excludeCategories` and `enabled = false` inside a test task's configuration. No Groovy
 * parser exists for JavaScript; the project's code lexer (Kotlin syntax, which covers Groovy's comments
 * and quoted strings) tells code from text, and each block is named by what opens it. Pure.
 */
import { lex, lineAt, lineStarts, SYNTAXES } from "../code-lexer.js";
import { commentsOf } from "./comments.js";
import type { DetectedExclusion } from "./types.js";

const EXCLUDING = [
  "excludeTestsMatching",
  "excludeTags",
  "excludeCategories",
  "excludeGroups",
  "excludeEngines",
  "exclude",
];
/** Blocks that configure a test task, and dependency blocks that only mention tests. */
const TEST_BLOCK = /test|useJUnit|useTestNG|filter/i;
const DEPENDENCY_BLOCK =
  /test(Implementation|RuntimeOnly|CompileOnly|Compile|Runtime|FixturesApi|Fixtures)|dependencies|configurations/i;

export function gradleExclusions(source: string): DetectedExclusion[] {
  const lexed = lex(source, SYNTAXES.kotlin);
  const { code } = lexed;
  const starts = lineStarts(source);
  const lines = source.split("\n");
  const found: DetectedExclusion[] = [];
  /** Whether each open block configures a test task. */
  const blocks: boolean[] = [];
  let statementStart = 0;
  for (let i = 0; i < code.length; i++) {
    const char = code[i];
    if (char === "{") {
      const opener = source.slice(statementStart, i);
      const inTest = blocks.some(Boolean);
      blocks.push(!DEPENDENCY_BLOCK.test(opener) && (inTest || TEST_BLOCK.test(opener)));
      statementStart = i + 1;
    } else if (char === "}") {
      blocks.pop();
      statementStart = i + 1;
    } else if (char === "\n" || char === ";") {
      statementStart = i + 1;
    } else if (blocks[blocks.length - 1] && /\w/.test(char ?? "") && !/\w/.test(code[i - 1] ?? "")) {
      let end = i;
      while (/\w/.test(code[end] ?? "")) end++;
      const word = code.slice(i, end);
      const line = lineAt(starts, i);
      const rest = code.slice(end, starts[line] ?? code.length);
      if (EXCLUDING.includes(word) && /^\s*[("']/.test(rest)) {
        // `exclude group: …` / `exclude(module = …)` drop a dependency, not a test.
        const statement = source.slice(end, starts[line] ?? source.length).trimStart();
        if (!/^\(?\s*(group|module)\s*[:=]/.test(statement)) {
          for (const span of lexed.strings.filter(
            (s) => s.start >= end && s.start < (starts[line] ?? code.length),
          ))
            found.push({
              runner: "Gradle",
              setting: word,
              excluded: source.slice(span.start + 1, span.end - 1),
              effect: "exclude",
              line,
              comments: commentsOf(lines, line, ["//", "/*", "*"]),
            });
        }
      } else if (word === "enabled" && /^\s*=\s*false\b/.test(rest)) {
        found.push({
          runner: "Gradle",
          setting: "enabled = false",
          excluded: "every test of the task",
          effect: "exclude",
          line,
          comments: commentsOf(lines, line, ["//", "/*", "*"]),
        });
      }
      i = end - 1;
    }
  }
  return found;
}
