/** Jest 30 under native ESM: TypeScript is compiled by swc, types are checked by `tsc --noEmit`. */
const common = {
  // Child processes a test starts are killed when its file ends, and when the run ends (test/support/jest/).
  testEnvironment: "<rootDir>/test/support/jest/environment.js",
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "es6" } },
    ],
  },
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
};

export default {
  testTimeout: 30000,
  // Jest's ESM module registry grows with every file a worker runs; the scenarios run twice (github.com and
  // GHES), and a worker reached V8's 4 GB heap. A worker past this after a file is replaced by a fresh one.
  workerIdleMemoryLimit: "1GB",
  globalSetup: "<rootDir>/test/support/jest/global-setup.js",
  globalTeardown: "<rootDir>/test/support/jest/global-teardown.js",
  projects: [
    {
      ...common,
      displayName: "github.com",
      roots: ["<rootDir>/test", "<rootDir>/src"],
      testMatch: ["**/*.test.ts"],
    },
    {
      // The scenarios again against the oldest GitHub Enterprise Server release supported, rate limiting off.
      ...common,
      displayName: "ghes-3.17",
      roots: ["<rootDir>/test/scenarios"],
      testMatch: ["**/*.test.ts"],
      setupFiles: ["<rootDir>/test/support/ghes-3.17.ts"],
    },
  ],
};
