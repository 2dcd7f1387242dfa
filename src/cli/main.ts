/**
 * The `rulebook` command: a table of subcommands and a dispatcher. Adding a command (such as `scan`) means
 * writing one `Command` and listing it in `COMMANDS`.
 */
import { GitError } from "../gather/local.js";
import { RULEBOOK_VERSION } from "../util/version.js";
import { HELP_OPTION, parseArgs } from "./args.js";
import { check } from "./check.js";
import { type CliIO, type Command, EXIT, UsageError } from "./command.js";
import { explain } from "./explain.js";
import { ghAuthToken } from "./github.js";
import { scan } from "./scan.js";
import { sweep } from "./sweep.js";
import { validate } from "./validate.js";

export const COMMANDS: readonly Command[] = [check, explain, validate, scan, sweep];

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "rulebook: hold a repository to the organization's standards, before you push",
    "",
    "Usage: rulebook <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `rulebook <command> --help` for a command's options, `rulebook --version` for the version.",
    "",
  ].join("\n");
}

export function commandHelp(command: Command): string {
  const positionals = (command.positionals ?? []).map((p) => ` <${p.name}>`).join("");
  const options = [...command.options, HELP_OPTION];
  const label = (o: (typeof options)[number]) => `--${o.name}${o.value ? ` ${o.value}` : ""}`;
  const width = Math.max(
    ...options.map((o) => label(o).length),
    ...(command.positionals ?? []).map((p) => p.name.length + 2),
  );
  const lines = [`Usage: rulebook ${command.name}${positionals} [options]`, "", command.summary];
  if (command.details) lines.push("", command.details);
  if (command.positionals?.length) {
    lines.push(
      "",
      "Arguments:",
      ...command.positionals.map((p) => `  ${`<${p.name}>`.padEnd(width)}  ${p.description}`),
    );
  }
  lines.push("", "Options:", ...options.map((o) => `  ${label(o).padEnd(width)}  ${o.description}`), "");
  return lines.join("\n");
}

function defaultIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    now: () => new Date().toISOString(),
    env: process.env,
    ghAuthToken,
    stderrIsTerminal: process.stderr.isTTY === true,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

/** Runs the command line `argv` (without `node` and the script) and returns the exit status. */
export async function main(argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V") {
    io.stdout(`rulebook ${RULEBOOK_VERSION}\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout)(mainHelp());
    return name === undefined ? EXIT.error : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`rulebook: unknown command "${name}"\n\n${mainHelp()}`);
    return EXIT.error;
  }
  try {
    const args = parseArgs(rest, command.options, command.positionals);
    if (args.options.help) {
      io.stdout(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(
        `rulebook ${command.name}: ${error.message}\nRun \`rulebook ${command.name} --help\` for usage.\n`,
      );
    } else if (error instanceof GitError) {
      io.stderr(`rulebook ${command.name}: ${error.message}\n`);
    } else {
      // Fail closed: an unexpected error is never a pass.
      io.stderr(`rulebook ${command.name}: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    }
    return EXIT.error;
  }
}
