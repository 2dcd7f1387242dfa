import { exclusionTable } from "../../../../test/support/exclusion-table.js";

exclusionTable("Makefiles, shell scripts, workflows and .rspec", [
  {
    name: "Makefile recipes with make variables",
    path: "Makefile",
    source:
      "GOFLAGS ?= -race\n\ntest:\n\t@go test $(GOFLAGS) ./... -skip 'TestFlaky|TestSlow'\n\tgo test -run TestUnit ./pkg/...\n",
    found: [
      [4, "go test", "-skip", "TestFlaky|TestSlow"],
      [5, "go test", "-run", "TestUnit", "narrow"],
    ],
  },
  {
    name: "a shell script with a continued command",
    path: "scripts/ci.sh",
    source: "#!/usr/bin/env bash\nset -euo pipefail\ncargo test --workspace \\\n  -- --skip network\n",
    found: [[3, "cargo test", "--skip", "network"]],
  },
  {
    name: "a workflow's run steps",
    path: ".github/workflows/ci.yml",
    source:
      "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: mvn -B verify -DskipTests\n      - run: |\n          npm ci\n          npx jest --testPathIgnorePatterns /e2e/\n",
    found: [
      [7, "Maven Surefire", "-DskipTests", "every test"],
      [10, "Jest", "--testPathIgnorePatterns", "/e2e/"],
    ],
  },
  {
    name: "a workflow that does not parse",
    path: ".github/workflows/ci.yml",
    source: "on: push\njobs: [\n",
    found: { unparsed: "line" },
  },
  {
    name: ".rspec options",
    path: ".rspec",
    source:
      '--require spec_helper\n--format documentation\n--tag ~flaky\n--exclude-pattern "spec/legacy/**/*_spec.rb"\n',
    found: [
      [3, "RSpec", "--tag", "~flaky"],
      [4, "RSpec", "--exclude-pattern", "spec/legacy/**/*_spec.rb"],
    ],
  },
]);
