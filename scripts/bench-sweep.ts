/**
 * Benchmark of an org sweep against the fake GitHub: a naive REST gatherer (one request per candidate
 * file, per ruleset, an issues and a pulls list per repository) side by side with Rulebook's sweep.
 * Units are per repository and per budget (REST core requests, a 304 free; GraphQL points), cold and
 * warm (nothing changed since the last sweep). Wall time: a cold sweep of 1,000 repositories with 50 ms
 * of simulated latency on every request, in this process (median of 3). Scale: cold sweeps of 1,000 and
 * 10,000 repositories without latency, three of each, interleaved: the app alone in a child process
 * (`bench-sweep-app.ts`, plain Node, heap limit unset) that reports its peak RSS, talking over loopback
 * HTTP to the fake GitHub in another (`--serve`), so the figure is the app's and not the fake's.
 *
 *   npm run bench:sweep [-- --quick]
 *
 * Ends with one JSON line.
 */
import { execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { readConfig } from "../src/app/config.js";
import { defaultBundleDir, loadBundleDir } from "../src/bundle/load.js";
import { factNeeds } from "../src/engine/needs.js";
import { createApp } from "../src/index.js";
import { RTFM_LABEL } from "../src/publish/rtfm.js";
import { installationCreatedEvent } from "../test/fake-github/push.js";
import { APP_ID, type AppHarness, fakeGitHubForApp, startAppHarness } from "../test/support/app-harness.js";
import { seedCompliantOrg } from "../test/support/compliant-repo.js";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const LATENCY_MS = 50;

async function startOrg(repositories: number, orgRulesets: boolean): Promise<AppHarness> {
  const gh = await startAppHarness({
    app: createApp({
      config: readConfig({ RULEBOOK_SWEEP_INTERVAL_HOURS: "0", RULEBOOK_JOB_ATTEMPTS: "1" }),
      clock: () => NOW,
    }),
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

/**
 * Server mode: the fake GitHub with an org of `repositories`, served over loopback HTTP. Prints one line,
 * `{ port, appId, privateKey, event }`, then serves until its parent closes its stdin.
 */
async function serve(repositories: number) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const fake = fakeGitHubForApp({ app: { publicKey } });
  seedCompliantOrg(fake, repositories - 1, { drifted: Math.floor(repositories / 20), orgRulesets: true });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string" && name !== "host" && name !== "connection") headers.set(name, value);
      }
      const response = await fake.fetch(`https://api.github.com${req.url ?? "/"}`, {
        method: req.method ?? "GET",
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const event = installationCreatedEvent(fake, fake.installationFor("acme"), "octo-admin");
  process.stdout.write(`${JSON.stringify({ port, appId: APP_ID, privateKey, event })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    const violations = fake.takeViolations();
    if (violations.length > 0)
      process.stderr.write(`fake GitHub violations: ${JSON.stringify(violations.slice(0, 3))}\n`);
    process.exit(violations.length > 0 ? 1 : 0);
  });
}

/** The app process, bundled once into one ESM file that plain Node runs (no TypeScript loader in it). */
async function bundleApp(): Promise<string> {
  const outfile = fileURLToPath(new URL("../lib/bench/sweep-app.mjs", import.meta.url));
  await build({
    entryPoints: [fileURLToPath(new URL("./bench-sweep-app.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  return outfile;
}

/** One cold sweep of `repositories` by the app in its own process; its seconds and peak RSS. */
interface ScaleRun {
  seconds: number;
  cpuSeconds: number;
  rssMB: number;
}

async function scaleRun(app: string, repositories: number): Promise<ScaleRun> {
  const server = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), "--serve", String(repositories)],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const exited = once(server, "exit") as Promise<[number | null]>;
  let out: string;
  try {
    const [ready] = (await once(createInterface({ input: server.stdout }), "line")) as [string];
    out = execFileSync(process.execPath, [app], { input: ready, encoding: "utf8", maxBuffer: 1 << 24 });
  } finally {
    server.stdin.end();
  }
  // The fake refused a request GitHub would refuse: the figures would not be GitHub's.
  const [code] = await exited;
  if (code !== 0) throw new Error(`the fake GitHub saw requests GitHub would refuse (exit ${code})`);
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

  // Scale: the app alone in its process, the fake GitHub in another; interleaved, so both sizes see
  // the same machine load.
  const app = await bundleApp();
  const large = quick ? 2000 : 10000;
  const runs = quick ? 1 : 3;
  const small: ScaleRun[] = [];
  const big: ScaleRun[] = [];
  for (let run = 0; run < runs; run++) {
    small.push(await scaleRun(app, 1000));
    big.push(await scaleRun(app, large));
  }
  const seconds1000 = median(small.map((r) => r.seconds));
  const secondsLarge = median(big.map((r) => r.seconds));
  const rss1000MB = Math.max(...small.map((r) => r.rssMB));
  const rssLargeMB = Math.max(...big.map((r) => r.rssMB));
  const time10000Over1000 = secondsLarge / seconds1000;
  const cpu10000Over1000 = median(big.map((r) => r.cpuSeconds)) / median(small.map((r) => r.cpuSeconds));
  console.log(
    `cold sweep without latency, the app in its own process (median of ${runs}): 1,000 in ${seconds1000.toFixed(1)} s (peak RSS ${rss1000MB.toFixed(0)} MB), ${large.toLocaleString("en")} in ${secondsLarge.toFixed(1)} s (peak RSS ${rssLargeMB.toFixed(0)} MB), ratio ${time10000Over1000.toFixed(1)} (app CPU time ratio ${cpu10000Over1000.toFixed(1)})`,
  );
  const shown = (r: ScaleRun) =>
    `${r.seconds.toFixed(1)} s (${r.cpuSeconds.toFixed(1)} s CPU)/${r.rssMB.toFixed(0)} MB`;
  console.log(
    `  runs: 1,000 ${small.map(shown).join(", ")}; ${large.toLocaleString("en")} ${big.map(shown).join(", ")}`,
  );

  console.log(
    JSON.stringify({
      naiveUnitsPerRepo: Number(naive.toFixed(3)),
      coldUnitsPerRepo: Number(cold.total.toFixed(3)),
      warmUnitsPerRepo: Number(warm.total.toFixed(3)),
      coldGraphqlPointsPerRepo: Number(cold.graphql.toFixed(3)),
      coldCoreRequestsPerRepo: Number(cold.core.toFixed(3)),
      sweep1000Seconds: Number(sweep1000Seconds.toFixed(2)),
      sweep1000NoLatencySeconds: Number(seconds1000.toFixed(2)),
      sweep10000NoLatencySeconds: Number(secondsLarge.toFixed(2)),
      rss1000MB: Math.round(rss1000MB),
      rss10000MB: Math.round(rssLargeMB),
      time10000Over1000: Number(time10000Over1000.toFixed(2)),
      cpu10000Over1000: Number(cpu10000Over1000.toFixed(2)),
      ...(quick ? { quick: true } : {}),
    }),
  );
  process.exit(0);
}

const serveAt = process.argv.indexOf("--serve");
if (serveAt >= 0) await serve(Number(process.argv[serveAt + 1]));
else await main();
