import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import type { Standard } from "../../src/bundle/types.js";
import { evaluate } from "../../src/engine/evaluate.js";
import type { Finding, Verdict } from "../../src/engine/verdict.js";
import { inline } from "../../src/publish/markdown.js";
import {
  CHECK_RUN_TEXT_LIMIT,
  chunk,
  JSON_SUMMARY,
  renderJson,
  renderMarkdown,
  renderText,
  renderTitle,
  toAnnotations,
} from "../../src/publish/render.js";
import { RULEBOOK_VERSION } from "../../src/util/version.js";
import { commit, prScope } from "../support/facts.js";
import { PR_BODY } from "../support/scenario.js";
import { defaultBundle } from "../support/shipped-texts.js";
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

not evaluated, which is never a pass:
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

  it("puts the failing standards first, then the others and the JSON block collapsed, then the CLI line", () => {
    const markdown = renderMarkdown(verdict, { bundle, replay: { factsDigest: "sha256:0123abcd" } });
    expect(markdown.split("\n\n")).toEqual([
      "## Rulebook — Blocked: 2 errors, 1 warning, 0 notices, 1 not evaluated",
      "### 3 standards not met",
      "#### `conventional-commits` — Commit messages follow Conventional Commits ([manual](https://example.com/standards/docs/conventional-commits.md))",
      [
        "- **error**: Commit 1a2b3c4 does not follow Conventional Commits: subject may not be empty",
        "  - Expected: `type(scope): subject`",
        "  - Found: `fixed stuff`",
        "  - Fix: Reword the commit with `git rebase -i`.",
      ].join("\n"),
      "#### `no-skipped-tests` — Failing tests are fixed, never skipped (`docs/no-skipped-tests.md`)",
      "Why: A skipped test hides a failure.",
      [
        "- **error** at `src/a.test.ts:12`: A test is skipped",
        '  - Found: `it.skip("works", () => {})`',
        "  - Fix: Fix the test instead of skipping it.",
      ].join("\n"),
      "#### `pr-template` — PR template | present (`docs/pr-template.md`)",
      "- **warning** at `.github/pull_request_template.md`: The pull request template is missing\n  - Expected:",
      "    ```\n    ## Why\n    ## How\n    ```",
      "  - Fix: Copy the canonical template from the bundle.",
      "<details><summary>The other standard: 1 not evaluated</summary>",
      "- **Not evaluated, which is never a pass:** `tag-protection` — rulesets",
      "</details>",
      "<details><summary>Machine-readable verdict (rulebook.findings/v1)</summary>",
      `\`\`\`json\n${renderJson(verdict).trimEnd()}\n\`\`\``,
      "</details>",
      // How an agent gets this verdict itself: one line with the running version.
      `**Get this verdict before you push:** in a clone of Rulebook ${RULEBOOK_VERSION}, \`npm ci && npm install --global .\`; then, in your checkout, \`rulebook check --format json\` (with \`GITHUB_TOKEN\` set or \`gh\` logged in, it judges everything this check judges).`,
      "<sub>Bundle `default` version `2026.11.0` · facts digest `sha256:0123abcd` · schema `rulebook.findings/v1`</sub>\n",
    ]);
  });

  it("groups the standards without findings by what became of them, in plain words", () => {
    const markdown = renderMarkdown(
      verdictWith([skipFinding], {
        standards: [
          { standard: "no-skipped-tests", title: "Tests are not skipped", status: "fail" },
          { standard: "pr-title", title: "Titles", status: "pass" },
          { standard: "branch-name", title: "Branches", status: "pass" },
          {
            standard: "codeowners",
            title: "Owners",
            status: "waived",
            reason: "waived until 2027-01-31 by @alice: moving",
          },
          {
            standard: "license",
            title: "License",
            status: "not-applicable",
            reason:
              "judged on the repository's files and settings, by the periodic sweep, not on a pull request",
          },
          {
            standard: "security-policy",
            title: "Security",
            status: "not-applicable",
            reason:
              "judged on the repository's files and settings, by the periodic sweep, not on a pull request",
          },
          {
            standard: "tag-protection",
            title: "Tags",
            status: "not-evaluated",
            reason: "rulesets live on GitHub",
          },
        ],
      }),
    );
    const others = /<details><summary>(.*)<\/summary>\n\n([\s\S]*?)\n\n<\/details>/.exec(markdown);
    expect(others?.[1]).toBe(
      "The other 6 standards: 1 not evaluated, 1 waived, 2 met, 2 not applicable here",
    );
    expect(others?.[2]?.split("\n")).toEqual([
      "- **Not evaluated, which is never a pass:** `tag-protection` — rulesets live on GitHub",
      "- **Waived:** `codeowners` — waived until 2027-01-31 by @\u200dalice: moving",
      "- **Met:** `pr-title`, `branch-name`",
      "- **Not applicable here:** `license`, `security-policy` — judged on the repository's files and settings, by the periodic sweep, not on a pull request",
    ]);
  });

  it("fits a failing pull request with three findings in under 4,000 characters before the JSON", async () => {
    const bundle = await defaultBundle();
    const verdict = await evaluate(
      bundle,
      prScope({
        title: "Add login",
        body: PR_BODY,
        author: { login: "copilot-swe-agent[bot]", type: "Bot" },
        commits: [
          commit(`feat: add login\n\n${"a long line of the body ".repeat(5)}`, { sha: "1".repeat(40) }),
        ],
        files: [
          {
            path: "src/login.test.ts",
            status: "added",
            patch: '@@ -0,0 +1 @@\n+it.skip("logs in", () => {});',
            binary: false,
          },
        ],
      }),
    );
    expect(verdict.findings.map((f) => f.standard)).toEqual([
      "conventional-commits",
      "no-hidden-test-skips",
      "pr-title",
    ]);
    const render = (observed: string[]) =>
      renderMarkdown(verdict, {
        agentAuthor: true,
        bundle,
        replay: { factsDigest: "sha256:0123456789abcdef" },
        maxLength: CHECK_RUN_TEXT_LIMIT,
        observed,
      });
    // Enforced, and observed, which adds a note saying the check blocks nothing.
    for (const observed of [[], ["conventional-commits", "no-hidden-test-skips", "pr-title"]]) {
      const text = render(observed);
      const beforeJson = text.slice(0, text.indexOf(`<details><summary>${JSON_SUMMARY}`));
      expect(beforeJson.length).toBeGreaterThan(1000);
      expect(beforeJson.length).toBeLessThan(4000);
    }
    const markdown = render([]);
    // The outcome, the instruction to stop and every finding come before anything collapsed.
    const firstCollapsed = markdown.indexOf("<details>");
    for (const finding of verdict.findings) {
      expect(markdown.indexOf(inline(finding.message))).toBeGreaterThan(0);
      expect(markdown.indexOf(inline(finding.message))).toBeLessThan(firstCollapsed);
    }
    // The found value quotes the offending body line, not the header.
    expect(verdict.findings[0]?.found).toBe("a long line of the body ".repeat(5));
    // Nothing internal: the standards not judged here say where they are judged, in words.
    expect(markdown).not.toMatch(/judges the \w+ scope|these facts cover/);
    expect(markdown).toContain("judged on pushes to the default branch, not on a pull request");
  });

  it("opens with a plain instruction to stop when an agent wrote the change", () => {
    const markdown = renderMarkdown(verdict, { agentAuthor: true });
    expect(markdown.split("\n\n")[1]).toBe(
      "**Stop. Do not work around this check.** This change was written by an AI agent and breaks the " +
        "organization's standards. Read each standard's manual before changing anything (linked below, or " +
        "`rulebook explain <id>`), then fix the cause. Do not skip or delete tests, disable rules, rewrite " +
        "history to hide the finding, or change rulesets or the bundle to get a green check. If you cannot " +
        "fix the cause, stop and ask a human.",
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
    expect(cut).not.toContain("standards not met");
    expect(cut).toContain(
      `_Per-finding detail was left out to fit GitHub's limit of ${limit} characters; the JSON block below holds every finding, and \`rulebook check --format markdown\` prints the full text._`,
    );
    const block = /^```json\n([\s\S]*?)\n```$/m.exec(cut);
    expect(JSON.parse(block?.[1] ?? "").findings).toHaveLength(120);
    expect(cut).toContain("<details><summary>The other standard: 1 not evaluated</summary>");
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
    expect(cut).toContain("<details><summary>The other standard: 1 not evaluated</summary>");
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
