import { describe, expect, it } from "@jest/globals";
import { prScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import rule from "./pr-body.js";

const TEMPLATE_PATH = "templates/pull_request_template.md";
const TEMPLATE = [
  "<!-- Keep the headings; the rulebook check reads them. ## Not a section -->",
  "## Summary",
  "",
  "<!-- What changes, and why? -->",
  "",
  "## Testing",
  "",
  "Describe how you tested the change.",
  "",
  "```",
  "## Not a section either",
  "```",
  "",
  "## Checklist",
  "",
  "- [ ] Tests cover the change",
  "- [ ] Docs are updated",
  "",
].join("\n");
const bundleFiles = { [TEMPLATE_PATH]: TEMPLATE };
const options = { template: TEMPLATE_PATH };
const EDIT =
  "`gh pr view feat/login --json body --jq .body > body.md`, edit body.md, then `gh pr edit feat/login --body-file body.md`";

function body(...lines: string[]): string {
  return lines.join("\n");
}

const FILLED = body(
  "## Summary",
  "Adds the login form.",
  "## Testing",
  "Unit tests for the form.",
  "## Checklist",
  "- [ ] Tests cover the change",
  "- [ ] Docs are updated",
);

testRule(rule, {
  valid: [
    { name: "every template section has content", facts: prScope({ body: FILLED }), options, bundleFiles },
    {
      name: "headings match ignoring case, level, spacing, a colon and a closing sequence",
      facts: prScope({
        body: body(
          "# summary",
          "Adds it.",
          "###  Testing: ##",
          "By hand.",
          "## CHECKLIST",
          "- [x] Tests cover the change",
        ),
      }),
      options,
      bundleFiles,
    },
    {
      name: "CRLF line endings",
      facts: prScope({ body: FILLED.replaceAll("\n", "\r\n") }),
      options,
      bundleFiles,
    },
    {
      name: "a body opening with a thematic break: a body has no front matter",
      facts: prScope({ body: body("---", FILLED, "---") }),
      options,
      bundleFiles,
    },
    {
      name: "placeholder text kept beside the author's own text",
      facts: prScope({
        body: body(
          "## Summary",
          "Adds it.",
          "## Testing",
          "Describe how you tested the change.",
          "Ran the e2e suite.",
          "## Checklist",
          "- [x] Docs are updated",
        ),
      }),
      options,
      bundleFiles,
    },
    {
      name: "setext headings: a section underlined with === or with dashes",
      facts: prScope({
        body: body("Summary", "=======", "Adds login.", "", "Linked issue", "------------", "Fixes #12"),
      }),
      options: { sections: ["Summary", "Linked issue"] },
    },
    {
      name: "a sub-heading with text is content",
      facts: prScope({ body: body("## Summary", "### Details", "It adds login.") }),
      options: { sections: ["Summary"] },
    },
    {
      name: "explicit sections with a template require only those sections",
      facts: prScope({ body: body("## Summary", "Adds it.") }),
      options: { template: TEMPLATE_PATH, sections: ["## Summary"] },
      bundleFiles,
    },
    {
      name: "requireChecked is met by one checked task",
      facts: prScope({
        body: body("## Checklist", "- [ ] Tests cover the change", "* [X] Docs are updated"),
      }),
      options: { sections: ["Checklist"], requireChecked: true },
    },
    ...[
      "Fixes #12",
      "closes acme/api#12",
      "Resolves: #3",
      "Ref #12",
      "Refs other-org/web.site#4",
      "See https://github.com/acme/api/issues/12 for the report.",
    ].map((link) => ({
      name: `an issue link: ${link}`,
      facts: prScope({ body: body("Adds login.", "", link) }),
      options: { requireIssueLink: true },
    })),
    {
      name: "an issue key matching issuePattern",
      facts: prScope({ body: "Implements AUTH-311." }),
      options: { requireIssueLink: true, issuePattern: "\\b[A-Z][A-Z0-9]+-\\d+\\b" },
    },
  ],
  invalid: [
    {
      name: "an empty body misses every section",
      facts: prScope({ body: "" }),
      options,
      bundleFiles,
      findings: ["## Checklist", "## Summary", "## Testing"].map((heading) => ({
        message: `Pull request body has no section "${heading}"`,
        expected: heading,
        found: "no headings",
        remediation: `Add the heading "${heading}" with its content to the body: ${EDIT}.`,
      })),
    },
    {
      name: "a misnamed heading, and one hidden in a code fence",
      facts: prScope({
        body: body(
          "## Summary",
          "Adds it.",
          "## Tests",
          "By hand.",
          "```md",
          "## Testing",
          "```",
          "## Checklist",
          "- [x] Docs are updated",
        ),
      }),
      options,
      bundleFiles,
      findings: [
        {
          message: 'Pull request body has no section "## Testing"',
          expected: "## Testing",
          found: "## Summary, ## Tests, ## Checklist",
          remediation: `Add the heading "## Testing" with its content to the body: ${EDIT}.`,
        },
      ],
    },
    {
      name: "sections left as the template had them",
      facts: prScope({ body: TEMPLATE }),
      options,
      bundleFiles,
      findings: [
        {
          message: 'Pull request body section "## Summary" is empty',
          expected: 'content under "## Summary"',
          found: "nothing",
          remediation: `Write this pull request's own text under "## Summary", replacing any placeholder: ${EDIT}.`,
        },
        {
          message: 'Pull request body section "## Testing" is empty',
          expected: 'content under "## Testing"',
          found: "only the template's placeholder text",
          remediation: `Write this pull request's own text under "## Testing", replacing any placeholder: ${EDIT}.`,
        },
      ],
    },
    {
      name: "an HTML comment is not content, even one spanning lines or left open",
      facts: prScope({
        body: body(
          "## Summary",
          "<!--",
          "Adds it.",
          "-->",
          "## Testing",
          "By hand.",
          "## Checklist",
          "- [x] Done <!-- later",
        ),
      }),
      options: { sections: ["Summary", "Testing"] },
      findings: [
        {
          message: 'Pull request body section "## Summary" is empty',
          expected: 'content under "## Summary"',
          found: "nothing",
          remediation: `Write this pull request's own text under "## Summary", replacing any placeholder: ${EDIT}.`,
        },
      ],
    },
    {
      name: "a section followed directly by a heading of the same level is empty",
      facts: prScope({ body: body("### Summary", "## Testing", "By hand.") }),
      options: { sections: ["### Summary", "Testing"] },
      findings: [
        {
          message: 'Pull request body section "### Summary" is empty',
          expected: 'content under "### Summary"',
          found: "nothing",
          remediation: `Write this pull request's own text under "### Summary", replacing any placeholder: ${EDIT}.`,
        },
      ],
    },
    {
      name: "requireChecked: only unchecked tasks are empty",
      facts: prScope({ body: FILLED }),
      options: { template: TEMPLATE_PATH, requireChecked: true },
      bundleFiles,
      findings: [
        {
          message: 'Pull request body section "## Checklist" is empty',
          expected: 'content under "## Checklist"',
          found: "only unchecked tasks",
          remediation: `Check the tasks that are done (\`- [x]\`) under "## Checklist": ${EDIT}.`,
        },
      ],
    },
    {
      name: "no issue link: a bare number, a comment and a pull request URL do not count",
      facts: prScope({
        body: body("About #12.", "<!-- Fixes #12 -->", "See https://github.com/acme/api/pull/12."),
      }),
      options: { requireIssueLink: true },
      findings: [
        {
          message: "Pull request body links no issue",
          expected: "Fixes #<issue>, Refs #<issue> or an issue URL",
          found: "no issue reference",
          remediation: `Add \`Fixes #<issue>\` (closes it on merge) or \`Refs #<issue>\` to the body: ${EDIT}.`,
        },
      ],
    },
    {
      name: "no issue link with an issuePattern, together with a missing section",
      facts: prScope({ body: "Implements auth-311." }),
      options: { sections: ["Summary"], requireIssueLink: true, issuePattern: "\\b[A-Z][A-Z0-9]+-\\d+\\b" },
      findings: [
        {
          message: 'Pull request body has no section "## Summary"',
          expected: "## Summary",
          found: "no headings",
          remediation: `Add the heading "## Summary" with its content to the body: ${EDIT}.`,
        },
        {
          message: "Pull request body links no issue",
          expected:
            "Fixes #<issue>, Refs #<issue> or an issue URL or text matching \\b[A-Z][A-Z0-9]+-\\d+\\b",
          found: "no issue reference",
          remediation: `Add \`Fixes #<issue>\` (closes it on merge) or \`Refs #<issue>\` to the body: ${EDIT}.`,
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "the template is not in the bundle",
      facts: prScope({ body: FILLED }),
      options,
      notEvaluated:
        "the bundle has no file templates/pull_request_template.md, the PR template this standard names",
    },
    {
      name: "the template has no level-two heading",
      facts: prScope({ body: FILLED }),
      options,
      bundleFiles: { [TEMPLATE_PATH]: "# Pull request\n\nDescribe it.\n### Notes\n" },
      notEvaluated:
        'the PR template templates/pull_request_template.md has no "##" heading, so it names no required section',
    },
    {
      name: "a body larger than is read: too large, never a pass",
      facts: prScope({ body: `${FILLED}\n${"x".repeat(65_536)}` }),
      options,
      bundleFiles: { [TEMPLATE_PATH]: TEMPLATE },
      notEvaluated:
        /^too large: the pull request body has \d+ characters, more than the 65536 read, so it was not checked$/,
    },
  ],
});

describe("pr-body options", () => {
  it("declares the template as a bundle file", () => {
    expect(rule.bundleFiles?.(rule.options.parse(options))).toEqual([TEMPLATE_PATH]);
    expect(rule.bundleFiles?.(rule.options.parse({ sections: ["Summary"] }))).toEqual([]);
  });

  it("rejects a standard that would check nothing", () => {
    const result = rule.options.safeParse({});
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      "give template, sections or requireIssueLink: true; otherwise the rule checks nothing",
    ]);
  });

  it("rejects an issuePattern without requireIssueLink", () => {
    const result = rule.options.safeParse({ sections: ["Summary"], issuePattern: "[A-Z]+-\\d+" });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      "issuePattern only counts with requireIssueLink: true",
    ]);
  });

  it("rejects an issuePattern RE2 cannot run in linear time", () => {
    const result = rule.options.safeParse({ requireIssueLink: true, issuePattern: "(a)\\1" });
    expect(result.success).toBe(false);
  });
});
