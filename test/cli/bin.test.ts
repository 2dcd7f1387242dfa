/**
 * The installed command: `bin/rulebook` running the compiled `lib/`, as `npm ci` (which builds) leaves it.
 * The build goes to a temporary package directory, so the shared `lib/` is left alone.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { main } from "../../src/cli/main.js";
import { PR_TEMPLATE, TempBundle } from "./bundle-fixture.js";
import { applyGitEnv, GIT_ENV, TempRepo } from "./git-repo.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let pkg: string;
let bundle: TempBundle;
let repo: TempRepo;

beforeAll(() => {
  pkg = mkdtempSync(join(tmpdir(), "rulebook-pkg-"));
  mkdirSync(join(pkg, "bin"));
  copyFileSync(join(ROOT, "bin/rulebook"), join(pkg, "bin/rulebook"));
  copyFileSync(join(ROOT, "package.json"), join(pkg, "package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
  symlinkSync(join(ROOT, "standards"), join(pkg, "standards"));
  // Types are checked by `tsc --noEmit`; this build only has to emit what `npm run build` emits.
  execFileSync("npm", ["run", "build", "--", "--outDir", join(pkg, "lib"), "--noCheck"], {
    cwd: ROOT,
    stdio: "ignore",
  });

  bundle = TempBundle.create();
  repo = TempRepo.create();
  const base = repo.commit("chore: start", { ".github/pull_request_template.md": PR_TEMPLATE });
  repo.fakeOrigin("https://github.com/acme/widgets.git", "main", base);
  repo.git("checkout", "-q", "-b", "feat/login");
  repo.commit("Add login", { "src/login.test.ts": 'test.only("logs in", () => {});\n' });
}, 180_000);

afterAll(() => {
  rmSync(pkg, { recursive: true, force: true });
  bundle?.remove();
  repo?.remove();
});

function spawnRulebook(args: string[], input = "") {
  const run = spawnSync(join(pkg, "bin/rulebook"), args, {
    env: { ...process.env, ...GIT_ENV },
    input,
    encoding: "utf8",
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

it("prints the same verdict and exit status as the in-process command, reading the body from stdin", async () => {
  const args = ["check", "--dir", repo.dir, "--bundle", bundle.dir, "--format", "json"];
  const withBody = [...args, "--title", "Add login", "--body-file", "-"];
  const spawned = spawnRulebook(withBody, "## Summary\nAdds login.\n");

  let expected = "";
  const restoreEnv = applyGitEnv();
  const code = await main(withBody, {
    stdout: (text) => {
      expected += text;
    },
    stderr: () => {},
    cwd: process.cwd(),
    now: () => new Date().toISOString(),
    readStdin: async () => "## Summary\nAdds login.\n",
  });
  restoreEnv();

  expect(spawned.stderr).toBe("");
  expect(spawned.code).toBe(1);
  expect(code).toBe(1);
  expect(spawned.stdout).toBe(expected);
  const standards = (JSON.parse(spawned.stdout).findings as Array<{ standard: string }>).map(
    (f) => f.standard,
  );
  expect([...new Set(standards)]).toEqual(["conventional-commits", "no-hidden-test-skips", "pr-title"]);
});

it("answers --help with exit 0 and an unknown command with exit 2", () => {
  const help = spawnRulebook(["--help"]);
  expect(help.code).toBe(0);
  expect(help.stdout.split("\n")[0]).toBe(
    "rulebook: hold a repository to the organization's standards, before you push",
  );
  const unknown = spawnRulebook(["frobnicate"]);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr.split("\n")[0]).toBe('rulebook: unknown command "frobnicate"');
});
