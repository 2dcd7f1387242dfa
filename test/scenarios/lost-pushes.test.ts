/**
 * GitHub never redelivers a lost `push` webhook. The sweep rebuilds what happened on each default branch
 * since it last looked, so a direct push, a force push, a self-merge or a merge past a red check whose
 * webhook never arrived still gets its RTFM issue; and when the webhook does arrive, the issue's marker
 * keeps the two from recording it twice.
 */
import { describe, expect, it } from "@jest/globals";
import { rtfmState } from "../../src/publish/rtfm.js";
import type { RepoState } from "../fake-github/index.js";
import { installationCreatedEvent, pushEvent } from "../fake-github/push.js";
import type { AppHarness } from "../support/github.js";
import { commentsOn, mergeAfterRulebook, startConfiguredApp } from "../support/scenario.js";

const PULLS_OF_COMMIT = "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls";

/** A sweep of acme, as the schedule (or a new installation) starts it. */
function sweep(gh: AppHarness) {
  return gh.deliver(
    "installation",
    installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo-admin"),
  );
}

/** `pusher` commits straight onto main; returns the commit and the push webhook GitHub would send. */
function directPush(gh: AppHarness, repo: RepoState, pusher: string, file: string) {
  const before = repo.branches.get("main") as string;
  const commit = gh.fake.seedCommit(repo, {
    message: `fix: ${file}`,
    author: pusher,
    files: { [file]: "x\n" },
  });
  return { commit, event: pushEvent(gh.fake, repo, { before, after: commit.sha, pusher }) };
}

/** The RTFM event issues of a repository, by standard: how often each was seen and under which keys. */
function events(repo: RepoState) {
  return [...repo.issues.values()].flatMap((issue) => {
    const state = rtfmState(issue.body);
    return state?.kind === "event"
      ? [{ standard: state.standard, count: state.count, seen: state.seen, issue }]
      : [];
  });
}

describe("pushes whose webhook was lost", () => {
  it("reports a direct push found by the sweep, and the late webhook changes nothing", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    await sweep(gh);
    expect(events(api)).toEqual([]);

    // bob pushes two commits straight to main; the webhook is lost.
    directPush(gh, api, "bob", "src/b.ts");
    const { commit, event } = directPush(gh, api, "bob", "src/c.ts");
    await sweep(gh);

    const [found, ...others] = events(api);
    expect(others).toEqual([]);
    expect([found?.standard, found?.count, found?.seen]).toEqual([
      "no-direct-push",
      1,
      [`push:${commit.sha}`],
    ]);
    expect(found?.issue.assignees).toEqual(["bob"]);
    expect(found?.issue.body).toContain("- **Event:** `push, found by the sweep`");
    expect(found?.issue.body).toContain(`bob pushed 2 commits (`);

    // The webhook arrives after all (a redelivery by hand): the same occurrence, nothing new.
    await gh.deliver("push", event);
    // And the next sweep has nothing new to look at.
    gh.fake.requests.reset();
    await sweep(gh);
    expect(events(api).map((e) => e.count)).toEqual([1]);
    expect(commentsOn(gh, api, found?.issue.number as number)).toEqual([]);
    expect(gh.fake.requests.count(PULLS_OF_COMMIT)).toBe(0);
  });

  it("starts where it first looks, at no cost, and finds the lost pushes that come after", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    // Before the sweep ever looked (a new repository, or a lost store): its head is where it starts.
    directPush(gh, api, "bob", "src/b.ts");

    await sweep(gh);
    expect(events(api)).toEqual([]);
    expect(gh.fake.requests.count(PULLS_OF_COMMIT)).toBe(0);

    const { commit } = directPush(gh, api, "bob", "src/c.ts");
    await sweep(gh);

    expect(events(api).map((e) => [e.standard, e.seen])).toEqual([
      ["no-direct-push", [`push:${commit.sha}`]],
    ]);
  });

  it("does not look again at a push the live path judged", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    await sweep(gh);
    const { event } = directPush(gh, api, "bob", "src/b.ts");
    await gh.deliver("push", event);
    gh.fake.requests.reset();

    await sweep(gh);

    expect(events(api).map((e) => [e.standard, e.count])).toEqual([["no-direct-push", 1]]);
    expect(gh.fake.requests.count(PULLS_OF_COMMIT)).toBe(0);
    expect(gh.fake.requests.count("GET /repos/{owner}/{repo}/compare/{basehead}")).toBe(0);
  });

  it("splits a lost push from a delivered one that came before it", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    await sweep(gh);
    const delivered = directPush(gh, api, "bob", "src/b.ts");
    await gh.deliver("push", delivered.event);
    const lost = directPush(gh, api, "carol", "src/c.ts");

    await sweep(gh);

    const [found, ...others] = events(api);
    expect(others).toEqual([]);
    expect(found?.seen).toEqual([`push:${delivered.commit.sha}`, `push:${lost.commit.sha}`]);
    expect(found?.issue.assignees).toEqual(["bob", "carol"]);
    const [comment] = commentsOn(gh, api, found?.issue.number as number);
    expect(comment?.body).toContain(
      `carol pushed 1 commit (${lost.commit.sha.slice(0, 7)}) directly to main`,
    );
  });

  it("reports a force push that dropped the head the sweep saw last", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    const root = api.branches.get("main") as string;
    const carol = gh.fake.seedPullRequest(api, {
      title: "feat: add b",
      author: "carol",
      head: "feat/b",
      commits: [{ message: "feat: add b", author: "carol", files: { "src/b.ts": "b\n" } }],
    });
    gh.fake.seedReview(api, carol.number, { author: "dave", state: "APPROVED" });
    const merged = mergeAfterRulebook(gh, api, carol, "dave", "success");
    await gh.deliver("push", merged.event);
    await sweep(gh);
    expect(events(api)).toEqual([]);

    // bob rewrites main over carol's merge; the webhook is lost.
    const rewritten = gh.fake.seedCommit(api, {
      message: "fix: c",
      author: "bob",
      parents: [root],
      branch: "main",
      files: { "src/c.ts": "c\n" },
    });
    await sweep(gh);

    const [found, ...others] = events(api);
    expect(others).toEqual([]);
    expect([found?.standard, found?.seen]).toEqual(["no-direct-push", [`push:${rewritten.sha}`]]);
    expect(found?.issue.body).toContain("- **Event:** `push (forced), found by the sweep`");
    expect(found?.issue.body).toContain(
      `bob force-pushed to main (${merged.merge.sha.slice(0, 7)}..${rewritten.sha.slice(0, 7)}), replacing its history`,
    );
  });

  it("reports a self-merge while the rulebook check was red, from the merge commit's pull request", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/a.ts": "a\n" } });
    await sweep(gh);
    const pr = gh.fake.seedPullRequest(api, {
      title: "feat: add b",
      author: "carol",
      head: "feat/b",
      commits: [{ message: "feat: add b", author: "carol", files: { "src/b.ts": "b\n" } }],
    });
    const { merge, event } = mergeAfterRulebook(gh, api, pr, "carol", "failure");

    await sweep(gh);

    const key = `push:${merge.sha}`;
    expect(
      events(api)
        .map((e) => [e.standard, e.seen, e.issue.assignees])
        .sort(),
    ).toEqual([
      ["no-bypass", [key], ["carol"]],
      ["no-self-merge", [key], ["carol"]],
    ]);
    // The pull request's own commit came with its merge: no direct push is reported for it.
    await gh.deliver("push", event);
    expect(events(api).map((e) => e.count)).toEqual([1, 1]);
  });
});
