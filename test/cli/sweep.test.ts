/**
 * `rulebook sweep --org` against the fake GitHub, in-process: an organization whose bundle enforces, one
 * repository that drifts, and the CLI authenticated with the app's key (finding its installation) or with
 * an installation token. What the sweep wrote is read from the fake's state.
 */
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "@jest/globals";
import { renderProgress } from "../../src/cli/progress.js";
import { RTFM_LABEL } from "../../src/publish/rtfm.js";
import { DASHBOARD_LABEL } from "../../src/sweep/sweep.js";
import { type FakeGitHub, GRAPHQL_ROUTE, type RequestRecord } from "../fake-github/index.js";
import { serveFakeGitHub } from "../fake-github/server.js";
import { APP_ID, appKeys } from "../support/app-identity.js";
import { type CliRun, runCli } from "../support/cli.js";
import { createFakeGitHub } from "../support/github.js";
import { ROOT } from "../support/processes.js";
import { DOCS, PR_TEMPLATE, RULEBOOK_YML } from "./bundle-fixture.js";

/** The test bundle, enforcing, as the org keeps it: `standards/` in its `.github` repository. */
const CENTRAL_FILES = Object.fromEntries(
  Object.entries({
    "rulebook.yml": RULEBOOK_YML.replace("settings:\n", "settings:\n  mode: enforce\n"),
    "templates/pull_request_template.md": PR_TEMPLATE,
    ...DOCS,
  }).map(([path, content]) => [`standards/${path}`, content]),
);

/** acme: the compliant central repository, `api` with the PR template, `web` whose template drifted. */
function seedAcme(options: { installed?: boolean; repositories?: string[] } = {}): {
  fake: FakeGitHub;
  installation: number;
} {
  const fake = createFakeGitHub({ app: { publicKey: appKeys().publicKey } });
  fake.seedRepo({
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
  if (options.installed === false) return { fake, installation: 0 };
  const { repositories } = options;
  return {
    fake,
    installation: fake.seedInstallation({ account: "acme", ...(repositories ? { repositories } : {}) }).id,
  };
}

const KEY_ENV = { APP_ID: String(APP_ID), PRIVATE_KEY: appKeys().privateKey, RULEBOOK_JOB_ATTEMPTS: "1" };

function sweep(fake: FakeGitHub, env: NodeJS.ProcessEnv, extra: string[] = []): Promise<CliRun> {
  return runCli(["sweep", "--org", "acme", ...extra], { cwd: "/", env, fetch: fake.fetch });
}

function issuesOf(fake: FakeGitHub, name: string, label: string) {
  return [...fake.repo(`acme/${name}`).issues.values()].filter((i) => i.labels.includes(label));
}

/** Requests that change something on GitHub (GraphQL reads and installation tokens aside). */
function writes(fake: FakeGitHub): RequestRecord[] {
  return fake.requests.all.filter(
    (r) =>
      r.method !== "GET" &&
      r.route !== "POST /graphql" &&
      r.route !== "POST /app/installations/{installation_id}/access_tokens",
  );
}

function expectSwept(fake: FakeGitHub, run: CliRun): void {
  expect(run.stderr).toBe(
    [
      "rulebook sweep: acme: 3 repositories to sweep",
      "rulebook sweep: acme: swept 3 of 3 repositories",
      "",
    ].join("\n"),
  );
  expect(run.stdout).toBe(
    "rulebook sweep: acme: swept 3 repositories (1 failing, 0 pull requests judged again); dashboard written\n",
  );
  expect(run.code).toBe(0);
  const drift = issuesOf(fake, "web", RTFM_LABEL);
  expect(drift).toHaveLength(1);
  expect(drift[0]).toMatchObject({ state: "open", user: "rulebook[bot]" });
  expect(drift[0]?.body).toContain("pr-template");
  expect(issuesOf(fake, "api", RTFM_LABEL)).toEqual([]);
  const dashboard = issuesOf(fake, ".github", DASHBOARD_LABEL);
  expect(dashboard).toHaveLength(1);
  expect(dashboard[0]?.body).toContain("acme/web");
}

describe("rulebook sweep", () => {
  it("sweeps with the app's key, then writes nothing when nothing changed", async () => {
    const { fake } = seedAcme();
    const first = await sweep(fake, KEY_ENV);
    expectSwept(fake, first);
    expect(fake.requests.count("GET /orgs/{org}/installation")).toBe(1);

    fake.requests.reset();
    const second = await sweep(fake, KEY_ENV);
    expect(second.code).toBe(0);
    expect(writes(fake)).toEqual([]);
    expect(issuesOf(fake, "web", RTFM_LABEL)).toHaveLength(1);
    expect(issuesOf(fake, ".github", DASHBOARD_LABEL)).toHaveLength(1);
  });

  it("runs as a process of its own on a GitHub Enterprise Server, and exits when done", async () => {
    const { fake, installation } = seedAcme();
    const server = await serveFakeGitHub(fake);
    const entry = `import { main } from "./src/cli/main.ts"; process.exitCode = await main(process.argv.slice(1));`;
    const spawnSweep = (env: NodeJS.ProcessEnv, extra: string[] = []) =>
      new Promise<CliRun>((resolve) => {
        execFile(
          process.execPath,
          ["--import", "tsx", "--input-type=module", "-e", entry, "sweep", "--org", "acme", ...extra],
          // Killed, and so failing, if anything the sweep started kept the process alive.
          { cwd: ROOT, timeout: 60_000, env: { PATH: process.env.PATH, ...env } },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    try {
      // The app's own setting for the server, as Probot reads it.
      expectSwept(
        fake,
        await spawnSweep({ ...KEY_ENV, GHE_HOST: new URL(server.url).host, GHE_PROTOCOL: "http" }),
      );
      fake.requests.reset();
      // The CLI's, as Actions sets it, with a token.
      const again = await spawnSweep(
        { GITHUB_API_URL: `${server.url}/api/v3`, GITHUB_TOKEN: fake.installationToken(installation) },
        ["--app", "rulebook"],
      );
      expect(again.code).toBe(0);
      // On a clock that moved, only the dashboard's time is written again.
      const dashboard = issuesOf(fake, ".github", DASHBOARD_LABEL)[0];
      expect(writes(fake).map((r) => `${r.method} ${r.path}`)).toEqual([
        `PATCH /repos/acme/.github/issues/${dashboard?.number}`,
      ]);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("sweeps with an installation token of the app", async () => {
    const { fake, installation } = seedAcme();
    const run = await sweep(fake, { GITHUB_TOKEN: fake.installationToken(installation) }, [
      "--app",
      "rulebook",
    ]);
    expectSwept(fake, run);
  });

  it("draws its progress on a terminal: repositories swept of all", async () => {
    const { fake } = seedAcme();
    const run = await runCli(["sweep", "--org", "acme"], {
      cwd: "/",
      env: KEY_ENV,
      fetch: fake.fetch,
      stderrIsTerminal: true,
    });
    expect(run.code).toBe(0);
    const draw = (done: number, label?: string) => `\r${renderProgress(done, 3, label)}\u001b[K`;
    expect(run.stderr).toBe(`${draw(0)}${draw(1, "acme")}${draw(2, "acme")}${draw(3, "acme")}\r\u001b[K`);
  });

  it("reads the key from PRIVATE_KEY_PATH", async () => {
    const { fake } = seedAcme();
    const dir = mkdtempSync(`${tmpdir()}/rulebook-key-`);
    try {
      writeFileSync(`${dir}/key.pem`, appKeys().privateKey);
      const run = await sweep(fake, { APP_ID: String(APP_ID), PRIVATE_KEY_PATH: `${dir}/key.pem` });
      expect(run.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails in one line when the app is not installed on the organization", async () => {
    const { fake } = seedAcme({ installed: false });
    const run = await sweep(fake, KEY_ENV);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: `rulebook sweep: the app (APP_ID ${APP_ID}) is not installed on acme\n`,
    });
    expect(writes(fake)).toEqual([]);
  });

  it("fails in one line when GitHub refuses the app's key", async () => {
    const { fake } = seedAcme();
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const run = await sweep(fake, { ...KEY_ENV, PRIVATE_KEY: privateKey });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      new RegExp(
        `^rulebook sweep: GitHub refused the app's key \\(APP_ID ${APP_ID}\\): HTTP 401: [^\\n]*\n$`,
      ),
    );
    expect(fake.takeViolations().map((v) => v.kind)).toEqual(["unauthorized"]);
  });

  it("fails when a job fails after its retries", async () => {
    const { fake } = seedAcme();
    fake.faults.inject("GET /installation/repositories", { status: 500, message: "Server Error" });
    const run = await sweep(fake, KEY_ENV);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^rulebook sweep: job failed \(sweep\): HTTP 500: Server Error/);
    expect(lines[1]).toMatch(
      /^rulebook sweep: the sweep did not complete: 1 job failed for good, the last sweep after 1 attempt: .*Server Error/,
    );
    expect(issuesOf(fake, ".github", DASHBOARD_LABEL)).toEqual([]);
  });

  it("fails in one line when the token is refused", async () => {
    const { fake } = seedAcme();
    const run = await sweep(fake, { GITHUB_TOKEN: "ghs_refused" }, ["--app", "rulebook"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^rulebook sweep: cannot read the app rulebook \(--app\): HTTP 401: [^\n]*GITHUB_TOKEN was refused[^\n]*\n$/,
    );
    expect(writes(fake)).toEqual([]);
    // The refusal is what this test provokes.
    expect(fake.takeViolations().map((v) => v.kind)).toEqual(["unauthorized"]);
  });

  it("fails when a repository could not be judged, after writing the dashboard", async () => {
    const { fake } = seedAcme();
    fake.faults.inject(GRAPHQL_ROUTE, { status: 502, message: "Bad Gateway" });
    const run = await sweep(fake, KEY_ENV);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^rulebook sweep: the sweep did not complete: 3 of 3 repositories were not fully judged \(the dashboard says why\), such as acme\/[.a-z]+: not evaluated: [-a-z, ]+\n$/m,
    );
    // The dashboard says which repositories were not judged.
    expect(issuesOf(fake, ".github", DASHBOARD_LABEL)).toHaveLength(1);
  });

  it("fails when no dashboard could be written: the app does not reach the central repository", async () => {
    const { fake } = seedAcme({ repositories: ["api", "web"] });
    const run = await sweep(fake, KEY_ENV);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split("\n").at(-1)).toBe(
      "rulebook sweep: the sweep did not complete: no dashboard was written (is the app installed on acme/.github, where it keeps it?)",
    );
    expect(issuesOf(fake, ".github", DASHBOARD_LABEL)).toEqual([]);
  });

  it("fails when the organization's bundle does not load", async () => {
    const { fake } = seedAcme();
    fake.seedRepo({
      owner: "acme",
      name: ".github",
      files: { ...CENTRAL_FILES, "standards/rulebook.yml": "version: 1\nstandards: [\n" },
    });
    const run = await sweep(fake, KEY_ENV);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^rulebook sweep: the sweep did not run: acme\/.github:standards holds no valid bundle/m,
    );
    expect(issuesOf(fake, ".github", DASHBOARD_LABEL)).toEqual([]);
  });

  it("asks for credentials, and for the app's slug with a token", async () => {
    const { fake } = seedAcme();
    const none = await sweep(fake, {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^rulebook sweep: no credentials: set APP_ID/);
    const slugless = await sweep(fake, { GITHUB_TOKEN: "ghs_x" });
    expect(slugless.code).toBe(2);
    expect(slugless.stderr).toMatch(/^rulebook sweep: --app SLUG is required with a token/);
  });
});
