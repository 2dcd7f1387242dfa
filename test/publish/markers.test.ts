import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { z } from "zod";
import { readDashboardState } from "../../src/publish/dashboard.js";
import { hasMarker, readMarker, writeMarker } from "../../src/publish/markers.js";
import { type RtfmState, rtfmMatches, rtfmState } from "../../src/publish/rtfm.js";

const Data = z.object({ standard: z.string(), note: z.string(), seen: z.array(z.string()) });

/** Runs `read` with a handler that collects what it reports. */
function reported<T>(read: (onInvalid: (problem: string) => void) => T): { value: T; problems: string[] } {
  const problems: string[] = [];
  const value = read((problem) => problems.push(problem));
  return { value, problems };
}

describe("markers", () => {
  it("round-trips data through a hidden comment, even data holding `--` and `-->`", () => {
    const data = { standard: "no-direct-push", note: "a -- b --> c", seen: ["abc"] };
    const body = `# Title\n\n${writeMarker("rtfm", data)}\ntext`;
    const inside = body.slice(body.indexOf("<!--") + 4, body.indexOf(" -->"));
    expect(inside).not.toContain("--");
    expect(readMarker(body, "rtfm", Data)).toEqual(data);
  });

  it("finds only the asked kind; a missing marker is absent without a report", () => {
    const body = writeMarker("dashboard", { v: 1 });
    const V = z.object({ v: z.number() });
    expect(reported((log) => readMarker(body, "dashboard", V, log))).toEqual({
      value: { v: 1 },
      problems: [],
    });
    expect(reported((log) => readMarker(body, "rtfm", V, log))).toEqual({ value: undefined, problems: [] });
    expect(reported((log) => readMarker(null, "rtfm", V, log))).toEqual({ value: undefined, problems: [] });
    expect(hasMarker(body, "dashboard")).toBe(true);
    expect(hasMarker(body, "rtfm")).toBe(false);
  });

  it("reads a marker that is not JSON, or does not match its schema, as absent and reports it", () => {
    const broken = reported((log) => readMarker("<!-- rulebook:rtfm {broken -->", "rtfm", Data, log));
    expect(broken.value).toBeUndefined();
    expect(broken.problems).toEqual([
      "the hidden rulebook:rtfm marker is not JSON; it is ignored and will be rewritten",
    ]);
    const edited = reported((log) =>
      readMarker(writeMarker("rtfm", { standard: 1, note: "x" }), "rtfm", Data, log),
    );
    expect(edited.value).toBeUndefined();
    expect(edited.problems).toHaveLength(1);
    expect(edited.problems[0]).toMatch(
      /^the hidden rulebook:rtfm marker was edited or corrupted \(standard: .*; seen: /,
    );
  });

  it("never throws, whatever a member writes into a marker", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json().map((json) => `<!-- rulebook:rtfm ${json} -->`),
        ),
        (body) => {
          const log = () => {};
          rtfmState(body, log);
          rtfmMatches(body, "acme/api", "license", "drift", log);
          readMarker(body, "rtfm", Data, log);
          readDashboardState(body.replace("rulebook:rtfm", "rulebook:dashboard-state"));
        },
      ),
    );
  });
});

describe("rtfmState", () => {
  const state: RtfmState = {
    repository: "acme/api",
    standard: "license",
    kind: "drift",
    count: 3,
    seen: ["a"],
  };

  it("keeps an issue whose count or evidence was damaged, starting over from one occurrence", () => {
    const { seen: _seen, ...withoutSeen } = state;
    const body = `${writeMarker("rtfm", withoutSeen)}\nThe standard was broken.`;
    const read = reported((log) => rtfmState(body, log));
    expect(read.value).toEqual({
      repository: "acme/api",
      standard: "license",
      kind: "drift",
      count: 1,
      seen: [],
    });
    expect(read.problems).toHaveLength(1);
    expect(rtfmMatches(body, "acme/api", "license", "drift", () => {})).toBe(true);
  });

  it("reads an issue whose identity was damaged as no RTFM issue", () => {
    const body = writeMarker("rtfm", { ...state, kind: "weekly" });
    expect(reported((log) => rtfmState(body, log))).toMatchObject({
      value: undefined,
      problems: [expect.any(String)],
    });
  });
});
