import { describe, expect, it } from "@jest/globals";
import { shortSha } from "./sha.js";

describe("shortSha", () => {
  it("shows seven characters, as git log --oneline does", () => {
    expect(shortSha("0123456789abcdef0123456789abcdef01234567")).toBe("0123456");
    expect(shortSha("abc")).toBe("abc");
  });
});
