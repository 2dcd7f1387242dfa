import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import {
  conventionalHeaderOptions,
  expectedFor,
  guessedTypeCaveat,
  type HeaderOptions,
  headerOf,
  headerShape,
  isMergeMessage,
  lintConventional,
  plainProblems,
  suggestHeader,
} from "./conventional.js";

const defaults: HeaderOptions = z.object(conventionalHeaderOptions).parse({});

describe("headerOf", () => {
  it("is the first line, whatever the line ending", () => {
    expect(headerOf("feat: a\r\n\r\nbody")).toBe("feat: a");
    expect(headerOf("")).toBe("");
  });
});

describe("isMergeMessage", () => {
  it.each([
    ["Merge pull request #1 from a/b", true],
    ["Merge branch 'main' into feature", true],
    ["Merged PR 12: thing", true],
    ["merge: tidy", false],
    ["feat: merge two lists", false],
  ])("%p is a merge: %p", (message, merge) => {
    expect(isMergeMessage(message)).toBe(merge);
  });
});

describe("lintConventional", () => {
  it("names the commitlint rules a header breaks", async () => {
    expect(await lintConventional("feat: add login", defaults)).toEqual([]);
    expect((await lintConventional("Added login.", defaults)).map((p) => p.rule)).toEqual([
      "subject-empty",
      "subject-full-stop",
      "type-empty",
    ]);
    expect((await lintConventional("feat(api)!: drop v1", defaults)).map((p) => p.rule)).toEqual([]);
  });

  it("applies the options: types, scopes, a required scope and the header length", async () => {
    const options = {
      ...defaults,
      types: ["feat"],
      scopes: ["api"],
      requireScope: true,
      headerMaxLength: 20,
    };
    expect((await lintConventional("fix(ui): a long enough header", options)).map((p) => p.rule)).toEqual([
      "header-max-length",
      "type-enum",
      "scope-enum",
    ]);
    expect((await lintConventional("feat: x", options)).map((p) => p.rule)).toEqual(["scope-empty"]);
  });

  it("ignores merges unless asked to lint them", async () => {
    const merge = "Merge branch 'main' into feature";
    expect(await lintConventional(merge, defaults)).toEqual([]);
    expect((await lintConventional(merge, defaults, { lintMerges: true })).length).toBeGreaterThan(0);
  });
});

describe("headerShape and expectedFor", () => {
  it("describe the header the options ask for", () => {
    const options = { ...defaults, types: ["feat", "fix"], scopes: ["api"], requireScope: true };
    expect(headerShape(options)).toBe("type(scope): subject, type one of: feat, fix; scope one of: api");
    expect(expectedFor("type-enum", options)).toBe(headerShape(options));
    expect(expectedFor("header-max-length", defaults)).toBe("a header of at most 100 characters");
    expect(expectedFor("subject-full-stop", defaults)).toBe('a subject not ending with "."');
  });
});

describe("plainProblems", () => {
  it("says each problem in words, quotes the long lines rather than the header, and names no rule id", async () => {
    const message = `Feat: Add login.\n\n${"b".repeat(101)}\nfine\n`;
    const plain = plainProblems(message, await lintConventional(message, defaults), defaults);
    expect(plain).toEqual({
      problems: [
        'the type "Feat" is not lower-case',
        "the subject starts with a capital letter or is all capitals",
        'the subject ends with "."',
        "a line after the header is 101 characters long, more than the 100 allowed",
      ],
      expected: [
        headerShape(defaults),
        "a subject starting in lower case",
        'a subject not ending with "."',
        "body lines of at most 100 characters",
      ],
      found: ["Feat: Add login.", "b".repeat(101)],
      header: true,
      lines: true,
    });
    expect(plain.problems.join(" ")).not.toMatch(/\b(?:type|subject|header|body|scope)-[a-z-]+\b/);
  });

  it("calls the first line what it is", async () => {
    const title = "x".repeat(120);
    const errors = await lintConventional(`feat: ${title}`, defaults);
    expect(plainProblems(`feat: ${title}`, errors, defaults, "title").problems).toEqual([
      "the title is 126 characters long, more than the 100 allowed",
    ]);
  });
});

describe("suggestHeader", () => {
  it.each([
    ["Feat: Add login.", { header: "feat: add login" }],
    ["feat:add login", { header: "feat: add login" }],
    ["Add login page", { header: "feat: add login page", guessedType: "feat" }],
    ["Fix the crash", { header: "fix: the crash", guessedType: "fix" }],
    ["feat: add login", undefined],
    ["Update things", undefined],
    ["wip: stuff", undefined],
  ])("suggests for %p: %j", async (header, suggestion) => {
    expect(await suggestHeader(header, defaults)).toEqual(suggestion);
  });

  it("warns when the type was guessed from a verb", () => {
    expect(guessedTypeCaveat({ header: "feat: add x", guessedType: "feat" })).toBe(
      ' (if "feat" does not describe the change, use the type that does)',
    );
    expect(guessedTypeCaveat({ header: "feat: add x" })).toBe("");
  });
});
