import { describe, expect, it } from "@jest/globals";
import { repoScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import rule from "./required-file.js";

const TEMPLATE = [
  "## Summary",
  "<!-- What changes and why. -->",
  "",
  "## Linked issue",
  "",
  "## Validation",
  "",
  "## Risks and rollback",
  "",
].join("\n");

const BUG_FORM = "name: Bug report\ndescription: Something is broken\nbody:\n  - type: textarea\n";
const FEATURE_FORM = "name: Feature request\ndescription: Something is missing\n";
const CONFIG = "blank_issues_enabled: false\n";

const ISSUE_FORMS = {
  all: [
    {
      paths: [".github/ISSUE_TEMPLATE/bug_report.yml"],
      canonical: "templates/ISSUE_TEMPLATE/bug_report.yml",
    },
    {
      paths: [".github/ISSUE_TEMPLATE/feature_request.yml"],
      canonical: "templates/ISSUE_TEMPLATE/feature_request.yml",
    },
    { paths: [".github/ISSUE_TEMPLATE/config.yml"], canonical: "templates/ISSUE_TEMPLATE/config.yml" },
  ],
  match: "exact",
};
const ISSUE_FORM_FILES = {
  "templates/ISSUE_TEMPLATE/bug_report.yml": BUG_FORM,
  "templates/ISSUE_TEMPLATE/feature_request.yml": FEATURE_FORM,
  "templates/ISSUE_TEMPLATE/config.yml": CONFIG,
};

const PR_TEMPLATE_SECTIONS = {
  file: "pull_request_template.md",
  canonical: "templates/pull_request_template.md",
  match: "sections",
};
const TEMPLATE_FILES = { "templates/pull_request_template.md": TEMPLATE };

const NO_PR_TEMPLATE = {
  ".github/pull_request_template.md": null,
  ".github/PULL_REQUEST_TEMPLATE.md": null,
  "pull_request_template.md": null,
  "PULL_REQUEST_TEMPLATE.md": null,
  "docs/pull_request_template.md": null,
  "docs/PULL_REQUEST_TEMPLATE.md": null,
};

const SPDX_MIT = {
  file: "LICENSE",
  match: "contains",
  contains: ["(?m)^MIT License$", "Permission is hereby granted"],
};

testRule(rule, {
  valid: [
    {
      name: "CODEOWNERS in .github, the first place GitHub looks (later places need not be looked up)",
      facts: repoScope({ files: { ".github/CODEOWNERS": "* @acme/platform\n" } }),
      options: { file: "CODEOWNERS" },
    },
    {
      name: "CODEOWNERS at the root when .github has none",
      facts: repoScope({ files: { ".github/CODEOWNERS": null, CODEOWNERS: "* @acme/platform\n" } }),
      options: { file: "CODEOWNERS" },
    },
    {
      name: "CODEOWNERS in docs, the last place GitHub looks",
      facts: repoScope({
        files: { ".github/CODEOWNERS": null, CODEOWNERS: null, "docs/CODEOWNERS": "* @acme/platform\n" },
      }),
      options: { file: "CODEOWNERS" },
    },
    {
      name: "the upper-case spelling of the pull request template counts",
      facts: repoScope({
        files: { ".github/pull_request_template.md": null, ".github/PULL_REQUEST_TEMPLATE.md": TEMPLATE },
      }),
      options: PR_TEMPLATE_SECTIONS,
      bundleFiles: TEMPLATE_FILES,
    },
    {
      name: "COPYING at the root counts as the licence",
      facts: repoScope({
        files: {
          LICENSE: null,
          "LICENSE.md": null,
          "LICENSE.txt": null,
          COPYING: "MIT License\n\nPermission is hereby granted",
        },
      }),
      options: SPDX_MIT,
    },
    {
      name: "exact: CRLF line endings, trailing whitespace and trailing blank lines do not count",
      facts: repoScope({
        files: { ".github/pull_request_template.md": TEMPLATE.replaceAll("\n", "  \r\n").concat("\r\n\r\n") },
      }),
      options: {
        file: "pull_request_template.md",
        canonical: "templates/pull_request_template.md",
        match: "exact",
      },
      bundleFiles: TEMPLATE_FILES,
    },
    {
      name: "sections: every canonical heading in order, with the repository's own sections and text between",
      facts: repoScope({
        files: {
          ".github/pull_request_template.md": [
            "## Summary",
            "Explain it.",
            "## Screenshots",
            "## Linked issue",
            "## Validation",
            "```md",
            "## Not a heading inside a fence",
            "```",
            "## Risks and rollback",
          ].join("\n"),
        },
      }),
      options: PR_TEMPLATE_SECTIONS,
      bundleFiles: TEMPLATE_FILES,
    },
    {
      name: "sections: a closing # sequence and extra spacing in a heading do not count",
      facts: repoScope({
        files: {
          ".github/pull_request_template.md":
            "## Summary ##\n##   Linked   issue\n## Validation\n   ## Risks and rollback #\n",
        },
      }),
      options: PR_TEMPLATE_SECTIONS,
      bundleFiles: TEMPLATE_FILES,
    },
    {
      name: "all: every issue form identical to its canonical copy",
      facts: repoScope({
        files: {
          ".github/ISSUE_TEMPLATE/bug_report.yml": BUG_FORM,
          ".github/ISSUE_TEMPLATE/feature_request.yml": FEATURE_FORM,
          ".github/ISSUE_TEMPLATE/config.yml": CONFIG,
        },
      }),
      options: ISSUE_FORMS,
      bundleFiles: ISSUE_FORM_FILES,
    },
    {
      name: "locations replace GitHub's places: SECURITY.md at the root only",
      facts: repoScope({ files: { "SECURITY.md": "Report to security@acme.example\n" } }),
      options: { file: "SECURITY.md", locations: [""] },
    },
    {
      name: "exists with a canonical copy: any content counts",
      facts: repoScope({ files: { ".github/SECURITY.md": "Our own policy\n" } }),
      options: { file: "SECURITY.md", canonical: "templates/SECURITY.md" },
      bundleFiles: { "templates/SECURITY.md": "The org's policy\n" },
    },
  ],
  invalid: [
    {
      name: "CODEOWNERS nowhere: the preferred path, every place named, the standard's remediation kept",
      facts: repoScope({ files: { ".github/CODEOWNERS": null, CODEOWNERS: null, "docs/CODEOWNERS": null } }),
      options: { file: "CODEOWNERS" },
      findings: [
        {
          message:
            "`.github/CODEOWNERS` is missing, and so is every other accepted path: `CODEOWNERS`, `docs/CODEOWNERS`",
          path: ".github/CODEOWNERS",
          expected: ".github/CODEOWNERS",
          found: "no such file",
        },
      ],
    },
    {
      name: "no pull request template: copy the canonical one from the bundle",
      facts: repoScope({ files: NO_PR_TEMPLATE }),
      options: PR_TEMPLATE_SECTIONS,
      bundleFiles: TEMPLATE_FILES,
      findings: [
        {
          message:
            "`.github/pull_request_template.md` is missing, and so is every other accepted path: `.github/PULL_REQUEST_TEMPLATE.md`, `pull_request_template.md`, `PULL_REQUEST_TEMPLATE.md`, `docs/pull_request_template.md`, `docs/PULL_REQUEST_TEMPLATE.md`",
          path: ".github/pull_request_template.md",
          expected: ".github/pull_request_template.md",
          found: "no such file",
          remediation:
            "Copy `templates/pull_request_template.md` from the standards bundle to `.github/pull_request_template.md` and keep every heading it has, and commit it.",
        },
      ],
    },
    {
      name: "the name as written is preferred: PULL_REQUEST_TEMPLATE.md is looked up first",
      facts: repoScope({ files: NO_PR_TEMPLATE }),
      options: { file: "PULL_REQUEST_TEMPLATE.md", locations: [".github"] },
      findings: [
        {
          message:
            "`.github/PULL_REQUEST_TEMPLATE.md` is missing, and so is every other accepted path: `.github/pull_request_template.md`",
          path: ".github/PULL_REQUEST_TEMPLATE.md",
          expected: ".github/PULL_REQUEST_TEMPLATE.md",
          found: "no such file",
        },
      ],
    },
    {
      name: "a licence outside the root does not count: GitHub detects it only there",
      facts: repoScope({
        files: {
          LICENSE: null,
          "LICENSE.md": null,
          "LICENSE.txt": null,
          COPYING: null,
          ".github/LICENSE": "MIT",
        },
      }),
      options: { file: "LICENSE" },
      findings: [
        {
          message:
            "`LICENSE` is missing, and so is every other accepted path: `LICENSE.md`, `LICENSE.txt`, `COPYING`",
          path: "LICENSE",
          expected: "LICENSE",
          found: "no such file",
        },
      ],
    },
    {
      name: "exact: a changed line, with the first difference, its lines and the diff to apply",
      facts: repoScope({
        files: { ".github/ISSUE_TEMPLATE/config.yml": "blank_issues_enabled: true\n" },
      }),
      options: {
        paths: [".github/ISSUE_TEMPLATE/config.yml"],
        canonical: "templates/ISSUE_TEMPLATE/config.yml",
        match: "exact",
      },
      bundleFiles: ISSUE_FORM_FILES,
      findings: [
        {
          message:
            "`.github/ISSUE_TEMPLATE/config.yml` differs from the canonical `templates/ISSUE_TEMPLATE/config.yml`: line 1 differs (1 line to add, 1 to remove, in 1 hunk)",
          path: ".github/ISSUE_TEMPLATE/config.yml",
          line: 1,
          expected: "blank_issues_enabled: false",
          found: "blank_issues_enabled: true",
          remediation: [
            "Replace `.github/ISSUE_TEMPLATE/config.yml` with an unchanged copy of `templates/ISSUE_TEMPLATE/config.yml` from the standards bundle (line endings and trailing whitespace aside, it must be identical); if every repository needs the change, propose it to the bundle's owners, who decide whether the canonical copy changes. This diff turns the file into the canonical copy:",
            "",
            "```diff",
            "--- a/.github/ISSUE_TEMPLATE/config.yml",
            "+++ b/.github/ISSUE_TEMPLATE/config.yml (bundle: templates/ISSUE_TEMPLATE/config.yml)",
            "@@ -1,1 +1,1 @@",
            "-blank_issues_enabled: true",
            "+blank_issues_enabled: false",
            "```",
          ].join("\n"),
        },
      ],
    },
    {
      name: "exact: indentation counts (it is not trailing whitespace)",
      facts: repoScope({
        files: { ".github/ISSUE_TEMPLATE/bug_report.yml": BUG_FORM.replace("  - type", "    - type") },
      }),
      options: {
        paths: [".github/ISSUE_TEMPLATE/bug_report.yml"],
        canonical: "templates/ISSUE_TEMPLATE/bug_report.yml",
        match: "exact",
      },
      bundleFiles: ISSUE_FORM_FILES,
      findings: [
        {
          message:
            "`.github/ISSUE_TEMPLATE/bug_report.yml` differs from the canonical `templates/ISSUE_TEMPLATE/bug_report.yml`: line 4 differs in whitespace only (1 line to add, 1 to remove, in 1 hunk)",
          path: ".github/ISSUE_TEMPLATE/bug_report.yml",
          line: 4,
          expected: "  - type: textarea",
          found: "    - type: textarea",
          remediation: [
            "Replace `.github/ISSUE_TEMPLATE/bug_report.yml` with an unchanged copy of `templates/ISSUE_TEMPLATE/bug_report.yml` from the standards bundle (line endings and trailing whitespace aside, it must be identical); if every repository needs the change, propose it to the bundle's owners, who decide whether the canonical copy changes. This diff turns the file into the canonical copy:",
            "",
            "```diff",
            "--- a/.github/ISSUE_TEMPLATE/bug_report.yml",
            "+++ b/.github/ISSUE_TEMPLATE/bug_report.yml (bundle: templates/ISSUE_TEMPLATE/bug_report.yml)",
            "@@ -1,4 +1,4 @@",
            " name: Bug report",
            " description: Something is broken",
            " body:",
            "-    - type: textarea",
            "+  - type: textarea",
            "```",
          ].join("\n"),
        },
      ],
    },
    {
      name: "the first place that exists is judged, as GitHub uses it, even when a later one would pass",
      facts: repoScope({
        files: { ".github/SECURITY.md": "Old policy\n", "SECURITY.md": "The org's policy\n" },
      }),
      options: { file: "SECURITY.md", canonical: "templates/SECURITY.md", match: "exact" },
      bundleFiles: { "templates/SECURITY.md": "The org's policy\n" },
      findings: [
        {
          message:
            "`.github/SECURITY.md` differs from the canonical `templates/SECURITY.md`: line 1 differs (1 line to add, 1 to remove, in 1 hunk)",
          path: ".github/SECURITY.md",
          line: 1,
          expected: "The org's policy",
          found: "Old policy",
          remediation: [
            "Replace `.github/SECURITY.md` with an unchanged copy of `templates/SECURITY.md` from the standards bundle (line endings and trailing whitespace aside, it must be identical); if every repository needs the change, propose it to the bundle's owners, who decide whether the canonical copy changes. This diff turns the file into the canonical copy:",
            "",
            "```diff",
            "--- a/.github/SECURITY.md",
            "+++ b/.github/SECURITY.md (bundle: templates/SECURITY.md)",
            "@@ -1,1 +1,1 @@",
            "-Old policy",
            "+The org's policy",
            "```",
          ].join("\n"),
        },
      ],
    },
    {
      name: "sections: one missing, one misspelled, one out of order, each at its line",
      facts: repoScope({
        files: {
          ".github/pull_request_template.md": [
            "## Risks and rollback", // 1: out of order
            "## Summary", // 2
            "<!--",
            "## Validation",
            "-->",
            "## linked issue:", // 6: misspelled
            "",
          ].join("\n"),
        },
      }),
      options: PR_TEMPLATE_SECTIONS,
      bundleFiles: TEMPLATE_FILES,
      findings: [
        {
          message:
            "`.github/pull_request_template.md` has the section `## Risks and rollback` out of order: the canonical `templates/pull_request_template.md` has it after `## Summary`",
          path: ".github/pull_request_template.md",
          line: 1,
          expected: "## Risks and rollback after ## Summary",
          found: "## Risks and rollback at line 1",
          remediation:
            "Move the section `## Risks and rollback` (line 1 of `.github/pull_request_template.md`) after `## Summary`, the order of `templates/pull_request_template.md` in the standards bundle.",
        },
        {
          message:
            "`.github/pull_request_template.md` lacks the section `## Validation` of the canonical `templates/pull_request_template.md`",
          path: ".github/pull_request_template.md",
          line: 6,
          expected: "## Validation",
          found: "no such heading",
          remediation:
            "Add the heading `## Validation` to `.github/pull_request_template.md` after `## Summary`, with its content from `templates/pull_request_template.md` in the standards bundle.",
        },
        {
          message:
            "`.github/pull_request_template.md` writes the section `## Linked issue` of the canonical `templates/pull_request_template.md` as `## linked issue:`",
          path: ".github/pull_request_template.md",
          line: 6,
          expected: "## Linked issue",
          found: "## linked issue:",
          remediation:
            "Change line 6 of `.github/pull_request_template.md` to `## Linked issue`, as in `templates/pull_request_template.md` in the standards bundle.",
        },
      ],
    },
    {
      name: "sections: a heading at another level is named with the level found",
      facts: repoScope({
        files: {
          "docs/pull_request_template.md":
            "## Summary\n## Linked issue\n### Validation\n## Risks and rollback\n",
          ".github/pull_request_template.md": null,
          ".github/PULL_REQUEST_TEMPLATE.md": null,
          "pull_request_template.md": null,
          "PULL_REQUEST_TEMPLATE.md": null,
        },
      }),
      options: PR_TEMPLATE_SECTIONS,
      bundleFiles: TEMPLATE_FILES,
      findings: [
        {
          message:
            "`docs/pull_request_template.md` writes the section `## Validation` of the canonical `templates/pull_request_template.md` as `### Validation`",
          path: "docs/pull_request_template.md",
          line: 3,
          expected: "## Validation",
          found: "### Validation",
          remediation:
            "Change line 3 of `docs/pull_request_template.md` to `## Validation`, as in `templates/pull_request_template.md` in the standards bundle.",
        },
      ],
    },
    {
      name: "sections: missing at the end of the file and before the first section",
      facts: repoScope({ files: { ".github/pull_request_template.md": "## Linked issue\n## Validation\n" } }),
      options: PR_TEMPLATE_SECTIONS,
      bundleFiles: TEMPLATE_FILES,
      findings: [
        {
          message:
            "`.github/pull_request_template.md` lacks the section `## Summary` of the canonical `templates/pull_request_template.md`",
          path: ".github/pull_request_template.md",
          line: 1,
          expected: "## Summary",
          found: "no such heading",
          remediation:
            "Add the heading `## Summary` to `.github/pull_request_template.md` before `## Linked issue`, with its content from `templates/pull_request_template.md` in the standards bundle.",
        },
        {
          message:
            "`.github/pull_request_template.md` lacks the section `## Risks and rollback` of the canonical `templates/pull_request_template.md`",
          path: ".github/pull_request_template.md",
          line: 2,
          expected: "## Risks and rollback",
          found: "no such heading",
          remediation:
            "Add the heading `## Risks and rollback` to `.github/pull_request_template.md` after `## Validation`, with its content from `templates/pull_request_template.md` in the standards bundle.",
        },
      ],
    },
    {
      name: "contains: each pattern that does not match is a finding",
      facts: repoScope({ files: { LICENSE: "Apache License\nVersion 2.0\n\nPermission is hereby granted" } }),
      options: SPDX_MIT,
      findings: [
        {
          message: "`LICENSE` has no text matching `(?m)^MIT License$`",
          path: "LICENSE",
          expected: "text matching (?m)^MIT License$",
          found: "no match",
        },
      ],
    },
    {
      name: "all: one form missing and one differing, in path order",
      facts: repoScope({
        files: {
          ".github/ISSUE_TEMPLATE/bug_report.yml": BUG_FORM,
          ".github/ISSUE_TEMPLATE/feature_request.yml": null,
          ".github/ISSUE_TEMPLATE/config.yml": "",
        },
      }),
      options: ISSUE_FORMS,
      bundleFiles: ISSUE_FORM_FILES,
      findings: [
        {
          message:
            "`.github/ISSUE_TEMPLATE/config.yml` differs from the canonical `templates/ISSUE_TEMPLATE/config.yml`: the file has no content (1 line to add, 0 to remove, in 1 hunk)",
          path: ".github/ISSUE_TEMPLATE/config.yml",
          line: 1,
          expected: "blank_issues_enabled: false",
          remediation: [
            "Replace `.github/ISSUE_TEMPLATE/config.yml` with an unchanged copy of `templates/ISSUE_TEMPLATE/config.yml` from the standards bundle (line endings and trailing whitespace aside, it must be identical); if every repository needs the change, propose it to the bundle's owners, who decide whether the canonical copy changes. This diff turns the file into the canonical copy:",
            "",
            "```diff",
            "--- a/.github/ISSUE_TEMPLATE/config.yml",
            "+++ b/.github/ISSUE_TEMPLATE/config.yml (bundle: templates/ISSUE_TEMPLATE/config.yml)",
            "@@ -0,0 +1,1 @@",
            "+blank_issues_enabled: false",
            "```",
          ].join("\n"),
        },
        {
          message: "`.github/ISSUE_TEMPLATE/feature_request.yml` is missing",
          path: ".github/ISSUE_TEMPLATE/feature_request.yml",
          expected: ".github/ISSUE_TEMPLATE/feature_request.yml",
          found: "no such file",
          remediation:
            "Copy `templates/ISSUE_TEMPLATE/feature_request.yml` from the standards bundle to `.github/ISSUE_TEMPLATE/feature_request.yml` unchanged, and commit it.",
        },
      ],
    },
    {
      name: "all: entries inherit locations, and may set their own",
      facts: repoScope({
        files: { ".github/ISSUE_TEMPLATE/config.yml": null, "docs/FUNDING.yml": "github: acme\n" },
      }),
      options: {
        locations: [".github/ISSUE_TEMPLATE"],
        all: [{ file: "config.yml" }, { file: "FUNDING.yml", locations: ["docs"] }],
      },
      findings: [
        {
          message: "`.github/ISSUE_TEMPLATE/config.yml` is missing",
          path: ".github/ISSUE_TEMPLATE/config.yml",
          expected: ".github/ISSUE_TEMPLATE/config.yml",
          found: "no such file",
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "a file larger than is read: too large, never a pass",
      facts: repoScope({
        files: {
          ".github/ISSUE_TEMPLATE/bug_report.yml": "x".repeat(1_048_577),
          ".github/ISSUE_TEMPLATE/feature_request.yml": FEATURE_FORM,
          ".github/ISSUE_TEMPLATE/config.yml": CONFIG,
        },
      }),
      options: ISSUE_FORMS,
      bundleFiles: ISSUE_FORM_FILES,
      notEvaluated:
        "too large: `.github/ISSUE_TEMPLATE/bug_report.yml` has 1048577 characters, more than the 1048576 read, so its content was not checked",
    },
    {
      name: "a place GitHub would look first was not looked up",
      facts: repoScope({ files: { CODEOWNERS: "* @acme/platform\n" } }),
      options: { file: "CODEOWNERS" },
      notEvaluated:
        "the repository's `.github/CODEOWNERS` was not looked up, so which file GitHub uses is unknown",
    },
    {
      name: "one entry of all was not looked up: partial validation is no validation",
      facts: repoScope({
        files: { ".github/ISSUE_TEMPLATE/bug_report.yml": null, ".github/ISSUE_TEMPLATE/config.yml": CONFIG },
      }),
      options: ISSUE_FORMS,
      bundleFiles: ISSUE_FORM_FILES,
      notEvaluated:
        "the repository's `.github/ISSUE_TEMPLATE/feature_request.yml` was not looked up, so which file GitHub uses is unknown",
    },
    {
      name: "the canonical file is not in the bundle",
      facts: repoScope({ files: { ".github/pull_request_template.md": TEMPLATE } }),
      options: PR_TEMPLATE_SECTIONS,
      bundleFiles: {},
      notEvaluated: "the bundle has no canonical file `templates/pull_request_template.md`",
    },
    {
      name: "sections against a canonical copy without headings",
      facts: repoScope({ files: { ".github/pull_request_template.md": TEMPLATE } }),
      options: PR_TEMPLATE_SECTIONS,
      bundleFiles: { "templates/pull_request_template.md": "Describe the change.\n" },
      notEvaluated:
        "the canonical `templates/pull_request_template.md` has no markdown heading, so match: sections has nothing to compare",
    },
  ],
});

describe("required-file options", () => {
  const parse = (input: unknown) => rule.options.safeParse(input);
  const messages = (input: unknown) =>
    parse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);

  it("lists every candidate path for gatherers, in GitHub's order", () => {
    const options = rule.options.parse({ file: "pull_request_template.md" });
    expect(rule.files?.(options)).toEqual([
      ".github/pull_request_template.md",
      ".github/PULL_REQUEST_TEMPLATE.md",
      "pull_request_template.md",
      "PULL_REQUEST_TEMPLATE.md",
      "docs/pull_request_template.md",
      "docs/PULL_REQUEST_TEMPLATE.md",
    ]);
    expect(rule.files?.(rule.options.parse({ file: "LICENSE" }))).toEqual([
      "LICENSE",
      "LICENSE.md",
      "LICENSE.txt",
      "COPYING",
    ]);
    expect(rule.files?.(rule.options.parse({ file: "CODEOWNERS", locations: ["/.github/", "."] }))).toEqual([
      ".github/CODEOWNERS",
      "CODEOWNERS",
    ]);
  });

  it("lists the canonical files of every entry for the bundle loader", () => {
    expect(rule.bundleFiles?.(rule.options.parse(ISSUE_FORMS))).toEqual([
      "templates/ISSUE_TEMPLATE/bug_report.yml",
      "templates/ISSUE_TEMPLATE/feature_request.yml",
      "templates/ISSUE_TEMPLATE/config.yml",
    ]);
    expect(rule.bundleFiles?.(rule.options.parse({ file: "CODEOWNERS" }))).toEqual([]);
  });

  it("rejects contradictory or incomplete requirements with the reason", () => {
    expect(messages({ file: "LICENSE", paths: ["LICENSE"] })).toEqual([
      ': give exactly one of "file" (a name looked up in locations) or "paths" (explicit alternatives)',
    ]);
    expect(messages({})).toEqual([
      ': give exactly one of "file" (a name looked up in locations) or "paths" (explicit alternatives)',
    ]);
    expect(messages({ paths: ["a"], locations: [""] })).toEqual([
      'locations: "locations" applies to "file" only; list every path in "paths"',
    ]);
    expect(messages({ file: "a", match: "exact" })).toEqual([
      'canonical: match: exact compares with canonical content; name it with "canonical"',
    ]);
    expect(messages({ file: "a", match: "contains" })).toEqual([
      'contains: match: contains needs "contains", the patterns the file must match',
    ]);
    expect(messages({ file: "a", contains: ["MIT"] })).toEqual([
      'contains: "contains" applies only with match: contains',
    ]);
    expect(messages({ file: "a", all: [{ file: "b" }] })).toEqual([
      'file: with "all", give file on each entry of "all"',
    ]);
    expect(messages({ all: [{ file: "b", match: "sections" }] })).toEqual([
      'all.0.canonical: match: sections compares with canonical content; name it with "canonical"',
    ]);
    expect(messages({ match: "exact", all: [{ file: "b" }] })).toEqual([
      'all.0.canonical: match: exact compares with canonical content; name it with "canonical"',
    ]);
  });

  it("rejects typos and unsafe patterns", () => {
    expect(parse({ file: "LICENSE", mach: "exact" }).success).toBe(false);
    expect(parse({ all: [{ file: "a", canonnical: "b" }] }).success).toBe(false);
    expect(parse({ file: "LICENSE", match: "contains", contains: ["(a)\\1"] }).success).toBe(false);
  });
});
