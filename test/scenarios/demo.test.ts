/**
 * `npm run demo`, run in-process: the sample org's story ends with a failed check at the skipped test's
 * line, drift issues in the drifted repository only, an RTFM issue for the direct push, and the dashboard.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { type DemoOutcome, main, SKIP_LINE } from "../../scripts/demo.js";

let outcome: DemoOutcome;
let printed = "";

beforeAll(async () => {
  outcome = await main((text) => {
    printed += text;
  });
});

describe("npm run demo", () => {
  it("fails the agent's pull request with an annotation at the skipped test's line", () => {
    expect(outcome.checkRun.status).toBe("completed");
    expect(outcome.checkRun.conclusion).toBe("failure");
    expect(outcome.checkRun.output.title).toBe("Blocked: 2 errors, 0 warnings, 0 notices, 0 not evaluated");
    expect(
      outcome.checkRun.output.annotations.map((a) => [a.path, a.start_line, a.annotation_level, a.title]),
    ).toEqual([["src/session.test.ts", SKIP_LINE, "failure", "no-hidden-test-skips (error)"]]);
    expect(printed).toContain(`src/session.test.ts:${SKIP_LINE}  failure  no-hidden-test-skips (error)`);
    // The non-conventional commit is the pull request's head.
    const head = outcome.checkRun.headSha;
    expect(printed).toContain(
      `Commit ${head.slice(0, 7)} "fixed the flaky test": the header does not start with a type and a colon`,
    );
  });

  it("opens one drift issue in the drifted repository only, and one for the direct push assigned to the pusher", () => {
    expect(
      outcome.rtfmIssues.map((issue) => [
        issue.repository,
        issue.number,
        issue.state,
        issue.title,
        issue.labels,
        issue.assignees,
      ]),
    ).toEqual([
      ["acme/web", 1, "open", "RTFM: acme/web drifts from the organization's standards", ["rtfm"], []],
      [
        "acme/web",
        2,
        "open",
        "RTFM: Changes reach the default branch through pull requests in acme/web",
        ["rtfm"],
        ["dana"],
      ],
    ]);
    // The next day's sweep finds the same drift: nothing new to say, so no comment.
    expect(outcome.rtfmIssues.map((issue) => issue.comments)).toEqual([0, 0]);
    // One issue for the drift, a task per standard; one for the direct push, naming who pushed.
    expect(outcome.rtfmIssues[0]?.body).toMatch(/^- \[ \] `codeowners` /m);
    expect(outcome.rtfmIssues[1]?.body).toContain("- **Actor:** @dana (User)");
  });

  it("rewrites the dashboard in the central repository after the scheduled sweep", () => {
    const dashboard = outcome.dashboard;
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
      "- [acme/web#2](https://github.com/acme/web/issues/2) `no-direct-push`",
    );
  });

  it("prints each part under its heading, with the deliveries the app logged and no secret", () => {
    const lines = printed.split("\n");
    const headings = lines.filter(
      (_line, index) => lines[index - 1]?.startsWith("====") && lines[index + 1]?.startsWith("===="),
    );
    expect(headings).toEqual([
      "Rulebook demo: the org `acme` on an in-memory GitHub (no credentials, no network)",
      `The \`rulebook\` check run on acme/api#1 (head ${outcome.checkRun.headSha.slice(0, 12)})`,
      "RTFM issues (2)",
      "The compliance dashboard",
      "Traffic",
    ]);
    expect(outcome.deliveries.map((record) => [record.delivery, record.event, record.repository])).toEqual([
      ["delivery-1", "installation.created", undefined],
      ["delivery-2", "pull_request.opened", "acme/api"],
      ["delivery-3", "push", "acme/web"],
    ]);
    expect(printed).not.toMatch(/PRIVATE KEY|rulebook-test-secret|ghs_/);
  });
});
