import { describe, expect, it } from "@jest/globals";
import { mayName, type Visibility, visibilityOf } from "../../src/util/visibility.js";

describe("visibilityOf", () => {
  it.each([
    [{ visibility: "public" }, "public"],
    [{ visibility: "internal", private: true }, "internal"],
    [{ visibility: "private" }, "private"],
    [{ private: false }, "public"],
    [{ private: true }, "private"],
    [{}, "private"],
    [{ visibility: "secret", private: false }, "public"],
    [{ visibility: null }, "private"],
  ] as const)("reads %j as %s", (repository, expected) => {
    expect(visibilityOf(repository)).toBe(expected);
  });
});

describe("mayName", () => {
  const table: Array<[Visibility, Visibility, boolean]> = [
    ["public", "public", true],
    ["public", "internal", false],
    ["public", "private", false],
    ["internal", "public", true],
    ["internal", "internal", true],
    ["internal", "private", false],
    ["private", "public", true],
    ["private", "internal", true],
    ["private", "private", true],
  ];
  it.each(table)("text in a %s repository naming a %s one: %s", (target, named, expected) => {
    expect(mayName(target, named)).toBe(expected);
  });
});
