/**
 * The settings of JavaScript test runners' configuration that leave tests out, wherever the
 * configuration is written (a `jest.config.ts`, the `jest` key of `package.json`, a `.mocharc.yml`):
 * one table, read by the JavaScript and the JSON/YAML readers alike. Pure.
 */
import { negates } from "./command-line.js";
import type { Found } from "./types.js";

export type JsRunner = "Jest" | "Vitest" | "Playwright" | "Mocha";

/** The runner a configuration file configures, by its name. */
export function jsRunnerOf(path: string): JsRunner | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (name.startsWith("jest.config.")) return "Jest";
  if (/^(vitest|vite)\.(config|workspace)\./.test(name) || name.startsWith("vitest.projects."))
    return "Vitest";
  if (name.startsWith("playwright.config.") || name.startsWith("playwright-ct.config.")) return "Playwright";
  if (name.startsWith(".mocharc")) return "Mocha";
  return undefined;
}

/**
 * Directories that hold no tests of the project (dependencies, build output, caches): leaving them out of
 * a run leaves no test out.
 */
const NOT_TESTS = new Set([
  "node_modules",
  "dist",
  "build",
  "out",
  "coverage",
  ".next",
  ".nuxt",
  ".svelte-kit",
  ".output",
  "vendor",
  "target",
  ".venv",
  "venv",
  ".tox",
  ".nox",
  ".git",
  "__pycache__",
  "site-packages",
  ".cache",
  ".eggs",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  "bower_components",
  ".yarn",
  ".pnpm-store",
  ".turbo",
  "tmp",
  ".tmp",
  "storybook-static",
  "*.egg",
  "*.egg-info",
  "_build",
  "docs",
  ".direnv",
  ".hg",
  ".svn",
]);

/** Whether an ignore pattern names only directories that hold no tests (`/node_modules/`, `<rootDir>/dist`). */
export function onlyNonTestDirectories(pattern: string): boolean {
  const segments = pattern
    .replaceAll("<rootDir>", "")
    .split(/[/\\|()^$?+{}[\]]/)
    .filter(
      (segment) =>
        segment !== "" && segment !== "**" && segment !== "*" && segment !== "." && segment !== ".*",
    );
  return segments.length > 0 && segments.every((segment) => NOT_TESTS.has(segment));
}

/** What a setting leaves out, given the path of keys above it and its string values. */
export function settingExclusions(
  runner: JsRunner,
  keys: readonly string[],
  values: readonly string[],
  options: { inverted?: boolean } = {},
): Found[] {
  const key = keys[keys.length - 1] ?? "";
  const above = keys.slice(0, -1);
  if (
    above.some(
      (k) =>
        k === "coverage" ||
        k === "coverageOptions" ||
        k === "typecheck" ||
        k === "watchOptions" ||
        k === "server" ||
        k === "build" ||
        k === "optimizeDeps",
    )
  )
    return [];
  const each = (setting: string, effect: (value: string) => Found["effect"] | undefined) =>
    values.flatMap((value): Found[] => {
      const chosen = effect(value);
      return chosen ? [{ runner, setting, excluded: value, effect: chosen }] : [];
    });
  const ignores = (value: string) => (onlyNonTestDirectories(value) ? undefined : "exclude");
  const byExpression = (value: string) => (options.inverted || negates(value) ? "exclude" : "narrow");
  switch (runner) {
    case "Jest":
      if (key === "testPathIgnorePatterns") return each(key, ignores);
      if (key === "testNamePattern") return each(key, byExpression);
      return [];
    case "Vitest":
      if (key === "exclude" && (above.includes("test") || above.length === 0 || above.includes("projects")))
        return each(key, ignores);
      if (key === "testNamePattern") return each(key, byExpression);
      return [];
    case "Playwright":
      if (key === "testIgnore") return each(key, ignores);
      if (key === "grepInvert") return each(key, () => "exclude");
      // A project's own grep splits the suite between projects; a top-level one narrows every project.
      if (key === "grep" && above.length === 0) return each(key, () => "narrow");
      return [];
    case "Mocha":
      if (above.length > 0) return [];
      if (key === "ignore" || key === "exclude") return each(key, ignores);
      if (key === "grep" || key === "fgrep") return each(key, byExpression);
      return [];
  }
}
