import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import type { Standard } from "../../src/bundle/types.js";
import type { Finding, Verdict } from "../../src/engine/verdict.js";
import {
  CHECK_RUN_TEXT_LIMIT,
  chunk,
  renderJson,
  renderMarkdown,
  renderText,
  renderTitle,
  toAnnotations,
} from "../../src/publish/render.js";
import { RULEBOOK_VERSION } from "../../src/util/version.js";
import { validateVerdict } from "../support/verdict-schema.js";

const commitFinding: Finding = {
  standard: "conventional-commits",
  rule: "commit-message",
  severity: "error",
  message: "Commit 1a2b3c4 does not follow Conventional Commits: subject may not be empty",
  expected: "type(scope): subject",
  found: "fixed stuff",
  remediation: "Reword the commit with `git rebase -i`.",
  docs: "https://example.com/standards/docs/conventional-commits.md",
};

// Keys deliberately out of contract order: the JSON must not depend on how a producer built the object.
const skipFinding = {
  docs: "docs/no-skipped-tests.md",
  remediation: "Fix the test instead of skipping it.",
  found: 'it.skip("works", () => {})',
  line: 12,
  path: "src/a.test.ts",
  message: "A test is skipped",
  severity: "error",
  rule: "test-skip",
  standard: "no-skipped-tests",
} satisfies Finding;

const templateFinding: Finding = {
  standard: "pr-template",
  rule: "required-file",
  severity: "warning",
  message: "The pull request template is missing",
  path: ".github/pull_request_template.md",
  expected: "## Why\n## How",
  remediation: "Copy the canonical template from the bundle.",
  docs: "docs/pr-template.md",
};

function verdictWith(findings: Finding[], extra: Partial<Verdict> = {}): Verdict {
  return {
    schema: "rulebook.findings/v1",
    bundle: { source: "default", version: "2026.11.0" },
    findings,
    notEvaluated: [
      {
        standard: "tag-protection",
        reason: "rulesets live on GitHub; the rulebook check run evaluates them",
        severity: "error",
      },
    ],
    standards: [
      {
        standard: "conventional-commits",
        title: "Commit messages follow Conventional Commits",
        status: "fail",
      },
      { standard: "no-skipped-tests", title: "Tests are not skipped", status: "fail" },
      {
        standard: "pr-template",
        title: "PR template | present",
        status: "fail",
        reason: "in effect from 2027-01-01",
      },
      {
        standard: "tag-protection",
        title: "Tags are protected",
        status: "not-evaluated",
        reason: "rulesets",
      },
    ],
    waivers: [],
    ...extra,
  };
}

const verdict = verdictWith([commitFinding, skipFinding, templateFinding]);

function manyFindings(count: number): Finding[] {
  return Array.from({ length: count }, (_, i) => ({
    standard: "no-skipped-tests",
    rule: "test-skip",
    severity: "error",
    message: `Test number ${i} is skipped with a comment calling it a known limitation`,
    path: `packages/module-${i}/src/feature.test.ts`,
    line: i + 1,
    found: `it.skip("case ${i}", () => {})`,
    remediation: "Fix the failing test instead of skipping it, or delete the test with a reason in the PR.",
    docs: "https://example.com/standards/docs/no-skipped-tests.md",
  }));
}

describe("renderJson", () => {
  it("prints the verdict in contract key order with a 2-space indent", () => {
    const json = renderJson(verdictWith([skipFinding], { notEvaluated: [], standards: [] }));
    expect(json).toBe(
      `{
  "schema": "rulebook.findings/v1",
  "bundle": {
    "source": "default",
    "version": "2026.11.0"
  },
  "findings": [
    {
      "standard": "no-skipped-tests",
      "rule": "test-skip",
      "severity": "error",
      "message": "A test is skipped",
      "path": "src/a.test.ts",
      "line": 12,
      "found": "it.skip(\\"works\\", () => {})",
      "remediation": "Fix the test instead of skipping it.",
      "docs": "docs/no-skipped-tests.md"
    }
  ],
  "notEvaluated": [],
  "standards": [],
  "waivers": []
}
`,
    );
  });

  it("keeps every field, so the document parses back to the verdict", () => {
    const withWaiver = verdictWith(
      [commitFinding, { ...templateFinding, endLine: 4, line: 2, pending: true }],
      {
        waivers: [
          {
            status: "active",
            expires: "2027-01-31",
            reason: "Ownership is being reorganised.",
            owner: "@alice",
            repository: "acme/legacy-api",
            standard: "codeowners",
          },
        ],
      },
    );
    expect(JSON.parse(renderJson(withWaiver))).toEqual(withWaiver);
    expect(Object.keys(JSON.parse(renderJson(withWaiver)).waivers[0])).toEqual([
      "standard",
      "repository",
      "owner",
      "reason",
      "expires",
      "status",
    ]);
  });

  it("prints documents valid against the published JSON Schema", () => {
    for (const document of [verdict, verdictWith([{ ...skipFinding, endLine: 14, pending: true }])]) {
      expect(validateVerdict(JSON.parse(renderJson(document)))).toBe(true);
      expect(validateVerdict.errors ?? null).toBeNull();
    }
  });

  it("gives the same bytes whatever order the producer wrote the keys in", () => {
    const reversed = Object.fromEntries(Object.entries(verdict).reverse()) as unknown as Verdict;
    expect(renderJson(reversed)).toBe(renderJson(verdict));
  });
});

describe("renderTitle", () => {
  it("names the outcome and the counts", () => {
    expect(renderTitle(verdict)).toBe("Blocked: 2 errors, 1 warning, 0 notices, 1 not evaluated");
    expect(renderTitle(verdictWith([templateFinding]))).toBe(
      "Incomplete: 0 errors, 1 warning, 0 notices, 1 not evaluated",
    );
    expect(renderTitle(verdictWith([{ ...skipFinding, pending: true }], { notEvaluated: [] }))).toBe(
      "Pending: 1 error, 0 warnings, 0 notices, 1 pending, 0 not evaluated",
    );
    expect(renderTitle(verdictWith([], { notEvaluated: [] }))).toBe(
      "Passed: 0 errors, 0 warnings, 0 notices, 0 not evaluated",
    );
  });
});

describe("renderText", () => {
  it("prints a block per finding, then what was not evaluated, then a summary line", () => {
    expect(renderText(verdict)).toBe(`error  conventional-commits
  Commit 1a2b3c4 does not follow Conventional Commits: subject may not be empty
  expected: type(scope): subject
  found:    fixed stuff
  fix:      Reword the commit with \`git rebase -i\`.
  docs:     https://example.com/standards/docs/conventional-commits.md

error  no-skipped-tests  src/a.test.ts:12
  A test is skipped
  found:    ${skipFinding.found}
  fix:      Fix the test instead of skipping it.
  docs:     docs/no-skipped-tests.md

warning  pr-template  .github/pull_request_template.md
  The pull request template is missing
  expected: ## Why
            ## How
  fix:      Copy the canonical template from the bundle.
  docs:     docs/pr-template.md

not evaluated (never a pass):
  tag-protection: rulesets live on GitHub; the rulebook check run evaluates them

rulebook: Blocked: 2 errors, 1 warning, 0 notices, 1 not evaluated (bundle default 2026.11.0)
`);
  });

  it("shows line ranges and pending findings", () => {
    const text = renderText(
      verdictWith([{ ...skipFinding, endLine: 14, pending: true, found: undefined }], { notEvaluated: [] }),
    );
    expect(text).toBe(`error (pending)  no-skipped-tests  src/a.test.ts:12-14
  A test is skipped
  fix:      Fix the test instead of skipping it.
  docs:     docs/no-skipped-tests.md

rulebook: Pending: 1 error, 0 warnings, 0 notices, 1 pending, 0 not evaluated (bundle default 2026.11.0)
`);
  });
});

describe("renderMarkdown", () => {
  const rationale: Pick<Standard, "id" | "title" | "rationale"> = {
    id: "no-skipped-tests",
    title: "Failing tests are fixed, never skipped",
    rationale: "A skipped test hides a failure.\nSkips get copied into other repositories.",
  };
  const bundle = { standards: [rationale as Standard] };

  it("carries the title, table, detail with rationale, not-evaluated list, JSON block and bundle", () => {
    const markdown = renderMarkdown(verdict, { bundle, replay: { factsDigest: "sha256:0123abcd" } });
    expect(markdown.split("\n\n")).toEqual([
      "## Rulebook — Blocked: 2 errors, 1 warning, 0 notices, 1 not evaluated",
      [
        "| Standard | Title | Status | Findings | Note |",
        "| --- | --- | --- | --- | --- |",
        "| `conventional-commits` | Commit messages follow Conventional Commits | fail | 1 |  |",
        "| `no-skipped-tests` | Tests are not skipped | fail | 1 |  |",
        "| `pr-template` | PR template \\| present | fail | 1 | in effect from 2027-01-01 |",
        "| `tag-protection` | Tags are protected | not-evaluated | 0 | rulesets |",
      ].join("\n"),
      "### Findings",
      "#### `conventional-commits` — Commit messages follow Conventional Commits",
      [
        "- **error**: Commit 1a2b3c4 does not follow Conventional Commits: subject may not be empty",
        "  - Expected: `type(scope): subject`",
        "  - Found: `fixed stuff`",
        "  - Fix: Reword the commit with `git rebase -i`.",
        "  - Docs: [https://example.com/standards/docs/conventional-commits.md](https://example.com/standards/docs/conventional-commits.md)",
      ].join("\n"),
      "#### `no-skipped-tests` — Failing tests are fixed, never skipped",
      "Why it exists:",
      "> A skipped test hides a failure.\n> Skips get copied into other repositories.",
      [
        "- **error** at `src/a.test.ts:12`: A test is skipped",
        '  - Found: `it.skip("works", () => {})`',
        "  - Fix: Fix the test instead of skipping it.",
        "  - Docs: `docs/no-skipped-tests.md`",
      ].join("\n"),
      "#### `pr-template` — PR template | present",
      "- **warning** at `.github/pull_request_template.md`: The pull request template is missing\n  - Expected:",
      "    ```\n    ## Why\n    ## How\n    ```",
      "  - Fix: Copy the canonical template from the bundle.\n  - Docs: `docs/pr-template.md`",
      "### Not evaluated",
      "These standards apply but could not be judged here. That is never a pass:",
      "- `tag-protection`: rulesets live on GitHub; the rulebook check run evaluates them",
      "### Machine-readable verdict",
      `\`\`\`json\n${renderJson(verdict).trimEnd()}\n\`\`\``,
      // How an agent gets this verdict itself: one line with the running version.
      `**Get this verdict before you push:** in a clone of Rulebook ${RULEBOOK_VERSION}, \`npm ci && npm install --global .\`; then, in your checkout, \`rulebook check --format json\` (with \`GITHUB_TOKEN\` set or \`gh\` logged in, it judges everything this check judges).`,
      "<sub>Bundle `default` version `2026.11.0` · facts digest `sha256:0123abcd` · schema `rulebook.findings/v1`</sub>\n",
    ]);
  });

  it("opens with a plain instruction to stop when an agent wrote the change", () => {
    const markdown = renderMarkdown(verdict, { agentAuthor: true });
    expect(markdown.split("\n\n")[1]).toBe(
      "**Stop. Do not work around this check.** This change was written by an AI agent and breaks the " +
        "organization's standards. Read each standard before changing anything (`rulebook explain " +
        "conventional-commits`, `rulebook explain no-skipped-tests`, `rulebook explain pr-template`), then " +
        "fix the cause. Do not skip or delete tests, disable rules, rewrite history to hide the finding, or " +
        "change rulesets or the bundle to get a green check. If you cannot fix the cause, stop and ask a human.",
    );
    expect(renderMarkdown(verdictWith([]), { agentAuthor: true })).not.toContain("Stop.");
    expect(renderMarkdown(verdict)).not.toContain("Stop.");
  });

  it("lengthens fences so backticks inside values cannot break out", () => {
    const tricky = { ...skipFinding, found: "```\nnot code\n```", expected: "a `tick`" };
    const markdown = renderMarkdown(verdictWith([tricky], { notEvaluated: [] }));
    expect(markdown).toContain("  - Expected: `` a `tick` ``\n");
    expect(markdown).toContain("    ````\n    ```\n    not code\n    ```\n    ````");
    const block = /^````json\n([\s\S]*?)\n````$/m.exec(markdown);
    expect(JSON.parse(block?.[1] ?? "")).toEqual(verdictWith([tricky], { notEvaluated: [] }));
  });

  it("returns the full text when it fits the limit", () => {
    expect(renderMarkdown(verdict, { maxLength: CHECK_RUN_TEXT_LIMIT })).toBe(renderMarkdown(verdict));
  });

  it("drops per-finding detail first and keeps the JSON block whole", () => {
    const findings = manyFindings(120);
    const full = renderMarkdown(verdictWith(findings));
    const limit = full.length - 1;
    const cut = renderMarkdown(verdictWith(findings), { maxLength: limit });
    expect(cut.length).toBeLessThanOrEqual(limit);
    expect(cut).not.toContain("### Findings");
    expect(cut).toContain(
      `_Per-finding detail was left out to fit GitHub's limit of ${limit} characters; the JSON block below holds every finding, and \`rulebook check --format markdown\` prints the full text._`,
    );
    const block = /^```json\n([\s\S]*?)\n```$/m.exec(cut);
    expect(JSON.parse(block?.[1] ?? "").findings).toHaveLength(120);
    expect(cut).toContain("### Not evaluated");
  });

  it("with thousands of findings lists as many as fit and says how many were left out", () => {
    const findings = manyFindings(5000);
    const cut = renderMarkdown(verdictWith(findings), { maxLength: CHECK_RUN_TEXT_LIMIT, agentAuthor: true });
    expect(cut.length).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    expect(cut).not.toContain("```json");
    const listed = cut.split("\n").filter((line) => line.startsWith("- **error** `no-skipped-tests`"));
    expect(listed[0]).toBe(
      "- **error** `no-skipped-tests` `packages/module-0/src/feature.test.ts:1`: Test number 0 is skipped with a comment calling it a known limitation",
    );
    expect(listed.length).toBeGreaterThan(100);
    expect(cut).toContain(
      `_${5000 - listed.length} of 5000 findings were left out, and the JSON block too, to fit GitHub's limit of ${CHECK_RUN_TEXT_LIMIT} characters. Get all of them with \`rulebook check --format json\`._`,
    );
    expect(cut).toContain("**Stop. Do not work around this check.**");
    expect(cut).toContain("### Not evaluated");
    // The list is as long as it can be: one more line would not have fitted.
    const k = listed.length;
    const nextLine = `- **error** \`no-skipped-tests\` \`packages/module-${k}/src/feature.test.ts:${k + 1}\`: Test number ${k} is skipped with a comment calling it a known limitation`;
    expect(cut.length + nextLine.length + 1).toBeGreaterThan(CHECK_RUN_TEXT_LIMIT);
  });

  it("never exceeds any limit, however many findings and however small the limit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 70_000 }), (count, limit) => {
        const markdown = renderMarkdown(verdictWith(manyFindings(count)), {
          maxLength: limit,
          agentAuthor: true,
        });
        return markdown.length <= limit;
      }),
      { numRuns: 40, seed: 20261123 },
    );
  });
});

describe("toAnnotations", () => {
  it("annotates only findings with a path, with the fix and docs in the message", () => {
    expect(
      toAnnotations(verdictWith([commitFinding, skipFinding, { ...templateFinding, severity: "notice" }])),
    ).toEqual([
      {
        path: "src/a.test.ts",
        start_line: 12,
        end_line: 12,
        annotation_level: "failure",
        title: "no-skipped-tests (error)",
        message:
          'A test is skipped\nFound: it.skip("works", () => {})\nFix: Fix the test instead of skipping it.\nDocs: docs/no-skipped-tests.md',
      },
      {
        path: ".github/pull_request_template.md",
        start_line: 1,
        end_line: 1,
        annotation_level: "notice",
        title: "pr-template (notice)",
        message:
          "The pull request template is missing\nExpected: ## Why\n## How\nFix: Copy the canonical template from the bundle.\nDocs: docs/pr-template.md",
      },
    ]);
  });

  it("maps warnings and line ranges", () => {
    expect(toAnnotations(verdictWith([{ ...templateFinding, line: 3, endLine: 9 }]))[0]).toMatchObject({
      start_line: 3,
      end_line: 9,
      annotation_level: "warning",
    });
  });
});

describe("chunk", () => {
  it("splits into batches of 50 by default", () => {
    const batches = chunk(Array.from({ length: 120 }, (_, i) => i));
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches[2]?.[0]).toBe(100);
    expect(chunk([], 50)).toEqual([]);
    expect(chunk([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
  });

  it("refuses a size that is not a positive integer", () => {
    expect(() => chunk([1], 0)).toThrow("chunk size must be a positive integer, got 0");
  });
});
