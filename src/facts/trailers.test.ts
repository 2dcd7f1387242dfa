import { describe, expect, it } from "@jest/globals";
import { parseCoAuthors, parsePerson, parseTrailers } from "./trailers.js";

describe("parseTrailers", () => {
  it("reads the trailers of the last paragraph", () => {
    const message = "feat: add login\n\nLonger body.\n\nRefs: #12\nSigned-off-by: Alice <alice@example.com>";
    expect(parseTrailers(message)).toEqual([
      { key: "Refs", value: "#12" },
      { key: "Signed-off-by", value: "Alice <alice@example.com>" },
    ]);
  });

  it("never reads the subject as a trailer", () => {
    expect(parseTrailers("fix: handle empty input")).toEqual([]);
    expect(parseTrailers("Co-authored-by: Bot <bot@example.com>")).toEqual([]);
  });

  it("ignores a last paragraph that is prose", () => {
    expect(parseTrailers("feat: x\n\nThis explains: why it matters.\nAnd more prose here.")).toEqual([]);
  });

  it("accepts a mixed paragraph holding a git-generated trailer when a quarter of its lines are trailers", () => {
    const message = "fix: y\n\nSigned-off-by: A <a@x>\nnot a trailer\nnor this\nnor that";
    expect(parseTrailers(message)).toEqual([{ key: "Signed-off-by", value: "A <a@x>" }]);
    expect(parseTrailers("fix: y\n\nRefs: 1\nnot a trailer")).toEqual([]);
  });

  it("joins continuation lines, tolerates CRLF, blank runs and trailing newlines", () => {
    const message = "feat: z\r\n\r\n\r\nNote: first part\r\n  second part\r\nAcked-by: B <b@x>\r\n\r\n";
    expect(parseTrailers(message)).toEqual([
      { key: "Note", value: "first part second part" },
      { key: "Acked-by", value: "B <b@x>" },
    ]);
  });
});

describe("parsePerson", () => {
  it("splits name and email", () => {
    expect(parsePerson("Claude <noreply@anthropic.com>")).toEqual({
      name: "Claude",
      email: "noreply@anthropic.com",
    });
    expect(parsePerson("  <only@example.com> ")).toEqual({ name: "", email: "only@example.com" });
  });

  it("refuses a value without an email", () => {
    expect(parsePerson("just a name")).toBeUndefined();
  });
});

describe("parseCoAuthors", () => {
  it("returns each co-author once, whatever the key's case", () => {
    const message = [
      "feat: pair on login",
      "",
      "Co-authored-by: Claude <noreply@anthropic.com>",
      "co-authored-by: Copilot <198982749+Copilot@users.noreply.github.com>",
      "Co-Authored-By: Claude <NOREPLY@anthropic.com>",
      "Signed-off-by: Alice <alice@example.com>",
      "Co-authored-by: nobody",
    ].join("\n");
    expect(parseCoAuthors(message)).toEqual([
      { name: "Claude", email: "noreply@anthropic.com" },
      { name: "Copilot", email: "198982749+Copilot@users.noreply.github.com" },
    ]);
  });

  it("finds none in a message without trailers", () => {
    expect(parseCoAuthors("chore: tidy\n\nCo-authored-by in prose is not a trailer, says the body.")).toEqual(
      [],
    );
  });
});
