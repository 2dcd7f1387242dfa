/**
 * Exclusions written on a command line: a test runner started with flags that leave tests out
 * (`pytest --deselect`, `go test -skip`, `mvn -DskipTests`, `dotnet test --filter "Category!=Slow"`) or
 * that narrow the run to what a filter names (`go test -run`, `jest -t`). The line is split into words
 * by shell-quote, as a shell would, so quoting cannot hide a flag. Pure.
 */
import { parse } from "shell-quote";
import type { ExclusionEffect, Found } from "./types.js";

type Word = string;

/**
 * The line with each GitHub Actions expression (`${{ matrix.pattern }}`) set aside as a placeholder word:
 * the shell never sees them, and shell-quote refuses them as a bad substitution.
 */
function setExpressionsAside(line: string): { line: string; expressions: string[] } {
  const expressions: string[] = [];
  let out = "";
  let rest = line;
  for (let start = rest.indexOf("${{"); start !== -1; start = rest.indexOf("${{")) {
    const end = rest.indexOf("}}", start);
    if (end === -1) break;
    out += `${rest.slice(0, start)}__expression${expressions.length}__`;
    expressions.push(rest.slice(start, end + 2));
    rest = rest.slice(end + 2);
  }
  return { line: out + rest, expressions };
}

/** The line's tokens; a line shell-quote cannot read is split at blanks rather than left unread. */
function tokensOf(line: string): ReturnType<typeof parse> {
  const aside = setExpressionsAside(line);
  const restore = (word: string) =>
    aside.expressions.reduce(
      (text, expression, i) => text.replaceAll(`__expression${i}__`, expression),
      word,
    );
  try {
    return parse(aside.line, (name) => `$${name}`).map((token) =>
      typeof token === "string" ? restore(token) : token,
    );
  } catch {
    return line.split(/\s+/).filter((word) => word !== "");
  }
}

/** Words of each command on the line (`&&`, `;`, `|` end a command); variables are kept as written. */
export function commandsOf(line: string): Word[][] {
  const commands: Word[][] = [[]];
  for (const token of tokensOf(line)) {
    if (typeof token === "string") commands[commands.length - 1]?.push(token);
    else if ("comment" in token) break;
    else if ("pattern" in token) commands[commands.length - 1]?.push(token.pattern);
    else commands.push([]);
  }
  return commands.filter((words) => words.length > 0);
}

/** Commands that only start another: their first word is dropped, with their own options. */
const LAUNCHERS = new Set(["npx", "bunx", "pnpx", "exec", "time", "env", "command", "nohup"]);
/** `<tool> <verb> <command>` launchers: `npm exec jest`, `bundle exec rspec`, `poetry run pytest`. */
const RUNNING_VERBS: Record<string, string[]> = {
  npm: ["exec"],
  pnpm: ["exec", "dlx"],
  yarn: ["exec", "dlx", "run"],
  bundle: ["exec"],
  poetry: ["run"],
  uv: ["run"],
  pipenv: ["run"],
  hatch: ["run"],
  pdm: ["run"],
  rye: ["run"],
};

const baseName = (word: string) => word.slice(word.lastIndexOf("/") + 1);

/** The command past launchers, environment assignments and `python -m`. */
function unwrap(words: readonly Word[]): { words: Word[]; environment: Map<string, string> } {
  const environment = new Map<string, string>();
  let rest = [...words];
  for (;;) {
    const first = rest[0];
    if (first === undefined) break;
    const assignment = /^([A-Za-z_]\w*)=/.exec(first);
    if (assignment) {
      environment.set(assignment[1] ?? "", first.slice(first.indexOf("=") + 1));
      rest = rest.slice(1);
    } else if (LAUNCHERS.has(baseName(first))) {
      rest = rest.slice(1);
      while (rest[0]?.startsWith("-")) rest = rest.slice(1);
    } else if (RUNNING_VERBS[first]?.includes(rest[1] ?? "")) {
      rest = rest.slice(2);
    } else if ((first === "yarn" || first === "pnpm") && rest[1] !== undefined && RUNNERS[rest[1]]) {
      rest = rest.slice(1);
    } else if (/^python[\d.]*$/.test(baseName(first)) && rest[1] === "-m") {
      rest = rest.slice(2);
    } else break;
  }
  return { words: rest, environment };
}

/** A flag's values: `--name value`, `--name=value`, and for one-letter flags `-kvalue`. */
function valuesOf(args: readonly Word[], names: readonly string[]): Array<{ flag: string; value: string }> {
  const found: Array<{ flag: string; value: string }> = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    for (const name of names) {
      if (arg === name && args[i + 1] !== undefined) found.push({ flag: name, value: args[i + 1] ?? "" });
      else if (arg.startsWith(`${name}=`)) found.push({ flag: name, value: arg.slice(name.length + 1) });
      else if (name.length === 2 && !name.startsWith("--") && arg.startsWith(name) && arg.length > 2)
        found.push({ flag: name, value: arg.slice(2) });
    }
  }
  return found;
}

const has = (args: readonly Word[], ...flags: string[]) => args.some((arg) => flags.includes(arg));

/** Whether a filter expression leaves tests out rather than naming those to run. */
export function negates(expression: string): boolean {
  const lower = expression.toLowerCase();
  return (
    /(^|[\s(])not[\s(]/.test(lower) ||
    lower.includes("!=") ||
    lower.includes("!~") ||
    lower.includes("(?!") ||
    /(^|[\s(&|,])[!~-]\w/.test(lower) ||
    lower.includes(" - ")
  );
}

type Rule = { runner: string; flags: string[]; effect: ExclusionEffect | "by-expression" };

/** For each runner, the flags that exclude or narrow. */
const RUNNERS: Record<string, { runner: string; subcommand?: string; rules: Rule[] }> = {
  jest: {
    runner: "Jest",
    rules: [
      {
        runner: "Jest",
        flags: ["--testPathIgnorePatterns", "--modulePathIgnorePatterns"],
        effect: "exclude",
      },
      { runner: "Jest", flags: ["-t", "--testNamePattern"], effect: "by-expression" },
    ],
  },
  vitest: {
    runner: "Vitest",
    rules: [
      { runner: "Vitest", flags: ["--exclude"], effect: "exclude" },
      { runner: "Vitest", flags: ["-t", "--testNamePattern"], effect: "by-expression" },
    ],
  },
  mocha: {
    runner: "Mocha",
    rules: [
      { runner: "Mocha", flags: ["--exclude", "--ignore"], effect: "exclude" },
      { runner: "Mocha", flags: ["-g", "--grep", "-f", "--fgrep"], effect: "by-expression" },
    ],
  },
  playwright: {
    runner: "Playwright",
    subcommand: "test",
    rules: [
      { runner: "Playwright", flags: ["--grep-invert", "-gv"], effect: "exclude" },
      { runner: "Playwright", flags: ["-g", "--grep"], effect: "narrow" },
    ],
  },
  pytest: {
    runner: "pytest",
    rules: [
      { runner: "pytest", flags: ["--deselect", "--ignore", "--ignore-glob"], effect: "exclude" },
      { runner: "pytest", flags: ["-k", "-m"], effect: "by-expression" },
    ],
  },
  go: {
    runner: "go test",
    subcommand: "test",
    rules: [
      { runner: "go test", flags: ["-skip", "--skip"], effect: "exclude" },
      { runner: "go test", flags: ["-run", "--run"], effect: "narrow" },
    ],
  },
  rspec: {
    runner: "RSpec",
    rules: [
      { runner: "RSpec", flags: ["--exclude-pattern"], effect: "exclude" },
      { runner: "RSpec", flags: ["--tag", "-t"], effect: "by-expression" },
    ],
  },
  phpunit: {
    runner: "PHPUnit",
    rules: [
      { runner: "PHPUnit", flags: ["--exclude-group", "--exclude-filter"], effect: "exclude" },
      { runner: "PHPUnit", flags: ["--filter"], effect: "by-expression" },
    ],
  },
  dotnet: {
    runner: ".NET test",
    subcommand: "test",
    rules: [{ runner: ".NET test", flags: ["--filter"], effect: "by-expression" }],
  },
  gradle: {
    runner: "Gradle",
    rules: [{ runner: "Gradle", flags: ["--tests"], effect: "narrow" }],
  },
};
RUNNERS["py.test"] = RUNNERS.pytest as (typeof RUNNERS)[string];
RUNNERS.gradlew = RUNNERS.gradle as (typeof RUNNERS)[string];

const MINITEST = ["ruby", "rails", "rake"];

/** The exclusions each command of a shell line makes. */
export function exclusionsInCommandLine(line: string): Found[] {
  return commandsOf(line).flatMap((words) => exclusionsInCommand(words));
}

/** The exclusions of one command (its words already split). */
export function exclusionsInCommand(command: readonly Word[]): Found[] {
  const { words, environment } = unwrap(command);
  const found: Found[] = [];
  const testOptions = environment.get("TESTOPTS");
  if (testOptions !== undefined) found.push(...minitest(commandsOf(testOptions).flat()));
  const name = baseName(words[0] ?? "");
  if (name === "mvn" || name === "mvnw") return [...found, ...maven(words.slice(1))];
  if (name === "cargo") return [...found, ...cargo(words.slice(1))];
  if (MINITEST.includes(name) && words.includes("test")) return [...found, ...minitest(words.slice(1))];
  if (name === "gradle" || name === "gradlew") found.push(...gradleTaskExclusions(words.slice(1)));
  const known = RUNNERS[name];
  if (!known) return found;
  if (known.subcommand !== undefined && words[1] !== known.subcommand) return found;
  const args = words.slice(known.subcommand === undefined ? 1 : 2);
  // Mocha's `--invert` turns its grep into an exclusion.
  const inverted = name === "mocha" && has(args, "--invert", "-i");
  for (const rule of known.rules) {
    for (const { flag, value } of valuesOf(args, rule.flags)) {
      const effect =
        rule.effect === "by-expression" ? (inverted || negates(value) ? "exclude" : "narrow") : rule.effect;
      found.push({ runner: rule.runner, setting: flag, excluded: value, effect });
    }
  }
  if (name === "go" && has(args, "-short", "--short"))
    found.push({
      runner: "go test",
      setting: "-short",
      excluded: "tests that call testing.Short()",
      effect: "exclude",
    });
  return found;
}

/** `-x test`, `--exclude-task test`: a test task left out of a Gradle build. */
function gradleTaskExclusions(args: readonly Word[]): Found[] {
  return valuesOf(args, ["-x", "--exclude-task"])
    .filter(({ value }) => /test|check/i.test(value))
    .map(({ flag, value }) => ({
      runner: "Gradle",
      setting: flag,
      excluded: `the ${value} task`,
      effect: "exclude",
    }));
}

/** Maven's `-D` properties that skip or filter Surefire and Failsafe. */
function maven(args: readonly Word[]): Found[] {
  const found: Found[] = [];
  const properties: Array<[string, string]> = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const property = arg === "-D" ? (args[++i] ?? "") : arg.startsWith("-D") ? arg.slice(2) : undefined;
    if (property === undefined) continue;
    const eq = property.indexOf("=");
    properties.push(eq === -1 ? [property, "true"] : [property.slice(0, eq), property.slice(eq + 1)]);
  }
  for (const [key, value] of properties) {
    const runner = key.toLowerCase().includes("it") && key !== "test" ? "Maven Failsafe" : "Maven Surefire";
    if (
      ["skipTests", "maven.test.skip", "skipITs", "skipUTs", "surefire.skip", "failsafe.skip"].includes(key)
    ) {
      if (value !== "false")
        found.push({ runner, setting: `-D${key}`, excluded: "every test", effect: "exclude" });
    } else if (
      key === "excludedGroups" ||
      key === "surefire.excludedGroups" ||
      key === "surefire.excludesFile"
    ) {
      found.push({ runner: "Maven Surefire", setting: `-D${key}`, excluded: value, effect: "exclude" });
    } else if (key === "test" || key === "it.test") {
      const patterns = value.split(",").map((p) => p.trim());
      const negated = patterns.filter((p) => p.startsWith("!"));
      const runnerName = key === "it.test" ? "Maven Failsafe" : "Maven Surefire";
      for (const pattern of negated)
        found.push({
          runner: runnerName,
          setting: `-D${key}`,
          excluded: pattern.slice(1),
          effect: "exclude",
        });
      if (negated.length < patterns.length)
        found.push({ runner: runnerName, setting: `-D${key}`, excluded: value, effect: "narrow" });
    }
  }
  return found;
}

/** `cargo test -- --skip name`, `cargo nextest run -E 'not test(…)'`. */
function cargo(args: readonly Word[]): Found[] {
  const nextest = args[0] === "nextest" && args[1] === "run";
  if (!nextest && args[0] !== "test") return [];
  const runner = nextest ? "cargo-nextest" : "cargo test";
  const found: Found[] = valuesOf(args, ["--skip"]).map(({ flag, value }) => ({
    runner,
    setting: flag,
    excluded: value,
    effect: "exclude",
  }));
  if (nextest)
    for (const { flag, value } of valuesOf(args, ["-E", "--filterset", "--filter-expr"]))
      found.push({ runner, setting: flag, excluded: value, effect: negates(value) ? "exclude" : "narrow" });
  return found;
}

/** minitest's `-n /…/` (a negative lookahead excludes) and `-e`/`--exclude`. */
function minitest(args: readonly Word[]): Found[] {
  const found: Found[] = [];
  for (const { flag, value } of valuesOf(args, ["-e", "--exclude"]))
    found.push({ runner: "minitest", setting: flag, excluded: value, effect: "exclude" });
  for (const { flag, value } of valuesOf(args, ["-n", "--name"]))
    found.push({
      runner: "minitest",
      setting: flag,
      excluded: value,
      effect: negates(value) ? "exclude" : "narrow",
    });
  return found;
}
