import { describe, expect, it } from "@jest/globals";
import { createAgentDetector, formatPerson, loginMatches } from "../../src/engine/agents.js";
import type { Actor } from "../../src/facts/schema.js";
import { commit } from "../support/facts.js";

const detector = createAgentDetector({
  logins: ["devin-ai-integration", "*-agent"],
  coAuthors: ["*Claude*", "*noreply@anthropic.com*"],
});

describe("loginMatches", () => {
  it.each([
    ["release-please[bot]", ["release-please[bot]"], true],
    ["Release-Please[bot]", ["release-please[bot]"], true],
    ["renovate-bot", ["renovate*"], true],
    ["alice", ["renovate*"], false],
    ["legacy-agent", ["*-agent", "!legacy-*"], false],
  ])("%s against %j -> %s", (login, globs, expected) => {
    expect(loginMatches(login, globs)).toBe(expected);
  });
});

describe("createAgentDetector", () => {
  it.each<[Actor, boolean]>([
    [{ login: "helper", type: "Bot" }, true],
    [{ login: "copilot-swe-agent[bot]", type: "User" }, true],
    [{ login: "devin-ai-integration", type: "User" }, true],
    [{ login: "Build-Agent", type: "User" }, true],
    [{ login: "alice", type: "User" }, false],
    [{ login: "agent-smith", type: "User" }, false],
  ])("isAgent(%j) -> %s", (actor, expected) => {
    expect(detector.isAgent(actor)).toBe(expected);
  });

  const human: Actor = { login: "alice", type: "User" };

  it("knows an agent wrote a change from its author, commit authors or co-author trailers", () => {
    expect(detector.wroteChange({ login: "x-agent", type: "User" }, [])).toBe(true);
    expect(detector.wroteChange(human, [commit("feat: a")])).toBe(false);
    expect(
      detector.wroteChange(human, [
        commit("feat: a"),
        commit("fix: b", { coAuthors: [{ name: "Claude", email: "noreply@anthropic.com" }] }),
      ]),
    ).toBe(true);
    expect(
      detector.wroteChange(human, [
        commit("fix: b", { author: { name: "Bob", email: "b@x.io", login: "ci-agent" } }),
      ]),
    ).toBe(true);
    expect(
      detector.wroteChange(human, [
        commit("fix: b", { author: { name: "Claude", email: "claude@users.noreply.github.com" } }),
      ]),
    ).toBe(true);
  });

  it("matches co-author trailers case-insensitively and ignores them without globs", () => {
    const coAuthored = [
      commit("fix: b", { coAuthors: [{ name: "CLAUDE", email: "NOREPLY@ANTHROPIC.COM" }] }),
    ];
    expect(detector.wroteChange(human, coAuthored)).toBe(true);
    expect(createAgentDetector({ logins: [], coAuthors: [] }).wroteChange(human, coAuthored)).toBe(false);
  });

  it("writes a person the way a trailer does", () => {
    expect(formatPerson({ name: "Claude", email: "noreply@anthropic.com" })).toBe(
      "Claude <noreply@anthropic.com>",
    );
  });
});
