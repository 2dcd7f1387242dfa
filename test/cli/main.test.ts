/**
 * The `rulebook` CLI end to end, in-process: real temporary git repositories, a real bundle directory, the
 * real engine and rules; stdout, stderr and the exit status captured.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { COMMANDS, commandHelp, mainHelp } from "../../src/cli/main.js";
import type { Verdict } from "../../src/engine/verdict.js";
import { type CliRun, runCli } from "../support/cli.js";
import { validateVerdict } from "../support/verdict-schema.js";
import { DOCS, PR_TEMPLATE, RULEBOOK_YML, TempBundle } from "./bundle-fixture.js";
import { applyGitEnv, TempRepo } from "./git-repo.js";

function rulebook(argv: string[], stdin = ""): Promise<CliRun> {
  return runCli(argv, { readStdin: async () => stdin });
}

let restoreEnv: () => void;
let bundle: TempBundle;
beforeAll(() => {
  restoreEnv = applyGitEnv();
  bundle = TempBundle.create();
});
afterAll(() => {
  bundle.remove();
  restoreEnv();
});

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

function newRepo(): TempRepo {
  const repo = TempRepo.create();
  cleanup.push(() => repo.remove());
  return repo;
}

/** A clone of acme/widgets whose `main` has the PR template, on a fresh feature branch. */
function featureBranch(): TempRepo {
  const repo = newRepo();
  const base = repo.commit("chore: start", {
    "README.md": "# Widgets\n",
    ".github/pull_request_template.md": PR_TEMPLATE,
  });
  repo.fakeOrigin("git@github.com:acme/widgets.git", "main", base);
  repo.git("checkout", "-q", "-b", "feat/login");
  return repo;
}

/** Where each finding is: standard, path and line, without repeats (a rule may report a place twice). */
function places(
  verdict: Verdict,
): Array<{ standard: string; severity: string; path?: string; line?: number }> {
  const seen = new Map<string, { standard: string; severity: string; path?: string; line?: number }>();
  for (const f of verdict.findings) {
    const place = {
      standard: f.standard,
      severity: f.severity,
      ...(f.path ? { path: f.path } : {}),
      ...(f.line ? { line: f.line } : {}),
    };
    seen.set(JSON.stringify(place), place);
  }
  return [...seen.values()];
}

/** `rulebook check` of a checkout against the test bundle, with more `options`. */
function check(repo: TempRepo, ...options: string[]): Promise<CliRun> {
  return rulebook(["check", "--dir", repo.dir, "--bundle", bundle.dir, ...options]);
}

function statuses(verdict: Verdict): Record<string, string> {
  return Object.fromEntries(verdict.standards.map((s) => [s.standard, s.status]));
}

/** 1-based line and column of the first occurrence of `text`. */
function positionOf(source: string, text: string): [number, number] {
  const lines = source.split("\n");
  const index = lines.findIndex((l) => l.includes(text));
  return [index + 1, (lines[index] ?? "").indexOf(text) + 1];
}

/** Text output after its leading block saying what was judged (bundle, base, merge base, commits, github). */
function withoutRange(stdout: string): string {
  const [range = "", ...rest] = stdout.split("\n\n");
  expect(range.split("\n").map((line) => line.split(":")[0])).toEqual([
    "bundle",
    "base",
    "merge base",
    "commits",
    "github",
  ]);
  return rest.join("\n\n");
}

const CHECK_RUNS_UNAVAILABLE = "other check runs live on GitHub; the rulebook check run evaluates them";
const DESCRIPTION_UNAVAILABLE =
  "a local checkout has no pull request title or body; pass them with `rulebook check --title T --body-file F`";

describe("rulebook check", () => {
  it("fails an agent's branch with a bad commit, a hidden skip and a missing PR template", async () => {
    const repo = newRepo();
    const base = repo.commit("chore: start", { "README.md": "# Widgets\n" });
    repo.fakeOrigin("git@github.com:acme/widgets.git", "main", base);
    repo.git("checkout", "-q", "-b", "feat/login");
    repo.commit("feat: add login", { "src/login.ts": "export const login = () => true;\n" });
    const bad = repo.commit("fixed stuff\n\nCo-authored-by: Claude <noreply@anthropic.com>", {
      "src/login.test.ts": 'import { login } from "./login";\n\nit.skip("logs in", () => login());\n',
    });

    const json = await check(repo, "--format", "json");
    expect(json.stderr).toBe("");
    expect(json.code).toBe(1);
    const verdict = JSON.parse(json.stdout) as Verdict;
    expect(validateVerdict(verdict)).toBe(true);
    expect(verdict.bundle).toEqual({ source: bundle.dir, version: "test-1" });
    // Without a token: the base is origin's default branch, and the range starts at the merge base.
    const head = repo.git("rev-parse", "HEAD");
    expect((verdict as Verdict & { range: unknown }).range).toEqual({
      repository: "acme/widgets",
      pullRequest: null,
      base: { ref: "main", sha: base },
      mergeBase: base,
      head: { ref: "feat/login", sha: head },
      commits: { range: `${base}..${head}`, count: 2 },
      github: false,
    });
    expect(places(verdict)).toEqual([
      { standard: "conventional-commits", severity: "error" },
      { standard: "no-hidden-test-skips", severity: "error", path: "src/login.test.ts", line: 3 },
      { standard: "pr-template", severity: "error", path: ".github/pull_request_template.md" },
    ]);
    expect(verdict.findings.find((f) => f.standard === "conventional-commits")?.message).toContain(
      bad.slice(0, 7),
    );
    // Standards that need GitHub are listed with the reason, never passed.
    expect(verdict.notEvaluated).toEqual([
      { standard: "pr-title", reason: DESCRIPTION_UNAVAILABLE, severity: "warning" },
      { standard: "validation-complete", reason: CHECK_RUNS_UNAVAILABLE, severity: "error" },
    ]);
    expect(statuses(verdict)).toEqual({
      "conventional-commits": "fail",
      "no-hidden-test-skips": "fail",
      "pr-template": "fail",
      "pr-title": "not-evaluated",
      "validation-complete": "not-evaluated",
    });

    // The bundle sets no mode and neither does the environment: observe, which the text says. The exit
    // status does not depend on the mode: an error finding stands.
    const text = await check(repo);
    expect(text.code).toBe(1);
    const errors = verdict.findings.length;
    expect(text.stdout.trimEnd().split("\n").slice(-3)).toEqual([
      "Observe mode: the bundle only observes conventional-commits, no-hidden-test-skips, pr-template, so this check blocks nothing; with `mode: enforce` it would fail.",
      "",
      `rulebook: Would block once enforced: ${errors} errors, 0 warnings, 0 notices, 2 not evaluated (bundle ${bundle.dir} test-1)`,
    ]);
    const enforced = await runCli(["check", "--dir", repo.dir, "--bundle", bundle.dir], {
      env: { RULEBOOK_DEFAULT_MODE: "enforce" },
    });
    expect(enforced.code).toBe(1);
    expect(enforced.stdout).not.toContain("Observe mode");
    expect(enforced.stdout.trimEnd().split("\n").at(-1)).toBe(
      `rulebook: Blocked: ${errors} errors, 0 warnings, 0 notices, 2 not evaluated (bundle ${bundle.dir} test-1)`,
    );
    expect(text.stdout).toContain("\nerror  no-hidden-test-skips  src/login.test.ts:3\n");
    expect(text.stdout.split("\n").slice(0, 4)).toEqual([
      `bundle:     ${bundle.dir} test-1`,
      `base:       main ${base.slice(0, 12)} (without a token: the default branch as this checkout knows it, or --base)`,
      `merge base: ${base.slice(0, 12)}`,
      `commits:    2 commits, ${base.slice(0, 12)}..${head.slice(0, 12)} (feat/login)`,
    ]);
    expect(text.stdout).toContain(
      `not evaluated, which is never a pass:\n  pr-title: ${DESCRIPTION_UNAVAILABLE}\n  validation-complete: ${CHECK_RUNS_UNAVAILABLE}\n`,
    );

    const markdown = await check(repo, "--format", "markdown");
    expect(markdown.code).toBe(1);
    // Observe mode first, then, as Claude co-authored the commits, the instruction to stop.
    expect(markdown.stdout.split("\n\n")[1]).toMatch(/^> \[!NOTE\]\n> Observe mode: /);
    expect(markdown.stdout.split("\n\n")[2]).toMatch(/^\*\*Stop\. Do not work around this check\.\*\*/);
    expect(markdown.stdout).toContain("Why: A skipped failing test hides the failure from every later run.");
    const block = /^```json\n([\s\S]*?)\n```$/m.exec(markdown.stdout)?.[1];
    // The JSON block is the check run's document; what the CLI judged follows it as a list.
    const { range, ...published } = verdict as Verdict & { range: unknown };
    expect(JSON.parse(block ?? "")).toEqual(published);
    expect(markdown.stdout).toContain(`\n- merge base: ${base.slice(0, 12)}\n`);
  });

  it("passes a clean branch, and judges the title and body when given", async () => {
    const repo = featureBranch();
    repo.commit("feat: add login", { "src/login.ts": "export const login = () => true;\n" });
    repo.commit("test: cover login", {
      "src/login.test.ts": 'import { login } from "./login";\n\nit("logs in", () => login());\n',
    });

    const untitled = await check(repo);
    expect({ ...untitled, stdout: withoutRange(untitled.stdout) }).toEqual({
      code: 0,
      stdout:
        `not evaluated, which is never a pass:\n  pr-title: ${DESCRIPTION_UNAVAILABLE}\n  validation-complete: ${CHECK_RUNS_UNAVAILABLE}\n\n` +
        `rulebook: Incomplete: 0 errors, 0 warnings, 0 notices, 2 not evaluated (bundle ${bundle.dir} test-1)\n`,
      stderr: "",
    });

    const good = await check(repo, "--format", "json", "--title", "feat: add login", "--body-file", "-");
    expect(good.code).toBe(0);
    const verdict = JSON.parse(good.stdout) as Verdict;
    expect(verdict.findings).toEqual([]);
    expect(verdict.notEvaluated).toEqual([
      { standard: "validation-complete", reason: CHECK_RUNS_UNAVAILABLE, severity: "error" },
    ]);
    expect(statuses(verdict)).toEqual({
      "conventional-commits": "pass",
      "no-hidden-test-skips": "pass",
      "pr-template": "pass",
      "pr-title": "pass",
      "validation-complete": "not-evaluated",
    });

    // A bad title is only a warning in this bundle: reported, but the exit status stays 0.
    const badTitle = await check(repo, "--format", "json", "--title", "Implement ticket 123");
    expect(badTitle.code).toBe(0);
    expect(places(JSON.parse(badTitle.stdout) as Verdict)).toEqual([
      { standard: "pr-title", severity: "warning" },
    ]);
  });

  it("reads the body from a file and judges only what is committed, warning about the rest", async () => {
    const repo = featureBranch();
    repo.commit("feat: add login", { "src/login.ts": "export const login = () => true;\n" });
    // A skip that is not committed is not part of the pull request.
    repo.write("src/login.test.ts", 'it.skip("later", () => {});\n');
    repo.write("notes.txt", "scratch\n");
    const bodyFile = join(repo.dir, "..", `${join(repo.dir).split("/").at(-1)}-body.md`);
    writeFileSync(bodyFile, "## Summary\nAdds login.\n");
    cleanup.push(() => rmSync(bodyFile, { force: true }));

    const run = await rulebook([
      "check",
      `--dir=${repo.dir}`,
      `--bundle=${bundle.dir}`,
      "--title",
      "feat: add login",
      "--body-file",
      bodyFile,
    ]);
    expect({ ...run, stdout: withoutRange(run.stdout) }).toEqual({
      code: 0,
      stdout:
        `not evaluated, which is never a pass:\n  validation-complete: ${CHECK_RUNS_UNAVAILABLE}\n\n` +
        `rulebook: Incomplete: 0 errors, 0 warnings, 0 notices, 1 not evaluated (bundle ${bundle.dir} test-1)\n`,
      stderr:
        "rulebook: warning: 2 uncommitted changes (notes.txt, src/login.test.ts) not judged; the pull request " +
        "will contain only commits, so commit them and check again\n",
    });
  });

  it("judges the root commit's changes in a repository without a remote", async () => {
    const repo = newRepo();
    repo.commit("Initial commit", { "README.md": "# New\n" });
    const run = await check(repo, "--format", "json");
    expect(run.code).toBe(1);
    const verdict = JSON.parse(run.stdout) as Verdict;
    expect(places(verdict)).toEqual([
      { standard: "conventional-commits", severity: "error" },
      { standard: "pr-template", severity: "error", path: ".github/pull_request_template.md" },
    ]);
  });

  it("exits 2 with a message when it cannot judge", async () => {
    const plain = mkdtempSync(join(tmpdir(), "rulebook-plain-"));
    cleanup.push(() => rmSync(plain, { recursive: true, force: true }));
    const notGit = await rulebook(["check", "--dir", plain, "--bundle", bundle.dir]);
    expect(notGit.code).toBe(2);
    expect(notGit.stdout).toBe("");
    expect(notGit.stderr).toMatch(
      new RegExp(
        `^rulebook check: ${plain} is not a git checkout with at least one commit \\(git rev-parse failed: `,
      ),
    );

    const repo = featureBranch();
    const unknownBase = await check(repo, "--base", "nope");
    expect(unknownBase).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'rulebook check: base "nope" is not a commit in this checkout; fetch it or pass another --base\n',
    });

    const missingDir = await rulebook(["check", "--dir", join(plain, "missing")]);
    expect(missingDir).toEqual({
      code: 2,
      stdout: "",
      stderr: `rulebook check: --dir ${join(plain, "missing")} is not a directory\nRun \`rulebook check --help\` for usage.\n`,
    });
  });

  it("exits 2 on an invalid bundle, naming file, line and key", async () => {
    const yml = RULEBOOK_YML.replace("severity: warning", "severity: fatal");
    const broken = TempBundle.create({ "rulebook.yml": yml });
    cleanup.push(() => broken.remove());
    const repo = featureBranch();
    const run = await rulebook(["check", "--dir", repo.dir, "--bundle", broken.dir]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `${broken.dir}/rulebook.yml:${positionOf(yml, "severity: fatal").join(":")} standards.pr-title.severity: expected one of error, warning, notice, got "fatal"`,
    );
    expect(lines[1]).toBe(`rulebook: the bundle in ${broken.dir} is invalid (1 error above)`);
  });

  it("refuses wrong usage with exit 2", async () => {
    expect(await rulebook(["check", "--format", "yaml"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'rulebook check: --format must be one of text, json, markdown; got "yaml"\nRun `rulebook check --help` for usage.\n',
    });
    expect((await rulebook(["check", "--body-file", "body.md"])).stderr).toBe(
      "rulebook check: --body-file needs --title: a pull request's body is judged together with its title\n" +
        "Run `rulebook check --help` for usage.\n",
    );
    expect((await rulebook(["check", "--verbose"])).stderr).toBe(
      "rulebook check: unknown option --verbose\nRun `rulebook check --help` for usage.\n",
    );
    expect((await rulebook(["check", "--dir"])).stderr).toBe(
      "rulebook check: --dir needs a value (PATH)\nRun `rulebook check --help` for usage.\n",
    );
    expect((await rulebook(["check", "--dir", "a", "--dir", "b"])).stderr).toBe(
      "rulebook check: --dir was given more than once\nRun `rulebook check --help` for usage.\n",
    );
    expect((await rulebook(["check", "extra"])).stderr).toBe(
      "rulebook check: unexpected argument: extra\nRun `rulebook check --help` for usage.\n",
    );
    expect((await rulebook(["check", "--help=yes"])).stderr).toBe(
      "rulebook check: --help takes no value\nRun `rulebook check --help` for usage.\n",
    );
  });
});

describe("rulebook explain", () => {
  it("prints the standard, why it exists, how to fix it and its manual page", async () => {
    expect(await rulebook(["explain", "no-hidden-test-skips", "--bundle", bundle.dir])).toEqual({
      code: 0,
      stdout: [
        "no-hidden-test-skips: Skipped tests name the issue that tracks them",
        "severity: error · rule: test-skip · profiles: all",
        "",
        "Why it exists",
        "",
        "A skipped failing test hides the failure from every later run.",
        "",
        "How to fix it",
        "",
        "Fix the code under test so the test passes and remove the skip, or reference its tracking issue on the skip's line.",
        "",
        "Manual: docs/no-hidden-test-skips.md",
        "",
        "# Hidden skips\n\nNever skip a failing test silently.",
        "",
      ].join("\n"),
      stderr: "",
    });
  });

  it("shows exemptions, waivers, effective dates and the docs URL", async () => {
    const custom = TempBundle.create({
      "rulebook.yml": `${RULEBOOK_YML.replace(
        "  checkName: rulebook\n",
        "  checkName: rulebook\n  docsUrl: https://example.com/standards/\n",
      ).replace(
        "    rule: commit-message\n",
        "    rule: commit-message\n    since: 2027-01-01\n    exemptions: { actors: ['renovate\\[bot\\]'], branches: ['release-please--**'] }\n",
      )}waivers:\n  - repository: acme/legacy\n    standard: conventional-commits\n    owner: "@alice"\n    reason: History is imported.\n    expires: 2027-01-31\n`,
    });
    cleanup.push(() => custom.remove());
    const run = await rulebook(["explain", "conventional-commits", "--bundle", custom.dir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n\n").slice(0, 1)[0]).toBe(
      [
        "conventional-commits: Commit messages follow Conventional Commits",
        "severity: error · rule: commit-message · profiles: all · in effect from 2027-01-01 (a warning before)",
        "exempt actors: renovate\\[bot\\]",
        "exempt branches: release-please--**",
        "waived for acme/legacy until 2027-01-31 by @alice: History is imported.",
      ].join("\n"),
    );
    expect(run.stdout).toContain(
      "\n\nManual: https://example.com/standards/docs/conventional-commits.md\n\n",
    );
    expect(run.stdout.endsWith(`\n\n${DOCS["docs/conventional-commits.md"]}`)).toBe(true);
  });

  it("exits 2 on an unknown or missing id, listing the known ones", async () => {
    const known = "conventional-commits, no-hidden-test-skips, pr-template, pr-title, validation-complete";
    expect(await rulebook(["explain", "pr-titel", "--bundle", bundle.dir])).toEqual({
      code: 2,
      stdout: "",
      stderr: `rulebook explain: unknown standard "pr-titel" (did you mean "pr-title"?); known standards: ${known}\n`,
    });
    expect(await rulebook(["explain", "--bundle", bundle.dir])).toEqual({
      code: 2,
      stdout: "",
      stderr: `rulebook explain: name a standard; known standards: ${known}\n`,
    });
  });
});

describe("rulebook validate", () => {
  it("reports a valid bundle with its counts", async () => {
    expect(await rulebook(["validate", "--bundle", bundle.dir])).toEqual({
      code: 0,
      stdout: `${bundle.dir}: valid, bundle ${bundle.dir} test-1: 5 standards, 1 profile, 0 waivers (0 warnings)\n`,
      stderr: "",
    });
  });

  it("prints each error as file:line:column key: message and exits 2", async () => {
    const yml = RULEBOOK_YML.replace("    rule: test-skip\n", "    rule: test-skip\n    severty: error\n");
    const broken = TempBundle.create({ "rulebook.yml": yml });
    cleanup.push(() => broken.remove());
    const run = await rulebook(["validate", "--bundle", broken.dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toEqual([
      `${broken.dir}/rulebook.yml:${positionOf(yml, "severty").join(":")} standards.no-hidden-test-skips.severty: unknown key "severty" (did you mean "severity"?)`,
      `${broken.dir}: invalid (1 error, 0 warnings)`,
    ]);
  });
});

describe("rulebook help", () => {
  it("prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ["--version", "-V"]) {
      expect(await rulebook([flag])).toEqual({ code: 0, stdout: `rulebook ${version}\n`, stderr: "" });
    }
  });

  it("prints the commands, and each command's options", async () => {
    expect(await rulebook(["--help"])).toEqual({ code: 0, stdout: mainHelp(), stderr: "" });
    expect(mainHelp()).toBe(
      [
        "rulebook: hold a repository to the organization's standards, before you push",
        "",
        "Usage: rulebook <command> [options]",
        "",
        "Commands:",
        "  check     Judge this branch as the rulebook check run will judge its pull request",
        "  explain   Print a standard's rationale, remediation and manual page",
        "  validate  Validate a bundle of standards",
        "  scan      Report how every repository of an organization meets its standards (read-only)",
        "  sweep     Sweep an organization once, as the app's schedule does, and exit (no server needed)",
        "",
        "Run `rulebook <command> --help` for a command's options, `rulebook --version` for the version.",
        "",
      ].join("\n"),
    );
    for (const command of COMMANDS) {
      expect(await rulebook([command.name, "--help"])).toEqual({
        code: 0,
        stdout: commandHelp(command),
        stderr: "",
      });
    }
    expect(commandHelp(COMMANDS[1] as (typeof COMMANDS)[number])).toBe(
      [
        "Usage: rulebook explain <standard-id> [options]",
        "",
        "Print a standard's rationale, remediation and manual page",
        "",
        "Read this before retrying a change that a standard rejected: fix the cause, not the symptom.",
        "",
        "Arguments:",
        "  <standard-id>  The id of the standard, as findings name it",
        "",
        "Options:",
        "  --bundle DIR   The bundle of standards (a directory with rulebook.yml); default: the one shipped with Rulebook",
        "  --help         Show this help",
        "",
      ].join("\n"),
    );
  });

  it("exits 2 without a command or with an unknown one", async () => {
    expect(await rulebook([])).toEqual({ code: 2, stdout: "", stderr: mainHelp() });
    expect(await rulebook(["deploy"])).toEqual({
      code: 2,
      stdout: "",
      stderr: `rulebook: unknown command "deploy"\n\n${mainHelp()}`,
    });
  });
});
