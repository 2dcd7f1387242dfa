/**
 * Exclusions on the command lines of scripts: shell scripts, Makefile recipes, GitHub Actions `run:`
 * steps and `.rspec` option files. A line continued with `\` is read with its continuation, as the shell
 * reads it, and reported from its first line to its last. Pure.
 */

import { parseWorkflow } from "../workflow-steps.js";
import { commandsOf, exclusionsInCommand, exclusionsInCommandLine } from "./command-line.js";
import { commentsOf } from "./comments.js";
import type { DetectedExclusion } from "./types.js";

interface Line {
  text: string;
  line: number;
}

/** Lines joined with their `\` continuations, each with its first and last line. */
export function logicalLines(lines: readonly Line[]): Array<Line & { endLine: number }> {
  const joined: Array<Line & { endLine: number }> = [];
  let open: (Line & { endLine: number }) | undefined;
  for (const { text, line } of lines) {
    const continued = text.trimEnd().endsWith("\\");
    const part = continued ? text.trimEnd().slice(0, -1) : text;
    if (open) {
      open.text += ` ${part}`;
      open.endLine = line;
    } else open = { text: part, line, endLine: line };
    if (!continued) {
      joined.push(open);
      open = undefined;
    }
  }
  if (open) joined.push(open);
  return joined;
}

const numbered = (source: string): Line[] => source.split("\n").map((text, i) => ({ text, line: i + 1 }));

function fromCommandLines(
  commandLines: ReadonlyArray<Line & { endLine: number }>,
  fileLines: readonly string[],
) {
  return commandLines.flatMap(({ text, line, endLine }) =>
    exclusionsInCommandLine(text).map(
      (found): DetectedExclusion => ({
        ...found,
        line,
        ...(endLine !== line ? { endLine } : {}),
        comments: commentsOf(fileLines, line, ["#"]),
      }),
    ),
  );
}

export function shellScriptExclusions(source: string): DetectedExclusion[] {
  return fromCommandLines(logicalLines(numbered(source)), source.split("\n"));
}

/** Make's `$(VAR)` read as a shell variable; recipe prefixes `@`, `-`, `+` dropped. */
export function makefileExclusions(source: string): DetectedExclusion[] {
  const recipes = logicalLines(numbered(source)).map((l) => ({
    ...l,
    text: l.text.replace(/^\t[@+-]*/, "").replace(/\$\((\w+)\)/g, "$$$1"),
  }));
  return fromCommandLines(recipes, source.split("\n"));
}

/** `.rspec`: each line holds options for every `rspec` run. */
export function rspecOptionsExclusions(source: string): DetectedExclusion[] {
  const lines = source.split("\n");
  return lines.flatMap((text, i) =>
    exclusionsInCommand(["rspec", ...commandsOf(text).flat()]).map(
      (found): DetectedExclusion => ({ ...found, line: i + 1, comments: commentsOf(lines, i + 1, ["#"]) }),
    ),
  );
}

/** The `run:` scripts of a workflow's steps; a file that is not a workflow is not read. */
export function workflowExclusions(source: string): DetectedExclusion[] | { unparsed: string } {
  const parsed = parseWorkflow(source);
  // A workflow whose YAML parses but that GitHub cannot run (no `jobs:`) runs no step, so it takes no test
  // out of the run by configuration; tests-can-fail reports the jobs it stopped.
  if ("error" in parsed) return parsed.syntax ? { unparsed: `line ${parsed.line}: ${parsed.error}` } : [];
  const fileLines = source.split("\n");
  return parsed.workflow.jobs.flatMap((job) =>
    job.steps.flatMap((step) => (step.run ? fromCommandLines(logicalLines(step.run.lines), fileLines) : [])),
  );
}
