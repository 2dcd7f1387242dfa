/**
 * Which issues are the app's own: its bot opened them (through this app, where GitHub says), and whose
 * markers still hold its state: nobody else edited the body since.
 */
import { describe, expect, it } from "@jest/globals";
import type { Octokit } from "../../src/gather/github.js";
import { editedByOthers, issueTrust, notWrittenByApp, writesAs } from "../../src/github/own-issues.js";

const APP = { id: 42, slug: "rulebook" };
const BOT = { login: "rulebook[bot]", type: "Bot" };

describe("an issue the app wrote", () => {
  it("is one its bot opened, through this app or without GitHub saying", () => {
    expect(notWrittenByApp({ user: BOT, performed_via_github_app: { id: 42 } }, APP)).toBeUndefined();
    expect(notWrittenByApp({ user: BOT, performed_via_github_app: null }, APP)).toBeUndefined();
    expect(notWrittenByApp({ user: { login: "Rulebook[bot]", type: "Bot" } }, APP)).toBeUndefined();
  });

  it("is not a person's, even one acting through this app with a user token", () => {
    expect(
      notWrittenByApp(
        { user: { login: "mallory", type: "User" }, performed_via_github_app: { id: 42 } },
        APP,
      ),
    ).toBe("it was opened by @mallory, not by rulebook[bot]");
    // A person cannot take a bot's login, and an account named like the app is not its bot.
    expect(notWrittenByApp({ user: { login: "rulebook", type: "User" } }, APP)).toBe(
      "it was opened by @rulebook, not by rulebook[bot]",
    );
    expect(notWrittenByApp({ user: { login: "rulebook[bot]", type: "User" } }, APP)).toBe(
      "it was opened by @rulebook[bot], not by rulebook[bot]",
    );
    expect(notWrittenByApp({ user: null }, APP)).toBe(
      "it was opened by an unknown account, not by rulebook[bot]",
    );
  });

  it("is not one GitHub says another app made", () => {
    expect(notWrittenByApp({ user: BOT, performed_via_github_app: { id: 7 } }, APP)).toBe(
      "it was opened through another GitHub App (id 7)",
    );
  });
});

describe("the state in the marker of the app's issue", () => {
  it("is trusted while nobody else edited the body, or when GitHub does not say", () => {
    expect(editedByOthers({ user: BOT, editor: null }, APP)).toBeUndefined();
    expect(editedByOthers({ user: BOT, editor: BOT }, APP)).toBeUndefined();
    expect(editedByOthers({ user: BOT }, APP)).toBeUndefined();
  });

  it("is not once someone else edited the body", () => {
    expect(editedByOthers({ user: BOT, editor: { login: "mallory", type: "User" } }, APP)).toBe("mallory");
    expect(editedByOthers({ user: BOT, editor: { login: "other[bot]", type: "Bot" } }, APP)).toBe(
      "other[bot]",
    );
  });
});

describe("a client whose app is unknown", () => {
  it("trusts no issue: telling the app's own from forged ones needs the app's identity", async () => {
    const unknown = {} as Octokit;
    await expect(issueTrust(unknown)).rejects.toThrow("this app's identity is unknown");
    const unanswered = {} as Octokit;
    writesAs(unanswered, () => Promise.resolve(undefined));
    await expect(issueTrust(unanswered)).rejects.toThrow("this app's identity is unknown");
  });

  it("logs each issue it leaves out, once it knows the app", async () => {
    const client = {} as Octokit;
    const lines: string[] = [];
    writesAs(client, APP, (line) => lines.push(line));
    const trust = await issueTrust(client);
    const own = { number: 1, user: BOT };
    const forged = { number: 2, user: { login: "mallory", type: "User" } };
    expect(trust.own([own, forged], "acme/api")).toEqual([own]);
    expect(trust.trustsMarker({ ...own, editor: { login: "mallory", type: "User" } }, "acme/api")).toBe(
      false,
    );
    expect(lines).toEqual([
      "ignoring acme/api#2, which carries Rulebook's label: it was opened by @mallory, not by rulebook[bot]",
      "not trusting the hidden state of acme/api#1: @mallory edited its body after the app; it will be rewritten",
    ]);
  });
});
