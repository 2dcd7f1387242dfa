import { exclusionTable } from "../../../../test/support/exclusion-table.js";

exclusionTable("package.json and .mocharc data files", [
  {
    name: "a test script's flags and the jest key",
    path: "package.json",
    source:
      '{\n  "scripts": {\n    "test": "jest --testPathIgnorePatterns=/e2e/ && eslint .",\n    "build": "tsc"\n  },\n  "jest": {\n    "testPathIgnorePatterns": ["/node_modules/", "/flaky/"]\n  }\n}',
    found: [
      [3, "Jest", "--testPathIgnorePatterns", "/e2e/"],
      [7, "Jest", "testPathIgnorePatterns", "/flaky/"],
    ],
  },
  {
    name: "a nested package's scripts with a pytest and a go command",
    path: "services/api/package.json",
    source: '{"scripts": {"test:py": "pytest -k \\"not slow\\"", "test:go": "go test -skip TestNet ./..."}}',
    found: [
      [1, "pytest", "-k", "not slow"],
      [1, "go test", "-skip", "TestNet"],
    ],
  },
  {
    name: "the mocha key with invert",
    path: "package.json",
    source: '{\n  "mocha": {\n    "grep": "@slow",\n    "invert": true\n  }\n}',
    found: [[3, "Mocha", "grep", "@slow"]],
  },
  {
    name: "jest.config.json",
    path: "jest.config.json",
    source: '{\n  "testEnvironment": "node",\n  "testPathIgnorePatterns": ["/node_modules/", "/flaky/"]\n}',
    found: [[3, "Jest", "testPathIgnorePatterns", "/flaky/"]],
  },
  {
    name: ".mocharc.yml ignore",
    path: ".mocharc.yml",
    source: "spec: test/**/*.spec.ts\nignore:\n  - test/integration/**\n",
    found: [[3, "Mocha", "ignore", "test/integration/**"]],
  },
  {
    name: ".mocharc.json exclude of a fixture directory and of build output",
    path: ".mocharc.json",
    source: '{\n  "exclude": ["dist/**", "test/legacy/**"]\n}',
    found: [[2, "Mocha", "exclude", "test/legacy/**"]],
  },
  {
    name: "a package.json that does not parse",
    path: "package.json",
    source: '{\n  "scripts": {\n    "test": "jest",\n  ',
    found: { unparsed: "line" },
  },
]);
