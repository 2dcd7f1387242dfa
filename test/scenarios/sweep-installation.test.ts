/**
 * Sweeps: when the app is installed (and on every scheduled run) each repository is judged against the
 * bundle, drift becomes RTFM issues that close once fixed, open pull requests that lost their webhook
 * get their check, and one dashboard issue in the central repository is rewritten in place.
 */
import { describe, expect, it } from "@jest/globals";
import { readDriftState } from "../../src/publish/drift.js";
import { writeMarker } from "../../src/publish/markers.js";
import { rtfmState } from "../../src/publish/rtfm.js";
import { GRAPHQL_ROUTE, type RepoState } from "../fake-github/index.js";
import { installationCreatedEvent, pushEvent, rulesetEvent } from "../fake-github/push.js";
import * as render from "../fake-github/render.js";
import type { RulesetState } from "../fake-github/state.js";
import { compliantRepoFiles, protectRepo } from "../support/compliant-repo.js";
import { APP_ID, type AppHarness, webUrlUnderTest } from "../support/github.js";
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

/** The task-list items of a drift issue's body: the standards it lists, open or ticked. */
function tasks(body: string | null | undefined, ticked: boolean): string[] {
  const mark = ticked ? "x" : " ";
  return [...(body ?? "").matchAll(/^- \[( |x)\] `([a-z0-9-]+)`/gm)].flatMap((m) =>
    m[1] === mark ? [m[2] as string] : [],
  );
}

/** A repository's open drift issues: title, and the standards each lists as open and as ticked tasks. */
function openDrift(repo: RepoState) {
  return [...repo.issues.values()]
    .filter((issue) => issue.state === "open" && readDriftState(issue.body))
    .map((issue) => ({
      title: issue.title,
      open: tasks(issue.body, false),
      ticked: tasks(issue.body, true),
    }));
}

/** Every drift issue of a repository, open or closed. */
function driftIssues(repo: RepoState) {
  return [...repo.issues.values()].filter((issue) => readDriftState(issue.body));
}

const API_DRIFT = "RTFM: acme/api drifts from the organization's standards";
/** What acme/api lacks, as its drift issue lists it. */
const API_FAILING = [
  "branch-protection",
  "codeowners",
  "pr-template",
  "release-tag-protection",
  "security-policy",
];

function dashboards(central: RepoState) {
  return [...central.issues.values()].filter((issue) => issue.labels.includes("rulebook-dashboard"));
}

describe("sweeping an installation", () => {
  it("opens one drift issue for the drifted repository, a task per failing standard, and writes the dashboard", async () => {
    const gh = await startConfiguredApp();
    const { central, web, api } = seedOrg(gh);

    await gh.deliver("installation", installationCreated(gh));

    expect(openDrift(central)).toEqual([]);
    expect(openDrift(web)).toEqual([]);
    expect(openDrift(api)).toEqual([{ title: API_DRIFT, open: API_FAILING, ticked: [] }]);
    const [issue] = driftIssues(api);
    expect(issue?.labels).toEqual(["rtfm"]);
    // A section per standard, with why, what was found and how to fix it; drift asks nobody to pause.
    for (const id of API_FAILING) expect(issue?.body).toContain(`### \`${id}\` — `);
    expect(issue?.body).toContain(
      "**Found at `.github/pull_request_template.md`:** `.github/pull_request_template.md` is missing",
    );
    expect(issue?.body).toContain(
      "**How to fix:** Copy templates/pull_request_template.md from the central bundle",
    );
    expect(issue?.body).not.toContain("Pause");
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
        "Judged on pull requests and pushes, in their `rulebook` check runs and RTFM issues: `conventional-commits`, `pr-title`, `pr-body`, `branch-name`, `no-hidden-test-skips`, `no-excluded-tests`, `no-deleted-tests`, `validation-complete`, `tests-can-fail`, `guarded-paths`, `no-direct-push`, `no-self-merge`, `no-bypass`.",
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
        `- [acme/api#1](${webUrlUnderTest()}/acme/api/issues/1) \`branch-protection\`, \`codeowners\`, \`pr-template\`, \`release-tag-protection\`, \`security-policy\``,
      ].join("\n"),
    );
    expect(body).toContain(
      "| acme/web | `codeowners` | `@acme/web-leads` | 2027-01-31 | active | Ownership moves to the new web team in January. |",
    );
  });

  it("ticks each task as its standard is fixed, and closes the issue when all are", async () => {
    const gh = await startConfiguredApp();
    const { central, api, missing } = seedOrg(gh);
    await gh.deliver("installation", installationCreated(gh));
    const [drift] = driftIssues(api);
    const [written] = dashboards(central);

    // An admin applies the rulesets from the bundle: two tasks are ticked, the issue stays open.
    const ruleset = protectRepo(gh.fake, api);
    await gh.deliver("repository_ruleset", rulesetEvent(gh.fake, ruleset, "created", "octo-admin"));
    expect(openDrift(api)).toEqual([
      {
        title: API_DRIFT,
        open: ["codeowners", "pr-template", "security-policy"],
        ticked: ["branch-protection", "release-tag-protection"],
      },
    ]);
    expect(drift?.body).toContain(
      `- [x] \`branch-protection\` The default branch is protected by a ruleset (met)`,
    );
    expect(drift?.body).toContain(`Fixed: met as of the sweep at ${NOW}.`);
    expect(commentsOn(gh, api, drift?.number ?? 0)).toEqual([]);

    // The files land as a reviewed pull request: every task is ticked, and the issue closes saying so.
    const pr = gh.fake.seedPullRequest(api, {
      title: "chore: add the org's files",
      author: "carol",
      head: "chore/org-files",
      commits: [{ message: "chore: add the org's files", author: "carol", files: missing }],
    });
    gh.fake.seedReview(api, pr.number, { author: "dave", state: "APPROVED" });
    const { event } = mergeAfterRulebook(gh, api, pr, "dave", "success");
    await gh.deliver("push", event);

    expect(openDrift(api)).toEqual([]);
    expect(driftIssues(api).map((issue) => [issue.number, issue.state])).toEqual([[drift?.number, "closed"]]);
    expect(tasks(drift?.body, true)).toEqual(API_FAILING);
    expect(commentsOn(gh, api, drift?.number ?? 0).map((c) => c.body)).toEqual([
      `Resolved: no standard it listed fails as of the sweep at ${NOW} (bundle \`acme-7\`). Closing.`,
    ]);

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

  it("sweeps past a drift issue whose marker a member edited, opening no duplicate", async () => {
    const gh = await startConfiguredApp();
    const { api } = seedOrg(gh);
    await gh.deliver("installation", installationCreated(gh));
    const before = openDrift(api);
    for (const issue of api.issues.values()) {
      issue.body = (issue.body ?? "").replace(/"items":\[[^\]]*\]/, '"items":"edited"');
    }
    // A new head, so the sweep judges the repository again rather than skip it as unchanged.
    gh.fake.seedCommit(api, { message: "docs: note", author: "bob", files: { "NOTES.md": "notes\n" } });

    await gh.deliver("installation", installationCreated(gh));

    expect(openDrift(api)).toEqual(before);
    // The pushed commit is a direct push, an incident of its own; the drift issue is not duplicated.
    expect(driftIssues(api)).toHaveLength(1);
    expect(readDriftState(driftIssues(api)[0]?.body)?.items.map((item) => item.standard)).toEqual(
      API_FAILING,
    );
  });

  it("closes the drift issues of the old kind, one per standard, in favour of the repository's one issue", async () => {
    const gh = await startConfiguredApp();
    const { api } = seedOrg(gh);
    const legacy = (standard: string) =>
      gh.fake.seedIssue(api, {
        byApp: true,
        title: `RTFM: ${standard} in acme/api`,
        labels: ["rtfm"],
        body: `${writeMarker("rtfm", { repository: "acme/api", standard, kind: "drift", count: 1, seen: ["drift:0"] })}\nOld drift.`,
      });
    const codeowners = legacy("codeowners");
    const license = legacy("license");

    await gh.deliver("installation", installationCreated(gh));

    const [drift, ...more] = driftIssues(api);
    expect(more).toEqual([]);
    expect(openDrift(api)).toEqual([{ title: API_DRIFT, open: API_FAILING, ticked: [] }]);
    expect([codeowners.state, license.state]).toEqual(["closed", "closed"]);
    expect(commentsOn(gh, api, codeowners.number).map((c) => c.body)).toEqual([
      `Rulebook now keeps one drift issue per repository: \`codeowners\` is tracked in #${drift?.number} with every other standard this repository drifts from. Closing in favour of it.`,
    ]);
    expect(commentsOn(gh, api, license.number).map((c) => c.body)).toEqual([
      `Rulebook now keeps one drift issue per repository, and \`license\` no longer fails here as of the sweep at ${NOW} (bundle \`acme-7\`). Closing.`,
    ]);
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
      {
        title: API_DRIFT,
        open: ["codeowners", "pr-template", "security-policy"],
        ticked: ["branch-protection", "release-tag-protection"],
      },
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
      `- **Found:** Ruleset "org default branch" (id ${ruleset.id}, branch, active) was edited by @\u200deve outside the bundle: changed: enforcement.`,
    );
    // Every repository's rulesets are read again, with their rules.
    expect(readByGraphQL(gh, "rules(first:").sort()).toEqual([".github", "api", "web"]);
  });

  it("ticks the tasks of standards the bundle no longer has, and closes the issue", async () => {
    const gh = await startConfiguredApp();
    const { central, api } = seedOrg(gh);
    await gh.deliver("installation", installationCreated(gh));
    const [drift] = driftIssues(api);
    expect(tasks(drift?.body, false)).toHaveLength(5);

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

    expect(drift?.state).toBe("closed");
    expect(tasks(drift?.body, true)).toEqual(API_FAILING);
    expect(drift?.body).toContain(
      "- [x] `codeowners` Every file has a code owner (no longer a standard of the bundle)",
    );
    expect(commentsOn(gh, api, drift?.number ?? 0).map((c) => c.body)).toEqual([
      `Resolved: no standard it listed fails as of the sweep at ${NOW} (bundle \`acme-8\`). Closing.`,
    ]);
  });
});

describe("issues a sweep did not write", () => {
  /** The drift marker of acme/api listing `items`. */
  const driftMarker = (items: Array<{ standard: string; title: string; since: string }>) =>
    writeMarker("drift", { repository: "acme/api", items });
  const warnings = (gh: AppHarness) => gh.logs.filter((l) => l.level === 40).map((l) => l.msg);
  const byApp = (repo: RepoState) => [...repo.issues.values()].filter((i) => i.user === "rulebook[bot]");

  it("leaves a person's drift issue with a copied marker alone and opens its own", async () => {
    const gh = await startConfiguredApp();
    const { api } = seedOrg(gh);
    const forged = gh.fake.seedIssue(api, {
      author: "mallory",
      title: API_DRIFT,
      labels: ["rtfm"],
      body: `${driftMarker([])}\nNothing drifts here.`,
    });
    const forgedBody = forged.body;

    await gh.deliver("installation", installationCreated(gh));

    expect([forged.body, forged.state, commentsOn(gh, api, forged.number)]).toEqual([forgedBody, "open", []]);
    const [drift, ...more] = byApp(api);
    expect(more).toEqual([]);
    expect([drift?.title, tasks(drift?.body, false)]).toEqual([API_DRIFT, API_FAILING]);
    expect(warnings(gh)).toContain(
      `ignoring acme/api#${forged.number}, which carries Rulebook's label: it was opened by @mallory, not by rulebook[bot]`,
    );
  });

  it("never edits a person's dashboard issue: it writes its own", async () => {
    const gh = await startConfiguredApp();
    const { central } = seedOrg(gh);
    const forged = gh.fake.seedIssue(central, {
      author: "mallory",
      title: "Rulebook compliance dashboard",
      labels: ["rulebook-dashboard"],
      body: '<!-- rulebook:dashboard {"v":1} -->\n# Everything is compliant',
    });
    const forgedBody = forged.body;

    await gh.deliver("installation", installationCreated(gh));

    expect(forged.body).toBe(forgedBody);
    const [dashboard, ...more] = dashboards(central).filter((issue) => issue !== forged);
    expect(more).toEqual([]);
    expect([dashboard?.user, dashboard?.viaApp]).toEqual(["rulebook[bot]", APP_ID]);
    expect(dashboard?.body).toContain("3 repositories, 1 failing.");
  });

  it("ignores a person's issue in the probe of a warm sweep, writing nothing", async () => {
    const gh = await startConfiguredApp();
    const { central, api } = seedOrg(gh);
    await gh.deliver("installation", installationCreated(gh));
    const forged = gh.fake.seedIssue(api, {
      author: "mallory",
      title: API_DRIFT,
      labels: ["rtfm"],
      body: driftMarker([{ standard: "license", title: "Repositories carry a license", since: NOW }]),
    });

    gh.fake.requests.reset();
    await gh.deliver("installation", installationCreated(gh));

    // The second sweep read api's open issues through the probe only.
    expect(readByGraphQL(gh, 'issues(labels: ["rtfm"], states: [OPEN]')).toContain("api");
    expect(readByGraphQL(gh, 'issues(labels: ["rtfm"], first:')).not.toContain("api");
    expect(
      gh.fake.requests.all.filter((r) => r.method !== "GET" && r.route !== GRAPHQL_ROUTE).map((r) => r.route),
    ).toEqual([]);
    const [dashboard] = dashboards(central);
    expect(dashboard?.body).not.toContain(`acme/api#${forged.number}`);
    expect(warnings(gh)).toContain(
      `ignoring acme/api#${forged.number}, which carries Rulebook's label: it was opened by @mallory, not by rulebook[bot]`,
    );
  });

  it("does not keep the state a person edited into its drift issue's marker", async () => {
    const gh = await startConfiguredApp();
    const { api } = seedOrg(gh);
    await gh.deliver("installation", installationCreated(gh));
    const [drift] = byApp(api);
    const items = API_FAILING.map((standard) => ({ standard, title: standard, since: NOW }));
    // mallory adds a task for a standard acme/api never failed, so that it shows as fixed.
    const edited = (drift?.body ?? "").replace(
      /^<!-- rulebook:drift .* -->$/m,
      driftMarker([...items, { standard: "license", title: "Repositories carry a license", since: NOW }]),
    );
    gh.fake.editIssueBody(api, drift?.number ?? 0, { body: edited, editor: "mallory" });
    // A new head makes the sweep read api again, issues and who last edited them included.
    gh.fake.seedCommit(api, { message: "docs: add notes", files: { "NOTES.md": "notes\n" } });

    await gh.deliver("installation", installationCreated(gh));

    expect(drift?.body).not.toContain("`license`");
    expect(tasks(drift?.body, false)).toEqual(API_FAILING);
    expect(drift?.editor).toBe("rulebook[bot]");
    expect(warnings(gh)).toContain(
      `not trusting the hidden state of acme/api#${drift?.number}: @mallory edited its body after the app; it will be rewritten`,
    );
  });
});
