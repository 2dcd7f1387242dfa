import { exclusionTable } from "../../../../test/support/exclusion-table.js";

exclusionTable("JavaScript and TypeScript configuration", [
  {
    name: "Jest testPathIgnorePatterns, each entry at its line",
    path: "jest.config.ts",
    source:
      'export default {\n  testPathIgnorePatterns: [\n    "/node_modules/",\n    "<rootDir>/src/legacy/",\n  ],\n};',
    found: [[4, "Jest", "testPathIgnorePatterns", "<rootDir>/src/legacy/"]],
  },
  {
    name: "Jest projects, quoted keys",
    path: "jest.config.js",
    source:
      "module.exports = {\n  projects: [{ displayName: 'api', 'testPathIgnorePatterns': ['/slow/'] }],\n};",
    found: [[2, "Jest", "testPathIgnorePatterns", "/slow/"]],
  },
  {
    name: "Jest testNamePattern negated and positive",
    path: "jest.config.cjs",
    source: "module.exports = { testNamePattern: '^(?!.*flaky)' };",
    found: [[1, "Jest", "testNamePattern", "^(?!.*flaky)"]],
  },
  {
    name: "Vitest test.exclude beside a coverage exclude",
    path: "vitest.config.mts",
    source:
      'export default defineConfig({\n  test: {\n    exclude: [...configDefaults.exclude, "e2e/**"],\n    coverage: { exclude: ["src/generated/**"] },\n  },\n});',
    found: [[3, "Vitest", "exclude", "e2e/**"]],
  },
  {
    name: "Vitest settings inside vite.config",
    path: "vite.config.ts",
    source:
      "export default defineConfig({\n  plugins: [react()],\n  server: { watch: { ignored: ['x'] } },\n  test: { exclude: ['src/slow/**'] },\n});",
    found: [[4, "Vitest", "exclude", "src/slow/**"]],
  },
  {
    name: "Playwright grepInvert, testIgnore and a top-level grep; a project's grep is not reported",
    path: "playwright.config.ts",
    source:
      "export default defineConfig({\n  testIgnore: '**/checkout/**',\n  grepInvert: /@flaky/,\n  grep: /@smoke/,\n  projects: [{ name: 'smoke', grep: /@smoke/ }],\n});",
    found: [
      [2, "Playwright", "testIgnore", "**/checkout/**"],
      [3, "Playwright", "grepInvert", "@flaky"],
      [4, "Playwright", "grep", "@smoke", "narrow"],
    ],
  },
  {
    name: "Mocha ignore in .mocharc.js",
    path: ".mocharc.cjs",
    source: "module.exports = {\n  spec: 'test/**/*.spec.js',\n  ignore: ['test/flaky/**'],\n};",
    found: [[3, "Mocha", "ignore", "test/flaky/**"]],
  },
  {
    name: "settings named in comments and strings are not settings",
    path: "jest.config.js",
    source:
      "// testPathIgnorePatterns: ['/flaky/']\nconst note = \"testPathIgnorePatterns: ['/x/']\";\nmodule.exports = { testTimeout: 10000 };",
    found: [],
  },
]);
