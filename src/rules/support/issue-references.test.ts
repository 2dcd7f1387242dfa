import { describe, expect, it } from "@jest/globals";
import {
  findIssueReferences,
  parseReferenceKey,
  REFERENCE_FORMS,
  trackingOf,
  zReferenceForms,
} from "./issue-references.js";

/** Short forms (#123, GH-123) resolve to this repository; its name is mixed case on purpose. */
const HERE = { owner: "Acme", name: "App" };

const ALL_FORMS = REFERENCE_FORMS;

describe("findIssueReferences: forms it accepts", () => {
  it.each<[string, string[]]>([
    ["fixes #12", ["acme/app#12"]],
    ["(#7)", ["acme/app#7"]],
    ["#12, #3", ["acme/app#12", "acme/app#3"]],
    // Leading zeros name the same issue.
    ["#007", ["acme/app#7"]],
    ["see Other/Lib#4", ["other/lib#4"]],
    ["see my.org/my-lib.js#5", ["my.org/my-lib.js#5"]],
    ["https://github.com/Octo/Repo/issues/9", ["octo/repo#9"]],
    ["http://www.github.com/o/r/issues/1.", ["o/r#1"]],
    ["tracked in GH-42", ["acme/app#42"]],
    // One key per issue, however often and in whichever form it is cited; keys sorted as strings.
    ["#2 #10 #2 acme/APP#2 https://github.com/acme/app/issues/10", ["acme/app#10", "acme/app#2"]],
  ])("%j references %j", (text, keys) => {
    expect(findIssueReferences(text, ALL_FORMS, HERE)).toEqual(keys);
  });
});

describe("findIssueReferences: what it rejects", () => {
  it.each<[string, string]>([
    ["&#123;", "an HTML entity"],
    ["x#12", "a number glued to a word"],
    ["##12", "a doubled hash"],
    ["#12abc", "a number glued to letters"],
    ["page.html#12", "a URL fragment"],
    ["/#12", "a path's fragment"],
    ["x/a/b#1", "a path with more than owner and name"],
    ["https://gitlab.com/o/r/issues/1", "another host's issue URL"],
    ["https://github.com/o/r/pull/3", "a pull request URL"],
    ["gh-42", "GH- in lower case"],
    ["XGH-42", "GH- inside a word"],
    ["issue 12", "a bare number"],
  ])("%j (%s)", (text) => {
    expect(findIssueReferences(text, ALL_FORMS, HERE)).toEqual([]);
  });
});

describe("findIssueReferences: only the allowed forms count", () => {
  const text = "#1 o/r#2 https://github.com/o/r/issues/3 GH-4";

  it.each<[(typeof REFERENCE_FORMS)[number][], string[]]>([
    [["#123"], ["acme/app#1"]],
    [["owner/repo#123"], ["o/r#2"]],
    [["issue-url"], ["o/r#3"]],
    [["GH-123"], ["acme/app#4"]],
    [
      ["#123", "GH-123"],
      ["acme/app#1", "acme/app#4"],
    ],
    [[], []],
  ])("%j finds %j", (forms, keys) => {
    expect(findIssueReferences(text, forms, HERE)).toEqual(keys);
  });

  it("does not read the tail of owner/repo#123 as a short reference", () => {
    expect(findIssueReferences("o/r#2", ["#123"], HERE)).toEqual([]);
  });
});

describe("parseReferenceKey", () => {
  it.each([
    ["acme/app#12", { owner: "acme", name: "app", number: 12 }],
    ["my.org/my-lib.js#5", { owner: "my.org", name: "my-lib.js", number: 5 }],
  ])("splits %j", (key, parts) => {
    expect(parseReferenceKey(key)).toEqual(parts);
  });

  it.each(["acme#12", "acme/app", "acme/app#x", "a/b/c#1", "acme/app#1#2", ""])("refuses %j", (key) => {
    expect(() => parseReferenceKey(key)).toThrow(`not an issue reference key: ${key}`);
  });

  it("reads back every key findIssueReferences gives", () => {
    const keys = findIssueReferences("#3 Other/Lib#4 GH-5", ALL_FORMS, HERE);
    expect(keys.map(parseReferenceKey)).toEqual([
      { owner: "acme", name: "app", number: 3 },
      { owner: "acme", name: "app", number: 5 },
      { owner: "other", name: "lib", number: 4 },
    ]);
  });
});

describe("zReferenceForms", () => {
  it("defaults to every form but GH-123, which other trackers share", () => {
    expect(zReferenceForms.parse(undefined)).toEqual(["#123", "owner/repo#123", "issue-url"]);
  });

  it.each([[["GH-123"]], [["#123", "issue-url"]]])("accepts %j", (forms) => {
    expect(zReferenceForms.parse(forms)).toEqual(forms);
  });

  it.each([[[]], [["JIRA-1"]], ["#123"]])("refuses %j", (forms) => {
    expect(zReferenceForms.safeParse(forms).success).toBe(false);
  });
});

describe("trackingOf", () => {
  const issues = { "acme/api#1": "open", "acme/api#2": "closed", "acme/api#3": "missing" };
  it.each([
    [["acme/api#1"], { kind: "tracked" }],
    [["acme/api#2", "acme/api#1"], { kind: "tracked" }],
    [["acme/api#9"], { kind: "unverified" }],
    [
      ["acme/api#2", "acme/api#3", "acme/api#9"],
      {
        kind: "untracked",
        known: [
          ["acme/api#2", "closed"],
          ["acme/api#3", "missing"],
        ],
      },
    ],
    [[], { kind: "untracked", known: [] }],
  ])("%j stands as %j", (references, expected) => {
    expect(trackingOf(references, issues)).toEqual(expected);
  });

  it("counts nothing as verified when no issue was looked up", () => {
    expect(trackingOf(["acme/api#1"], undefined)).toEqual({ kind: "unverified" });
  });
});
