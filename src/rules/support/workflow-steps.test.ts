import { describe, expect, it } from "@jest/globals";
import { parseWorkflow, type Workflow } from "./workflow-steps.js";

function workflowOf(source: string): Workflow {
  const parsed = parseWorkflow(source);
  if ("error" in parsed) throw new Error(`unexpected parse error: ${parsed.error} (line ${parsed.line})`);
  return parsed.workflow;
}

const CI = `name: CI
on: [pull_request]
defaults:
  run:
    shell: bash
jobs:
  test:
    name: Unit tests
    runs-on: \${{ matrix.os }}
    if: github.event_name == 'pull_request'
    continue-on-error: \${{ matrix.experimental }}
    needs: [lint, build]
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
        node:
          - 20
          - 22
        include:
          - { os: ubuntu-latest, node: 24, experimental: true }
    steps:
      - uses: actions/checkout@v4
      - name: Install
        id: install
        run: npm ci
      - name: Test
        if: \${{ !cancelled() }}
        continue-on-error: true
        shell: sh
        run: |
          npm run build

          npm test -- --ci
  lint:
    runs-on: ubuntu-latest
    defaults:
      run:
        shell: pwsh
    needs: build
    steps:
      - run: npm run lint
  build:
    uses: ./.github/workflows/build.yml
`;

describe("parseWorkflow", () => {
  it("reads jobs with their settings, matrix entries and lines", () => {
    const { name, jobs } = workflowOf(CI);
    expect(name).toBe("CI");
    expect(jobs.map((job) => [job.id, job.line, job.needs])).toEqual([
      ["test", 7, ["lint", "build"]],
      ["lint", 34, ["build"]],
      ["build", 42, []],
    ]);
    const [test] = jobs;
    expect(test?.name).toEqual({ text: "Unit tests", line: 8 });
    expect(test?.if).toEqual({ text: "github.event_name == 'pull_request'", line: 10 });
    expect(test?.continueOnError).toEqual({ text: `\${{ matrix.experimental }}`, line: 11 });
    expect(test?.matrix).toEqual([
      { key: "os", value: '"ubuntu-latest"', line: 15 },
      { key: "os", value: '"windows-latest"', line: 15 },
      { key: "node", value: "20", line: 17 },
      { key: "node", value: "22", line: 18 },
      { key: "include", value: '{"experimental":true,"node":24,"os":"ubuntu-latest"}', line: 20 },
    ]);
    expect(jobs[2]?.uses).toEqual({ text: "./.github/workflows/build.yml", line: 43 });
  });

  it("reads steps with their settings, the shell that runs them and each script line's line", () => {
    const [test, lint] = workflowOf(CI).jobs;
    expect(test?.steps).toEqual([
      {
        index: 0,
        line: 22,
        uses: { text: "actions/checkout@v4", line: 22 },
        shell: { text: "bash", line: 5 },
      },
      {
        index: 1,
        id: "install",
        name: "Install",
        line: 23,
        shell: { text: "bash", line: 5 },
        run: { script: "npm ci", line: 25, lines: [{ text: "npm ci", line: 25 }] },
      },
      {
        index: 2,
        name: "Test",
        line: 26,
        if: { text: `\${{ !cancelled() }}`, line: 27 },
        continueOnError: { text: "true", line: 28 },
        shell: { text: "sh", line: 29 },
        run: {
          script: "npm run build\n\nnpm test -- --ci\n",
          line: 30,
          lines: [
            { text: "npm run build", line: 31 },
            { text: "", line: 32 },
            { text: "npm test -- --ci", line: 33 },
          ],
        },
      },
    ]);
    expect(lint?.steps[0]?.shell).toEqual({ text: "pwsh", line: 38 });
  });

  it("reads YAML booleans and numbers as the text an expression would hold", () => {
    const [job] = workflowOf(
      "jobs:\n  t:\n    if: false\n    continue-on-error: yes\n    steps:\n      - run: x\n        if: 0\n",
    ).jobs;
    expect(job?.if).toEqual({ text: "false", line: 3 });
    expect(job?.continueOnError).toEqual({ text: "yes", line: 4 });
    expect(job?.steps[0]?.if).toEqual({ text: "0", line: 7 });
  });

  it("finds the lines of a folded or multi-line plain script by each line's first word", () => {
    const [job] = workflowOf(
      [
        "jobs:",
        "  t:",
        "    steps:",
        "      - run: >",
        "          npm ci &&",
        "          npm test",
        "",
        "          echo done",
        "      - run: pytest",
        "          -q",
      ].join("\n"),
    ).jobs;
    expect(job?.steps[0]?.run?.lines).toEqual([
      { text: "npm ci && npm test", line: 5 },
      { text: "echo done", line: 8 },
    ]);
    expect(job?.steps[1]?.run).toEqual({
      script: "pytest -q",
      line: 9,
      lines: [{ text: "pytest -q", line: 9 }],
    });
  });

  it("gives a matrix written as an expression instead of entries", () => {
    const [job] = workflowOf(
      `jobs:\n  t:\n    strategy:\n      matrix: \${{ fromJSON(needs.plan.outputs.matrix) }}\n    steps: []\n`,
    ).jobs;
    expect(job?.matrix).toEqual([]);
    expect(job?.matrixExpression).toEqual({ text: `\${{ fromJSON(needs.plan.outputs.matrix) }}`, line: 4 });
  });

  it("follows anchors and aliases", () => {
    const [, second] = workflowOf(
      [
        "jobs:",
        "  a:",
        "    steps:",
        "      - &test",
        "        name: Test",
        "        run: npm test",
        "  b:",
        "    steps:",
        "      - *test",
      ].join("\n"),
    ).jobs;
    expect(second?.steps[0]?.name).toBe("Test");
    expect(second?.steps[0]?.run?.script).toBe("npm test");
  });

  it.each([
    ["broken YAML", "jobs:\n  t:\n    steps:\n      - run: x\n     bad: y\n", 5],
    ["a duplicate key", "jobs:\n  t:\n    steps: []\n  t:\n    steps: []\n", 4],
    ["a scalar document", "just text\n", 1],
    ["no jobs", "name: CI\non: push\n", 1],
    ["jobs as a list", "name: CI\njobs:\n  - test\n", 3],
    ["a job that is not a mapping", "jobs:\n  test: npm test\n", 2],
    ["steps that are not a list", "jobs:\n  test:\n    steps: npm test\n", 3],
    ["a step that is not a mapping", "jobs:\n  test:\n    steps:\n      - npm test\n", 4],
  ])("returns an error with its line instead of throwing for %s", (_, source, line) => {
    const parsed = parseWorkflow(source);
    expect("error" in parsed && parsed.line).toBe(line);
    expect("error" in parsed && parsed.error.length > 0 && !parsed.error.includes(" at line ")).toBe(true);
  });
});
