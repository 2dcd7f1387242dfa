/**
 * Sweeps: when the app is installed (and on every scheduled run) each repository is judged against the
 * bundle, drift becomes RTFM issues that close once fixed, open pull requests that lost their webhook
 * get their check, and one dashboard issue in the central repository is rewritten in place.
 */
import { describe, expect, it } from "@jest/globals";
import { rtfmState } from "../../src/publish/rtfm.js";
import { GRAPHQL_ROUTE, type RepoState } from "../fake-github/index.js";
import { installationCreatedEvent, pushEvent, rulesetEvent } from "../fake-github/push.js";
import * as render from "../fake-github/render.js";
import type { RulesetState } from "../fake-github/state.js";
import { compliantRepoFiles, protectRepo } from "../support/compliant-repo.js";
import { APP_ID, type AppHarness } from "../support/github.js";
import { commentsOn, mergeAfterRulebook, NOW, startConfiguredApp } from "../support/scenario.js";

const ORG_BUNDLE = {
  "standards/rulebook.yml": [
    'version: "acme-7"',
    "extends: default",
    "waivers:",
    "  - repository: acme/web",
    "    standard: codeowners",
    '    owner: "@acme/web-leads"',
    "    reason: Ownership moves to the new web team in January.",
    "    expires: 2027-01-31",
    "",
  ].join("\n"),
};

/** Repositories of acme that GraphQL queries named (those whose query holds `holding`, when given). */
function readByGraphQL(gh: AppHarness, holding = ""): string[] {
  const names = gh.fake.requests.all.flatMap((r) =>
    r.query?.includes(holding)
      ? [...r.query.matchAll(/repository\(owner: "acme", name: "([^"]+)"\)/g)].map((m) => m[1] as string)
      : [],
  );
  return [...new Set(names)];
}

/** The files `api` lacks: its drift. */
const DRIFTED = [".github/pull_request_template.md", ".github/CODEOWNERS", "SECURITY.md"];

/** acme: a compliant `.github` (holding the bundle) and `web`, and `api` with some files and no rulesets. */
function seedOrg(gh: AppHarness) {
  const files = compliantRepoFiles();
  const pick = (keep: (path: string) => boolean) =>
    Object.fromEntries(Object.entries(files).filter(([path]) => keep(path)));
  const central = gh.fake.seedRepo({
    owner: "acme",
    name: ".github",
    visibility: "public",
    files: { ...files, ...ORG_BUNDLE },
  });
  const web = gh.fake.seedRepo({ owner: "acme", name: "web", visibility: "public", files });
  const api = gh.fake.seedRepo({
    owner: "acme",
    name: "api",
    visibility: "public",
    files: pick((path) => !DRIFTED.includes(path)),
  });
  protectRepo(gh.fake, central);
  protectRepo(gh.fake, web);
  return { central, web, api, missing: pick((path) => DRIFTED.includes(path)) };
}

/** acme installs the app on all its repositories. */
function installationCreated(gh: AppHarness) {
  return installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo-admin");
}

/** Titles of a repository's open drift issues. */
function openDrift(repo: RepoState) {
  return [...repo.issues.values()]
    .filter((issue) => issue.state === "open" && rtfmState(issue.body)?.kind === "drift")
    .map((issue) => issue.title);
}

function dashboards(central: RepoState) {
  return [...central.issues.values()].filter((issue) => issue.labels.includes("rulebook-dashboard"));
}

describe("sweeping an installation", () => {
  it("opens drift issues for the drifted repository only and writes the dashboard", async () => {
    const gh = await startConfiguredApp();
    const { central, web, api } = seedOrg(gh);

    await gh.deliver("installation", installationCreated(gh));

    expect(openDrift(central)).toEqual([]);
    expect(openDrift(web)).toEqual([]);
    expect(openDrift(api)).toEqual([
      "RTFM: The default branch is protected by a ruleset in acme/api",
      "RTFM: Every file has a code owner in acme/api",
      "RTFM: Repositories carry the organization's pull request template in acme/api",
      "RTFM: Release tags cannot be moved or deleted in acme/api",
      "RTFM: Public repositories say how to report a vulnerability in acme/api",
    ]);
    const [dashboard, ...more] = dashboards(central);
    expect(more).toEqual([]);
    const body = dashboard?.body ?? "";
    expect(dashboard?.title).toBe("Rulebook compliance dashboard");
    expect(dashboard?.labels).toEqual(["rulebook-dashboard"]);
    expect(body.split("\n").slice(0, 4)).toEqual([
      '<!-- rulebook:dashboard {"v":1} -->',
      "# Rulebook compliance dashboard",
      "",
      `Bundle \`acme/.github:standards\` at \`acme-7\` · swept ${NOW} · 3 repositories, 1 failing.`,
    ]);
    expect(body).toContain(
      [
        "| Standard | Pass | Fail | Waived | N/A | Not evaluated |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        "| `pr-template` | 2 | 1 | 0 | 0 | 0 |",
        "| `issue-templates` | 3 | 0 | 0 | 0 | 0 |",
        "| `codeowners` | 1 | 1 | 1 | 0 | 0 |",
        "| `license` | 3 | 0 | 0 | 0 | 0 |",
        "| `security-policy` | 2 | 1 | 0 | 0 | 0 |",
        "| `branch-protection` | 2 | 1 | 0 | 0 | 0 |",
        "| `release-tag-protection` | 2 | 1 | 0 | 0 | 0 |",
        "",
        "Judged on pull requests and pushes, in their `rulebook` check runs and RTFM issues: `conventional-commits`, `pr-title`, `pr-body`, `branch-name`, `no-hidden-test-skips`, `no-deleted-tests`, `validation-complete`, `guarded-paths`, `no-direct-push`, `no-self-merge`, `no-bypass`.",
      ].join("\n"),
    );
    expect(body).toContain(
      [
        "| acme/.github | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ |",
        "| acme/api | ❌ | ✅ | ❌ | ✅ | ❌ | ❌ | ❌ |",
        "| acme/web | ✅ | ✅ | 🟡 | ✅ | ✅ | ✅ | ✅ |",
      ].join("\n"),
    );
    expect(body).toContain(
      [
        "## Open RTFM issues",
        "",
        "- [acme/api#1](https://github.com/acme/api/issues/1) `branch-protection`",
        "- [acme/api#2](https://github.com/acme/api/issues/2) `codeowners`",
        "- [acme/api#3](https://github.com/acme/api/issues/3) `pr-template`",
        "- [acme/api#4](https://github.com/acme/api/issues/4) `release-tag-protection`",
        "- [acme/api#5](https://github.com/acme/api/issues/5) `security-policy`",
      ].join("\n"),
    );
    expect(body).toContain(
      "| acme/web | `codeowners` | @acme/web-leads | 2027-01-31 | active | Ownership moves to the new web team in January. |",
    );
  });

  it("closes the drift issues once the drift is fixed and rewrites the dashboard in place", async () => {
    const gh = await startConfiguredApp();
    const { central, api, missing } = seedOrg(gh);
    await gh.deliver("installation", installationCreated(gh));
    const drift = [...api.issues.values()].map((issue) => issue.number);
    const [written] = dashboards(central);

    // The fix lands as a reviewed pull request; an admin applies the rulesets from the bundle.
    const pr = gh.fake.seedPullRequest(api, {
      title: "chore: add the org's files",
      author: "carol",
      head: "chore/org-files",
      commits: [{ message: "chore: add the org's files", author: "carol", files: missing }],
    });
    gh.fake.seedReview(api, pr.number, { author: "dave", state: "APPROVED" });
    const { event } = mergeAfterRulebook(gh, api, pr, "dave", "success");
    protectRepo(gh.fake, api);
    await gh.deliver("push", event);

    expect(openDrift(api)).toEqual([]);
    for (const number of drift) {
      const comments = commentsOn(gh, api, number);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body).toMatch(
        new RegExp(
          `^Resolved: \`[a-z-]+\` is met as of the sweep at ${NOW.replaceAll(".", "\\.")} \\(bundle acme-7\\)\\. Closing\\.$`,
        ),
      );
      expect(api.issues.get(number)?.state).toBe("closed");
    }

    const [dashboard, ...more] = dashboards(central);
    expect(more).toEqual([]);
    expect(dashboard?.number).toBe(written?.number);
    expect(dashboard?.body).toContain("3 repositories, 0 failing.");
    expect(dashboard?.body).toContain(
      [
        "| acme/.github | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ |",
        "| acme/api | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ |",
        "| acme/web | ✅ | ✅ | 🟡 | ✅ | ✅ | ✅ | ✅ |",
      ].join("\n"),
    );
    expect(dashboard?.body).toContain("## Open RTFM issues\n\nNone.");
  });

  it("heals a pull request whose webhook was lost by giving it a rulebook check", async () => {
    const gh = await startConfiguredApp();
    const { api } = seedOrg(gh);
    const pr = gh.fake.seedPullRequest(api, {
      title: "feat: add search",
      author: "carol",
      head: "feat/search",
      commits: [{ message: "feat: add search", author: "carol", files: { "src/search.ts": "export {};\n" } }],
    });

    await gh.deliver("installation", installationCreated(gh));

    expect(gh.fake.checkRuns(api, { headSha: pr.head.sha }).map((run) => [run.name, run.appId])).toEqual([
      ["rulebook", APP_ID],
    ]);
    const line = gh.logs.find((log) => log.msg === "sweep done" && log.event === "installation.created");
    expect([line?.swept, line?.failing, line?.healed]).toEqual([3, 1, 1]);
  });

  it("sweeps past RTFM issues whose markers a member edited, opening no duplicates", async () => {
    const gh = await startConfiguredApp();
    const { api } = seedOrg(gh);
    await gh.deliver("installation", installationCreated(gh));
    const before = openDrift(api);
    for (const issue of api.issues.values()) {
      issue.body = (issue.body ?? "").replace(/,"seen":\[[^\]]*\]/, "");
    }
    // A new head, so the sweep judges the repository again rather than skip it as unchanged.
    gh.fake.seedCommit(api, { message: "docs: note", author: "bob", files: { "NOTES.md": "notes\n" } });

    await gh.deliver("installation", installationCreated(gh));

    expect(openDrift(api)).toEqual(before);
    // The pushed commit is a direct push, an incident of its own; drift issues are not duplicated.
    const drift = [...api.issues.values()].filter((issue) => {
      const kind = rtfmState(issue.body)?.kind;
      return issue.labels.includes("rtfm") && kind !== "event";
    });
    expect(drift).toHaveLength(before.length);
  });

  it("sweeps only the repository named by repository and repository_ruleset events", async () => {
    const gh = await startConfiguredApp();
    const { central, web, api } = seedOrg(gh);
    await gh.deliver("installation", installationCreated(gh));
    const [dashboard] = dashboards(central);
    const touched = () =>
      [
        ...new Set([
          ...gh.fake.requests.all.flatMap((r) => /^\/repos\/acme\/([^/]+)\//.exec(r.path)?.[1] ?? []),
          ...readByGraphQL(gh),
        ]),
      ].sort();

    gh.fake.requests.reset();
    web.description = "The web front end";
    await gh.deliver("repository", {
      action: "edited",
      changes: { description: { from: null } },
      repository: render.repository(gh.fake.state, web),
      organization: render.organization(gh.fake.state, "acme"),
      sender: render.user(gh.fake.state, "octo-admin"),
    });
    // The central repository is read for the bundle and to rewrite the dashboard, nothing else.
    expect(touched()).toEqual([".github", "web"]);
    expect(
      gh.fake.requests.all.filter((r) => r.path.startsWith("/repos/acme/.github/")).map((r) => r.route),
    ).toEqual(["GET /repos/{owner}/{repo}/issues"]);

    gh.fake.requests.reset();
    const ruleset = protectRepo(gh.fake, api);
    await gh.deliver("repository_ruleset", rulesetEvent(gh.fake, ruleset, "created", "octo-admin"));
    expect(touched()).toEqual([".github", "api"]);
    expect(openDrift(api)).toEqual([
      "RTFM: Every file has a code owner in acme/api",
      "RTFM: Repositories carry the organization's pull request template in acme/api",
      "RTFM: Public repositories say how to report a vulnerability in acme/api",
    ]);
    const [rewritten, ...more] = dashboards(central);
    expect(more).toEqual([]);
    expect(rewritten?.number).toBe(dashboard?.number);
    expect(rewritten?.body).toContain("| acme/api | ❌ | ✅ | ❌ | ✅ | ❌ | ✅ | ✅ |");
    expect(rewritten?.body).toContain("| acme/web | ✅ | ✅ | 🟡 | ✅ | ✅ | ✅ | ✅ |");
  });

  it("sweeps at most RULEBOOK_SWEEP_CONCURRENCY repositories at once", async () => {
    const gh = await startConfiguredApp({ RULEBOOK_SWEEP_CONCURRENCY: "2" });
    seedOrg(gh);
    for (const name of ["cli", "docs", "infra"])
      gh.fake.seedRepo({ owner: "acme", name, visibility: "public" });
    // Facts are read many repositories per query; each repository's own sweep then heals its open pull
    // request: from the first of those requests to the last, the repository is being swept.
    for (const repo of gh.fake.state.repos.values()) {
      gh.fake.seedPullRequest(repo, { head: "feat/x", commits: [{ files: { "x.ts": "x\n" } }] });
    }
    const SWEEP_ROUTES = new Set([
      "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
      "GET /repos/{owner}/{repo}/pulls/{pull_number}",
      "POST /repos/{owner}/{repo}/check-runs",
    ]);
    gh.fake.faults.inject("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { delayMs: 5 });

    await gh.deliver("installation", installationCreated(gh));

    const spans = new Map<string, [number, number]>();
    gh.fake.requests.all.forEach((request, index) => {
      const repo = /^\/repos\/acme\/([^/]+)\//.exec(request.path)?.[1];
      if (!repo || !SWEEP_ROUTES.has(request.route ?? "")) return;
      const [first = index] = spans.get(repo) ?? [];
      spans.set(repo, [first, index]);
    });
    expect(spans.size).toBe(6);
    const overlapping = [...spans.values()].map(
      ([first]) => [...spans.values()].filter(([start, end]) => start <= first && first <= end).length,
    );
    expect(Math.max(...overlapping)).toBe(2);
  });

  it("writes nothing when a sweep finds what the last one found", async () => {
    const gh = await startConfiguredApp();
    seedOrg(gh);
    await gh.deliver("installation", installationCreated(gh));

    gh.fake.requests.reset();
    await gh.deliver("installation", installationCreated(gh));

    // GraphQL queries only read (the fake refuses mutations).
    expect(
      gh.fake.requests.all.filter((r) => r.method !== "GET" && r.route !== GRAPHQL_ROUTE).map((r) => r.route),
    ).toEqual([]);
  });

  it("records an organization ruleset edited by hand in the central repository and sweeps every repository", async () => {
    const gh = await startConfiguredApp();
    const { central } = seedOrg(gh);
    await gh.deliver("installation", installationCreated(gh));
    const ruleset = gh.fake.seedRuleset({
      org: "acme",
      name: "org default branch",
      rules: [{ type: "deletion" }],
    });

    gh.fake.requests.reset();
    await gh.deliver("repository_ruleset", {
      ...rulesetEvent(gh.fake, ruleset, "edited", "eve"),
      changes: { enforcement: { from: "disabled" } },
    });

    const [incident, ...others] = [...central.issues.values()].filter(
      (issue) => rtfmState(issue.body)?.kind === "event",
    );
    expect(others).toEqual([]);
    expect([incident?.title, incident?.assignees]).toEqual([
      "RTFM: The default branch is protected by a ruleset in acme/.github",
      ["eve"],
    ]);
    expect(incident?.body).toContain(
      `- **Found:** Ruleset "org default branch" (id ${ruleset.id}, branch, active) was edited by @eve outside the bundle: changed: enforcement.`,
    );
    // Every repository's rulesets are read again, with their rules.
    expect(readByGraphQL(gh, "rules(first:").sort()).toEqual([".github", "api", "web"]);
  });

  it("closes the drift issues of standards the bundle no longer has", async () => {
    const gh = await startConfiguredApp();
    const { central, api } = seedOrg(gh);
    await gh.deliver("installation", installationCreated(gh));
    const drift = [...api.issues.values()];
    expect(drift).toHaveLength(5);

    // The org stops extending the default bundle and keeps only its license standard.
    const before = central.branches.get("main") as string;
    const commit = gh.fake.seedCommit(central, {
      message: "feat(standards): keep only the license standard",
      author: "octo-admin",
      files: {
        "standards/rulebook.yml": [
          'version: "acme-8"',
          "standards:",
          "  license:",
          "    title: Repositories carry a license",
          "    rule: required-file",
          "    severity: error",
          "    options:",
          "      file: LICENSE",
          "    rationale: Code without a license cannot be used.",
          "    remediation: Add the org's LICENSE.",
          "",
        ].join("\n"),
        "standards/docs/license.md": "# license\n",
      },
    });
    await gh.deliver(
      "push",
      pushEvent(gh.fake, central, { before, after: commit.sha, pusher: "octo-admin" }),
    );

    for (const issue of drift) {
      const standard = rtfmState(issue.body)?.standard;
      expect([standard, issue.state]).toEqual([standard, "closed"]);
      expect(commentsOn(gh, api, issue.number).map((c) => c.body)).toEqual([
        `Resolved: \`${standard}\` is no longer a standard of the bundle (acme-8), as of the sweep at ${NOW}. Closing.`,
      ]);
    }
  });
});
