/**
 * Benchmark of an org sweep against the fake GitHub: a naive REST gatherer (one request per candidate
 * file, per ruleset, an issues and a pulls list per repository) side by side with Rulebook's sweep.
 * Units are per repository and per budget (REST core requests, a 304 free; GraphQL points), cold and
 * warm (nothing changed since the last sweep). Wall time: a cold sweep of 1,000 repositories with 50 ms
 * of simulated latency on every request. Scale: cold sweeps of 1,000 and 10,000 repositories without
 * latency, each in a child process that reports its own peak RSS (the fake GitHub's state included).
 *
 *   npm run bench:sweep [-- --quick]
 *
 * Ends with one JSON line.
 */
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { readConfig } from "../src/app/config.js";
import { defaultBundleDir, loadBundleDir } from "../src/bundle/load.js";
import { factNeeds } from "../src/engine/needs.js";
import { createApp } from "../src/index.js";
import { RTFM_LABEL } from "../src/publish/rtfm.js";
import { installationCreatedEvent } from "../test/fake-github/push.js";
import { type AppHarness, startAppHarness } from "../test/support/app-harness.js";
import { seedCompliantOrg } from "../test/support/compliant-repo.js";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const LATENCY_MS = 50;

async function startOrg(repositories: number, orgRulesets: boolean): Promise<AppHarness> {
  const gh = await startAppHarness({
    app: createApp({ config: readConfig({ RULEBOOK_SWEEP_INTERVAL_HOURS: "0" }), clock: () => NOW }),
    logLevel: "warn",
  });
  seedCompliantOrg(gh.fake, repositories - 1, { drifted: Math.floor(repositories / 20), orgRulesets });
  return gh;
}

/** One Rulebook sweep of the whole installation; its units per repository and seconds. */
async function sweep(gh: AppHarness, repositories: number) {
  gh.fake.requests.reset();
  const started = performance.now();
  await gh.deliver(
    "installation",
    installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo-admin"),
  );
  const seconds = (performance.now() - started) / 1000;
  const units = gh.fake.requests.units();
  return {
    seconds,
    core: units.core / repositories,
    graphql: units.graphql / repositories,
    total: (units.core + units.graphql) / repositories,
  };
}

/** The naive gatherer: per repository, every candidate file, the rulesets one by one, issues and pulls. */
async function naiveUnits(gh: AppHarness, repositories: number): Promise<number> {
  const loaded = await loadBundleDir(defaultBundleDir(), { now: new Date(NOW).toISOString() });
  if (!loaded.ok) throw new Error("the default bundle is invalid");
  const { paths } = factNeeds(loaded.bundle, ["repo"]);
  const octokit = gh.fake.octokit(gh.fake.installationFor("acme").id);
  gh.fake.requests.reset();
  const listed = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
    per_page: 100,
  });
  for (const repository of listed) {
    const at = { owner: "acme", repo: repository.name };
    for (const path of paths) {
      await octokit.rest.repos.getContent({ ...at, path }).catch(() => undefined);
    }
    const rulesets = await octokit.paginate(octokit.rest.repos.getRepoRulesets, { ...at, per_page: 100 });
    for (const ruleset of rulesets)
      await octokit.rest.repos.getRepoRuleset({ ...at, ruleset_id: ruleset.id });
    await octokit.paginate(octokit.rest.issues.listForRepo, {
      ...at,
      labels: RTFM_LABEL,
      state: "all",
      per_page: 100,
    });
    await octokit.paginate(octokit.rest.pulls.list, { ...at, state: "open", per_page: 100 });
  }
  const units = gh.fake.requests.units();
  return (units.core + units.graphql) / repositories;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Child mode: one cold sweep of `repositories`, printing its seconds and this process's peak RSS. */
async function child(repositories: number) {
  const gh = await startOrg(repositories, true);
  const { seconds } = await sweep(gh, repositories);
  const rssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ seconds, rssMB })}\n`);
  process.exit(0);
}

function inChild(repositories: number): { seconds: number; rssMB: number } {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), "--child", String(repositories)],
    {
      encoding: "utf8",
      maxBuffer: 1 << 24,
    },
  );
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}");
}

async function main() {
  const quick = process.argv.includes("--quick");
  const UNITS_ORG = 200;

  // Units: repository rulesets (two per repository), the costlier case for the batched reads.
  const units = await startOrg(UNITS_ORG, false);
  const cold = await sweep(units, UNITS_ORG);
  await sweep(units, UNITS_ORG); // the cold sweep's own issues moved the listing
  const warm = await sweep(units, UNITS_ORG);
  const naive = await naiveUnits(units, UNITS_ORG);
  console.log(`units per repository (${UNITS_ORG} repositories, 2 rulesets each)`);
  console.log(`  naive REST   ${naive.toFixed(2)}`);
  console.log(
    `  rulebook     cold ${cold.total.toFixed(3)} (core ${cold.core.toFixed(3)}, graphql ${cold.graphql.toFixed(3)})  warm ${warm.total.toFixed(3)} (core ${warm.core.toFixed(3)}, graphql ${warm.graphql.toFixed(3)})`,
  );

  // Wall time at 50 ms a request.
  const timed: number[] = [];
  for (let run = 0; run < (quick ? 1 : 3); run++) {
    const gh = await startOrg(1000, true);
    gh.fake.faults.inject("*", { delayMs: LATENCY_MS });
    timed.push((await sweep(gh, 1000)).seconds);
  }
  const sweep1000Seconds = median(timed);
  console.log(
    `cold sweep of 1,000 repositories at ${LATENCY_MS} ms a request: median ${sweep1000Seconds.toFixed(1)} s of ${timed.length}`,
  );

  // Scale, each in its own process.
  const small = inChild(1000);
  const large = inChild(quick ? 2000 : 10000);
  const time10000Over1000 = large.seconds / small.seconds;
  console.log(
    `cold sweep without latency: 1,000 in ${small.seconds.toFixed(1)} s (peak RSS ${small.rssMB.toFixed(0)} MB), ${quick ? "2,000" : "10,000"} in ${large.seconds.toFixed(1)} s (peak RSS ${large.rssMB.toFixed(0)} MB), ratio ${time10000Over1000.toFixed(1)}`,
  );

  console.log(
    JSON.stringify({
      naiveUnitsPerRepo: Number(naive.toFixed(3)),
      coldUnitsPerRepo: Number(cold.total.toFixed(3)),
      warmUnitsPerRepo: Number(warm.total.toFixed(3)),
      coldGraphqlPointsPerRepo: Number(cold.graphql.toFixed(3)),
      coldCoreRequestsPerRepo: Number(cold.core.toFixed(3)),
      sweep1000Seconds: Number(sweep1000Seconds.toFixed(2)),
      rss10000MB: Math.round(large.rssMB),
      time10000Over1000: Number(time10000Over1000.toFixed(2)),
      ...(quick ? { quick: true } : {}),
    }),
  );
  process.exit(0);
}

const childAt = process.argv.indexOf("--child");
if (childAt >= 0) await child(Number(process.argv[childAt + 1]));
else await main();
