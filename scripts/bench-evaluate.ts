/**
 * Benchmark of `evaluate` on a very large pull request: 300 commits, 3,000 changed files with realistic
 * patches (a few of them skipping tests), judged by every rule of the real registry configured as the
 * default bundle configures it. Prints the median and p90 of the whole evaluation, then the median per
 * standard so a slow rule stands out. Target: a median under 100 ms.
 *
 *   npx tsx scripts/bench-evaluate.ts [runs]
 */
import { performance } from "node:perf_hooks";
import type { Bundle } from "../src/bundle/types.js";
import { evaluate } from "../src/engine/evaluate.js";
import { factNeeds } from "../src/engine/needs.js";
import { summarize } from "../src/engine/summary.js";
import { type Facts, FactsSchema } from "../src/facts/schema.js";
import { rules } from "../src/rules/registry.js";
import type { Rule } from "../src/rules/types.js";
import { bundle } from "../test/engine/fixtures.js";
import { defaultBundleFiles, realRuleStandards } from "../test/engine/real-rules.js";

const COMMITS = 300;
const FILES = 3_000;
const WARM_UP = 3;
const RUNS = Number(process.argv[2] ?? 15);

const HEAD_SHA = "f".repeat(40);

function sha(n: number): string {
  return n.toString(16).padStart(40, "0");
}

/** A hunk of TypeScript: context, removed and added lines, the way `git diff` writes them. */
function hunk(start: number, name: string, skipTest: boolean): string {
  const lines = [`@@ -${start},12 +${start},16 @@ export class ${name} {`];
  for (let i = 0; i < 4; i++) lines.push(`   private readonly field${i}: Map<string, number> = new Map();`);
  lines.push("-  async load(id: string): Promise<Result> {", "-    return this.client.get(id);");
  lines.push(
    "+  async load(id: string, options: LoadOptions = {}): Promise<Result> {",
    "+    const cached = this.cache.get(id);",
    "+    if (cached && !options.refresh) return cached; // fresh enough for a read",
    `+    const result = await this.client.get(\`/items/\${id}\`, { timeout: ${start * 10} });`,
    "+    this.cache.set(id, result);",
    "+    return result;",
  );
  if (skipTest) lines.push("+  it.skip('retries when the upstream times out', async () => {");
  for (let i = 0; i < 4; i++) lines.push(`   }${i === 3 ? "" : ","}`);
  return lines.join("\n");
}

function changedFile(i: number) {
  const area = `packages/area-${i % 40}/src/module-${Math.floor(i / 40)}`;
  if (i % 500 === 7) {
    return { path: `${area}/logo-${i}.png`, status: "added" as const, binary: true };
  }
  if (i === 11) {
    return { path: ".github/workflows/ci.yml", status: "modified" as const, patch: hunk(3, "Ci", false) };
  }
  const isTest = i % 3 === 0;
  const path = `${area}/${isTest ? `service-${i}.test.ts` : `service-${i}.ts`}`;
  const patch = [10, 80, 200].map((start) => hunk(start, `Service${i}`, isTest && i % 97 === 0)).join("\n");
  return { path, status: i % 10 === 0 ? ("added" as const) : ("modified" as const), patch };
}

function commitAt(i: number) {
  const conventional = i % 11 !== 0;
  const message = conventional
    ? `feat(area-${i % 40}): add cached loading to module ${i}\n\nLoads items once per request.`
    : `Added caching to module ${i}`;
  return {
    sha: sha(i + 1),
    message:
      i % 5 === 0
        ? `${message}\n\nCo-authored-by: Claude <noreply@anthropic.com>`
        : `${message}\n\nRefs #${i}`,
    author: { name: "Dana Developer", email: "dana@example.com", login: "dana" },
    coAuthors: i % 5 === 0 ? [{ name: "Claude", email: "noreply@anthropic.com" }] : [],
  };
}

function largePullRequest(repoFiles: Record<string, string | null>): Facts {
  return FactsSchema.parse({
    scopes: ["pr", "repo"],
    now: "2026-11-23T12:00:00Z",
    repo: {
      owner: "acme",
      name: "platform",
      defaultBranch: "main",
      language: "TypeScript",
      topics: ["service"],
      files: repoFiles,
      rulesets: [
        {
          id: 1,
          name: "main",
          target: "branch",
          enforcement: "active",
          conditions: { refName: { include: ["~DEFAULT_BRANCH"], exclude: [] } },
          rules: [{ type: "deletion" }, { type: "non_fast_forward" }, { type: "pull_request" }],
        },
      ],
    },
    pullRequest: {
      number: 4242,
      title: "feat: cache item loading across all services",
      body: "## Summary\n\nCaches item loading.\n\n## Linked issue\n\nCloses #4000\n",
      author: { login: "devin-ai-integration[bot]", type: "Bot" },
      base: { ref: "main", sha: sha(0) },
      head: { ref: "feat/cache-loading", sha: HEAD_SHA },
      labels: ["enhancement"],
      commits: Array.from({ length: COMMITS }, (_, i) => commitAt(i)),
      files: Array.from({ length: FILES }, (_, i) => changedFile(i)),
      reviews: [{ author: { login: "erin", type: "User" }, state: "APPROVED", commitId: sha(COMMITS) }],
      checkRuns: [
        {
          name: "ci / test",
          status: "completed",
          conclusion: "success",
          app: { id: 15368, slug: "github-actions" },
        },
        {
          name: "ci / lint",
          status: "in_progress",
          conclusion: null,
          app: { id: 15368, slug: "github-actions" },
        },
        { name: "rulebook", status: "in_progress", conclusion: null },
      ],
    },
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function timeRuns(
  theBundle: Bundle,
  facts: Facts,
  runs: number,
  registry: ReadonlyMap<string, Rule> = rules,
): Promise<number[]> {
  for (let i = 0; i < WARM_UP; i++) await evaluate(theBundle, facts, registry);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await evaluate(theBundle, facts, registry);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const files = defaultBundleFiles();
const standards = realRuleStandards();
const theBundle = bundle(standards, {
  files,
  settings: {
    checkName: "rulebook",
    escalateAfter: 3,
    agents: { logins: ["*-agent"], coAuthors: ["*<noreply@anthropic.com>"] },
  },
});
// Every file the standards read is looked up, as a gatherer would: the canonical copy where the bundle
// has one under the same name, a short file for the rest.
const repoFiles = Object.fromEntries(
  factNeeds(theBundle, ["pr", "repo"]).paths.map((path) => {
    const name = path.split("/").pop() ?? path;
    const canonical = Object.entries(files).find(([bundlePath]) => bundlePath.endsWith(`/${name}`));
    return [path, canonical ? canonical[1] : `# ${path}\n`];
  }),
);
const facts = largePullRequest(repoFiles);

console.log(`registry: ${[...rules.keys()].sort().join(", ") || "(empty)"}`);
console.log(`standards: ${standards.map((s) => `${s.id} (${s.rule})`).join(", ") || "(none)"}`);
const verdict = await evaluate(theBundle, facts);
const summary = summarize(verdict);
console.log(
  `verdict: ${verdict.findings.length} findings (${summary.counts.error} error, ${summary.counts.warning} warning, ` +
    `${summary.counts.notice} notice), ${verdict.notEvaluated.length} not evaluated, conclusion ${summary.conclusion}`,
);
for (const result of verdict.standards) {
  console.log(`  ${result.standard}: ${result.status}${result.reason ? ` (${result.reason})` : ""}`);
}

const times = await timeRuns(theBundle, facts, RUNS);
console.log(
  `\nevaluate, ${COMMITS} commits and ${FILES} files, ${RUNS} runs: median ${percentile(times, 50).toFixed(1)} ms, ` +
    `p90 ${percentile(times, 90).toFixed(1)} ms`,
);

// The engine's own share: every rule stubbed to find nothing, all else (selection, options, context) alike.
const stubbed = new Map([...rules].map(([id, rule]) => [id, { ...rule, check: () => [] }]));
const engineOnly = await timeRuns(theBundle, facts, RUNS, stubbed);
console.log(`engine alone (rules stubbed): median ${percentile(engineOnly, 50).toFixed(1)} ms`);

console.log("\nmedian per standard (evaluated alone):");
const perStandard: Array<[string, number]> = [];
for (const standard of standards) {
  const alone = await timeRuns(
    { ...theBundle, standards: [standard] },
    facts,
    Math.max(5, Math.floor(RUNS / 3)),
  );
  perStandard.push([`${standard.id} (${standard.rule})`, percentile(alone, 50)]);
}
for (const [name, ms] of perStandard.sort((a, b) => b[1] - a[1]))
  console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${name}`);
