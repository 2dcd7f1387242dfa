/** Jest 30 under native ESM: TypeScript is compiled by swc, types are checked by `tsc --noEmit`. */
export default {
  // Child processes a test starts are killed when its file ends, and when the run ends (test/support/jest/).
  testEnvironment: "<rootDir>/test/support/jest/environment.js",
  globalSetup: "<rootDir>/test/support/jest/global-setup.js",
  globalTeardown: "<rootDir>/test/support/jest/global-teardown.js",
  roots: ["<rootDir>/test", "<rootDir>/src"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "es6" } },
    ],
  },
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  testTimeout: 30000,
};
