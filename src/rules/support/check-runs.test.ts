import { describe, expect, it } from "@jest/globals";
import type { CheckRunFact } from "../../facts/schema.js";
import { checkRunOutcome, checkRunState, describeCheckRun } from "./check-runs.js";

function run(status: CheckRunFact["status"], conclusion: CheckRunFact["conclusion"]): CheckRunFact {
  return { name: "lint", status, conclusion };
}

describe("checkRunState", () => {
  it.each([
    [run("in_progress", null), "pending"],
    [run("completed", "success"), "success"],
    [run("completed", "skipped"), "skipped"],
    [run("completed", "neutral"), "neutral"],
    [run("completed", "failure"), "failed"],
    [run("completed", "cancelled"), "failed"],
    [run("completed", "timed_out"), "failed"],
    [run("completed", "action_required"), "failed"],
    [run("completed", "stale"), "failed"],
  ])("%j is %p", (fact, state) => {
    expect(checkRunState(fact)).toBe(state);
  });
});

describe("checkRunOutcome", () => {
  it("is the conclusion once there is one, else the status", () => {
    expect(checkRunOutcome(run("queued", null))).toBe("queued");
    expect(checkRunOutcome(run("completed", "timed_out"))).toBe("timed_out");
  });
});

describe("describeCheckRun", () => {
  it("names the app that reported the run when it is known", () => {
    expect(describeCheckRun(run("queued", null))).toBe('"lint"');
    expect(describeCheckRun({ ...run("queued", null), app: { id: 15368, slug: "github-actions" } })).toBe(
      '"lint" (github-actions)',
    );
  });
});
