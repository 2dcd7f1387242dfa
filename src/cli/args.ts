/**
 * A deliberately tiny argument parser: `--name value`, `--name=value`, switches, `--` and positionals.
 * Anything else is a usage error naming the problem, never a guess.
 */
import { type OptionSpec, type ParsedArgs, type PositionalSpec, UsageError } from "./command.js";

/** Every command accepts `--help` (or `-h`). */
export const HELP_OPTION: OptionSpec = { name: "help", description: "Show this help" };

export function parseArgs(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  positionals: readonly PositionalSpec[] = [],
): ParsedArgs {
  const known = new Map([...specs, HELP_OPTION].map((spec) => [spec.name, spec]));
  const parsed: ParsedArgs = { options: {}, positionals: [] };
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (onlyPositionals || !arg.startsWith("-") || arg === "-") {
      parsed.positionals.push(arg);
      continue;
    }
    if (arg === "--") {
      onlyPositionals = true;
      continue;
    }
    if (arg === "-h") {
      parsed.options.help = true;
      continue;
    }
    const equals = arg.indexOf("=");
    const name = arg.startsWith("--") ? arg.slice(2, equals === -1 ? undefined : equals) : "";
    const spec = known.get(name);
    if (!spec) throw new UsageError(`unknown option ${equals === -1 ? arg : arg.slice(0, equals)}`);
    if (parsed.options[name] !== undefined) throw new UsageError(`--${name} was given more than once`);
    if (spec.value === undefined) {
      if (equals !== -1) throw new UsageError(`--${name} takes no value`);
      parsed.options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (equals !== -1) value = arg.slice(equals + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value (${spec.value})`);
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(
        `--${name} must be one of ${spec.choices.join(", ")}; got ${JSON.stringify(value)}`,
      );
    }
    parsed.options[name] = value;
  }
  if (parsed.options.help === undefined && parsed.positionals.length > positionals.length) {
    const extra = parsed.positionals.slice(positionals.length).join(" ");
    throw new UsageError(
      `unexpected argument${parsed.positionals.length - positionals.length > 1 ? "s" : ""}: ${extra}`,
    );
  }
  return parsed;
}
