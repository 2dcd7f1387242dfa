/**
 * Whether a shell command runs tests, read from its words (as `shell-quote` splits them), never from
 * substrings: `npm test` and `python -m pytest` run tests, `npm run lint` and `echo "npm test"` do not.
 */

/** Commands that only run or wrap the command after them, with how many arguments of their own they take. */
const WRAPPERS: Record<string, number> = {
  sudo: 0,
  env: 0,
  time: 0,
  nice: 0,
  nohup: 0,
  "xvfb-run": 0,
  stdbuf: 0,
  timeout: 1,
  npx: 0,
  pnpx: 0,
  bunx: 0,
  nyc: 0,
  c8: 0,
  catchsegv: 0,
};

/** Wrappers made of two words: `poetry run pytest`, `bundle exec rspec`, `python -m pytest`. */
const TWO_WORD_WRAPPERS: Record<string, readonly string[]> = {
  npm: ["exec"],
  pnpm: ["exec", "dlx"],
  yarn: ["exec", "dlx"],
  poetry: ["run"],
  uv: ["run"],
  pipenv: ["run"],
  pdm: ["run"],
  hatch: ["run"],
  rye: ["run"],
  bundle: ["exec"],
  python: ["-m"],
  python3: ["-m"],
  py: ["-m"],
  coverage: ["run"],
};

/** Runners that run tests whatever their arguments. */
const RUNNERS = new Set([
  "jest",
  "vitest",
  "mocha",
  "ava",
  "tap",
  "jasmine",
  "karma",
  "pytest",
  "py.test",
  "tox",
  "nox",
  "unittest",
  "nose2",
  "nosetests",
  "rspec",
  "phpunit",
  "pest",
  "ctest",
  "gotestsum",
  "cargo-nextest",
  "bats",
  "prove",
  "cucumber",
  "cucumber-js",
  "behave",
  "wdio",
]);

/** Options that take the next word as their value (`npm --prefix web test`, `go -C api test`). */
const OPTIONS_WITH_VALUE = new Set([
  "--prefix",
  "-C",
  "--dir",
  "--cwd",
  "--filter",
  "-F",
  "--workspace",
  "-w",
]);

/** Tools whose subcommand (the first word that is not an option) decides. */
const SUBCOMMANDS: Record<string, (subcommand: string) => boolean> = {
  npm: (s) => ["test", "t", "tst", "cit", "install-ci-test", "it", "install-test"].includes(s),
  yarn: isTestScript,
  pnpm: isTestScript,
  bun: isTestScript,
  go: (s) => s === "test",
  cargo: (s) => s === "test" || s === "nextest",
  dotnet: (s) => s === "test",
  swift: (s) => s === "test",
  mix: (s) => s === "test",
  deno: (s) => s === "test",
  flutter: (s) => s === "test",
  dart: (s) => s === "test",
  playwright: (s) => s === "test",
  cypress: (s) => s === "run",
  meson: (s) => s === "test",
  bazel: (s) => s === "test",
  bazelisk: (s) => s === "test",
  xcodebuild: (s) => s === "test",
  lein: (s) => s === "test",
  stack: (s) => s === "test",
  cabal: (s) => s === "test",
  hatch: (s) => s === "test",
  rake: (s) => s === "test" || s === "spec",
};

/** Tools whose every non-option argument is a goal or target, any of which may run the tests. */
const GOALS: Record<string, (goal: string) => boolean> = {
  mvn: (g) => ["test", "verify", "install", "integration-test"].includes(g),
  mvnw: (g) => ["test", "verify", "install", "integration-test"].includes(g),
  gradle: isGradleTestTask,
  gradlew: isGradleTestTask,
  make: isMakeTestTarget,
  sbt: (g) => g.replace(/^\+/, "") === "test",
};

/** `test`, `test:unit`, `test-e2e`, `tests`: a package script that by its name runs tests. */
function isTestScript(script: string): boolean {
  return script === "test" || script === "tests" || /^tests?[:\-_.]/.test(script);
}

function isGradleTestTask(task: string): boolean {
  const name = task.slice(task.lastIndexOf(":") + 1);
  return name === "check" || name === "build" || name === "test" || name.endsWith("Test");
}

function isMakeTestTarget(target: string): boolean {
  return target === "check" || isTestScript(target);
}

function commandName(word: string): string {
  const name = word.slice(word.lastIndexOf("/") + 1);
  return name.endsWith(".exe") || name.endsWith(".cmd") ? name.slice(0, -4) : name;
}

function isAssignment(word: string): boolean {
  const equals = word.indexOf("=");
  return equals > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(word.slice(0, equals));
}

/**
 * The test runner a command invokes, as the words that say so (`npm test`, `python -m pytest`), or
 * undefined when it runs no tests.
 */
export function testRunnerOf(words: readonly string[]): string | undefined {
  let at = 0;
  for (;;) {
    while (at < words.length && isAssignment(words[at] ?? "")) at++;
    const name = commandName(words[at] ?? "");
    const wrapped = WRAPPERS[name];
    if (wrapped !== undefined) {
      at += 1;
      while (at < words.length && (words[at] ?? "").startsWith("-")) at++;
      at += wrapped;
      continue;
    }
    const second = words[at + 1] ?? "";
    if (TWO_WORD_WRAPPERS[name]?.includes(second)) {
      at += 2;
      while (at < words.length && (words[at] ?? "").startsWith("-")) at++;
      continue;
    }
    break;
  }
  const name = commandName(words[at] ?? "");
  if (name === "") return undefined;
  const rest = words.slice(at + 1);
  const label = (...more: string[]) => [name, ...more].join(" ");
  if (RUNNERS.has(name)) return label();
  const subcommand = rest.find(
    (word, i) => !word.startsWith("-") && !OPTIONS_WITH_VALUE.has(rest[i - 1] ?? ""),
  );
  if (subcommand !== undefined) {
    const decides = SUBCOMMANDS[name];
    if (decides?.(subcommand)) return label(subcommand);
    // `npm run test:unit`, `yarn run test`, `pnpm run tests`
    if (subcommand === "run" || subcommand === "run-script") {
      const script = rest[rest.indexOf(subcommand) + 1] ?? "";
      if (["npm", "yarn", "pnpm", "bun"].includes(name) && isTestScript(script))
        return label(subcommand, script);
    }
  }
  const goal = GOALS[name];
  const matched = goal && rest.find((word) => !word.startsWith("-") && goal(word));
  if (matched) return label(matched);
  if (name === "php" && rest[0] === "artisan" && rest[1] === "test") return "php artisan test";
  return undefined;
}

/** GitHub Actions whose purpose is to run tests, by `owner/name` (matched without case or version). */
const TEST_ACTIONS = new Set([
  "cypress-io/github-action",
  "pavelzw/pytest-action",
  "reactivecircus/android-emulator-runner",
  "mattallty/jest-github-action",
  "gabrielbb/xvfb-action",
  "coactions/setup-xvfb",
]);

/** The well-known test action a step's `uses:` names, without its version, or undefined. */
export function testActionOf(uses: string): string | undefined {
  const name = uses.split("@")[0]?.toLowerCase() ?? "";
  const repository = name.split("/").slice(0, 2).join("/");
  return TEST_ACTIONS.has(repository) ? repository : undefined;
}
