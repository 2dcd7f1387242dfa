import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import { MemoryStore, parseStoredJson, readStoredJson } from "../../src/state/store.js";

describe("MemoryStore", () => {
  it("sets, reads and deletes values", async () => {
    const store = new MemoryStore();
    expect(await store.get("k")).toBeUndefined();
    await store.set("k", "v");
    expect(await store.get("k")).toBe("v");
    await store.delete("k");
    expect(await store.get("k")).toBeUndefined();
  });

  it("expires values by the injected clock", async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    await store.set("k", "v", 10);
    now = 9_999;
    expect(await store.get("k")).toBe("v");
    now = 10_000;
    expect(await store.get("k")).toBeUndefined();
  });

  it("sets a once-only mark only when it is absent or expired", async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    expect(await store.setIfAbsent("mark", "a", 1)).toBe(true);
    expect(await store.setIfAbsent("mark", "b", 1)).toBe(false);
    expect(await store.get("mark")).toBe("a");
    now = 1_000;
    expect(await store.setIfAbsent("mark", "c")).toBe(true);
  });

  it("counts within the window the first increment started", async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    expect(await store.increment("n", 1, 60)).toBe(1);
    now = 30_000;
    expect(await store.increment("n", 2, 60)).toBe(3);
    now = 60_000;
    expect(await store.increment("n", 1, 60)).toBe(1);
  });

  it("keeps hash fields apart from plain values", async () => {
    const store = new MemoryStore();
    await store.hashSet("h", "a", "1");
    await store.hashSet("h", "b", "2");
    expect(await store.hashGetAll("h")).toEqual({ a: "1", b: "2" });
    expect(await store.hashGet("h", "b")).toBe("2");
    expect(await store.hashGet("h", "c")).toBeUndefined();
    expect(await store.hashGet("missing", "a")).toBeUndefined();
    expect(await store.get("h")).toBeUndefined();
    await store.hashDelete("h", "a");
    expect(await store.hashGetAll("h")).toEqual({ b: "2" });
    expect(await store.hashGetAll("missing")).toEqual({});
  });
});

describe("stored JSON", () => {
  const Schema = z.object({ sha: z.string() });

  it("parses a value that matches its schema", async () => {
    const store = new MemoryStore();
    await store.set("k", JSON.stringify({ sha: "abc" }));
    expect(await readStoredJson(store, "k", Schema)).toEqual({ sha: "abc" });
  });

  it("treats a missing, unparsable or off-schema value as absent", async () => {
    const store = new MemoryStore();
    expect(await readStoredJson(store, "missing", Schema)).toBeUndefined();
    expect(parseStoredJson(Schema, "{not json")).toBeUndefined();
    expect(parseStoredJson(Schema, JSON.stringify({ sha: 1 }))).toBeUndefined();
  });
});
