/**
 * `rulebook scan --org` against the fake GitHub, in-process: an organization seeded with a central bundle and
 * repositories that comply or drift, the CLI holding an installation token the fake minted, and stdout, stderr
 * and the exit status captured.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { defaultBundleDir, loadBundleDir } from "../../src/bundle/load.js";
import { renderProgress } from "../../src/cli/progress.js";
import { scan } from "../../src/cli/scan.js";
import type { Finding, Verdict } from "../../src/engine/verdict.js";
import { writeMarker } from "../../src/publish/markers.js";
import type { FakeGitHub, RepoState } from "../fake-github/index.js";
import { type CliRun, runCli } from "../support/cli.js";
import { NOW } from "../support/facts.js";
import { createFakeGitHub } from "../support/github.js";
import { validateVerdict } from "../support/verdict-schema.js";
import { DOCS, PR_TEMPLATE, RULEBOOK_YML, TempBundle } from "./bundle-fixture.js";

const TREES = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";

interface ScanDocument {
  schema: string;
  org: string;
  bundle: { source: string; version: string };
  repositories: Array<{ repository: string; verdict?: Verdict; error?: string }>;
}

/** Runs `rulebook` with the environment and `fetch` of a test; nothing is read from its cwd. */
function rulebook(
  argv: string[],
  io: { env: NodeJS.ProcessEnv; fetch?: typeof fetch; stderrIsTerminal?: boolean },
): Promise<CliRun> {
  return runCli(argv, { cwd: "/", ...io });
}

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

/** The test bundle, as the org keeps it: `standards/` in its `.github` repository. */
const CENTRAL_FILES = Object.fromEntries(
  Object.entries({
    "rulebook.yml": RULEBOOK_YML,
    "templates/pull_request_template.md": PR_TEMPLATE,
    ...DOCS,
  }).map(([path, content]) => [`standards/${path}`, content]),
);

/**
 * acme: the central `.github` repository (holding the bundle and itself compliant), `api` with the PR
 * template, `web` whose template lost its Validation section, and the archived `old` without any.
 */
function seedAcme(): { fake: FakeGitHub; env: NodeJS.ProcessEnv } {
  const fake = createFakeGitHub();
  central = fake.seedRepo({
    owner: "acme",
    name: ".github",
    files: { ...CENTRAL_FILES, ".github/pull_request_template.md": PR_TEMPLATE },
  });
  fake.seedRepo({ owner: "acme", name: "api", files: { ".github/pull_request_template.md": PR_TEMPLATE } });
  fake.seedRepo({
    owner: "acme",
    name: "web",
    files: { ".github/pull_request_template.md": "## Summary\n" },
  });
  fake.seedRepo({ owner: "acme", name: "old", archived: true });
  const installation = fake.seedInstallation({ account: "acme" });
  return { fake, env: { GITHUB_TOKEN: fake.installationToken(installation.id) } };
}

let central: RepoState | undefined;

/** The bundle's manual page of a standard, at the commit of the central repository the scan read. */
function pageOf(id: string): string {
  return `https://github.com/acme/.github/blob/${central?.branches.get("main")}/standards/docs/${id}.md`;
}

/** web's finding: its template lacks the Validation section. */
function webFinding(): Finding {
  return {
    standard: "pr-template",
    rule: "required-file",
    severity: "error",
    message:
      "`.github/pull_request_template.md` lacks the section `## Validation` of the canonical `templates/pull_request_template.md`",
    path: ".github/pull_request_template.md",
    line: 1,
    expected: "## Validation",
    found: "no such heading",
    remediation:
      "Add the heading `## Validation` to `.github/pull_request_template.md` after `## Summary`, with its content from `templates/pull_request_template.md` in the standards bundle.",
    docs: pageOf("pr-template"),
  };
}

function statusOf(verdict: Verdict | undefined, standard: string) {
  const result = verdict?.standards.find((s) => s.standard === standard);
  return result && { status: result.status, ...(result.reason ? { reason: result.reason } : {}) };
}

describe("rulebook scan --org", () => {
  it("judges every repository against the org's own bundle and prints rulebook.scan/v1 JSON", async () => {
    const { fake, env } = seedAcme();

    const run = await rulebook(["scan", "--org", "acme", "--format", "json"], { env, fetch: fake.fetch });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const document = JSON.parse(run.stdout) as ScanDocument;
    expect(Object.keys(document)).toEqual(["schema", "org", "bundle", "repositories"]);
    expect(document.schema).toBe("rulebook.scan/v1");
    expect(document.org).toBe("acme");
    expect(document.bundle).toEqual({ source: "acme/.github:standards", version: "test-1" });
    expect(document.repositories.map((r) => [r.repository, Object.keys(r)])).toEqual([
      ["acme/.github", ["repository", "verdict"]],
      ["acme/api", ["repository", "verdict"]],
      ["acme/old", ["repository", "verdict"]],
      ["acme/web", ["repository", "verdict"]],
    ]);
    const [central, api, old, web] = document.repositories.map((r) => r.verdict as Verdict);
    for (const verdict of [central, api, old, web]) {
      expect(validateVerdict(verdict)).toBe(true);
      expect(verdict?.bundle).toEqual(document.bundle);
      expect(verdict?.notEvaluated).toEqual([]);
    }
    expect(central?.findings).toEqual([]);
    expect(statusOf(central, "pr-template")).toEqual({ status: "pass" });
    expect(api?.findings).toEqual([]);
    expect(statusOf(api, "pr-template")).toEqual({ status: "pass" });
    // Archived repositories are judged as the profile says: `all` leaves them out.
    expect(old?.findings).toEqual([]);
    expect(statusOf(old, "pr-template")).toEqual({
      status: "not-applicable",
      reason: "profile all leaves archived repositories out",
    });
    expect(web?.findings).toEqual([webFinding()]);
    expect(statusOf(web, "pr-template")).toEqual({ status: "fail" });
    // Pull request standards have nothing to judge in a repository scan.
    expect(statusOf(web, "conventional-commits")).toEqual({
      status: "not-applicable",
      reason: "judged on pull requests, not on the repository",
    });
  });

  it("exits 0 once the drift is fixed, and changes nothing on GitHub", async () => {
    const { fake, env } = seedAcme();
    fake.seedCommit("acme/web", {
      message: "docs: restore the pull request template",
      files: { ".github/pull_request_template.md": PR_TEMPLATE },
    });

    const run = await rulebook(["scan", "--org", "acme", "--format", "json"], { env, fetch: fake.fetch });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(fake.requests.all.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("prints the compliance dashboard, then each failing repository's findings, as markdown by default", async () => {
    const { fake, env } = seedAcme();
    fake.seedIssue("acme/web", {
      title: "RTFM: Repositories carry the pull request template in acme/web",
      labels: ["rtfm"],
      body: `${writeMarker("rtfm", { repository: "acme/web", standard: "pr-template", kind: "drift", count: 1, seen: [] })}\nThe template lost a section.`,
    });

    const run = await rulebook(["scan", "--org", "acme"], { env, fetch: fake.fetch });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      '<!-- rulebook:dashboard {"v":1} -->',
      "# Rulebook compliance dashboard",
      "",
      `Bundle \`acme/.github:standards\` at \`test-1\` · swept ${NOW} · 4 repositories, 1 failing.`,
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        "Judged on pull requests and pushes, in their `rulebook` check runs and RTFM issues: `conventional-commits`, `no-hidden-test-skips`, `validation-complete`, `pr-title`.",
        "| `pr-template` | 2 | 1 | 0 | 1 | 0 |",
        "| acme/api | ✅ |",
        "| acme/old | · |",
        "| acme/web | ❌ |",
        "- [acme/web#1](https://github.com/acme/web/issues/1) `pr-template`",
      ]),
    );
    const details = run.stdout.slice(run.stdout.indexOf("## Findings by repository"));
    expect(details).toBe(
      [
        "## Findings by repository",
        "",
        "### acme/web",
        "",
        "```text",
        "error  pr-template  .github/pull_request_template.md:1",
        `  ${webFinding().message}`,
        "  expected: ## Validation",
        "  found:    no such heading",
        `  fix:      ${webFinding().remediation}`,
        `  docs:     ${pageOf("pr-template")}`,
        "",
        "rulebook: Blocked: 1 error, 0 warnings, 0 notices, 0 not evaluated (bundle acme/.github:standards test-1)",
        "```",
        "",
      ].join("\n"),
    );
  });

  it("uses --bundle DIR instead of the org's bundle", async () => {
    const { fake, env } = seedAcme();
    const bundle = TempBundle.create({ "templates/pull_request_template.md": "## Summary\n" });
    cleanup.push(() => bundle.remove());

    const run = await rulebook(["scan", "--org", "acme", "--format", "json", "--bundle", bundle.dir], {
      env,
      fetch: fake.fetch,
    });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as ScanDocument;
    expect(document.bundle).toEqual({ source: bundle.dir, version: "test-1" });
    expect(document.repositories.map((r) => r.verdict?.findings)).toEqual([[], [], [], []]);
    expect(fake.requests.count("GET /repos/{owner}/{repo}/commits")).toBe(0);
  });

  it("judges with the shipped default bundle when the org keeps none, and with --app judges pinned checks", async () => {
    const fake = createFakeGitHub();
    fake.seedRepo({ owner: "solo", name: "svc" });
    const env = { GITHUB_TOKEN: fake.installationToken(fake.seedInstallation({ account: "solo" }).id) };
    const shipped = await loadBundleDir(defaultBundleDir(), { now: NOW });
    if (!shipped.ok) throw new Error("the shipped bundle is invalid");

    const without = await rulebook(["scan", "--org", "solo", "--format", "json"], { env, fetch: fake.fetch });
    const withApp = await rulebook(["scan", "--org", "solo", "--format", "json", "--app", "rulebook"], {
      env,
      fetch: fake.fetch,
    });

    expect([without.code, without.stderr, withApp.code, withApp.stderr]).toEqual([1, "", 1, ""]);
    const before = JSON.parse(without.stdout) as ScanDocument;
    const after = JSON.parse(withApp.stdout) as ScanDocument;
    expect(before.bundle).toEqual({ source: "default", version: shipped.bundle.version });
    expect(before.repositories[0]?.verdict?.notEvaluated).toEqual([
      {
        standard: "branch-protection",
        reason:
          "requiredStatusChecks pins a check to this app (app: self), but these facts do not say which app this is (a scan does not know which app is Rulebook; pass its slug with `rulebook scan --app SLUG`)",
        severity: "error",
      },
    ]);
    expect(after.repositories[0]?.verdict?.notEvaluated).toEqual([]);
    const failing = (document: ScanDocument) =>
      document.repositories[0]?.verdict?.standards.filter((s) => s.status === "fail").map((s) => s.standard);
    expect(failing(before)).toEqual([
      "codeowners",
      "issue-templates",
      "pr-template",
      "release-tag-protection",
    ]);
    expect(failing(after)).toEqual([
      "branch-protection",
      "codeowners",
      "issue-templates",
      "pr-template",
      "release-tag-protection",
    ]);
    expect(
      after.repositories[0]?.verdict?.findings.filter((f) => f.standard === "branch-protection"),
    ).toEqual([
      expect.objectContaining({
        message: "no active branch ruleset covers `refs/heads/main` (~DEFAULT_BRANCH)",
      }),
    ]);
  });

  it("reports an API failure for one repository as that repository's error and exits 2", async () => {
    const { fake, env } = seedAcme();
    fake.faults.inject(TREES, { status: 403, when: (request) => request.params.repo === "web" });

    const json = await rulebook(["scan", "--org", "acme", "--format", "json"], { env, fetch: fake.fetch });
    const markdown = await rulebook(["scan", "--org", "acme"], { env, fetch: fake.fetch });

    expect(json.stderr).toBe("");
    expect(json.code).toBe(2);
    const document = JSON.parse(json.stdout) as ScanDocument;
    const error =
      "GitHub did not answer the files standards read on main (HTTP 403): Injected fault - https://docs.github.com/rest";
    expect(document.repositories.map((r) => r.error ?? r.verdict?.findings)).toEqual([[], [], [], error]);
    expect(document.repositories[3]).toEqual({ repository: "acme/web", error });
    expect(markdown.code).toBe(2);
    expect(markdown.stdout).toContain("| acme/web | ❔ |\n");
    expect(markdown.stdout).toContain(`### acme/web\n\nNot judged: ${error}\n`);
  });

  it("retries a request GitHub failed once, as Octokit does, and then judges", async () => {
    const { fake, env } = seedAcme();
    fake.faults.inject(TREES, { status: 502, times: 1, when: (request) => request.params.repo === "api" });

    const run = await rulebook(["scan", "--org", "acme", "--format", "json"], { env, fetch: fake.fetch });

    expect(run.code).toBe(1);
    const document = JSON.parse(run.stdout) as ScanDocument;
    expect(document.repositories.map((r) => r.error ?? r.verdict?.findings)).toEqual([
      [],
      [],
      [],
      [webFinding()],
    ]);
    expect(fake.requests.all.filter((r) => r.faulted).map((r) => [r.path, r.status])).toEqual([
      ["/repos/acme/api/git/trees/main?recursive=true", 502],
    ]);
  });

  it("fails closed when the org's newest bundle is invalid and no earlier version is", async () => {
    const fake = createFakeGitHub();
    fake.seedRepo({
      owner: "acme",
      name: ".github",
      files: { "standards/rulebook.yml": 'version: "2"\nstandards: {}\nwaivers: yes\n' },
    });
    fake.seedRepo({ owner: "acme", name: "api" });
    const env = { GITHUB_TOKEN: fake.installationToken(fake.seedInstallation({ account: "acme" }).id) };

    const run = await rulebook(["scan", "--org", "acme"], { env, fetch: fake.fetch });

    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      'standards/rulebook.yml:3:1 waivers: expected a list, got "yes"\n' +
        "rulebook scan: the bundle in acme/.github:standards is invalid and no earlier version is valid; fix it (rulebook validate) and scan again\n",
    );
  });

  it("exits 2 with a clear message without a token, without --org, or when GitHub refuses the token", async () => {
    const { fake } = seedAcme();

    expect(await rulebook(["scan", "--org", "acme"], { env: {}, fetch: fake.fetch })).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "rulebook scan: GITHUB_TOKEN is not set: a scan reads the organization through GitHub's API and needs a token that can read its repositories\n" +
        "Run `rulebook scan --help` for usage.\n",
    });
    expect(await rulebook(["scan"], { env: { GITHUB_TOKEN: "t" }, fetch: fake.fetch })).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "rulebook scan: --org is required: the organization whose repositories to scan\n" +
        "Run `rulebook scan --help` for usage.\n",
    });
    expect(fake.requests.count()).toBe(0);

    const refused = await rulebook(["scan", "--org", "acme"], {
      env: { GITHUB_TOKEN: "ghs_revoked" },
      fetch: fake.fetch,
    });
    expect(refused).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "rulebook scan: cannot list the repositories of acme: HTTP 401: GET /orgs/{org}/repos needs an installation token; got invalid credentials (unknown token) - https://docs.github.com/rest; GITHUB_TOKEN was refused: is it valid and unexpired?\n",
    });
    expect(fake.takeViolations().map((v) => v.kind)).toEqual(["unauthorized"]);
  });

  it("exits 2 for an org the token cannot see, or an app slug that does not exist", async () => {
    const { fake, env } = seedAcme();

    expect(await rulebook(["scan", "--org", "globex"], { env, fetch: fake.fetch })).toEqual({
      code: 2,
      stdout: "",
      stderr: "rulebook scan: there is no organization globex, or GITHUB_TOKEN cannot see it (HTTP 404)\n",
    });
    expect(await rulebook(["scan", "--org", "acme", "--app", "nope"], { env, fetch: fake.fetch })).toEqual({
      code: 2,
      stdout: "",
      stderr: "rulebook scan: no GitHub App has the slug nope (--app)\n",
    });
  });

  it("sends its requests to GITHUB_API_URL when set (GitHub Enterprise Server)", async () => {
    const { fake, env } = seedAcme();

    const run = await rulebook(["scan", "--org", "acme"], {
      env: { ...env, GITHUB_API_URL: "https://ghe.example.com/api/v3/" },
      fetch: fake.fetch,
    });

    expect(run.code).toBe(2);
    expect(fake.takeViolations()).toEqual([
      {
        kind: "unknown-endpoint",
        request: "GET /api/v3/orgs/acme/repos?type=all&sort=full_name&per_page=100",
        route: null,
        message: "ghe.example.com is not GitHub's REST API",
      },
    ]);
  });

  it("draws a progress bar on a terminal's stderr, and erases it before the report", async () => {
    const { fake, env } = seedAcme();

    const run = await rulebook(["scan", "--org", "acme", "--format", "json"], {
      env: { ...env, RULEBOOK_SWEEP_CONCURRENCY: "1" },
      fetch: fake.fetch,
      stderrIsTerminal: true,
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      [
        "\r[          ] 0/4\u001b[K",
        "\r[##        ] 1/4 acme/.github\u001b[K",
        "\r[#####     ] 2/4 acme/api\u001b[K",
        "\r[#######   ] 3/4 acme/old\u001b[K",
        "\r[##########] 4/4 acme/web\u001b[K",
        "\r\u001b[K",
      ].join(""),
    );
    expect(JSON.parse(run.stdout).schema).toBe("rulebook.scan/v1");
  });

  it("renders the bar by the share done", () => {
    expect(renderProgress(12, 40, "acme/api")).toBe("[###       ] 12/40 acme/api");
    expect(renderProgress(39, 40)).toBe("[######### ] 39/40");
    expect(renderProgress(0, 0)).toBe("[##########] 0/0");
  });

  it("documents itself in rulebook scan --help", async () => {
    const help = await rulebook(["scan", "--help"], { env: {} });

    expect(help.code).toBe(0);
    expect(help.stdout.split("\n").slice(0, 3)).toEqual(["Usage: rulebook scan [options]", "", scan.summary]);
    for (const option of ["--org ORG", "--format FORMAT", "--bundle DIR", "--app SLUG"]) {
      expect(help.stdout).toContain(`\n  ${option}`);
    }
    expect(help.stdout).toContain("Environment: GITHUB_TOKEN (required)");
    expect(help.stdout).toContain("rulebook.scan/v1");
  });
});
