/**
 * Exclusions in JSON and YAML configuration: `package.json` (its `scripts` and its `jest` and `mocha`
 * keys), `jest.config.json` and `.mocharc.json`/`.mocharc.yml`. Both are read with the `yaml` parser, JSON being YAML, because
 * its LineCounter gives each value's line, which `JSON.parse` does not. Pure.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { exclusionsInCommandLine } from "./command-line.js";
import { commentsOf } from "./comments.js";
import { type JsRunner, settingExclusions } from "./config-keys.js";
import type { DetectedExclusion } from "./types.js";

interface Leaf {
  keys: string[];
  value: string;
  line: number;
  /** The line of the key that holds the value (a list's entries sit below it). */
  keyLine: number;
}

/**
 * The leaves of a JSON or YAML document with their lines. JSON is checked with `JSON.parse` first: the
 * YAML parser, which gives the lines, reports one error per bad token, so malformed input costs it far
 * more than a strict parser that stops at the first.
 */
function parse(source: string, json: boolean): { leaves: Leaf[] } | { unparsed: string } {
  if (json) {
    try {
      JSON.parse(source);
    } catch (error) {
      const message = (error as Error).message;
      const position = Number(/at position (\d+)/.exec(message)?.[1] ?? 0);
      const line = source.slice(0, position).split("\n").length;
      return { unparsed: `line ${line}: ${message.replace(/ \(line \d+ column \d+\)$/, "")}` };
    }
  }
  const lineCounter = new LineCounter();
  // Errors are not pretty-printed: formatting thousands of them with context took seconds.
  const doc = parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const lineOf = (node: Node) => lineCounter.linePos(node.range?.[0] ?? 0).line;
  const problem = doc.errors[0];
  if (problem) {
    const where = lineCounter.linePos(problem.pos[0]).line;
    return { unparsed: `line ${where}: ${problem.message.split("\n")[0]}` };
  }
  const leaves: Leaf[] = [];
  const walk = (node: unknown, keys: string[], keyLine: number) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : "";
        walk(pair.value, [...keys, key], isScalar(pair.key) ? lineOf(pair.key) : keyLine);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item, keys, keyLine);
    } else if (isScalar(node) && (typeof node.value === "string" || typeof node.value === "boolean")) {
      leaves.push({ keys, value: String(node.value), line: lineOf(node), keyLine });
    }
  };
  walk(doc.contents, [], 1);
  return { leaves };
}

/** Settings of `runner` in `leaves`, from the key path `under` down. */
function settingsOf(runner: JsRunner, leaves: readonly Leaf[], under: readonly string[], lines: string[]) {
  const inverted = leaves.some(
    (l) => l.keys.join(".") === [...under, "invert"].join(".") && l.value === "true",
  );
  return leaves
    .filter((leaf) => under.every((key, i) => leaf.keys[i] === key))
    .flatMap((leaf) =>
      settingExclusions(runner, leaf.keys.slice(under.length), [leaf.value], { inverted }).map(
        (found): DetectedExclusion => ({
          ...found,
          line: leaf.line,
          // A comment above the key covers the entries of a list written below it.
          comments: [
            ...(leaf.keyLine !== leaf.line ? commentsOf(lines, leaf.keyLine, ["#"]) : []),
            ...commentsOf(lines, leaf.line, ["#"]),
          ],
        }),
      ),
    );
}

/** `package.json`: its scripts' command lines and its `jest` and `mocha` configuration. */
export function packageJsonExclusions(source: string): DetectedExclusion[] | { unparsed: string } {
  const parsed = parse(source, true);
  if ("unparsed" in parsed) return parsed;
  const scripts = parsed.leaves
    .filter((leaf) => leaf.keys.length === 2 && leaf.keys[0] === "scripts")
    .flatMap((leaf) =>
      exclusionsInCommandLine(leaf.value).map(
        (found): DetectedExclusion => ({ ...found, line: leaf.line, comments: [] }),
      ),
    );
  return [
    ...scripts,
    ...settingsOf("Jest", parsed.leaves, ["jest"], []),
    ...settingsOf("Mocha", parsed.leaves, ["mocha"], []),
  ];
}

/** A runner's JSON or YAML configuration file (`.mocharc.yml`); YAML's `#` comments are read. */
export function dataConfigExclusions(
  runner: JsRunner,
  source: string,
  yaml: boolean,
): DetectedExclusion[] | { unparsed: string } {
  const parsed = parse(source, !yaml);
  if ("unparsed" in parsed) return parsed;
  return settingsOf(runner, parsed.leaves, [], yaml ? source.split("\n") : []);
}
