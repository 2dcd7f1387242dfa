/**
 * RTFM issues for what no check could stop: direct and forced pushes, self-merges, merges past a
 * failing check, rulesets edited by hand. Each names the standard, the evidence, the missing gate and
 * the five steps; a recurrence updates the same issue, and a redelivered webhook changes nothing.
 */
import { describe, expect, it } from "@jest/globals";
import { writeMarker } from "../../src/publish/markers.js";
import { RULEBOOK_VERSION } from "../../src/util/version.js";
import type { RepoState } from "../fake-github/index.js";
import { pushEvent, rulesetEvent } from "../fake-github/push.js";
import type { AppHarness } from "../support/github.js";
import { commentsOn, mergeAfterRulebook, NOW, startConfiguredApp } from "../support/scenario.js";

/** A commit pushed straight onto the default branch by `pusher`; returns the push event. */
function directPush(gh: AppHarness, repo: RepoState, pusher: string, file: string) {
  const before = repo.branches.get(repo.defaultBranch) as string;
  const commit = gh.fake.seedCommit(repo, {
    message: `fix: ${file}`,
    author: pusher,
    files: { [file]: `${file}\n` },
  });
  return { commit, event: pushEvent(gh.fake, repo, { before, after: commit.sha, pusher }) };
}

function rtfmIssues(repo: RepoState) {
  return [...repo.issues.values()].filter((issue) => issue.labels.includes("rtfm"));
}

/** carol's pull request adding src/b.ts. */
function seedPullRequestB(gh: AppHarness, repo: RepoState) {
  return gh.fake.seedPullRequest(repo, {
    title: "feat: add b",
    author: "carol",
    head: "feat/b",
    commits: [{ message: "feat: add b", author: "carol", files: { "src/b.ts": "b\n" } }],
  });
}

describe("RTFM issues for what no check could stop", () => {
  it("opens an issue assigned to the user who pushed straight to the default branch", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    gh.fake.seedUser("bob");
    const { commit, event } = directPush(gh, api, "bob", "src/b.ts");

    await gh.deliver("push", event);

    const issues = rtfmIssues(api);
    expect(issues.map((i) => [i.title, i.state, i.labels, i.assignees])).toEqual([
      ["RTFM: Changes reach the default branch through pull requests in acme/api", "open", ["rtfm"], ["bob"]],
    ]);
    const before = event.before;
    expect(issues[0]?.body).toBe(
      [
        `<!-- rulebook:rtfm {"repository":"acme/api","standard":"no-direct-push","kind":"event","count":1,"seen":["push:${commit.sha}"]} -->`,
        "The standard **Changes reach the default branch through pull requests** (`no-direct-push`, error) was broken in `acme/api`.",
        "",
        "### The standard",
        "",
        "> A direct commit skips review, the required checks and the rulebook verdict; agents have committed straight to protected branches when a pull request felt slow, and a force push can silently drop other people's commits. This catches what a missing or bypassed branch ruleset let through.",
        "",
        `Manual: [standards/docs/no-direct-push.md](https://github.com/rulebook-app/rulebook/blob/v${RULEBOOK_VERSION}/standards/docs/no-direct-push.md) (or \`rulebook explain no-direct-push\`)`,
        "",
        "### Evidence",
        "",
        "- **Event:** `push`",
        `- **When:** ${NOW}`,
        "- **Actor:** @bob (User)",
        `- **Commit:** ${commit.sha}`,
        `- **Found:** bob pushed 1 commit (${commit.sha.slice(0, 7)}) directly to main (${before.slice(0, 7)}..${commit.sha.slice(0, 7)}) without a pull request; a branch ruleset on main that requires pull requests (rule "pull_request") should have stopped it`,
        "  - expected: `changes reach main through a merged pull request`",
        "  - found: `direct push by bob`",
        "",
        "### The gate that was missing or bypassed",
        "",
        "A branch ruleset on the default branch that requires a pull request and blocks force pushes (the `ruleset` standards of the bundle) was missing, or someone with bypass rights used it.",
        "",
        "### What the responsible party must do",
        "",
        "1. **Pause.** Do not push, merge or change settings in this repository until this issue has a root cause.",
        "2. **Capture the context:** what you were doing, which instructions you followed, what failed first.",
        "3. **Name the violated standard** (`no-direct-push`) and read its manual above.",
        "4. **Write the root cause in this issue:** why the step was skipped or the gate was worked around.",
        "5. **Propose the change that stops it recurring** (a ruleset, a bundle change, a CI step), as a pull request to the central bundle where it belongs.",
        "",
        'How to fix: Do not push to the default branch again. Get the pushed change reviewed after the fact (revert it in a pull request and propose it again, or have a maintainer review the commits), restore anything a force push dropped from the "before" commit through a pull request, name the cause in the RTFM issue, and have an administrator fix the branch ruleset.',
        "",
        `Occurrences: 1 · last seen ${NOW}`,
      ].join("\n"),
    );
  });

  it("records a forced push to the default branch with what it replaced", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    const root = api.branches.get("main") as string;
    const dropped = gh.fake.seedCommit(api, {
      message: "feat: b",
      author: "carol",
      files: { "src/b.ts": "b\n" },
    });
    // bob rewrites main: his commit replaces carol's.
    const rewritten = gh.fake.seedCommit(api, {
      message: "fix: c",
      author: "bob",
      parents: [root],
      branch: "main",
      files: { "src/c.ts": "c\n" },
    });

    await gh.deliver(
      "push",
      pushEvent(gh.fake, api, { before: dropped.sha, after: rewritten.sha, forced: true, pusher: "bob" }),
    );

    const [issue, ...others] = rtfmIssues(api);
    expect(others).toEqual([]);
    expect([issue?.title, issue?.assignees]).toEqual([
      "RTFM: Changes reach the default branch through pull requests in acme/api",
      ["bob"],
    ]);
    expect(issue?.body).toContain("- **Event:** `push (forced)`");
    expect(issue?.body).toContain(
      `- **Found:** bob force-pushed to main (${dropped.sha.slice(0, 7)}..${rewritten.sha.slice(0, 7)}), replacing its history, adding 1 commit (${rewritten.sha.slice(0, 7)}); a branch ruleset on main that blocks force pushes (rule "non_fast_forward") should have stopped it`,
    );
    expect(issue?.body).toContain("  - found: `forced push by bob`");
  });

  it("records a pull request merged by its own author without an independent approval", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    const pr = seedPullRequestB(gh, api);
    const { merge, event } = mergeAfterRulebook(gh, api, pr, "carol", "success");

    await gh.deliver("push", event);

    const [issue, ...others] = rtfmIssues(api);
    expect(others).toEqual([]);
    expect([issue?.title, issue?.assignees]).toEqual([
      "RTFM: Nobody merges their own pull request without another's approval in acme/api",
      ["carol"],
    ]);
    expect(issue?.body).toContain(
      `- **Found:** Pull request #${pr.number} "feat: add b" was merged by its author carol without an approving review from an independent human on its head ${pr.head.sha.slice(0, 7)}`,
    );
    expect(issue?.body).toContain("  - found: `no independent approval`");
    expect(issue?.body).toContain(`- **Commit:** ${merge.sha}`);
  });

  it("records a merge while the rulebook check was failing (no-bypass)", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    const pr = seedPullRequestB(gh, api);
    gh.fake.seedReview(api, pr.number, { author: "dave", state: "APPROVED" });

    await gh.deliver("push", mergeAfterRulebook(gh, api, pr, "dave", "failure").event);

    const [issue, ...others] = rtfmIssues(api);
    expect(others).toEqual([]);
    expect([issue?.title, issue?.assignees]).toEqual([
      "RTFM: Nothing merges while the rulebook check is not green in acme/api",
      ["dave"],
    ]);
    expect(issue?.body).toContain(
      `  - expected: \`"rulebook" concluded success on ${pr.head.sha.slice(0, 7)}\``,
    );
    expect(issue?.body).toContain("  - found: `failure`");
  });

  it("records a ruleset edited by hand, naming who edited it", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const ruleset = gh.fake.seedRuleset({
      repo: api,
      name: "main protection",
      rules: [{ type: "deletion" }],
    });

    await gh.deliver("repository_ruleset", {
      ...rulesetEvent(gh.fake, ruleset, "edited", "eve"),
      changes: { rules: { deleted: [{ type: "pull_request" }, { type: "non_fast_forward" }] } },
    });

    const events = rtfmIssues(api).filter((issue) => issue.body?.includes('"kind":"event"'));
    expect(events.map((i) => [i.title, i.assignees])).toEqual([
      ["RTFM: The default branch is protected by a ruleset in acme/api", ["eve"]],
    ]);
    const body = events[0]?.body ?? "";
    expect(body).toContain("- **Event:** `repository_ruleset.edited`");
    expect(body).toContain("- **Actor:** @eve (User)");
    expect(body).toContain(
      `- **Found:** Ruleset "main protection" (id ${ruleset.id}, branch, active) was edited by @\u200deve outside the bundle: rules deleted: pull_request, non_fast_forward.`,
    );
  });
});

describe("a standard broken again", () => {
  it("updates the same issue, counts the occurrence and comments once", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    await gh.deliver("push", directPush(gh, api, "bob", "src/b.ts").event);
    const second = directPush(gh, api, "bob", "src/c.ts");

    await gh.deliver("push", second.event);

    const [issue, ...others] = rtfmIssues(api);
    expect(others).toEqual([]);
    expect(issue?.body).toContain(`Occurrences: 2 · last seen ${NOW}`);
    expect(issue?.body).toContain(`- **Commit:** ${second.commit.sha}`);
    const comments = commentsOn(gh, api, issue?.number as number);
    expect(comments.map((c) => c.body.split("\n")[0])).toEqual(["### Occurrence 2"]);
    expect(comments[0]?.body).toContain(`- **Commit:** ${second.commit.sha}`);

    await gh.deliver("push", second.event);
    expect(commentsOn(gh, api, issue?.number as number)).toHaveLength(1);
    expect(issue?.body).toContain("Occurrences: 2 ·");
  });

  it("writes one issue and no comment when the same webhook arrives five times", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    const { event } = directPush(gh, api, "bob", "src/b.ts");
    const id = "5f0c3b2e-0000-4000-8000-000000000001";

    await Promise.all(Array.from({ length: 5 }, () => gh.deliver("push", event, { id })));

    const [issue, ...others] = rtfmIssues(api);
    expect(others).toEqual([]);
    expect(issue?.body).toContain(`Occurrences: 1 · last seen ${NOW}`);
    expect(commentsOn(gh, api, issue?.number as number)).toEqual([]);
    expect(gh.fake.requests.count("POST /repos/{owner}/{repo}/issues")).toBe(1);
  });

  it("reopens a closed issue when the standard is broken again", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    await gh.deliver("push", directPush(gh, api, "bob", "src/b.ts").event);
    const [closed] = rtfmIssues(api);
    Object.assign(closed as object, { state: "closed", stateReason: "completed" });

    await gh.deliver("push", directPush(gh, api, "carol", "src/c.ts").event);

    const [issue, ...others] = rtfmIssues(api);
    expect(others).toEqual([]);
    expect([issue?.number, issue?.state, issue?.assignees]).toEqual([
      closed?.number,
      "open",
      ["bob", "carol"],
    ]);
    expect(issue?.body).toContain("Occurrences: 2");
    const comments = commentsOn(gh, api, issue?.number as number);
    expect(comments.map((c) => c.body.split("\n")[0])).toEqual(["Reopened: the standard is broken again."]);
  });

  it("leaves an issue closed when a webhook it already recorded is redelivered", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    const { event } = directPush(gh, api, "bob", "src/b.ts");
    await gh.deliver("push", event);
    const [closed] = rtfmIssues(api);
    Object.assign(closed as object, { state: "closed", stateReason: "completed" });

    await gh.deliver("push", event);

    const [issue, ...others] = rtfmIssues(api);
    expect(others).toEqual([]);
    expect(issue?.state).toBe("closed");
    expect(issue?.body).toContain("Occurrences: 1 ·");
    expect(commentsOn(gh, api, issue?.number as number)).toEqual([]);
  });

  it("rebuilds the marker of an issue a member edited, keeping the issue", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    await gh.deliver("push", directPush(gh, api, "bob", "src/b.ts").event);
    const [edited] = rtfmIssues(api);
    // The member deleted the evidence list from the hidden marker.
    Object.assign(edited as object, { body: (edited?.body ?? "").replace(/,"seen":\[[^\]]*\]/, "") });
    expect(edited?.body).not.toContain('"seen"');
    const second = directPush(gh, api, "bob", "src/c.ts");

    await gh.deliver("push", second.event);

    const [issue, ...others] = rtfmIssues(api);
    expect(others).toEqual([]);
    expect(issue?.number).toBe(edited?.number);
    expect(issue?.body).toContain(`"count":2,"seen":["push:${second.commit.sha}"]} -->`);
  });
});

describe("an issue Rulebook did not write", () => {
  it("does not suppress an incident when a person copies the marker and label of one already seen", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    const { commit, event } = directPush(gh, api, "bob", "src/b.ts");
    // mallory opens an issue that claims this very push was already recorded.
    const marker = { repository: "acme/api", standard: "no-direct-push", kind: "event", count: 1 };
    const forged = gh.fake.seedIssue(api, {
      author: "mallory",
      title: "RTFM: Changes reach the default branch through pull requests in acme/api",
      labels: ["rtfm"],
      body: `${writeMarker("rtfm", { ...marker, seen: [`push:${commit.sha}`] })}\nNothing to see.`,
    });
    const forgedBody = forged.body;

    await gh.deliver("push", event);

    const [issue, ...others] = rtfmIssues(api).filter((i) => i !== forged);
    expect(others).toEqual([]);
    expect([issue?.user, issue?.assignees]).toEqual(["rulebook[bot]", ["bob"]]);
    expect(issue?.body).toContain(`"seen":["push:${commit.sha}"]} -->`);
    expect([forged.body, forged.state, commentsOn(gh, api, forged.number)]).toEqual([forgedBody, "open", []]);
    expect(gh.logs.filter((l) => l.level === 40).map((l) => l.msg)).toContain(
      `ignoring acme/api#${forged.number}, which carries Rulebook's label: it was opened by @mallory, not by rulebook[bot]`,
    );
  });
});
