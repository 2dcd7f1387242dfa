/**
 * The pull request body has every required section of the PR template, none left empty, and (when asked)
 * links the issue it resolves.
 */
import { z } from "zod";
import { INPUT_LIMITS, tooLarge } from "../util/input-limits.js";
import { compilePattern, zPattern } from "../util/pattern.js";
import { compareRuleFindings } from "./support/finding-order.js";
import {
  headingKey,
  headingLine,
  type MarkdownHeading,
  markdownHeadings,
  withoutHtmlComments,
} from "./support/markdown-headings.js";
import { pullRequestArg } from "./support/shell.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

const options = z
  .object({
    /** Bundle path of the canonical PR template; its `##` headings are the required sections. */
    template: z.string().min(1).optional(),
    /** Required headings (`Summary` or `## Summary`); when given with `template`, only these are required. */
    sections: z
      .array(z.string().regex(/^\s*(?:#{1,6}\s+)?\S/, "a heading has text"))
      .min(1)
      .optional(),
    /** Unchecked task-list items (`- [ ] ...`) count as empty content. */
    requireChecked: z.boolean().default(false),
    requireIssueLink: z.boolean().default(false),
    /** A further way to link an issue, such as a JIRA key `\b[A-Z][A-Z0-9]+-\d+\b`. */
    issuePattern: zPattern.optional(),
  })
  .strict()
  .refine((o) => o.template !== undefined || o.sections !== undefined || o.requireIssueLink, {
    message: "give template, sections or requireIssueLink: true; otherwise the rule checks nothing",
  })
  .refine((o) => o.issuePattern === undefined || o.requireIssueLink, {
    message: "issuePattern only counts with requireIssueLink: true",
    path: ["issuePattern"],
  });

type Heading = Pick<MarkdownHeading, "level" | "text">;

interface Section {
  heading: Heading;
  /** The lines under the heading up to the next heading of the same or a higher level. */
  lines: string[];
}

const TASK_ITEM = /^(?:[-*+]|\d+[.)])\s+\[([ xX])\]/;
const ISSUE_KEYWORD_REFERENCE =
  /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?|refs?)\b:?\s+(?:[\w.-]+\/[\w.-]+)?#\d+/i;
const ISSUE_URL = /https?:\/\/[^\s/]+\/[\w.-]+\/[\w.-]+\/issues\/\d+/;

function withoutComments(markdown: string): string {
  return withoutHtmlComments(markdown.replace(/\r\n?/g, "\n"));
}

/**
 * The ATX-heading sections of markdown. Comments go first, so neither their headings nor their text count;
 * a body has no front matter.
 */
function sectionsOf(markdown: string): Section[] {
  const text = withoutComments(markdown);
  const lines = text.split("\n");
  const headings = markdownHeadings(text, { frontMatter: false });
  return headings.map((heading, i) => {
    const next = headings.slice(i + 1).find((other) => other.level <= heading.level);
    return { heading, lines: lines.slice(heading.line, next === undefined ? lines.length : next.line - 1) };
  });
}

/** A `sections` entry as a heading: `## Summary` keeps its level, a bare `Summary` is a `##` heading. */
function parseRequired(entry: string): Heading {
  const match = /^\s*(#{1,6})\s+(.*)$/.exec(entry);
  return match
    ? { level: match[1]?.length ?? 2, text: match[2]?.trim() ?? "" }
    : { level: 2, text: entry.trim() };
}

type Emptiness = "nothing" | "only the template's placeholder text" | "only unchecked tasks";

/** Why a section counts as empty, or undefined when it has content of its own. */
function emptiness(
  lines: string[],
  placeholder: ReadonlySet<string>,
  requireChecked: boolean,
): Emptiness | undefined {
  let placeholderLines = 0;
  let uncheckedTasks = 0;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    const task = TASK_ITEM.exec(line);
    if (task) {
      // A task item, checked or not, is content unless the standard asks for checked tasks.
      if (task[1] === " " && requireChecked) {
        uncheckedTasks++;
        continue;
      }
      return undefined;
    }
    if (placeholder.has(line)) {
      placeholderLines++;
      continue;
    }
    return undefined;
  }
  if (uncheckedTasks > 0) return "only unchecked tasks";
  return placeholderLines > 0 ? "only the template's placeholder text" : "nothing";
}

function editBody(pr: { number: number; head: { ref: string } }): string {
  const selector = pullRequestArg(pr);
  return `\`gh pr view ${selector} --json body --jq .body > body.md\`, edit body.md, then \`gh pr edit ${selector} --body-file body.md\``;
}

export default defineRule({
  id: "pr-body",
  scope: "pr",
  description: "The pull request body has the PR template's sections, none left empty, and links its issue",
  options,
  requires: ["pr.description"],
  bundleFiles: (o) => (o.template ? [o.template] : []),
  check({ facts, options, bundleFile }) {
    const pr = facts.pullRequest;
    if (!pr) return [];
    const template = options.template === undefined ? undefined : bundleFile(options.template);
    if (options.template !== undefined && template === undefined) {
      return notEvaluated(`the bundle has no file ${options.template}, the PR template this standard names`);
    }
    const templateSections = template === undefined ? [] : sectionsOf(template);
    const required =
      options.sections?.map(parseRequired) ??
      templateSections.filter((s) => s.heading.level === 2).map((s) => s.heading);
    if (options.template !== undefined && required.length === 0) {
      return notEvaluated(
        `the PR template ${options.template} has no "##" heading, so it names no required section`,
      );
    }

    const large = tooLarge("the pull request body", pr.body, { chars: INPUT_LIMITS.bodyChars });
    if (large) return notEvaluated(`${large}, so it was not checked`);
    const bodySections = sectionsOf(pr.body);
    const present = bodySections.map((s) => headingLine(s.heading)).join(", ") || "no headings";
    const findings: RuleFinding[] = [];
    for (const heading of required) {
      const key = headingKey(heading.text);
      const wanted = headingLine(heading);
      const matching = bodySections.filter((s) => headingKey(s.heading.text) === key);
      if (matching.length === 0) {
        findings.push({
          message: `Pull request body has no section "${wanted}"`,
          expected: wanted,
          found: present,
          remediation: `Add the heading "${wanted}" with its content to the body: ${editBody(pr)}.`,
        });
        continue;
      }
      const placeholder = new Set(
        templateSections
          .filter((s) => headingKey(s.heading.text) === key)
          .flatMap((s) => s.lines.map((line) => line.trim()))
          .filter((line) => line !== ""),
      );
      const empty = emptiness(
        matching.flatMap((s) => s.lines),
        placeholder,
        options.requireChecked,
      );
      if (empty === undefined) continue;
      findings.push({
        message: `Pull request body section "${wanted}" is empty`,
        expected: `content under "${wanted}"`,
        found: empty,
        remediation:
          empty === "only unchecked tasks"
            ? `Check the tasks that are done (\`- [x]\`) under "${wanted}": ${editBody(pr)}.`
            : `Write this pull request's own text under "${wanted}", replacing any placeholder: ${editBody(pr)}.`,
      });
    }

    if (options.requireIssueLink) {
      const body = withoutComments(pr.body);
      const extra = options.issuePattern === undefined ? undefined : compilePattern(options.issuePattern);
      const linked =
        ISSUE_KEYWORD_REFERENCE.test(body) || ISSUE_URL.test(body) || (extra?.test(body) ?? false);
      if (!linked) {
        findings.push({
          message: "Pull request body links no issue",
          expected: `Fixes #<issue>, Refs #<issue> or an issue URL${extra ? ` or text matching ${extra.source}` : ""}`,
          found: "no issue reference",
          remediation: `Add \`Fixes #<issue>\` (closes it on merge) or \`Refs #<issue>\` to the body: ${editBody(pr)}.`,
        });
      }
    }
    // No finding has a place, so this orders them by message.
    return findings.sort(compareRuleFindings);
  },
});
