/**
 * Benchmark of `rulebook check` on a large checkout: 10,000 files and 500 commits in the pull request's
 * range, built quickly with `git fast-import`. Runs the compiled `bin/rulebook` several times with the
 * default bundle and prints the median wall time (target: under 2 s).
 *
 *   npm run build && npx tsx scripts/bench-cli-check.ts [--runs N] [--bundle DIR] [--keep]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const FILES = 10_000;
const COMMITS = 500;
const FILES_PER_COMMIT = 3;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/rulebook");

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg === -1 ? 7 : Number(process.argv[runsArg + 1]);
const KEEP = process.argv.includes("--keep");
const bundleArg = process.argv.indexOf("--bundle");
const BUNDLE = bundleArg === -1 ? [] : ["--bundle", process.argv[bundleArg + 1] as string];

const ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.com",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.com",
};

function git(dir: string, args: string[], input?: string): string {
  return execFileSync("git", args, { cwd: dir, env: ENV, input, encoding: "utf8", maxBuffer: 1024 ** 3 });
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

function pathOf(i: number): string {
  return `packages/pkg-${String(i % 100).padStart(2, "0")}/src/module-${i}.ts`;
}

function moduleSource(i: number, revision: number): string {
  const lines = [`// module ${i}`, `export const value${i} = ${revision};`];
  for (let n = 0; n < 20; n++)
    lines.push(`export function f${n}_${i}(x: number): number { return x + ${n}; }`);
  return `${lines.join("\n")}\n`;
}

/** The fast-import stream: `main` with every file, then a feature branch of small commits on top. */
function importStream(): string {
  const parts: string[] = [];
  let time = 1_790_000_000;
  const header = (ref: string, mark: number, message: string, from?: number) =>
    `commit ${ref}\nmark :${mark}\nauthor Bench <bench@example.com> ${time} +0000\n` +
    `committer Bench <bench@example.com> ${time++} +0000\n${data(message)}${from ? `from :${from}\n` : ""}`;

  parts.push(header("refs/heads/main", 1, "chore: import the monorepo"));
  parts.push(`M 100644 inline README.md\n${data("# Bench\n")}`);
  parts.push(`M 100644 inline .github/pull_request_template.md\n${data("## Summary\n\n## Validation\n")}`);
  for (let i = 0; i < FILES; i++) parts.push(`M 100644 inline ${pathOf(i)}\n${data(moduleSource(i, 0))}`);

  for (let c = 0; c < COMMITS; c++) {
    // Mostly well-formed messages, some with agent co-authors, a few that break the convention.
    const subject = c % 50 === 7 ? `Update module ${c}` : `feat(pkg-${c % 100}): change module ${c}`;
    const trailer = c % 3 === 0 ? "\n\nCo-authored-by: Claude <noreply@anthropic.com>" : "";
    parts.push(header("refs/heads/feat/bench", c + 2, `${subject}${trailer}`, c === 0 ? 1 : undefined));
    for (let k = 0; k < FILES_PER_COMMIT; k++) {
      const i = (c * 37 + k * 1009) % FILES;
      parts.push(`M 100644 inline ${pathOf(i)}\n${data(moduleSource(i, c + 1))}`);
    }
    if (c % 100 === 0) {
      // A skipped test without a tracking issue, for the test-skip rule to find.
      const skipped = `it.skip("module ${c}", () => {});\n`;
      parts.push(`M 100644 inline test/module-${c}.test.ts\n${data(skipped)}`);
    }
  }
  return parts.join("");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

if (!existsSync(join(ROOT, "lib/cli/main.js"))) {
  console.error("lib/ is not built: run `npm run build` first");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "rulebook-bench-"));
try {
  let started = performance.now();
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["fast-import", "--quiet"], importStream());
  const mainSha = git(dir, ["rev-parse", "main"]).trim();
  git(dir, ["remote", "add", "origin", "git@github.com:acme/monorepo.git"]);
  git(dir, ["update-ref", "refs/remotes/origin/main", mainSha]);
  git(dir, ["symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main"]);
  git(dir, ["checkout", "-q", "feat/bench"]);
  const commits = git(dir, ["rev-list", "--count", "origin/main..HEAD"]).trim();
  const files = git(dir, ["ls-files"]).split("\n").length - 1;
  console.log(
    `repository: ${files} files, ${commits} commits in range (built in ${ms(performance.now() - started)})`,
  );

  const times: number[] = [];
  let last = { status: 0 as number | null, stdout: "", stderr: "" };
  for (let run = 0; run < RUNS; run++) {
    started = performance.now();
    last = spawnSync(BIN, ["check", "--dir", dir, "--format", "json", ...BUNDLE], {
      env: ENV,
      encoding: "utf8",
      maxBuffer: 1024 ** 3,
    });
    times.push(performance.now() - started);
  }
  if (last.status !== 0 && last.status !== 1) {
    console.error(`rulebook check exited ${last.status}:\n${last.stderr}`);
    process.exit(1);
  }
  const verdict = JSON.parse(last.stdout) as { findings: unknown[]; notEvaluated: unknown[] };
  console.log(
    `rulebook check: exit ${last.status}, ${verdict.findings.length} findings, ${verdict.notEvaluated.length} not evaluated`,
  );
  console.log(`runs: ${times.map(ms).join(", ")}`);
  console.log(`median wall time over ${RUNS} runs: ${ms(median(times))} (target: under 2000 ms)`);
} finally {
  if (KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
