/**
 * `rulebook check`: the verdict the `rulebook` check run will give this branch's pull request, computed
 * locally with the same `evaluate` on facts from the checkout. Standards that need GitHub are listed as not
 * evaluated, never as passed.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { pullRequestByAgent } from "../engine/agents.js";
import { evaluate } from "../engine/evaluate.js";
import { factNeeds } from "../engine/needs.js";
import { summarize } from "../engine/summary.js";
import { gatherLocal, uncommittedPaths } from "../gather/local.js";
import { renderJson, renderMarkdown, renderText } from "../publish/render.js";
import { plural } from "../util/plural.js";
import { BUNDLE_OPTION, requireBundle } from "./bundle.js";
import { type CliIO, type Command, EXIT, optionValue, type ParsedArgs, UsageError } from "./command.js";

export const FORMATS = ["text", "json", "markdown"] as const;
/** How many uncommitted paths the warning names before it only counts. */
const DIRTY_PATHS_SHOWN = 5;

export const check: Command = {
  name: "check",
  summary: "Judge this branch as the rulebook check run will judge its pull request",
  details: [
    "Judges the commits from the base to HEAD, the changed files and the repository's files at HEAD",
    "against the bundle. Uncommitted changes are not judged: the pull request will not contain them.",
    "Standards that need GitHub (rulesets, reviews, other check runs) are listed as not evaluated.",
    "",
    "Exit status: 0 when no error finding stands, 1 when one does, 2 when the check could not run",
    "(wrong usage, an invalid bundle, or a directory that is not a git checkout).",
  ].join("\n"),
  options: [
    { name: "dir", value: "PATH", description: "The git checkout to judge; default: the current directory" },
    BUNDLE_OPTION,
    {
      name: "base",
      value: "REF",
      description: "The branch the pull request targets; default: origin's default branch (its merge base)",
    },
    {
      name: "format",
      value: "FORMAT",
      description: "Output: text, json or markdown; default: text",
      choices: FORMATS,
    },
    {
      name: "title",
      value: "T",
      description: "The pull request's title, so its title and body are judged too",
    },
    {
      name: "body-file",
      value: "F",
      description: "A file holding the pull request's body (- for stdin); needs --title",
    },
  ],
  run: runCheck,
};

async function runCheck(args: ParsedArgs, io: CliIO): Promise<number> {
  const title = optionValue(args, "title");
  const bodyFile = optionValue(args, "body-file");
  if (bodyFile !== undefined && title === undefined) {
    throw new UsageError(
      "--body-file needs --title: a pull request's body is judged together with its title",
    );
  }
  const dir = path.resolve(io.cwd, optionValue(args, "dir") ?? ".");
  if (!(await isDirectory(dir))) throw new UsageError(`--dir ${dir} is not a directory`);
  const body = bodyFile === undefined ? undefined : await readBody(bodyFile, io);

  const bundle = await requireBundle(args, io);
  if (!bundle) return EXIT.error;

  const base = optionValue(args, "base");
  const [facts, dirty] = await Promise.all([
    gatherLocal({
      dir,
      paths: factNeeds(bundle, ["pr", "repo"]).paths,
      now: io.now(),
      ...(base === undefined ? {} : { base }),
      ...(title === undefined ? {} : { title }),
      ...(body === undefined ? {} : { body }),
    }),
    // When the directory is no checkout, gatherLocal's error is the one to report.
    uncommittedPaths(dir).catch(() => []),
  ]);
  if (dirty.length > 0) io.stderr(dirtyWarning(dirty));

  const verdict = await evaluate(bundle, facts);
  const format = optionValue(args, "format") ?? "text";
  if (format === "json") io.stdout(renderJson(verdict));
  else if (format === "markdown")
    io.stdout(
      renderMarkdown(verdict, { agentAuthor: pullRequestByAgent(bundle.settings.agents, facts), bundle }),
    );
  else io.stdout(renderText(verdict));
  return summarize(verdict).conclusion === "failure" ? EXIT.findings : EXIT.ok;
}

function dirtyWarning(paths: string[]): string {
  const shown = paths.slice(0, DIRTY_PATHS_SHOWN).join(", ");
  const more = paths.length > DIRTY_PATHS_SHOWN ? ` and ${paths.length - DIRTY_PATHS_SHOWN} more` : "";
  return (
    `rulebook: warning: ${plural(paths.length, "uncommitted change")} (${shown}${more}) ` +
    "not judged; the pull request will contain only commits, so commit them and check again\n"
  );
}

async function readBody(file: string, io: CliIO): Promise<string> {
  if (file === "-") return io.readStdin();
  try {
    return await readFile(path.resolve(io.cwd, file), "utf8");
  } catch (error) {
    throw new UsageError(`--body-file ${file} cannot be read: ${(error as Error).message}`);
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
