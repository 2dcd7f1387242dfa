/**
 * The escaping layer, judged as GitHub would render it (marked, GFM): hostile text keeps every character
 * a reader should see, and no placeholder disappears, no mention pings, no HTML renders, no entity is
 * decoded and no backtick breaks out of a code span or fence.
 */
import { describe, expect, it } from "@jest/globals";
import { marked } from "marked";
import {
  cell,
  code,
  details,
  fenced,
  inline,
  link,
  mention,
  quietLogin,
  quote,
} from "../../src/publish/markdown.js";
import { HOSTILE, inspectMarkdown, normalizeText } from "../support/markdown.js";

/** The text as the reader should see it: backticks that pair into code spans are markup, not text. */
function seen(text: string): string {
  return normalizeText(text.replaceAll("`", ""));
}

function expectInert(markdown: string) {
  const rendered = inspectMarkdown(markdown);
  expect({ html: rendered.html, mentions: rendered.mentions, entities: rendered.entities }).toEqual({
    html: [],
    mentions: [],
    entities: [],
  });
  return rendered;
}

describe("inline", () => {
  it.each(HOSTILE)("renders %j as exactly that text, with nothing live", (text) => {
    const rendered = expectInert(inline(text));
    expect(seen(rendered.text)).toBe(seen(text));
    // Bare URLs become links that show themselves; nothing else links.
    for (const href of rendered.links) expect(text).toContain(href);
  });

  it("keeps the code spans a message means", () => {
    expect(inline("Run `git commit --amend`, then push")).toBe("Run `git commit --amend`, then push");
    expect(inspectMarkdown(inline("Run `gh pr edit <number>`")).text).toBe("Run gh pr edit <number>");
  });

  it("leaves plain words and e-mail addresses alone", () => {
    expect(inline("Add the organization's license as LICENSE")).toBe(
      "Add the organization's license as LICENSE",
    );
    expect(inline("mail alice@example.com")).toBe("mail alice@example.com");
    expect(inline("RULEBOOK_BUNDLE_PATH")).toBe("RULEBOOK_BUNDLE_PATH");
  });
});

describe("code", () => {
  it.each(HOSTILE)("shows %j literally, backticks included", (text) => {
    const rendered = expectInert(code(text));
    expect(rendered.text).toBe(normalizeText(text));
  });

  it("says so when a value is empty rather than writing an empty code span", () => {
    expect(inspectMarkdown(code("")).text).toBe("(empty)");
  });
});

describe("fenced", () => {
  it("keeps a body with fences of its own in one block", () => {
    const body = '{"found": "```\\nnot code\\n```"}\n```\nstill the body\n````\n';
    const rendered = expectInert(`${fenced("json", body)}\n\nafter`);
    expect(rendered.codeBlocks).toEqual([body.replace(/\n$/, "")]);
    expect(rendered.text.endsWith("after")).toBe(true);
  });
});

describe("cell", () => {
  it.each(HOSTILE)("keeps %j in one table cell", (text) => {
    const table = [
      "| Value | Next |",
      "| --- | --- |",
      `| ${cell(inline(text))} | ${cell(code(text))} |`,
    ].join("\n");
    const [token] = marked.lexer(table, { gfm: true });
    expect(token?.type).toBe("table");
    const rendered = expectInert(table);
    expect(seen(rendered.text)).toBe(seen(`Value Next ${text} ${text}`));
  });
});

describe("the other helpers", () => {
  it("quotes prose line by line", () => {
    const rendered = expectInert(quote("An agent once said <known limitation>\n@alice copied it"));
    expect(rendered.text).toBe("An agent once said <known limitation> @alice copied it");
  });

  it("collapses a section whose summary cannot close it early", () => {
    const rendered = inspectMarkdown(details("JSON </details> <b>", fenced("json", "{}")));
    expect(rendered.html).toEqual([
      "<details><summary>JSON &lt;/details&gt; &lt;b&gt;</summary>",
      "</details>",
    ]);
    expect(rendered.codeBlocks).toEqual(["{}"]);
  });

  it("links with a label that renders as text", () => {
    const rendered = expectInert(link("docs <here> @alice", "https://example.com/a b(c).md"));
    expect([rendered.links, rendered.text]).toEqual([
      ["https://example.com/a%20b(c).md"],
      "docs <here> @alice",
    ]);
  });

  it("pings only valid handles the app means to name, and never a login in passing", () => {
    expect(inspectMarkdown(mention("@acme/platform")).mentions).toEqual(["@acme/platform"]);
    expect(expectInert(mention("@alice<img src=x>")).text).toBe("@alice<img src=x>");
    expect(expectInert(quietLogin("eve")).text).toBe("@eve");
  });
});
