/**
 * A GitHub Actions workflow file read into its jobs and steps, each with the line it starts on, so rules
 * can report on the line an author wrote. Pure and total: a file that is not a workflow gives a parse
 * error with its line, never an exception, so a rule can say why it could not judge the file.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  Scalar,
  type YAMLMap,
} from "yaml";
import { compareStrings } from "../../util/compare.js";

/** A scalar setting as written (`false`, `${{ matrix.experimental }}`), with its line. */
export interface WorkflowValue {
  /** The scalar as a string (`true` for a YAML boolean); a mapping or sequence as its source text. */
  text: string;
  line: number;
}

/** One line of a `run:` script and the file line it starts on. */
export interface ScriptLine {
  text: string;
  line: number;
}

export interface WorkflowRun {
  script: string;
  /** The line of the `run:` key. */
  line: number;
  lines: ScriptLine[];
}

export interface WorkflowStep {
  /** Position in its job, from 0. */
  index: number;
  id?: string;
  name?: string;
  /** The line the step's mapping starts on (its `-`). */
  line: number;
  if?: WorkflowValue;
  continueOnError?: WorkflowValue;
  /** The shell that runs `run:`: the step's own, else the job's or the workflow's `defaults.run.shell`. */
  shell?: WorkflowValue;
  uses?: WorkflowValue;
  run?: WorkflowRun;
}

/** One value of `strategy.matrix`: a key's entry, or an `include`/`exclude` combination. */
export interface MatrixEntry {
  key: string;
  /** The value as canonical JSON (object keys sorted), so entries compare across versions of a file. */
  value: string;
  line: number;
}

export interface WorkflowJob {
  id: string;
  name?: WorkflowValue;
  /** The line of the job's key. */
  line: number;
  if?: WorkflowValue;
  continueOnError?: WorkflowValue;
  needs: string[];
  /** A reusable workflow the job calls instead of running steps. */
  uses?: WorkflowValue;
  /** `strategy.matrix` when it is an expression (`${{ fromJSON(...) }}`) rather than a mapping. */
  matrixExpression?: WorkflowValue;
  matrix: MatrixEntry[];
  steps: WorkflowStep[];
}

export interface Workflow {
  name?: string;
  jobs: WorkflowJob[];
}

/** A workflow, or why GitHub could not run it: `syntax` when the YAML itself does not parse. */
export type ParsedWorkflow = { workflow: Workflow } | { error: string; line: number; syntax: boolean };

export function parseWorkflow(source: string): ParsedWorkflow {
  const lineCounter = new LineCounter();
  // Errors are not pretty-printed: formatting thousands of them with context took seconds.
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineOf = (offset: number | undefined) => lineCounter.linePos(offset ?? 0).line;
  const problem = doc.errors[0];
  if (problem) return { error: firstLine(problem.message), line: lineOf(problem.pos[0]), syntax: true };
  const deref = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);
  const nodeLine = (node: unknown) => lineOf((deref(node) as Node | undefined)?.range?.[0]);

  const root = deref(doc.contents);
  if (!isMap(root))
    return { error: "the file is not a mapping of workflow keys", line: nodeLine(root), syntax: false };
  const jobsNode = deref(root.get("jobs", true));
  if (!isMap(jobsNode)) {
    const line = jobsNode ? nodeLine(jobsNode) : 1;
    return { error: "the workflow has no `jobs:` mapping", line, syntax: false };
  }

  const value = (map: YAMLMap, key: string): WorkflowValue | undefined => {
    const node = deref(map.get(key, true));
    if (node === undefined || node === null) return undefined;
    if (isScalar(node)) return { text: String(node.value ?? ""), line: nodeLine(node) };
    const [from, , to] = (node as Node).range ?? [0, 0, 0];
    return { text: source.slice(from, to).trim(), line: nodeLine(node) };
  };
  const child = (map: YAMLMap, ...path: string[]): unknown => {
    let node: unknown = map;
    for (const key of path) {
      if (!isMap(node)) return undefined;
      node = deref(node.get(key, true));
    }
    return node;
  };
  const defaultShell = (map: YAMLMap) => {
    const run = child(map, "defaults", "run");
    return isMap(run) ? value(run, "shell") : undefined;
  };
  const workflowShell = defaultShell(root);

  const jobs: WorkflowJob[] = [];
  for (const pair of jobsNode.items) {
    const key = deref(pair.key);
    const body = deref(pair.value);
    if (!isScalar(key))
      return { error: "a job's id is not a plain name", line: nodeLine(key), syntax: false };
    const id = String(key.value);
    if (!isMap(body)) return { error: `job "${id}" is not a mapping`, line: nodeLine(key), syntax: false };
    const jobShell = defaultShell(body) ?? workflowShell;
    const stepsNode = deref(body.get("steps", true));
    if (stepsNode !== undefined && !isSeq(stepsNode))
      return { error: `the steps of job "${id}" are not a list`, line: nodeLine(stepsNode), syntax: false };
    const steps: WorkflowStep[] = [];
    for (const [index, item] of (stepsNode?.items ?? []).entries()) {
      const step = deref(item);
      if (!isMap(step))
        return {
          error: `step ${index + 1} of job "${id}" is not a mapping`,
          line: nodeLine(step),
          syntax: false,
        };
      const run = deref(step.get("run", true));
      steps.push({
        index,
        id: value(step, "id")?.text,
        name: value(step, "name")?.text,
        line: nodeLine(step),
        if: value(step, "if"),
        continueOnError: value(step, "continue-on-error"),
        shell: value(step, "shell") ?? jobShell,
        uses: value(step, "uses"),
        run: isScalar(run) ? runScript(run, source, lineOf, keyLine(step, "run", lineOf)) : undefined,
      });
    }
    const matrixNode = child(body, "strategy", "matrix");
    const needs = deref(body.get("needs", true));
    jobs.push({
      id,
      name: value(body, "name"),
      line: nodeLine(key),
      if: value(body, "if"),
      continueOnError: value(body, "continue-on-error"),
      needs: isSeq(needs)
        ? needs.items.map((n) => String((deref(n) as Scalar | undefined)?.value ?? ""))
        : isScalar(needs)
          ? [String(needs.value)]
          : [],
      uses: value(body, "uses"),
      matrixExpression: isScalar(matrixNode)
        ? value(child(body, "strategy") as YAMLMap, "matrix")
        : undefined,
      matrix: isMap(matrixNode) ? matrixEntries(matrixNode, deref, nodeLine) : [],
      steps,
    });
  }
  const name = value(root, "name")?.text;
  return { workflow: name === undefined ? { jobs } : { name, jobs } };
}

function keyLine(map: YAMLMap, key: string, lineOf: (offset: number | undefined) => number): number {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return lineOf((pair?.key as Node | undefined)?.range?.[0]);
}

/**
 * The script and where each of its lines starts. A literal block (`|`) keeps lines one to one after its
 * header; a folded or flow scalar joins source lines, so each script line is found by its first word.
 */
function runScript(
  node: Scalar,
  source: string,
  lineOf: (offset: number | undefined) => number,
  line: number,
): WorkflowRun {
  const script = String(node.value ?? "");
  const texts = script.split("\n");
  if (script.endsWith("\n")) texts.pop();
  const [from = 0, to = 0] = node.range ?? [];
  if (node.type === Scalar.BLOCK_LITERAL) {
    const first = lineOf(from) + 1;
    return { script, line, lines: texts.map((text, i) => ({ text, line: first + i })) };
  }
  let cursor = from;
  let previous = lineOf(from);
  const lines = texts.map((text) => {
    const word = text.trim().split(/\s/)[0] ?? "";
    const at = word === "" ? -1 : source.indexOf(word, cursor);
    if (at < 0 || at > to) return { text, line: previous };
    previous = lineOf(at);
    const end = source.indexOf("\n", at);
    cursor = end < 0 ? source.length : end;
    return { text, line: previous };
  });
  return { script, line, lines };
}

function matrixEntries(
  matrix: YAMLMap,
  deref: (node: unknown) => unknown,
  nodeLine: (node: unknown) => number,
): MatrixEntry[] {
  const entries: MatrixEntry[] = [];
  for (const pair of matrix.items) {
    const key = String((deref(pair.key) as Scalar | undefined)?.value ?? "");
    const values = deref(pair.value);
    const items = isSeq(values) ? values.items : [values];
    for (const item of items) {
      const node = deref(item);
      const js = isScalar(node) || isMap(node) || isSeq(node) ? node.toJSON() : null;
      entries.push({ key, value: canonicalJson(js), line: nodeLine(node) });
    }
  }
  return entries;
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => compareStrings(a, b)))
      : v,
  );
}

/** The problem without the position the `yaml` package appends (the result carries the line). */
function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? text;
  const at = line.lastIndexOf(" at line ");
  return at > 0 ? line.slice(0, at) : line;
}
