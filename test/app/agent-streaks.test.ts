import { describe, expect, it } from "@jest/globals";
import { countAgentFailures, mergeCounts } from "../../src/app/agent-streaks.js";
import { MemoryStore } from "../../src/state/store.js";

const HOUR = 3600;

function failures(headSha: string, failing: string[], agent = "coder-agent[bot]") {
  return { repository: "acme/api", agent, headSha, failing, windowSeconds: HOUR };
}

describe("countAgentFailures", () => {
  it("counts each head commit once per standard, across pull requests, until the window ends", async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    expect(await countAgentFailures(store, failures("a", ["pr-title"]))).toEqual({ "pr-title": 1 });
    expect(await countAgentFailures(store, failures("a", ["pr-title"]))).toEqual({ "pr-title": 1 });
    expect(await countAgentFailures(store, failures("b", ["pr-title", "pr-body"]))).toEqual({
      "pr-title": 2,
      "pr-body": 1,
    });
    expect(await countAgentFailures(store, failures("b", ["pr-title"], "other-agent[bot]"))).toEqual({
      "pr-title": 1,
    });
    now = HOUR * 1000;
    expect(await countAgentFailures(store, failures("c", ["pr-title"]))).toEqual({ "pr-title": 1 });
  });

  it("treats a count that does not parse as absent", async () => {
    const store = new MemoryStore();
    await countAgentFailures(store, failures("a", ["pr-title"]));
    await store.set("agent-failures:acme/api:coder-agent[bot]:pr-title", "garbage");
    expect(await countAgentFailures(store, failures("a", ["pr-title"]))).toEqual({ "pr-title": 1 });
  });
});

describe("mergeCounts", () => {
  it("keeps the larger count per standard", () => {
    expect(mergeCounts({ a: 3, b: 1 }, { b: 2, c: 1 })).toEqual({ a: 3, b: 2, c: 1 });
  });
});
