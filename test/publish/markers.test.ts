import { describe, expect, it } from "@jest/globals";
import { readMarker, writeMarker } from "../../src/publish/markers.js";

describe("markers", () => {
  it("round-trips data through a hidden comment, even data holding `--` and `-->`", () => {
    const data = { standard: "no-direct-push", note: "a -- b --> c", seen: ["abc"] };
    const body = `# Title\n\n${writeMarker("rtfm", data)}\ntext`;
    const inside = body.slice(body.indexOf("<!--") + 4, body.indexOf(" -->"));
    expect(inside).not.toContain("--");
    expect(readMarker(body, "rtfm")).toEqual(data);
  });

  it("finds only the asked kind and tolerates missing or broken markers", () => {
    const body = `${writeMarker("dashboard", { v: 1 })}\n<!-- rulebook:rtfm {broken -->`;
    expect(readMarker(body, "dashboard")).toEqual({ v: 1 });
    expect(readMarker(body, "rtfm")).toBeUndefined();
    expect(readMarker(null, "rtfm")).toBeUndefined();
    expect(readMarker("no marker", "rtfm")).toBeUndefined();
  });
});
