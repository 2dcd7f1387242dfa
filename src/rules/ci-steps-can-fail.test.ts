import { describe, expect, it } from "@jest/globals";
import { prScope } from "../../test/support/facts.js";
import { ruleContext, testRule } from "../../test/support/rule-tester.js";
import { marked, workflowChange } from "../../test/support/workflow-change.js";
import type { ChangedFile } from "../facts/schema.js";
import rule from "./ci-steps-can-fail.js";
import { isNotEvaluated, type Rule } from "./types.js";

const NODE = `name: CI
on:
  pull_request:
  push:
    branches: [main]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: npm run lint
  test:
    name: Unit tests
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [20, 22]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: \${{ matrix.node }}
      - run: npm ci
      - name: Test
        run: npm test
`;

const PYTHON = `name: tests
on: [push, pull_request]
jobs:
  pytest:
    runs-on: \${{ matrix.os }}
    strategy:
      fail-fast: false
      matrix:
        os: [ubuntu-latest, macos-latest]
        python: ["3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: \${{ matrix.python }}
      - run: pip install -e '.[test]'
      - name: Run tests
        run: python -m pytest -q
  docs:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install mkdocs && mkdocs build --strict
`;

const GO = `name: go
on: pull_request
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
      - run: go build ./...
      - name: go test
        run: go test -race ./...
  java:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: ./mvnw -B verify
`;

/** `text` with `from` replaced by `to`; the replaced text must be there, once. */
function edit(text: string, from: string, to: string): string {
  if (text.split(from).length !== 2) throw new Error(`expected one ${JSON.stringify(from)} in the workflow`);
  return text.replace(from, to);
}

interface Case {
  name: string;
  base?: string | null;
  /** The new workflow, its reported lines marked with a trailing `#<<`. */
  head: string | null;
  /** For a removal: the findings expected without a line. */
  unlined?: number;
}

const TEST_STEP = "      - name: Test\n        run: npm test\n";

const EVASIONS: Case[] = [
  {
    name: "continue-on-error: true on the test step",
    head: edit(NODE, "        run: npm test", "        continue-on-error: true #<<\n        run: npm test"),
  },
  {
    name: "continue-on-error as a constant expression",
    head: edit(
      NODE,
      "        run: npm test",
      `        continue-on-error: \${{ true }} #<<\n        run: npm test`,
    ),
  },
  {
    name: "continue-on-error as an always-true comparison",
    head: edit(
      NODE,
      "        run: npm test",
      `        continue-on-error: \${{ 1 == 1 }} #<<\n        run: npm test`,
    ),
  },
  {
    name: "continue-on-error quoted as a string",
    head: edit(
      PYTHON,
      "        run: python -m pytest -q",
      "        continue-on-error: 'true' #<<\n        run: python -m pytest -q",
    ),
  },
  {
    name: "continue-on-error as a negated constant",
    head: edit(
      GO,
      "      - run: ./mvnw -B verify",
      `      - run: ./mvnw -B verify\n        continue-on-error: \${{ !false }} #<<`,
    ),
  },
  {
    name: "continue-on-error on the test job",
    head: edit(NODE, "    name: Unit tests\n", "    name: Unit tests\n    continue-on-error: true #<<\n"),
  },
  {
    name: "continue-on-error on a go test step",
    head: edit(
      GO,
      "        run: go test -race ./...",
      "        continue-on-error: true #<<\n        run: go test -race ./...",
    ),
  },
  {
    name: "|| true after npm test",
    head: edit(NODE, "        run: npm test", "        run: npm test || true #<<"),
  },
  {
    name: "|| : after pytest",
    head: edit(
      PYTHON,
      "        run: python -m pytest -q",
      "        run: |\n          python -m pytest -q || : #<<",
    ),
  },
  {
    name: "|| echo in a block script",
    head: edit(
      NODE,
      "        run: npm test",
      "        run: |\n          npm test || echo 'tests failed' #<<",
    ),
  },
  {
    name: "|| exit 0 after the maven build",
    head: edit(GO, "      - run: ./mvnw -B verify", "      - run: ./mvnw -B verify || exit 0 #<<"),
  },
  {
    name: "; exit 0 after the tests with errexit off",
    head: edit(
      GO,
      "        run: go test -race ./...",
      "        run: |\n          set +e\n          go test -race ./... #<<\n          exit 0",
    ),
  },
  {
    name: "set +e before the tests and more commands after them",
    head: edit(
      NODE,
      "        run: npm test",
      "        run: |\n          set +e\n          npm test -- --ci #<<\n          echo done",
    ),
  },
  {
    name: "set +o errexit before pytest",
    head: edit(
      PYTHON,
      "        run: python -m pytest -q",
      "        run: |\n          set +o errexit\n          pytest -q #<<\n          coverage xml",
    ),
  },
  {
    name: "a custom shell without -e and a later command",
    head: edit(
      NODE,
      "        run: npm test",
      "        shell: bash {0}\n        run: |\n          npm test #<<\n          npm run report",
    ),
  },
  {
    name: "npm test piped into tee with the default shell",
    head: edit(NODE, "        run: npm test", "        run: npm test 2>&1 | tee test.log #<<"),
  },
  {
    name: "go test piped into go-junit-report",
    head: edit(
      GO,
      "        run: go test -race ./...",
      "        run: go test -v ./... 2>&1 | go-junit-report > report.xml #<<",
    ),
  },
  {
    name: "pytest piped into grep in sh",
    head: edit(
      PYTHON,
      "        run: python -m pytest -q",
      "        shell: sh\n        run: pytest -q | grep -v Warning #<<",
    ),
  },
  {
    name: "the tests in an && list followed by more commands",
    head: edit(
      NODE,
      "        run: npm test",
      "        run: |\n          npm test && echo passed #<<\n          echo finished",
    ),
  },
  {
    name: "the tests sent to the background",
    head: edit(NODE, "        run: npm test", "        run: |\n          npm test & #<<\n          sleep 1"),
  },
  {
    name: "if: false on the test step",
    head: edit(NODE, "        run: npm test", "        if: false #<<\n        run: npm test"),
  },
  {
    name: `if: \${{ false }} on the test step`,
    head: edit(
      PYTHON,
      "        run: python -m pytest -q",
      `        if: \${{ false }} #<<\n        run: python -m pytest -q`,
    ),
  },
  {
    name: "if: 0 == 1 on the test job",
    head: edit(GO, "  java:\n    runs-on", "  java:\n    if: 0 == 1 #<<\n    runs-on"),
  },
  {
    name: "if: with an always-false conjunction on the test job",
    head: edit(NODE, "    name: Unit tests\n", `    name: Unit tests\n    if: \${{ false && 'skip' }} #<<\n`),
  },
  {
    name: "the test job removed",
    head: edit(NODE, NODE.slice(NODE.indexOf("  test:\n")), ""),
    unlined: 1,
  },
  {
    name: "the workflow with the tests deleted",
    head: null,
    unlined: 1,
  },
  {
    name: "a matrix entry removed",
    head: edit(NODE, "        node: [20, 22]", "        node: [22] #<<"),
  },
  {
    name: "a matrix os removed",
    head: edit(PYTHON, "        os: [ubuntu-latest, macos-latest]", "        os: [ubuntu-latest] #<<"),
  },
  {
    name: "a matrix combination excluded",
    head: edit(
      PYTHON,
      '        python: ["3.11", "3.12"]',
      '        python: ["3.11", "3.12"]\n        exclude:\n          - os: macos-latest #<<\n            python: "3.11"',
    ),
  },
  {
    name: "a test step that was a lint step now allowed to fail",
    base: edit(
      NODE,
      "      - run: npm run lint",
      "      - run: npm run lint\n        continue-on-error: true",
    ),
    head: edit(
      NODE,
      "      - run: npm run lint",
      "      - run: npm run test:lint\n        continue-on-error: true #<<",
    ),
  },
  {
    name: "a new workflow whose test step cannot fail",
    base: null,
    head: "on: pull_request\njobs:\n  e2e:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npx playwright test || true #<<\n",
  },
  {
    name: "a cypress action allowed to fail",
    base: null,
    head: "on: pull_request\njobs:\n  e2e:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: cypress-io/github-action@v6\n        continue-on-error: true #<<\n",
  },
  {
    name: "an open issue named inside a string, not a comment",
    head: edit(NODE, "        run: npm test", `        run: npm test || echo "flaky, see #41" #<<`),
  },
  {
    name: "an open issue cited in a comment on another step's line",
    head: edit(
      NODE,
      "        run: npm test",
      "        run: npm test || true #<<\n      - run: echo done # #41",
    ),
  },
  {
    name: "a cited closed issue",
    head: edit(
      NODE,
      "        run: npm test",
      "        continue-on-error: true # flaky until #9 #<<\n        run: npm test",
    ),
  },
];

const LEGITIMATE: Case[] = [
  {
    name: "an unchanged workflow with a comment added",
    head: edit(NODE, "jobs:\n", "# Runs on every pull request.\njobs:\n"),
  },
  {
    name: "a lint step allowed to fail",
    head: edit(
      NODE,
      "      - run: npm run lint",
      "      - run: npm run lint\n        continue-on-error: true",
    ),
  },
  {
    name: "a deploy job allowed to fail",
    head: `${NODE}  preview:\n    runs-on: ubuntu-latest\n    continue-on-error: true\n    steps:\n      - run: npx vercel deploy\n`,
  },
  {
    name: "an upload step allowed to fail in the test job",
    head: `${NODE}      - uses: actions/upload-artifact@v4\n        continue-on-error: true\n        with:\n          name: coverage\n          path: coverage/\n`,
  },
  {
    name: "a new job added",
    head: `${NODE}  e2e:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx playwright test\n`,
  },
  { name: "a matrix extended", head: edit(NODE, "        node: [20, 22]", "        node: [20, 22, 24]") },
  {
    name: "a matrix entry with an experimental flag read at run time",
    head: edit(
      NODE,
      "        node: [20, 22]",
      "        node: [20, 22]\n        experimental: [false]\n        include:\n          - node: 24\n            experimental: true",
    ).replace(
      "    runs-on: ubuntu-latest\n    strategy",
      `    runs-on: ubuntu-latest\n    continue-on-error: \${{ matrix.experimental }}\n    strategy`,
    ),
  },
  {
    name: "set +e followed by an explicit status check",
    head: edit(
      NODE,
      "        run: npm test",
      "        run: |\n          set +e\n          npm test\n          status=$?\n          npm run report\n          exit $status",
    ),
  },
  {
    name: "set +e with the tests as the last command",
    head: edit(
      NODE,
      "        run: npm test",
      "        run: |\n          set +e\n          npm run build\n          npm test",
    ),
  },
  {
    name: "set +e then set -e before the tests",
    head: edit(
      NODE,
      "        run: npm test",
      "        run: |\n          set +e\n          rm -rf dist\n          set -e\n          npm test\n          echo done",
    ),
  },
  {
    name: "a pipe with pipefail from shell: bash",
    head: edit(
      NODE,
      "        run: npm test",
      "        shell: bash\n        run: npm test 2>&1 | tee test.log",
    ),
  },
  {
    name: "a pipe after set -o pipefail",
    head: edit(
      GO,
      "        run: go test -race ./...",
      "        run: |\n          set -euo pipefail\n          go test -v ./... 2>&1 | go-junit-report > report.xml",
    ),
  },
  {
    name: "a PIPESTATUS check after a pipe",
    head: edit(
      GO,
      "        run: go test -race ./...",
      '        run: |\n          set +e\n          go test ./... | tee log\n          exit "$PIPESTATUS"',
    ),
  },
  {
    name: "|| true on a cleanup command",
    head: edit(
      NODE,
      "      - run: npm ci\n      - name",
      "      - run: rm -rf node_modules/.cache || true\n      - run: npm ci\n      - name",
    ),
  },
  {
    name: "a retry with a failing fallback",
    head: edit(NODE, "        run: npm test", "        run: npm test || npm test -- --onlyFailures"),
  },
  {
    name: "|| exit 1 after the tests",
    head: edit(NODE, "        run: npm test", "        run: npm test || exit 1"),
  },
  {
    name: "an if on the event",
    head: edit(
      NODE,
      "        run: npm test",
      "        if: github.event_name == 'push' || github.event_name == 'pull_request'\n        run: npm test",
    ),
  },
  {
    name: "an if on a previous outcome",
    head: edit(NODE, "        run: npm test", `        if: \${{ !cancelled() }}\n        run: npm test`),
  },
  {
    name: "a test step renamed",
    head: edit(NODE, "      - name: Test\n", "      - name: Unit tests (jest)\n"),
  },
  {
    name: "a test step moved to another job",
    head: edit(NODE, TEST_STEP, "").replace(
      "      - run: npm run lint\n",
      `      - run: npm run lint\n${TEST_STEP}`,
    ),
  },
  {
    name: "a test job renamed",
    head: edit(NODE, "  test:\n    name: Unit tests", "  unit:\n    name: Unit tests"),
  },
  {
    name: "a test job split into two jobs",
    head: edit(
      GO,
      "  java:\n",
      "  race:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test -race ./...\n  java:\n",
    ).replace("      - name: go test\n        run: go test -race ./...\n", ""),
  },
  { name: "a docs job removed", head: edit(PYTHON, PYTHON.slice(PYTHON.indexOf("  docs:\n")), "") },
  {
    name: "echo that names a test command",
    head: edit(
      NODE,
      "      - run: npm ci\n      - name",
      "      - run: echo 'run npm test || true locally'\n      - name",
    ),
  },
  {
    name: "a renamed workflow file",
    head: NODE,
  },
  {
    name: "a test step already allowed to fail before the change, renamed",
    base: edit(NODE, "        run: npm test", "        continue-on-error: true\n        run: npm test"),
    head: edit(
      NODE,
      "      - name: Test\n        run: npm test",
      "      - name: Unit tests\n        continue-on-error: true\n        run: npm test",
    ),
  },
  {
    name: "a continue-on-error allowed with an open tracking issue",
    head: edit(
      NODE,
      "        run: npm test",
      "        # Flaky on Node 22 until #41 is fixed.\n        continue-on-error: true\n        run: npm test",
    ),
  },
  {
    name: "|| true allowed by a shell comment citing an open issue just above it",
    head: edit(
      NODE,
      "        run: npm test",
      "        run: |\n          # The payment sandbox is down until #41 is fixed.\n          npm test || true",
    ),
  },
  {
    name: "the tests at the end of an && list, with more commands after it",
    head: edit(
      NODE,
      "        run: npm test",
      "        run: |\n          cd packages/api && npm test\n          cd ../web && npm test",
    ),
  },
  {
    name: "a pwsh step whose script is not judged as POSIX shell",
    head: edit(
      NODE,
      "        run: npm test",
      "        shell: pwsh\n        run: npm test; if ($LASTEXITCODE) { exit $LASTEXITCODE }",
    ),
  },
  {
    name: "the tests in an if condition",
    head: edit(
      NODE,
      "        run: npm test",
      "        run: |\n          if ! npm test; then\n            exit 1\n          fi\n          echo ok",
    ),
  },
];

function factsFor(c: Case): ReturnType<typeof prScope> {
  const base = c.base === undefined ? baseOf(c) : c.base;
  const head = c.head === null ? null : marked(c.head).text;
  const file: ChangedFile =
    c.name === "a renamed workflow file"
      ? {
          path: ".github/workflows/test.yml",
          previousPath: ".github/workflows/ci.yml",
          status: "renamed",
          binary: false,
          content: NODE,
        }
      : workflowChange(base, head);
  return prScope({ files: [file] }, { issues: { "acme/api#9": "closed", "acme/api#41": "open" } });
}

/** The base a case changes: the workflow its head was edited from. */
function baseOf(c: Case): string {
  const head = c.head ?? NODE;
  for (const base of [PYTHON, GO]) if (head.startsWith(base.slice(0, 12))) return base;
  return NODE;
}

async function reported(c: Case): Promise<Array<number | undefined>> {
  const result = await (rule as Rule).check(ruleContext(rule as Rule, { name: c.name, facts: factsFor(c) }));
  if (isNotEvaluated(result)) throw new Error(`not evaluated: ${result.notEvaluated}`);
  return result.map((finding) => finding.line);
}

describe("the evasion corpus of ci-steps-can-fail", () => {
  it("holds at least 25 attempts", () => {
    expect(EVASIONS.length).toBeGreaterThanOrEqual(25);
  });
  for (const c of EVASIONS) {
    it(`reports ${c.name}`, async () => {
      const lines = c.head === null ? [] : marked(c.head).lines;
      expect(await reported(c)).toEqual([...Array(c.unlined ?? 0).fill(undefined), ...lines]);
    });
  }
});

describe("the legitimate corpus of ci-steps-can-fail", () => {
  it("holds at least 25 changes", () => {
    expect(LEGITIMATE.length).toBeGreaterThanOrEqual(25);
  });
  for (const c of LEGITIMATE) {
    it(`passes ${c.name}`, async () => {
      expect(await reported(c)).toEqual([]);
    });
  }
});

const coe = workflowChange(
  NODE,
  edit(NODE, "        run: npm test", "        continue-on-error: true\n        run: npm test"),
);

testRule(rule as Rule, {
  valid: [
    {
      name: "no workflow changed",
      facts: prScope({
        files: [{ path: "src/a.ts", status: "modified", binary: false, patch: "@@ -1 +1 @@\n-a\n+b" }],
      }),
    },
    {
      name: "a workflow outside .github/workflows",
      facts: prScope({ files: [{ ...coe, path: "docs/examples/ci.yml" }] }),
    },
  ],
  invalid: [
    {
      name: "continue-on-error on a test step, with the finding's whole text",
      facts: prScope({ files: [coe] }),
      findings: [
        {
          message:
            'Step "Test" of job "test" (npm test) has continue-on-error: true, so its failure leaves the job green, with no comment beside it citing a tracking issue; a test that cannot fail validates nothing',
          path: ".github/workflows/ci.yml",
          line: 26,
          expected:
            "the tests can fail the check, or a comment on the line or just above citing an open tracking issue",
          found: "continue-on-error: true",
          remediation:
            "Take out the continue-on-error at .github/workflows/ci.yml:26 so a failure is no longer ignored, and make the failing tests pass; a flaky test is fixed, or skipped in the code with a tracking issue, not the whole step.",
        },
      ],
    },
    {
      name: "set +e, with the line that turned errexit off",
      facts: prScope({
        files: [
          workflowChange(
            NODE,
            edit(
              NODE,
              "        run: npm test",
              "        run: |\n          set +e\n          npm test\n          exit 0",
            ),
          ),
        ],
      }),
      findings: [
        {
          message:
            'Step "Test" of job "test" (npm test): npm test runs while errexit is off (`set +e` on line 27), and `exit 0` follows without checking its status, so the step passes when the tests fail, with no comment beside it citing a tracking issue; a test that cannot fail validates nothing',
          path: ".github/workflows/ci.yml",
          line: 28,
          expected:
            "the tests can fail the check, or a comment on the line or just above citing an open tracking issue",
          found: "npm test",
          remediation:
            "Let the exit status of the test command at .github/workflows/ci.yml:28 fail the step, not a fallback that always succeeds: take out `|| true`, `; exit 0` or `set +e`, put `set -o pipefail` (or `shell: bash`) before a pipe, or exit with `$?`. Then make the failing tests pass.",
        },
      ],
    },
    {
      name: "a removed test job, with no line to report on",
      facts: prScope({
        files: [workflowChange(NODE, edit(NODE, NODE.slice(NODE.indexOf("  test:\n")), ""))],
      }),
      findings: [
        {
          message:
            'Job "test", which ran npm test before this change (line 13 of the base version), no longer exists, and its tests run in no other changed job, with no comment beside it citing a tracking issue; a test that cannot fail validates nothing',
          path: ".github/workflows/ci.yml",
          expected:
            "the tests can fail the check, or a comment on the line or just above citing an open tracking issue",
          found: 'job "test" (removed)',
          remediation:
            'Restore job "test" in .github/workflows/ci.yml, or move its tests into another job of a changed workflow, so they keep running on every pull request.',
        },
      ],
    },
    {
      name: "a workflow GitHub can no longer run, which had a test job",
      facts: prScope({ files: [workflowChange(NODE, `${NODE}  broken: [\n`)] }),
      findings: [
        {
          message:
            'Job "test", which ran npm test before this change (line 13 of the base version), no longer exists (line 28 makes the workflow one GitHub cannot run: Flow sequence in block collection must be sufficiently indented and end with a ]), and its tests run in no other changed job, with no comment beside it citing a tracking issue; a test that cannot fail validates nothing',
          path: ".github/workflows/ci.yml",
          line: 28,
          expected:
            "the tests can fail the check, or a comment on the line or just above citing an open tracking issue",
          found: "",
          remediation:
            'Restore job "test" in .github/workflows/ci.yml, or move its tests into another job of a changed workflow, so they keep running on every pull request.',
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "a changed workflow whose content was not gathered",
      facts: prScope({ files: [{ ...coe, content: undefined }] }),
      notEvaluated:
        "the version of .github/workflows/ci.yml before the change could not be rebuilt from its diff",
    },
    {
      name: "a cited issue that was not verified",
      facts: prScope({
        files: [
          workflowChange(
            NODE,
            edit(
              NODE,
              "        run: npm test",
              "        continue-on-error: true # #77\n        run: npm test",
            ),
          ),
        ],
      }),
      notEvaluated: /cite a tracking issue that was not verified .*ci\.yml:26 cites acme\/api#77/,
    },
    {
      name: "no changed files gathered",
      facts: prScope({ files: undefined }),
      notEvaluated: "the pull request's changed files were not gathered",
    },
  ],
});
