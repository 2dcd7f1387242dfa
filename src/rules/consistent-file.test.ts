import { describe, expect, it } from "@jest/globals";
import { repoScope } from "../../test/support/facts.js";
import { ruleContext, testRule } from "../../test/support/rule-tester.js";
import rule from "./consistent-file.js";
import type { Rule } from "./types.js";

const EDITORCONFIG = ["root = true", "", "[*]", "indent_style = space", "indent_size = 2", ""].join("\n");
const EDITORCONFIG_OPTIONS = { path: ".editorconfig", canonical: "templates/editorconfig" };
const BUNDLE = { "templates/editorconfig": EDITORCONFIG };

const REPLACE =
  "Replace `.editorconfig` with an unchanged copy of `templates/editorconfig` from the standards bundle (line endings aside, it must be identical); if every repository needs the change, propose it to the bundle's owners, who decide whether the canonical copy changes. This diff turns the file into the canonical copy:";
const diffHeader = ["```diff", "--- a/.editorconfig", "+++ b/.editorconfig (bundle: templates/editorconfig)"];

const LONG_CANONICAL = `${Array.from({ length: 60 }, (_, i) => `rule${i} = on`).join("\n")}\n`;
const LONG_DRIFTED = LONG_CANONICAL.replaceAll(" = on", " = off");

testRule(rule, {
  valid: [
    {
      name: "identical to the canonical copy",
      facts: repoScope({ files: { ".editorconfig": EDITORCONFIG } }),
      options: EDITORCONFIG_OPTIONS,
      bundleFiles: BUNDLE,
    },
    {
      name: "CRLF line endings do not count",
      facts: repoScope({ files: { ".editorconfig": EDITORCONFIG.replaceAll("\n", "\r\n") } }),
      options: EDITORCONFIG_OPTIONS,
      bundleFiles: BUNDLE,
    },
    {
      name: "absent and not required: nothing to compare",
      facts: repoScope({ files: { ".editorconfig": null } }),
      options: { ...EDITORCONFIG_OPTIONS, required: false },
      bundleFiles: BUNDLE,
    },
    {
      name: "ignoreWhitespace: indentation, spacing, trailing whitespace, blank lines and the final newline",
      facts: repoScope({
        files: { ".editorconfig": "root  =  true\n[*]\n\n\n    indent_style = space   \nindent_size = 2" },
      }),
      options: { ...EDITORCONFIG_OPTIONS, ignoreWhitespace: true },
      bundleFiles: BUNDLE,
    },
  ],
  invalid: [
    {
      name: "missing although required: copy it from the bundle",
      facts: repoScope({ files: { ".editorconfig": null } }),
      options: EDITORCONFIG_OPTIONS,
      bundleFiles: BUNDLE,
      findings: [
        {
          message:
            "`.editorconfig` is missing; it must be an unchanged copy of the canonical `templates/editorconfig`",
          path: ".editorconfig",
          expected: ".editorconfig",
          found: "no such file",
          remediation:
            "Copy `templates/editorconfig` from the standards bundle to `.editorconfig` unchanged, and commit it.",
        },
      ],
    },
    {
      name: "a weakened setting: the first differing line, both versions of it, and the diff",
      facts: repoScope({
        files: { ".editorconfig": EDITORCONFIG.replace("indent_size = 2", "indent_size = 4") },
      }),
      options: EDITORCONFIG_OPTIONS,
      bundleFiles: BUNDLE,
      findings: [
        {
          message:
            "`.editorconfig` differs from the canonical `templates/editorconfig`: line 5 differs (1 line to add, 1 to remove, in 1 hunk)",
          path: ".editorconfig",
          line: 5,
          expected: "indent_size = 2",
          found: "indent_size = 4",
          remediation: [
            REPLACE,
            "",
            ...diffHeader,
            "@@ -2,4 +2,4 @@",
            " ",
            " [*]",
            " indent_style = space",
            "-indent_size = 4",
            "+indent_size = 2",
            "```",
          ].join("\n"),
        },
      ],
    },
    {
      name: "trailing whitespace counts unless ignoreWhitespace",
      facts: repoScope({ files: { ".editorconfig": EDITORCONFIG.replace("root = true", "root = true ") } }),
      options: EDITORCONFIG_OPTIONS,
      bundleFiles: BUNDLE,
      findings: [
        {
          message:
            "`.editorconfig` differs from the canonical `templates/editorconfig`: line 1 differs in whitespace only (1 line to add, 1 to remove, in 1 hunk)",
          path: ".editorconfig",
          line: 1,
          expected: "root = true",
          found: "root = true ",
          remediation: [
            REPLACE,
            "",
            ...diffHeader,
            "@@ -1,4 +1,4 @@",
            "-root = true ",
            "+root = true",
            " ",
            " [*]",
            " indent_style = space",
            "```",
          ].join("\n"),
        },
      ],
    },
    {
      name: "a missing final newline counts unless ignoreWhitespace",
      facts: repoScope({ files: { ".editorconfig": EDITORCONFIG.trimEnd() } }),
      options: EDITORCONFIG_OPTIONS,
      bundleFiles: BUNDLE,
      findings: [
        {
          message:
            "`.editorconfig` differs from the canonical `templates/editorconfig`: line 5, the last, lacks the newline that ends the canonical copy (1 line to add, 1 to remove, in 1 hunk)",
          path: ".editorconfig",
          line: 5,
          expected: "indent_size = 2",
          found: "indent_size = 2",
          remediation: [
            REPLACE,
            "",
            ...diffHeader,
            "@@ -2,4 +2,4 @@",
            " ",
            " [*]",
            " indent_style = space",
            "-indent_size = 2",
            "\\ No newline at end of file",
            "+indent_size = 2",
            "```",
          ].join("\n"),
        },
      ],
    },
    {
      name: "a line added to the repository's copy",
      facts: repoScope({ files: { ".editorconfig": `${EDITORCONFIG}max_line_length = off\n` } }),
      options: EDITORCONFIG_OPTIONS,
      bundleFiles: BUNDLE,
      findings: [
        {
          message:
            "`.editorconfig` differs from the canonical `templates/editorconfig`: line 6 is not in the canonical copy (0 lines to add, 1 to remove, in 1 hunk)",
          path: ".editorconfig",
          line: 6,
          found: "max_line_length = off",
          remediation: [
            REPLACE,
            "",
            ...diffHeader,
            "@@ -3,4 +3,3 @@",
            " [*]",
            " indent_style = space",
            " indent_size = 2",
            "-max_line_length = off",
            "```",
          ].join("\n"),
        },
      ],
    },
    {
      name: "ignoreWhitespace still reports a changed value, at its line in the file",
      facts: repoScope({
        files: { ".editorconfig": "root = true\n\n\n[*]\nindent_style = tab\nindent_size = 2\n" },
      }),
      options: { ...EDITORCONFIG_OPTIONS, ignoreWhitespace: true },
      bundleFiles: BUNDLE,
      findings: [
        {
          message:
            "`.editorconfig` differs from the canonical `templates/editorconfig`: line 5 differs (1 line to add, 1 to remove, in 1 hunk)",
          path: ".editorconfig",
          line: 5,
          expected: "indent_style = space",
          found: "indent_style = tab",
          remediation: [
            REPLACE.replace("(line endings aside", "(whitespace and line endings aside"),
            "",
            ...diffHeader,
            "@@ -1,4 +1,4 @@",
            " root = true",
            " [*]",
            "-indent_style = tab",
            "+indent_style = space",
            " indent_size = 2",
            "```",
          ].join("\n"),
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "the file was not looked up",
      facts: repoScope({ files: {} }),
      options: EDITORCONFIG_OPTIONS,
      bundleFiles: BUNDLE,
      notEvaluated: "the repository's `.editorconfig` was not looked up",
    },
    {
      name: "the canonical copy is not in the bundle",
      facts: repoScope({ files: { ".editorconfig": EDITORCONFIG } }),
      options: EDITORCONFIG_OPTIONS,
      bundleFiles: {},
      notEvaluated: "the bundle has no canonical file `templates/editorconfig`",
    },
    {
      name: "a file larger than is read: too large, never a pass",
      facts: repoScope({ files: { ".editorconfig": "x".repeat(1_048_577) } }),
      options: EDITORCONFIG_OPTIONS,
      bundleFiles: BUNDLE,
      notEvaluated:
        "too large: `.editorconfig` has 1048577 characters, more than the 1048576 read, so it was not compared with `templates/editorconfig`",
    },
  ],
});

describe("consistent-file", () => {
  it("caps the diff of a file that drifted everywhere at 40 lines and says how much was left out", async () => {
    const result = await (rule as Rule).check(
      ruleContext(rule, {
        name: "drifted everywhere",
        facts: repoScope({ files: { "eslint.config.ini": LONG_DRIFTED } }),
        options: { path: "eslint.config.ini", canonical: "templates/eslint.ini" },
        bundleFiles: { "templates/eslint.ini": LONG_CANONICAL },
      }),
    );
    expect(Array.isArray(result) && result.length).toBe(1);
    const finding = Array.isArray(result) ? result[0] : undefined;
    expect(finding?.message).toBe(
      "`eslint.config.ini` differs from the canonical `templates/eslint.ini`: line 1 differs (60 lines to add, 60 to remove, in 1 hunk)",
    );
    const diff =
      finding?.remediation
        ?.split("```diff\n")[1]
        ?.replace(/\n```$/, "")
        .split("\n") ?? [];
    expect(diff).toHaveLength(40);
    expect(diff.slice(0, 5)).toEqual([
      "--- a/eslint.config.ini",
      "+++ b/eslint.config.ini (bundle: templates/eslint.ini)",
      "@@ -1,60 +1,60 @@",
      "-rule0 = off",
      "-rule1 = off",
    ]);
    expect(diff.at(-1)).toBe("… 84 more diff lines not shown");
  });

  it("names the file to fetch and the canonical copy to ship", () => {
    const options = rule.options.parse(EDITORCONFIG_OPTIONS);
    expect(options).toEqual({ ...EDITORCONFIG_OPTIONS, required: true, ignoreWhitespace: false });
    expect(rule.files?.(options)).toEqual([".editorconfig"]);
    expect(rule.bundleFiles?.(options)).toEqual(["templates/editorconfig"]);
  });

  it("rejects typos, absolute paths and a missing canonical copy", () => {
    expect(rule.options.safeParse({ ...EDITORCONFIG_OPTIONS, ignoreWhitespaces: true }).success).toBe(false);
    expect(
      rule.options.safeParse({ path: "/.editorconfig", canonical: "templates/editorconfig" }).success,
    ).toBe(false);
    expect(rule.options.safeParse({ path: ".editorconfig" }).success).toBe(false);
  });
});
