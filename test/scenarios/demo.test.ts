/**
 * `npm run demo`, run in-process: the sample org's story is a rollout. While it observes, the agent's
 * check is neutral with its findings, no RTFM issue opens and the dashboard says what enforce would do;
 * once a previewed bundle pull request turns enforcement on, the check fails at the skipped test's line
 * and the drifted repository gets its one drift issue.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { type DemoOutcome, main, SKIP_LINE } from "../../scripts/demo.js";
import { webUrlUnderTest } from "../support/app-identity.js";

let outcome: DemoOutcome;
let printed = "";

beforeAll(async () => {
  outcome = await main((text) => {
    printed += text;
  });
});

describe("npm run demo", () => {
  it("reports the agent's pull request as neutral while the org observes, with every finding", () => {
    expect(outcome.checkRun.status).toBe("completed");
    expect(outcome.checkRun.conclusion).toBe("neutral");
    expect(outcome.checkRun.output.title).toBe(
      "Would block once enforced: 2 errors, 0 warnings, 0 notices, 0 not evaluated",
    );
    expect(outcome.checkRun.output.summary).toContain(
      "> Observe mode: the bundle only observes `conventional-commits`, `no-hidden-test-skips`",
    );
    // The non-conventional commit is the pull request's head.
    const head = outcome.checkRun.headSha;
    expect(printed).toContain(
      `Commit ${head.slice(0, 7)} "fixed the flaky test": the header does not start with a type and a colon`,
    );
  });

  it("opens only the dashboard while it observes, saying what enforce would do", () => {
    const dashboard = outcome.observedDashboard;
    expect([dashboard?.repository, dashboard?.number, dashboard?.title, dashboard?.labels]).toEqual([
      "acme/.github",
      1,
      "Rulebook compliance dashboard",
      ["rulebook-dashboard"],
    ]);
    expect(dashboard?.body).toContain(
      "Bundle `acme/.github:standards` at `2026.11.1` · swept 2026-11-24T14:00:00.000Z · 3 repositories, 1 failing.",
    );
    expect(dashboard?.body).toContain(
      [
        "### Checks it would fail",
        "",
        "- acme/api#1: `conventional-commits`, `no-hidden-test-skips`",
        "",
        "### RTFM issues it would open",
        "",
        "- acme/web: one drift issue, with tasks `branch-protection`, `codeowners`, `pr-template`, `release-tag-protection`, `security-policy`",
        "- acme/web: `no-direct-push`, for the push at 2026-11-23T14:00:00.000Z by `@dana`",
      ].join("\n"),
    );
    expect(dashboard?.body).toContain("## Open RTFM issues\n\nNone.");
  });

  it("previews the bundle pull request that turns enforcement on", () => {
    expect(outcome.preview.conclusion).toBe("success");
    expect(outcome.preview.output.summary).toContain(
      "- `acme/web`: a drift issue with the tasks `pr-template`, `codeowners`, `security-policy`, `branch-protection`, `release-tag-protection`",
    );
    expect(outcome.preview.output.summary).toContain(
      "- acme/api#1: its check would fail on `conventional-commits`, `no-hidden-test-skips`",
    );
  });

  it("once enforced, fails the agent's pull request at the skipped test's line and opens the drift issue", () => {
    expect(outcome.enforcedCheckRun.conclusion).toBe("failure");
    expect(outcome.enforcedCheckRun.output.title).toBe(
      "Blocked: 2 errors, 0 warnings, 0 notices, 0 not evaluated",
    );
    expect(
      outcome.enforcedCheckRun.output.annotations.map((a) => [
        a.path,
        a.start_line,
        a.annotation_level,
        a.title,
      ]),
    ).toEqual([["src/session.test.ts", SKIP_LINE, "failure", "no-hidden-test-skips (error)"]]);
    expect(printed).toContain(`src/session.test.ts:${SKIP_LINE}  failure  no-hidden-test-skips (error)`);
    expect(
      outcome.rtfmIssues.map((issue) => [
        issue.repository,
        issue.number,
        issue.state,
        issue.title,
        issue.labels,
        issue.comments,
      ]),
    ).toEqual([
      ["acme/web", 1, "open", "RTFM: acme/web drifts from the organization's standards", ["rtfm"], 0],
    ]);
    expect(outcome.rtfmIssues[0]?.body).toMatch(/^- \[ \] `codeowners` /m);
    expect(outcome.dashboard?.body).toContain("Mode: **enforce**.");
    expect(outcome.dashboard?.body).toContain(
      `- [acme/web#1](${webUrlUnderTest()}/acme/web/issues/1) \`branch-protection\`, \`codeowners\`, \`pr-template\`, \`release-tag-protection\`, \`security-policy\``,
    );
  });

  it("prints each part under its heading, with the deliveries the app logged and no secret", () => {
    const lines = printed.split("\n");
    const headings = lines.filter(
      (_line, index) => lines[index - 1]?.startsWith("====") && lines[index + 1]?.startsWith("===="),
    );
    expect(headings).toEqual([
      "Rulebook demo: the org `acme` on an in-memory GitHub (no credentials, no network)",
      `Observe: the \`rulebook\` check run on acme/api#1 (head ${outcome.checkRun.headSha.slice(0, 12)})`,
      "Observe: the compliance dashboard, the one issue the installation opened",
      "Enforce: the `rulebook/bundle` check on acme/.github#2",
      "Enforce: the `rulebook` check run on acme/api#1 after the merge",
      "Enforce: RTFM issues (1)",
      "Traffic",
    ]);
    expect(outcome.deliveries.map((record) => [record.delivery, record.event, record.repository])).toEqual([
      ["delivery-1", "installation.created", undefined],
      ["delivery-2", "pull_request.opened", "acme/api"],
      ["delivery-3", "push", "acme/web"],
      ["delivery-4", "pull_request.opened", "acme/.github"],
      ["delivery-5", "push", "acme/.github"],
    ]);
    expect(printed).not.toMatch(/PRIVATE KEY|rulebook-test-secret|ghs_/);
  });
});
