/**
 * Exclusions in pytest's configuration and in the Python files that drive it: `pytest.ini`, `tox.ini`
 * and `setup.cfg` (INI), `pyproject.toml`, `conftest.py` (collection lists and hooks) and `noxfile.py`
 * (the commands a session runs). Pure.
 */
import { parse as parseToml } from "smol-toml";
import { lex, lineAt, lineStarts, SYNTAXES } from "../code-lexer.js";
import { commandsOf, exclusionsInCommand, exclusionsInCommandLine } from "./command-line.js";
import { commentsOf } from "./comments.js";
import { onlyNonTestDirectories } from "./config-keys.js";
import type { DetectedExclusion, Found } from "./types.js";

interface IniValue {
  section: string;
  key: string;
  /** The value's lines: the one after `=` and each indented continuation, with their file lines. */
  lines: Array<{ text: string; line: number }>;
}

/**
 * A small INI reader that keeps line numbers, which the `ini` package drops, and reads indented
 * continuation lines as part of the value above, as pytest and tox do (`addopts =` over several lines).
 */
export function readIni(source: string): IniValue[] {
  const values: IniValue[] = [];
  let section = "";
  let current: IniValue | undefined;
  for (const [i, raw] of source.split("\n").entries()) {
    const text = raw.replace(/\r$/, "");
    const trimmed = text.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    if (/^\s/.test(text) && current) {
      current.lines.push({ text: trimmed, line: i + 1 });
      continue;
    }
    if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
      section = trimmed.slice(1, -1).trim();
      current = undefined;
      continue;
    }
    const separator = trimmed.search(/[=:]/);
    if (separator <= 0) continue;
    current = { section, key: trimmed.slice(0, separator).trim(), lines: [] };
    const first = trimmed.slice(separator + 1).trim();
    if (first !== "") current.lines.push({ text: first, line: i + 1 });
    values.push(current);
  }
  return values;
}

const PYTEST_SECTIONS = new Set(["pytest", "tool:pytest"]);

/** pytest's `addopts` and `norecursedirs` read from one line of their value. */
function pytestOption(key: string, text: string): Found[] {
  if (key === "addopts") return exclusionsInCommand(["pytest", ...commandsOf(text).flat()]);
  if (key === "norecursedirs")
    return text
      .split(/\s+/)
      .filter((dir) => dir !== "" && !onlyNonTestDirectories(dir))
      .map((dir) => ({ runner: "pytest", setting: "norecursedirs", excluded: dir, effect: "exclude" }));
  return [];
}

/** `pytest.ini`, `setup.cfg` and `tox.ini`: pytest's section, and tox's `commands`. */
export function iniExclusions(source: string): DetectedExclusion[] {
  const lines = source.split("\n");
  const found: DetectedExclusion[] = [];
  for (const value of readIni(source)) {
    for (const { text, line } of value.lines) {
      const exclusions = PYTEST_SECTIONS.has(value.section)
        ? pytestOption(value.key, text)
        : value.section.startsWith("testenv") && value.key === "commands"
          ? exclusionsInCommandLine(text)
          : [];
      for (const exclusion of exclusions)
        found.push({ ...exclusion, line, comments: commentsOf(lines, line, ["#", ";"]) });
    }
  }
  return found;
}

/** `pyproject.toml`'s `[tool.pytest.ini_options]`, located line by line once parsed. */
export function pyprojectExclusions(source: string): DetectedExclusion[] | { unparsed: string } {
  let document: Record<string, unknown>;
  try {
    document = parseToml(source);
  } catch (error) {
    return { unparsed: (error as Error).message.split("\n")[0] ?? "invalid TOML" };
  }
  const tool = document.tool as { pytest?: { ini_options?: Record<string, unknown> } } | undefined;
  const options = tool?.pytest?.ini_options;
  if (!options) return [];
  const lines = source.split("\n");
  const section = lines.findIndex((l) => l.trim().replaceAll(" ", "") === "[tool.pytest.ini_options]");
  const found: DetectedExclusion[] = [];
  for (const key of ["addopts", "norecursedirs"]) {
    const value = options[key];
    const items = typeof value === "string" ? [value] : Array.isArray(value) ? value.map(String) : [];
    for (const item of items) {
      for (const exclusion of pytestOption(key, item)) {
        const line = lineHolding(lines, section, exclusion.excluded);
        found.push({ ...exclusion, line, comments: commentsOf(lines, line, ["#"]) });
      }
    }
  }
  return found;
}

/** The first line from `from` (0-based) holding `text`, 1-based; the section's line when none does. */
function lineHolding(lines: readonly string[], from: number, text: string): number {
  const index = lines.findIndex((l, i) => i >= from && l.includes(text));
  return (index === -1 ? Math.max(from, 0) : index) + 1;
}

/** Statements in a conftest that make pytest deselect the tests a hook was given. */
const DESELECTING = [
  "pytest_deselected(",
  "items[:] =",
  "items[:]=",
  "items.remove(",
  "del items[",
  "items.clear(",
];
const HOOKS: Record<string, string> = {
  pytest_ignore_collect: "the files the pytest_ignore_collect hook ignores",
  pytest_collection_modifyitems: "the tests the pytest_collection_modifyitems hook deselects",
};

/** `conftest.py`: `collect_ignore`, `collect_ignore_glob`, and hooks that drop files or deselect tests. */
export function conftestExclusions(source: string): DetectedExclusion[] {
  const lexed = lex(source, SYNTAXES.python);
  const starts = lineStarts(source);
  const codeLines = lexed.code.split("\n");
  const lines = source.split("\n");
  const found: DetectedExclusion[] = [];
  const add = (line: number, setting: string, excluded: string) =>
    found.push({
      runner: "pytest",
      setting,
      excluded,
      effect: "exclude",
      line,
      comments: commentsOf(lines, line, ["#"]),
    });
  let hook: { name: string; indent: number } | undefined;
  for (const [i, code] of codeLines.entries()) {
    const line = i + 1;
    const indent = code.length - code.trimStart().length;
    if (code.trim() !== "" && hook && indent <= hook.indent) hook = undefined;
    const definition = /^(\s*)def\s+(pytest_\w+)\s*\(/.exec(code);
    if (definition && HOOKS[definition[2] ?? ""] !== undefined) {
      hook = { name: definition[2] ?? "", indent: definition[1]?.length ?? 0 };
      if (hook.name === "pytest_ignore_collect") add(line, hook.name, HOOKS[hook.name] ?? "");
      continue;
    }
    if (hook?.name === "pytest_collection_modifyitems" && DESELECTING.some((d) => code.includes(d)))
      add(line, hook.name, HOOKS[hook.name] ?? "");
    const collect = /\b(collect_ignore(?:_glob)?)\b\s*(\+?=|\.append\(|\.extend\(|\.insert\()/.exec(code);
    if (!collect) continue;
    // Every string of the statement, up to the line where its brackets close.
    const statementEnd = endOfStatement(codeLines, i);
    const from = starts[i] ?? 0;
    const to = (starts[statementEnd + 1] ?? source.length + 1) - 1;
    for (const span of lexed.strings.filter((s) => s.start >= from && s.end <= to)) {
      const value = source
        .slice(span.start, span.end)
        .replace(/^[rRbBuU]*(["'])/, "")
        .replace(/["']$/, "");
      add(lineAt(starts, span.start), collect[1] ?? "collect_ignore", value);
    }
  }
  return found;
}

/** The 0-based line where a statement starting at `start` ends: where its brackets balance. */
function endOfStatement(codeLines: readonly string[], start: number): number {
  let depth = 0;
  for (let i = start; i < codeLines.length; i++) {
    for (const char of codeLines[i] ?? "") {
      if (char === "(" || char === "[" || char === "{") depth++;
      else if (char === ")" || char === "]" || char === "}") depth--;
    }
    if (depth <= 0) return i;
  }
  return codeLines.length - 1;
}

/** `noxfile.py`: the command each `session.run(…)` runs, read from its string arguments. */
export function noxfileExclusions(source: string): DetectedExclusion[] {
  const lexed = lex(source, SYNTAXES.python);
  const starts = lineStarts(source);
  const codeLines = lexed.code.split("\n");
  const lines = source.split("\n");
  const found: DetectedExclusion[] = [];
  for (const [i, code] of codeLines.entries()) {
    if (!/\bsession\.run\s*\(/.test(code)) continue;
    const end = endOfStatement(codeLines, i);
    const from = starts[i] ?? 0;
    const to = (starts[end + 1] ?? source.length + 1) - 1;
    const words = lexed.strings
      .filter((s) => s.start >= from && s.end <= to)
      .map((s) =>
        source
          .slice(s.start, s.end)
          .replace(/^[rRbBuUfF]*(["'])/, "")
          .replace(/["']$/, ""),
      );
    const line = lineAt(starts, from);
    for (const exclusion of exclusionsInCommand(words))
      found.push({
        ...exclusion,
        line,
        ...(end + 1 !== line ? { endLine: end + 1 } : {}),
        comments: commentsOf(lines, line, ["#"]),
      });
  }
  return found;
}
