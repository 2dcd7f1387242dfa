import { execFileSync } from "node:child_process";
import { describe, expect, it } from "@jest/globals";
import { pullRequestArg, shellArg } from "./shell.js";

describe("shellArg", () => {
  it.each([
    ["feature/login-2", "feature/login-2"],
    ["a b", "'a b'"],
    ["it's", "'it'\\''s'"],
    ["$(rm -rf /)", "'$(rm -rf /)'"],
    ["", "''"],
  ])("quotes %p as %p", (text, quoted) => {
    expect(shellArg(text)).toBe(quoted);
  });

  it("gives the shell back exactly the argument", () => {
    for (const text of ["plain", "a b", "it's", '$HOME `x` "y" \\z', "*?[]", "line\nbreak"]) {
      expect(execFileSync("/bin/sh", ["-c", `printf %s ${shellArg(text)}`], { encoding: "utf8" })).toBe(text);
    }
  });
});

describe("pullRequestArg", () => {
  it("selects a pull request by its head branch, which the CLI and the check run both know", () => {
    expect(pullRequestArg({ number: 0, head: { ref: "fix/it's" } })).toBe("'fix/it'\\''s'");
    expect(pullRequestArg({ number: 7, head: { ref: "feat/login" } })).toBe("feat/login");
  });

  it("never selects HEAD: a detached checkout gives the number, else a placeholder", () => {
    expect(pullRequestArg({ number: 7, head: { ref: "HEAD" } })).toBe("7");
    expect(pullRequestArg({ number: 0, head: { ref: "HEAD" } })).toBe("<pull-request-number>");
  });
});
