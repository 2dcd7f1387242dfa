import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { headingKey, headingLine, markdownHeadings, withoutHtmlComments } from "./markdown-headings.js";

describe("markdownHeadings", () => {
  it("lists ATX headings with their level, text and line", () => {
    expect(markdownHeadings("# Title\ntext\n## Summary\n\n###### Deep\n")).toEqual([
      { level: 1, text: "Title", line: 1 },
      { level: 2, text: "Summary", line: 3 },
      { level: 6, text: "Deep", line: 5 },
    ]);
  });

  it("normalises spacing, the closing sequence and inline comments, but keeps a # that is part of the text", () => {
    expect(
      markdownHeadings(
        "##   Linked    issue  ##\n   ## Risks <!-- and rollback --> ###\n## C#\n## <!-- hidden\n##\n",
      ).map(headingLine),
    ).toEqual(["## Linked issue", "## Risks", "## C#", "## ", "## "]);
  });

  it("does not take #hashtags, indented code or seven #s for headings", () => {
    expect(markdownHeadings("#hashtag\n    ## indented code\n####### seven\n")).toEqual([]);
  });

  it("skips fenced code, HTML comment blocks and front matter, counting their lines", () => {
    const text = [
      "---", // 1
      "name: Bug report",
      "# not a heading",
      "---",
      "## One", // 5
      "````md",
      "```",
      "## in a fence that a shorter fence does not close",
      "````",
      "~~~",
      "## in a tilde fence",
      "~~~",
      "<!--",
      "## in a comment",
      "-->",
      "<!-- one line --> ## rest of a comment line",
      "## Two", // 17
    ].join("\r\n");
    expect(markdownHeadings(text)).toEqual([
      { level: 2, text: "One", line: 5 },
      { level: 2, text: "Two", line: 17 },
    ]);
  });

  it("reads setext headings, underlined with === or ---, at the line of their text", () => {
    expect(markdownHeadings("Intro\n\nSummary\n=======\ntext\n\nLinked   issue\n---\nFixes #1\n")).toEqual([
      { level: 1, text: "Summary", line: 3 },
      { level: 2, text: "Linked issue", line: 7 },
    ]);
    expect(markdownHeadings("```\nSummary\n---\n```\n")).toEqual([]);
  });

  it("numbers every heading at the line where its text starts", () => {
    const line = fc.oneof(
      fc.constantFrom("", "---", "===", "```", "~~~", "<!--", "-->", "    code", "> quote", "- item"),
      fc.stringMatching(/^#{1,6} [A-Za-z ]{0,8}$/),
      fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,8}$/),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.boolean(), (lines, frontMatter) => {
        const text = lines.join("\n");
        for (const heading of markdownHeadings(text, { frontMatter })) {
          const written = lines[heading.line - 1] ?? "";
          expect(written).toContain(heading.text.split(" ")[0] ?? "");
        }
      }),
    );
  });

  it("reads a leading --- as a thematic break when the text has no front matter", () => {
    expect(markdownHeadings("---\n## One\n---\n## Two", { frontMatter: false })).toEqual([
      { level: 2, text: "One", line: 2 },
      { level: 2, text: "Two", line: 4 },
    ]);
  });
});

describe("headingKey", () => {
  it("ignores case, spacing and a trailing colon", () => {
    expect(["  Linked   Issue :", "linked issue", "LINKED ISSUE:"].map(headingKey)).toEqual([
      "linked issue",
      "linked issue",
      "linked issue",
    ]);
    expect(headingKey("C#::")).toBe("c#:");
  });
});

describe("withoutHtmlComments", () => {
  it("removes every comment, across lines, and an unclosed one hides the rest", () => {
    expect(withoutHtmlComments("a<!-- x -->b<!--\ny\n-->c<!-- open\nd")).toBe("abc");
  });
});
