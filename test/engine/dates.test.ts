import { describe, expect, it } from "@jest/globals";
import { utcDay } from "../../src/engine/dates.js";

describe("utcDay", () => {
  it.each([
    ["2026-11-23T12:00:00Z", "2026-11-23"],
    ["2026-11-23T23:59:59.999Z", "2026-11-23"],
    ["2026-11-24T01:00:00+05:00", "2026-11-23"],
    ["2026-11-23T22:00:00-03:00", "2026-11-24"],
    ["2026-11-23T12:00:00", "2026-11-23"],
    ["2026-11-23T23:30", "2026-11-23"],
    ["2026-11-23", "2026-11-23"],
  ])("%s is %s", (timestamp, day) => {
    expect(utcDay(timestamp)).toBe(day);
  });

  it.each([
    "",
    "yesterday",
    "2026-13-01T00:00:00Z",
    "23/11/2026",
    "2026-11-23T12:00:00 GMT",
    "Mon, 23 Nov 2026",
  ])("%j is not a timestamp", (timestamp) => {
    expect(utcDay(timestamp)).toBeUndefined();
  });
});
