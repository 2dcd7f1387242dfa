/**
 * Test steps and jobs that a pull request makes unable to fail, read from the workflows it changes: a
 * `continue-on-error` that is always true, a script that throws the test's exit status away, an `if:`
 * that is always false, a test job or matrix entry that ran before the change and no longer runs. Both
 * `ci-steps-can-fail` (which reports them) and `required-checks` (which must not count a check that cannot
 * fail as validation) read this one analysis. Pure.
 */
import { parse as parseShell } from "shell-quote";
import { baseContentOf, parsedPatchOf } from "../../facts/diff.js";
import type { ChangedFile, Facts } from "../../facts/schema.js";
import { compareStrings } from "../../util/compare.js";
import { matchesGlobs } from "../../util/pattern.js";
import { constantTruth } from "./actions-expressions.js";
import { findIssueReferences, type REFERENCE_FORMS } from "./issue-references.js";
import { testActionOf, testRunnerOf } from "./test-commands.js";
import {
  parseWorkflow,
  type ScriptLine,
  type Workflow,
  type WorkflowJob,
  type WorkflowStep,
  type WorkflowValue,
} from "./workflow-steps.js";

/** Where GitHub reads workflows: directly in `.github/workflows`, never in a subdirectory. */
export const WORKFLOW_PATHS = [".github/workflows/*.yml", ".github/workflows/*.yaml"];

export type CannotFailCause =
  | "continue-on-error"
  | "status-discarded"
  | "never-runs"
  | "job-removed"
  | "matrix-entry-removed";

export interface CannotFail {
  path: string;
  /** The line that makes it unable to fail; absent for a job that no longer exists. */
  line?: number;
  cause: CannotFailCause;
  /** The job's id. */
  job: string;
  /** The name its check runs carry: its `name:`, else its id (a matrix run adds ` (values)`). */
  checkName: string;
  /** What can no longer fail and why: `step "Test" (npm test) has continue-on-error: true`. */
  description: string;
  /** The source line as written. */
  found: string;
  /** Whether the job's check still concludes success when its tests fail (rather than being skipped or gone). */
  passesAnyway: boolean;
  /** Tracking issues (`owner/repo#n`) cited in a comment on the line or just above it. */
  references: string[];
}

export interface CannotFailAnalysis {
  found: CannotFail[];
  /** Changed workflows that could not be read, and why: judging them would be guessing. */
  unreadable: string[];
}

type ReferenceForm = (typeof REFERENCE_FORMS)[number];

const analyses = new WeakMap<Facts, Map<string, CannotFailAnalysis>>();

/** The analysis of a pull request's changed workflows, computed once per facts and selection. */
export function cannotFailInPullRequest(
  facts: Facts,
  selection: { paths: readonly string[]; references: readonly ReferenceForm[] },
): CannotFailAnalysis {
  const key = JSON.stringify(selection);
  const cached = analyses.get(facts)?.get(key);
  if (cached) return cached;
  const analysis: CannotFailAnalysis = { found: [], unreadable: [] };
  const files = (facts.pullRequest?.files ?? []).filter(
    (file) =>
      file.status !== "unchanged" &&
      (matchesGlobs(file.path, [...selection.paths]) ||
        (file.previousPath !== undefined && matchesGlobs(file.previousPath, [...selection.paths]))),
  );
  const heads: Array<{ file: ChangedFile; workflow: Workflow; base?: Workflow }> = [];
  /** Workflows that run nothing any more: removed, or no longer a workflow GitHub can run. */
  const gone: Array<{ file: ChangedFile; base: Workflow; why: string; line?: number }> = [];
  for (const file of files) {
    if (file.binary) {
      analysis.unreadable.push(`${file.path} is stored as binary`);
      continue;
    }
    const base = baseContentOf(file);
    if (base === undefined) {
      analysis.unreadable.push(
        `the version of ${file.path} before the change could not be rebuilt from its diff`,
      );
      continue;
    }
    // A base that was no workflow ran nothing, so nothing of it can have been removed or already allowed.
    const parsedBase = base === "" ? undefined : parseWorkflow(base);
    const baseWorkflow = parsedBase && "workflow" in parsedBase ? parsedBase.workflow : undefined;
    if (file.status === "removed") {
      if (baseWorkflow) gone.push({ file, base: baseWorkflow, why: "the workflow was removed" });
      continue;
    }
    if (file.content === undefined) {
      analysis.unreadable.push(`the content of ${file.path} was not gathered`);
      continue;
    }
    const parsed = parseWorkflow(file.content);
    if ("error" in parsed) {
      // GitHub runs none of its jobs: a finding for each test job it had, nothing when it had none.
      const why = `line ${parsed.line} makes the workflow one GitHub cannot run: ${parsed.error}`;
      if (baseWorkflow) gone.push({ file, base: baseWorkflow, why, line: parsed.line });
      continue;
    }
    heads.push({ file, workflow: parsed.workflow, ...(baseWorkflow ? { base: baseWorkflow } : {}) });
  }
  const headJobs = heads.flatMap(({ workflow }) => workflow.jobs);
  for (const { file, workflow, base } of heads) {
    const cite = commentReader(file.content ?? "", selection.references, facts.repo);
    const record = (item: Judged) => {
      const { signature: _, ...rest } = item;
      const found = item.line === undefined ? `job "${item.job}" (removed)` : cite.text(item.line);
      analysis.found.push({
        ...rest,
        path: file.path,
        found,
        references: item.line ? cite.at(item.line) : [],
      });
    };
    for (const item of newlyUnableToFail(file, workflow, base)) record(item);
    for (const job of base?.jobs ?? [])
      for (const item of judgeRemoval(job, workflow, headJobs)) record(item);
  }
  for (const { file, base, why, line } of gone) {
    const cite =
      line === undefined ? undefined : commentReader(file.content ?? "", selection.references, facts.repo);
    for (const job of base.jobs) {
      for (const item of judgeRemoval(job, undefined, headJobs, why)) {
        const { signature: _, ...rest } = item;
        analysis.found.push({
          ...rest,
          path: file.path,
          ...(line === undefined ? {} : { line }),
          found: cite && line !== undefined ? cite.text(line) : `job "${item.job}" (removed)`,
          references: cite && line !== undefined ? cite.at(line) : [],
        });
      }
    }
  }
  analysis.found.sort((a, b) =>
    a.path === b.path ? (a.line ?? 0) - (b.line ?? 0) : compareStrings(a.path, b.path),
  );
  if (!analyses.has(facts)) analyses.set(facts, new Map());
  analyses.get(facts)?.set(key, analysis);
  return analysis;
}

type Judged = Omit<CannotFail, "path" | "found" | "references"> & {
  /** What can no longer fail, without step or job names: the same signature before the change was allowed then. */
  signature: string;
};

/**
 * What the change makes unable to fail: the head's findings less those the base already had, so a step
 * renamed or moved with its old `continue-on-error` is not new. A finding on a line the change adds is
 * matched last, so the old one is the one forgiven.
 */
function newlyUnableToFail(file: ChangedFile, head: Workflow, base: Workflow | undefined): Judged[] {
  const before = new Map<string, number>();
  for (const item of base?.jobs.flatMap(judgeJob) ?? []) {
    before.set(item.signature, (before.get(item.signature) ?? 0) + 1);
  }
  const added = new Set(
    parsedPatchOf(file)
      ?.lines.filter((l) => l.added)
      .map((l) => l.line),
  );
  const items = head.jobs.flatMap(judgeJob);
  const isAdded = (item: Judged) =>
    file.status === "added" || (item.line !== undefined && added.has(item.line));
  const forgiven = new Set<Judged>();
  for (const item of [...items.filter((i) => !isAdded(i)), ...items.filter(isAdded)]) {
    const count = before.get(item.signature) ?? 0;
    if (count === 0) continue;
    before.set(item.signature, count - 1);
    forgiven.add(item);
  }
  return items.filter((item) => !forgiven.has(item));
}

function judgeJob(job: WorkflowJob): Judged[] {
  const tests = job.steps.flatMap((step) => {
    const runner = testOf(step);
    return runner ? [{ step, runner }] : [];
  });
  if (tests.length === 0) return [];
  const checkName = job.name?.text ?? job.id;
  const jobLabel = `job "${job.id}"`;
  const judged: Judged[] = [];
  const base = { job: job.id, checkName };
  const runs = tests.map((t) => t.runner).join(", ");
  if (job.continueOnError && constantTruth(job.continueOnError.text) === true) {
    judged.push({
      ...base,
      line: job.continueOnError.line,
      cause: "continue-on-error",
      description: `${jobLabel}, which runs ${runs}, has continue-on-error: ${job.continueOnError.text}, so its failure does not fail the workflow`,
      passesAnyway: true,
      signature: `continue-on-error|job|${runs}`,
    });
  }
  if (job.if && constantTruth(job.if.text) === false) {
    judged.push({
      ...base,
      line: job.if.line,
      cause: "never-runs",
      description: `${jobLabel}, which runs ${runs}, has if: ${job.if.text}, which is always false, so it never runs`,
      passesAnyway: false,
      signature: `never-runs|job|${runs}`,
    });
  }
  for (const { step, runner } of tests) {
    const stepLabel = `step ${describeStep(step)} of ${jobLabel} (${runner})`;
    if (step.continueOnError && constantTruth(step.continueOnError.text) === true) {
      judged.push({
        ...base,
        line: step.continueOnError.line,
        cause: "continue-on-error",
        description: `${stepLabel} has continue-on-error: ${step.continueOnError.text}, so its failure leaves the job green`,
        passesAnyway: true,
        signature: `continue-on-error|step|${runner}`,
      });
    }
    if (step.if && constantTruth(step.if.text) === false) {
      judged.push({
        ...base,
        line: step.if.line,
        cause: "never-runs",
        description: `${stepLabel} has if: ${step.if.text}, which is always false, so it never runs and the job passes without it`,
        passesAnyway: true,
        signature: `never-runs|step|${runner}`,
      });
    }
    if (step.run) {
      for (const discarded of discardedStatuses(step.run.lines, shellOf(step.shell))) {
        judged.push({
          ...base,
          line: discarded.line,
          cause: "status-discarded",
          description: `${stepLabel}: ${discarded.runner} ${discarded.how}, so the step passes when the tests fail`,
          passesAnyway: true,
          signature: `status-discarded|${discarded.runner}|${discarded.kind}`,
        });
      }
    }
  }
  return judged;
}

function describeStep(step: WorkflowStep): string {
  return step.name !== undefined
    ? `"${step.name}"`
    : step.id !== undefined
      ? `"${step.id}"`
      : `${step.index + 1}`;
}

/** The test runner a step invokes, or the test action it uses. */
function testOf(step: WorkflowStep): string | undefined {
  if (step.uses) return testActionOf(step.uses.text);
  if (!step.run) return undefined;
  for (const command of scriptCommands(step.run.lines).flatMap((list) => list.pipelines.flat())) {
    const runner = testRunnerOf(command.words);
    if (runner) return runner;
  }
  return undefined;
}

function judgeRemoval(
  base: WorkflowJob,
  head: Workflow | undefined,
  headJobs: WorkflowJob[],
  gone?: string,
): Judged[] {
  const tests = testCommandsOf(base);
  if (tests.length === 0) return [];
  const checkName = base.name?.text ?? base.id;
  const same = head?.jobs.find((job) => job.id === base.id);
  if (!same) {
    // A job renamed or split keeps its tests somewhere in the changed workflows.
    const everywhere = new Set(headJobs.flatMap(testCommandsOf));
    if (tests.every((test) => everywhere.has(test))) return [];
    return [
      {
        job: base.id,
        checkName,
        cause: "job-removed",
        description: `job "${base.id}", which ran ${tests.join(", ")} before this change (line ${base.line} of the base version), no longer exists${gone ? ` (${gone})` : ""}, and its tests run in no other changed job`,
        passesAnyway: false,
        signature: `job-removed|${base.id}`,
      },
    ];
  }
  if (same.matrixExpression || base.matrixExpression) return [];
  const key = (entry: { key: string; value: string }) => `${entry.key}\u0000${entry.value}`;
  const headEntries = new Set(same.matrix.map(key));
  const baseEntries = new Set(base.matrix.map(key));
  const removed: Judged[] = [];
  for (const entry of base.matrix) {
    if (entry.key === "exclude" || headEntries.has(key(entry))) continue;
    const line = same.matrix.find((e) => e.key === entry.key)?.line ?? same.line;
    removed.push({
      job: same.id,
      checkName,
      line,
      cause: "matrix-entry-removed",
      description: `job "${same.id}" no longer runs its tests (${tests.join(", ")}) for matrix ${entry.key}: ${entry.value}, which ran before this change`,
      passesAnyway: false,
      signature: `matrix-entry-removed|${key(entry)}`,
    });
  }
  for (const entry of same.matrix) {
    if (entry.key !== "exclude" || baseEntries.has(key(entry))) continue;
    removed.push({
      job: same.id,
      checkName,
      line: entry.line,
      cause: "matrix-entry-removed",
      description: `job "${same.id}" now excludes matrix combination ${entry.value}, so its tests (${tests.join(", ")}) no longer run there`,
      passesAnyway: false,
      signature: `matrix-entry-removed|${key(entry)}`,
    });
  }
  return removed;
}

function testCommandsOf(job: WorkflowJob): string[] {
  return job.steps.flatMap((step) => {
    if (step.uses) return testActionOf(step.uses.text) ? [step.uses.text] : [];
    if (!step.run) return [];
    return scriptCommands(step.run.lines)
      .flatMap((list) => list.pipelines.flat())
      .filter((command) => testRunnerOf(command.words) !== undefined)
      .map((command) => command.words.join(" "));
  });
}

/** How the shell starts: whether a failing command ends the script (`-e`), and a failing pipeline (`pipefail`). */
interface ShellOptions {
  errexit: boolean;
  pipefail: boolean;
  /** Why errexit is off, for the finding. */
  why?: string;
}

/**
 * GitHub runs `run:` with `bash -e {0}` when no shell is named, `bash --noprofile --norc -eo pipefail {0}`
 * for `shell: bash`, `sh -e {0}` for `sh`; a custom command line has the options it spells. Undefined for
 * shells whose scripts are not POSIX shell (pwsh, cmd, python).
 */
function shellOf(shell: WorkflowValue | undefined): ShellOptions | undefined {
  const text = shell?.text.trim();
  if (text === undefined || text === "") return { errexit: true, pipefail: false };
  if (text === "bash") return { errexit: true, pipefail: true };
  if (text === "sh") return { errexit: true, pipefail: false };
  const words = text.split(/\s+/);
  const program = words[0]?.slice((words[0]?.lastIndexOf("/") ?? -1) + 1);
  if (program !== "bash" && program !== "sh") return undefined;
  const flags = words.filter((w) => /^-[a-z]+$/.test(w)).join("");
  const errexit = flags.includes("e");
  const pipefail = words.includes("pipefail");
  return errexit ? { errexit, pipefail } : { errexit, pipefail, why: `its shell is \`${text}\`, without -e` };
}

interface Command {
  words: string[];
  line: number;
}

/** An and-or list (`a && b || c`): pipelines and the operators between them. */
interface AndOrList {
  pipelines: Command[][];
  operators: string[];
  /** The list is the condition of `if`, `while`, `until` or negated with `!`: its status is consumed. */
  condition: boolean;
  background: boolean;
  line: number;
}

const CONDITION_WORDS = new Set(["if", "elif", "while", "until", "!"]);
const LEADING_KEYWORDS = new Set(["then", "do", "else", "{"]);
const CLOSING_WORDS = new Set(["fi", "done", "}", "esac"]);

/** The script's commands as and-or lists, one logical line (continuations joined) at a time. */
function scriptCommands(lines: readonly ScriptLine[]): AndOrList[] {
  const lists: AndOrList[] = [];
  let pending = "";
  let pendingLine = 0;
  for (const { text, line } of lines) {
    if (pending === "") pendingLine = line;
    if (text.endsWith("\\")) {
      pending += `${text.slice(0, -1)} `;
      continue;
    }
    const logical = pending + text;
    pending = "";
    lists.push(...splitLists(logical, pendingLine));
  }
  if (pending !== "") lists.push(...splitLists(pending, pendingLine));
  return lists;
}

/** GitHub replaces `${{ }}` before the shell reads the script; a placeholder word stands in for it. */
function withoutExpressions(text: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const open = text.indexOf("${{", at);
    if (open < 0) return out + text.slice(at);
    const close = text.indexOf("}}", open);
    if (close < 0) return out + text.slice(at);
    out += `${text.slice(at, open)}EXPRESSION`;
    at = close + 2;
  }
}

function splitLists(text: string, line: number): AndOrList[] {
  let tokens: ReturnType<typeof parseShell>;
  try {
    tokens = parseShell(withoutExpressions(text), (name) => `$${name}`);
  } catch {
    tokens = text.split(/\s+/).filter((word) => word !== "");
  }
  const lists: AndOrList[] = [];
  let list: AndOrList = { pipelines: [[]], operators: [], condition: false, background: false, line };
  let words: string[] = [];
  const endCommand = () => {
    while (words.length > 0 && LEADING_KEYWORDS.has(words[0] ?? "")) words.shift();
    if (words.length > 0 && CONDITION_WORDS.has(words[0] ?? "")) {
      list.condition = true;
      words.shift();
    }
    if (words.length > 0 && !(words.length === 1 && CLOSING_WORDS.has(words[0] ?? "")))
      list.pipelines[list.pipelines.length - 1]?.push({ words, line });
    words = [];
  };
  const endList = (background: boolean) => {
    endCommand();
    list.pipelines = list.pipelines.filter((pipeline) => pipeline.length > 0);
    list.background = background;
    if (list.pipelines.length > 0) lists.push(list);
    list = { pipelines: [[]], operators: [], condition: false, background: false, line };
  };
  for (const token of tokens) {
    if (typeof token === "string") {
      words.push(token);
      continue;
    }
    if ("comment" in token) break;
    if (!("op" in token)) {
      words.push(String((token as { pattern?: string }).pattern ?? ""));
      continue;
    }
    switch (token.op) {
      case "|":
      case "|&":
        endCommand();
        continue;
      case "&&":
      case "||":
        endCommand();
        list.operators.push(token.op);
        list.pipelines.push([]);
        continue;
      case ";":
      case ";;":
        endList(false);
        continue;
      case "&":
        endList(true);
        continue;
      case "(":
      case ")":
        continue;
      default:
        // Redirections: the word after them is a file, not an argument of the command.
        words.push(token.op);
    }
  }
  endList(false);
  return lists;
}

const SWALLOWERS = new Set(["true", ":", "echo", "printf", "/bin/true"]);

/** Whether a pipeline always succeeds: `true`, `:`, `echo …`, `exit 0`. */
function swallows(pipeline: Command[] | undefined): boolean {
  const words = pipeline?.[pipeline.length - 1]?.words ?? [];
  if (SWALLOWERS.has(words[0] ?? "")) return true;
  return (words[0] === "exit" || words[0] === "return") && words[1] === "0";
}

/** Whether a list reads the status the command before it left (`$?`, `${PIPESTATUS[0]}`). */
function readsStatus(list: AndOrList | undefined, variables = ["$?", "PIPESTATUS"]): boolean {
  return (
    list?.pipelines.some((pipeline) =>
      pipeline.some((command) => command.words.some((word) => variables.some((v) => word.includes(v)))),
    ) ?? false
  );
}

/**
 * Where a script throws a test command's exit status away: `|| true`, a pipe into another command without
 * pipefail, a background `&`, or (with errexit off, or inside `a && b`) a status nobody reads before the
 * next command replaces it.
 */
function discardedStatuses(
  lines: readonly ScriptLine[],
  shell: ShellOptions | undefined,
): Array<{ line: number; runner: string; how: string; kind: string }> {
  if (!shell) return [];
  const lists = scriptCommands(lines);
  let { errexit, pipefail } = shell;
  let why = shell.why;
  const found: Array<{ line: number; runner: string; how: string; kind: string }> = [];
  for (const [index, list] of lists.entries()) {
    const first = list.pipelines[0]?.[0]?.words ?? [];
    if (first[0] === "set" && list.pipelines.length === 1) {
      ({ errexit, pipefail, why } = applySet(first.slice(1), { errexit, pipefail, why }, list.line));
      continue;
    }
    if (list.condition) continue;
    for (const [at, pipeline] of list.pipelines.entries()) {
      const testAt = pipeline.findIndex((command) => testRunnerOf(command.words) !== undefined);
      if (testAt < 0) continue;
      const runner = testRunnerOf(pipeline[testAt]?.words ?? []) ?? "";
      const report = (kind: string, how: string) =>
        found.push({ line: pipeline[testAt]?.line ?? list.line, runner, how, kind });
      if (testAt < pipeline.length - 1 && !pipefail) {
        // `exit ${PIPESTATUS[0]}` right after the pipe reads the test's own status.
        if (readsStatus(lists[index + 1], ["PIPESTATUS"])) continue;
        const into = pipeline[pipeline.length - 1]?.words[0] ?? "";
        report(
          "pipe",
          `is piped into \`${into}\` without \`set -o pipefail\`, so the step gets ${into}'s status`,
        );
        continue;
      }
      const operator = list.operators[at];
      const fallback = list.pipelines[at + 1];
      if (operator === "||" && swallows(fallback)) {
        report(
          "or-succeed",
          `is followed by \`|| ${fallback?.[fallback.length - 1]?.words.join(" ")}\`, which always succeeds`,
        );
        continue;
      }
      if (list.background) {
        report("background", "runs in the background (`&`), so nothing waits for its status");
        continue;
      }
      // A fallback that can fail (`|| exit 1`, a retry) decides the status itself.
      if (operator === "||") continue;
      if (index === lists.length - 1 || readsStatus(lists[index + 1])) continue;
      const next = lists[index + 1]?.pipelines[0]?.[0]?.words.join(" ") ?? "";
      if (!errexit)
        report(
          "errexit-off",
          `runs while errexit is off (${why ?? "set +e"}), and \`${next}\` follows without checking its status`,
        );
      else if (operator === "&&")
        report(
          "and-list",
          `is followed by \`&&\`, which keeps bash -e from stopping on its failure, and \`${next}\` follows without checking its status`,
        );
    }
  }
  return found;
}

function applySet(args: string[], state: ShellOptions, line: number): ShellOptions {
  let { errexit, pipefail, why } = state;
  for (const [i, arg] of args.entries()) {
    const on = arg.startsWith("-");
    if (!on && !arg.startsWith("+")) continue;
    const letters = arg.slice(1);
    if (letters.includes("e")) {
      errexit = on;
      why = on ? undefined : `\`set ${arg}\` on line ${line}`;
    }
    if (letters.includes("o")) {
      const option = args[i + 1];
      if (option === "pipefail") pipefail = on;
      if (option === "errexit") {
        errexit = on;
        why = on ? undefined : `\`set ${arg} errexit\` on line ${line}`;
      }
    }
  }
  return { errexit, pipefail, why };
}

/** Reads comments of a workflow file: a line's trailing comment and the comment lines just above it. */
function commentReader(
  source: string,
  forms: readonly ReferenceForm[],
  repo: { owner: string; name: string },
): { text: (line: number) => string; at: (line: number) => string[] } {
  const lines = source.split("\n");
  const text = (line: number) => (lines[line - 1] ?? "").trim();
  return {
    text,
    at(line) {
      const comments: string[] = [];
      const own = trailingComment(lines[line - 1] ?? "");
      if (own !== undefined) comments.push(own);
      for (let above = line - 1; above >= 1; above--) {
        const trimmed = (lines[above - 1] ?? "").trim();
        if (!trimmed.startsWith("#")) break;
        comments.push(trimmed);
      }
      return findIssueReferences(comments.join("\n"), forms, repo);
    },
  };
}

/**
 * The comment a line ends with, in YAML or in a shell script alike: a `#` at the start or after a blank,
 * outside single and double quotes, so `echo "flaky #12"` holds no comment and cites nothing.
 */
function trailingComment(line: string): string | undefined {
  let quote: string | undefined;
  for (let at = 0; at < line.length; at++) {
    const char = line[at];
    if (quote === '"' && char === "\\") at++;
    else if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === "#" && (at === 0 || line[at - 1] === " " || line[at - 1] === "\t"))
      return line.slice(at);
  }
  return undefined;
}
