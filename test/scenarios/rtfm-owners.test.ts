/**
 * Every RTFM issue names whom to ask: the CODEOWNERS owners of what it is about (of `*` when it is
 * about no file), and the owners the org bundle names for the repository's profile. Owners who can be
 * assigned in the repository are assigned; teams and the rest are mentioned.
 */
import { describe, expect, it } from "@jest/globals";
import { readDriftState } from "../../src/publish/drift.js";
import { rtfmState } from "../../src/publish/rtfm.js";
import type { RepoState } from "../fake-github/index.js";
import { installationCreatedEvent, pushEvent } from "../fake-github/push.js";
import type { AppHarness } from "../support/github.js";
import { seedCentralRepo, startConfiguredApp } from "../support/scenario.js";

function issueFor(repo: RepoState, standard: string) {
  return [...repo.issues.values()].find((issue) => rtfmState(issue.body)?.standard === standard);
}

/** The repository's one drift issue. */
function driftIssueOf(repo: RepoState) {
  return [...repo.issues.values()].find((issue) => readDriftState(issue.body));
}

/** bob commits straight onto main and GitHub sends the push. */
async function directPush(gh: AppHarness, repo: RepoState) {
  const before = repo.branches.get("main") as string;
  const commit = gh.fake.seedCommit(repo, { message: "fix: b", author: "bob", files: { "src/b.ts": "b\n" } });
  await gh.deliver("push", pushEvent(gh.fake, repo, { before, after: commit.sha, pusher: "bob" }));
}

describe("owners on RTFM issues", () => {
  it("assigns the catch-all code owners who have access and mentions every owner", async () => {
    const gh = await startConfiguredApp();
    const api = gh.fake.seedRepo({
      owner: "acme",
      name: "api",
      files: { ".github/CODEOWNERS": "* @acme/maintainers @carol @dave\nsrc/ @erin\n" },
      // dave left the company: he keeps his mention, but cannot be assigned.
      collaborators: ["carol", "erin"],
    });

    await directPush(gh, api);

    const issue = issueFor(api, "no-direct-push");
    expect(issue?.assignees).toEqual(["bob", "carol"]);
    expect(issue?.body?.split("\n").slice(1, 4)).toEqual([
      "The standard **Changes reach the default branch through pull requests** (`no-direct-push`, error) was broken in `acme/api`.",
      "",
      "Owners: @acme/maintainers @carol @dave",
    ]);
  });

  it("names the owners the org bundle gives a profile, with the code owners of the affected file", async () => {
    const gh = await startConfiguredApp();
    seedCentralRepo(gh, {
      "standards/rulebook.yml": [
        "extends: default",
        "profiles:",
        "  all:",
        '    owners: ["@acme/platform"]',
        "  payments:",
        '    repositories: ["pay-*"]',
        '    owners: ["@acme/payments", "@gina"]',
        "standards:",
        "  pr-template:",
        "    profiles: [all, payments]",
        "",
      ].join("\n"),
    });
    const pay = gh.fake.seedRepo({
      owner: "acme",
      name: "pay-api",
      files: { CODEOWNERS: "* @acme/maintainers\n/.github/ @hank\n" },
      collaborators: ["gina", "hank"],
    });

    await gh.deliver(
      "installation",
      installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo-admin"),
    );

    // The drift issue lists several standards: the catch-all owners for those about no file (rulesets),
    // the owners of .github/ for the templates, and the owners of the profiles that select the repository.
    const issue = driftIssueOf(pay);
    expect(issue?.body).toContain("Owners: @acme/maintainers @hank @acme/platform @acme/payments @gina\n");
    expect(issue?.assignees).toEqual(["hank", "gina"]);
    // A repository no profile with owners selects, and no CODEOWNERS: the bundle's owners of `all` only.
    const web = gh.fake.seedRepo({ owner: "acme", name: "web", collaborators: [] });
    await gh.deliver(
      "installation",
      installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo-admin"),
    );
    expect(driftIssueOf(web)?.body).toContain("Owners: @acme/platform\n");
    expect(driftIssueOf(web)?.assignees).toEqual([]);
  });
});
