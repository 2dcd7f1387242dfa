import { describe, expect, it } from "@jest/globals";
import {
  nextStreaks,
  readCheckState,
  standardsToEscalate,
  writeCheckState,
} from "../../src/publish/check-state.js";

describe("check state", () => {
  it("round-trips through external_id with stable key order", () => {
    const text = writeCheckState({
      streaks: { "pr-title": 2, "conventional-commits": 1 },
      annotations: "abc",
      output: "def",
    });
    expect(text).toBe('{"s":{"conventional-commits":1,"pr-title":2},"a":"abc","o":"def"}');
    expect(readCheckState(text)).toEqual({
      streaks: { "conventional-commits": 1, "pr-title": 2 },
      annotations: "abc",
      output: "def",
    });
  });

  it("carries the observed standards that would fail the check under enforce", () => {
    const text = writeCheckState({ streaks: {}, observed: ["no-hidden-test-skips", "pr-title"] });
    expect(text).toBe('{"s":{},"w":["no-hidden-test-skips","pr-title"]}');
    expect(readCheckState(text)).toEqual({ streaks: {}, observed: ["no-hidden-test-skips", "pr-title"] });
    expect(writeCheckState({ streaks: {}, observed: [] })).toBe('{"s":{}}');
    // A damaged list counts as absent; the streaks survive it.
    expect(readCheckState('{"s":{"a":1},"w":"pr-title"}')).toEqual({ streaks: { a: 1 } });
  });

  it("marks a run whose conclusion came from an error, and reads no mark from anything else", () => {
    const text = writeCheckState({ streaks: {}, unjudged: true });
    expect(text).toBe('{"s":{},"u":1}');
    expect(readCheckState(text)).toEqual({ streaks: {}, unjudged: true });
    expect(readCheckState('{"s":{},"u":true}')).toEqual({ streaks: {} });
    expect(readCheckState('{"s":{},"u":2}')).toEqual({ streaks: {} });
  });

  it("reads nothing from an absent, foreign or broken external_id", () => {
    expect(readCheckState(undefined)).toEqual({ streaks: {} });
    expect(readCheckState("ci-build-42")).toEqual({ streaks: {} });
    expect(readCheckState('{"s":{"x":-1,"y":"2","z":3}}')).toEqual({ streaks: { z: 3 } });
    expect(readCheckState("[1]")).toEqual({ streaks: {} });
    expect(readCheckState('{"s":[4],"a":7}')).toEqual({ streaks: {} });
    expect(readCheckState('{"s":{},"o":[1]}')).toEqual({ streaks: {} });
  });

  it("extends the streak of a standard failing on a new head SHA and restarts the others", () => {
    expect(nextStreaks({ a: 2, b: 1 }, ["a", "c"], false)).toEqual({ a: 3, c: 1 });
  });

  it("keeps the count when the same SHA is judged again", () => {
    expect(nextStreaks({ a: 2 }, ["a", "c"], true)).toEqual({ a: 2, c: 1 });
  });

  it("escalates standards whose streak reached the threshold", () => {
    expect(standardsToEscalate({ b: 3, a: 4, c: 2 }, 3)).toEqual(["a", "b"]);
  });
});
