/**
 * What every `rulebook` subcommand is: a name, its options, and a run function over injected I/O, so the
 * dispatcher stays a table and tests run commands in-process with captured output.
 */

/** Exit codes: 0 nothing blocks, 1 error findings stand, 2 the command could not do its job. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The directory relative paths are resolved against. */
  cwd: string;
  /** The moment of evaluation (ISO 8601); the CLI is where the clock is read. */
  now(): string;
  /** Standard input, for `--body-file -`. */
  readStdin(): Promise<string>;
  /** Environment variables (`GITHUB_TOKEN`, `GITHUB_API_URL`, `RULEBOOK_*`); none when absent. */
  env?: NodeJS.ProcessEnv;
  /** The token `gh auth token` prints, used when `GITHUB_TOKEN` is unset; never asked when absent (tests). */
  ghAuthToken?(): Promise<string | undefined>;
  /** The `fetch` GitHub API requests go through; the global one when absent (tests pass a fake GitHub's). */
  fetch?: typeof fetch;
  /** Whether stderr is a terminal, the only place progress is drawn; not when absent (pipes, tests). */
  stderrIsTerminal?: boolean;
}

export interface OptionSpec {
  /** Long name without dashes, such as `dir`. */
  name: string;
  /** Placeholder of the value it takes, such as `PATH`; absent for a switch. */
  value?: string;
  description: string;
  /** The only values accepted. */
  choices?: readonly string[];
}

export interface PositionalSpec {
  name: string;
  description: string;
}

export interface ParsedArgs {
  options: Record<string, string | true>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line for `rulebook --help`. */
  summary: string;
  /** More lines for `rulebook <command> --help`. */
  details?: string;
  options: OptionSpec[];
  positionals?: PositionalSpec[];
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/** The command line is wrong; the message says how, and the command's help is suggested. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The value of an option that takes one, if given. */
export function optionValue(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === "string" ? value : undefined;
}
