/**
 * Benchmark of the app at org scale, as deployed: replicas of the app (`node lib/main.js`, each a real
 * Probot server, its jobs in a thread of their own) sharing one Redis, the fake GitHub in a process of
 * its own answering every request after 50 ms (at the lowest CPU priority, as GitHub does not share the
 * replicas' machines), and this script as the load generator, so none of them shares an event loop. Each round
 * pushes a commit onto every pull request and posts the `pull_request.synchronize` deliveries all at
 * once, spread over the replicas, signed as GitHub signs them; it times each answer (the ack: as this
 * script sees it, and as the replica logged it, from the request read to the answer sent), then waits
 * until every new head carries its `rulebook` check run. The sweep runs on a short interval
 * meanwhile, and the log says how many sweeps started in each interval.
 *
 *   npm run bench:scale [-- --rounds 3 --deliveries 100 --replicas 3 --web-replicas 0 --latency-ms 50 --interval-seconds 15
 *                          --server-error-percent 0 --rate-limit-percent 0 --env RULEBOOK_WORKER_CONCURRENCY=8]
 *
 * Prints medians over the rounds and ends with one JSON line.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { OrgScenario, ScenarioDelivery, SeededPullRequest } from "../test/scale/scenarios.js";
import { appKeys } from "../test/support/app-identity.js";
import { duplicatesIn } from "../test/support/duplicates.js";
import { type FakeGitHubProcess, startFakeGitHubProcess } from "../test/support/fake-github-process.js";
import { Child, freePort, sleep, waitUntil } from "../test/support/processes.js";
import { type RedisServer, startRedis } from "../test/support/redis.js";
import {
  answerLines,
  buildApp,
  deliverTo,
  type Replica,
  scheduledSweeps,
  startReplica,
  startReplicas,
  stopReplicas,
} from "../test/support/replicas.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    deliveries: { type: "string", default: "100" },
    replicas: { type: "string", default: "3" },
    /**
     * Replicas that only acknowledge webhooks (`RULEBOOK_WORKER_CONCURRENCY=0`), besides the others: the
     * deliveries go to them alone, so no job shares their event loop. None by default.
     */
    "web-replicas": { type: "string", default: "0" },
    repositories: { type: "string", default: "25" },
    "latency-ms": { type: "string", default: "50" },
    "interval-seconds": { type: "string", default: "15" },
    /** Shares of GitHub requests answered 502, or with a secondary rate limit, during the rounds. */
    "server-error-percent": { type: "string", default: "0" },
    "rate-limit-percent": { type: "string", default: "0" },
    /** More settings for the replicas, e.g. `--env RULEBOOK_WORKER_CONCURRENCY=2`. */
    env: { type: "string", multiple: true, default: [] },
  },
});
const ROUNDS = Number(values.rounds);
const DELIVERIES = Number(values.deliveries);
const REPLICAS = Number(values.replicas);
const WEB_REPLICAS = Number(values["web-replicas"]);
const REPOSITORIES = Number(values.repositories);
const LATENCY_MS = Number(values["latency-ms"]);
const INTERVAL_MS = Number(values["interval-seconds"]) * 1000;
function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The nearest-rank percentile. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

function median(numbers: number[]): number {
  return percentile(
    [...numbers].sort((a, b) => a - b),
    50,
  );
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Posts every delivery at once, the i-th to replica i mod N; the ack times and the statuses that were not 2xx. */
async function burst(replicas: Replica[], deliveries: Array<ScenarioDelivery & { id: string }>) {
  const answers = await Promise.all(
    deliveries.map((delivery, i) => (replicas[i % replicas.length] as Replica).deliver(delivery)),
  );
  return {
    acks: answers.map((answer) => answer.milliseconds).sort((a, b) => a - b),
    failed: answers.filter((answer) => answer.status < 200 || answer.status > 299).map((a) => a.status),
  };
}

/** A server that reads each request and answers 200 at once, nothing else. */
const BARE_SERVER = `require("node:http").createServer((req, res) => req.resume().on("end", () => res.end())).listen(Number(process.argv[1]), "127.0.0.1", () => console.log("ready"));`;

/**
 * The floor: one bare server process per receiving replica. The same burst, posted to them just before
 * the app's in each round, times what this machine, the loopback and this generator cost before any app
 * does anything; the app's figures are read against it.
 */
async function startFloor(count: number): Promise<{ ports: number[]; children: Child[] }> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const children = await Promise.all(
    ports.map(async (port, i) => {
      let ready: () => void = () => {};
      const listening = new Promise<void>((resolve) => {
        ready = resolve;
      });
      const child = new Child(`bare server ${i + 1}`, process.execPath, ["-e", BARE_SERVER, String(port)], {
        onLine: () => ready(),
      });
      await child.until(listening);
      return child;
    }),
  );
  return { ports, children };
}

/** Waits until every head has a completed `rulebook` check run; the seconds it took. */
async function drained(github: FakeGitHubProcess, heads: SeededPullRequest[], since: number) {
  const wanted = new Set(heads.map((pr) => `${pr.repo.toLowerCase()}@${pr.headSha}`));
  await waitUntil(
    `a completed rulebook check run on each of ${wanted.size} heads`,
    async () => {
      const { checkRuns } = await github.writes();
      const done = new Set(
        checkRuns
          .filter((run) => run.name === "rulebook" && run.status === "completed")
          .map((run) => `${run.repo}@${run.headSha}`),
      );
      return [...wanted].every((head) => done.has(head));
    },
    { timeoutMs: 300_000, intervalMs: 200 },
  );
  return (performance.now() - since) / 1000;
}

/**
 * Sweeps per interval of the schedule: for each interval, the dashboards written by sweeps scheduled in
 * it (1 when N replicas sweep once), and how many times the schedule's job ran per sweep.
 */
function sweepsPerInterval(replicas: Replica[]) {
  const { scheduledAt, dashboards, runs } = scheduledSweeps(replicas);
  const perInterval = new Map<number, number>();
  for (const time of scheduledAt) {
    const interval = Math.floor(time / INTERVAL_MS);
    perInterval.set(interval, (perInterval.get(interval) ?? 0) + (dashboards.get(time) ?? 0));
  }
  return { sweeps: scheduledAt.length, runs, perInterval: [...perInterval.values()] };
}

let redis: RedisServer | undefined;
let github: FakeGitHubProcess | undefined;
let replicas: Replica[] = [];
let floor: Awaited<ReturnType<typeof startFloor>> | undefined;
try {
  const build = await buildApp();
  log(build.built ? `built lib/ in ${round1(build.milliseconds / 1000)} s` : "lib/ is up to date");
  const { privateKey, publicKey } = appKeys();
  let started = performance.now();
  [redis, github] = await Promise.all([
    startRedis(),
    // GitHub answers from machines of its own: the fake yields the CPU to the replicas it serves.
    startFakeGitHubProcess({ publicKey, scenarios: "test/scale/scenarios.ts", nice: 19 }),
  ]);
  const seeded = await github.scenario<OrgScenario>("org", {
    repositories: REPOSITORIES,
    drifted: Math.ceil(REPOSITORIES / 10),
    pullRequests: DELIVERIES,
  });
  log(
    `Redis and the fake GitHub up, ${REPOSITORIES} repositories seeded in ${Math.round(performance.now() - started)} ms`,
  );

  started = performance.now();
  const replicaOptions = {
    githubHost: github.host,
    privateKey,
    redisUrl: redis.url,
    env: {
      RULEBOOK_SWEEP_INTERVAL_HOURS: String(INTERVAL_MS / 3_600_000),
      LOG_LEVEL: "info",
      ...Object.fromEntries(values.env.map((pair) => pair.split(/=(.*)/s).slice(0, 2))),
    },
  };
  const [workers, web] = await Promise.all([
    startReplicas(REPLICAS, replicaOptions),
    Promise.all(
      Array.from({ length: WEB_REPLICAS }, (_, i) =>
        startReplica(`web-${i + 1}`, {
          ...replicaOptions,
          env: { ...replicaOptions.env, RULEBOOK_WORKER_CONCURRENCY: "0" },
        }),
      ),
    ),
  ]);
  replicas = [...workers, ...web];
  /** Where deliveries go: the web-only replicas when there are some. */
  const receivers = web.length ? web : workers;
  floor = await startFloor(receivers.length);
  const floorPorts = floor.ports;
  const from = Date.now();
  log(
    `${REPLICAS} replicas${WEB_REPLICAS ? ` and ${WEB_REPLICAS} web-only` : ""} answering /ping after ` +
      `${Math.round(performance.now() - started)} ms`,
  );
  // Every request from now on waits, as GitHub's do.
  await github.settings({ latencyMs: LATENCY_MS });

  // Warm-up, not measured: each replica mints its token and loads the bundle on the opened pull requests.
  const opened = seeded.opened.map((delivery, i) => ({ ...delivery, id: `opened-${i}` }));
  await burst(receivers, opened);
  await drained(github, seeded.pullRequests, performance.now());

  await github.settings({
    serverErrorPercent: Number(values["server-error-percent"]),
    rateLimitPercent: Number(values["rate-limit-percent"]),
  });
  let heads = seeded.pullRequests;
  const rounds: Array<{
    p50: number;
    p99: number;
    max: number;
    floorP50: number;
    floorP99: number;
    serverP50: number;
    serverP99: number;
    drainSeconds: number;
    failed: number;
  }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const pushed = await github.scenario<{
      pullRequests: SeededPullRequest[];
      synchronized: ScenarioDelivery[];
    }>("synchronize", { pullRequests: heads, round });
    heads = pushed.pullRequests;
    const deliveries = pushed.synchronized.map((delivery, i) => ({ ...delivery, id: `sync-${round}-${i}` }));
    const floorAcks = (
      await Promise.all(
        deliveries.map((delivery, i) => deliverTo(floorPorts[i % floorPorts.length] as number, delivery)),
      )
    )
      .map((answer) => answer.milliseconds)
      .sort((a, b) => a - b);
    const since = performance.now();
    const { acks, failed } = await burst(receivers, deliveries);
    const drainSeconds = await drained(github, heads, since);
    // The replicas' own view: from the request read to the answer sent (Probot's HTTP log line).
    const answered = answerLines(replicas);
    const server = deliveries
      .map((delivery) => answered.get(delivery.id)?.responseTime ?? Number.NaN)
      .sort((a, b) => a - b);
    const result = {
      serverP50: percentile(server, 50),
      serverP99: percentile(server, 99),
      p50: percentile(acks, 50),
      p99: percentile(acks, 99),
      max: acks.at(-1) ?? Number.NaN,
      floorP50: percentile(floorAcks, 50),
      floorP99: percentile(floorAcks, 99),
      drainSeconds,
      failed: failed.length,
    };
    rounds.push(result);
    log(
      `round ${round}: ${deliveries.length} deliveries, ack p50 ${round1(result.p50)} ms, p99 ${round1(result.p99)} ms, ` +
        `max ${round1(result.max)} ms (as the replicas timed them: p50 ${round1(result.serverP50)} ms, ` +
        `p99 ${round1(result.serverP99)} ms; bare servers: p50 ${round1(result.floorP50)} ms, p99 ${round1(result.floorP99)} ms), ` +
        `${failed.length} not 2xx, all judged after ${round1(drainSeconds)} s`,
    );
  }

  // Two whole intervals of the schedule at least, to count the sweeps in each.
  const until = Math.max(Date.now(), from + 3 * INTERVAL_MS);
  await sleep(until - Date.now());
  const sweeps = sweepsPerInterval(replicas);
  const writes = await github.writes();
  const duplicates = duplicatesIn(writes);
  const violations = await github.violations();
  const byReplica = Object.fromEntries(
    replicas.map((replica) => [
      replica.name,
      replica.logs.filter((l) => l.msg === "delivery handled").length,
    ]),
  );
  log(`deliveries handled per replica: ${JSON.stringify(byReplica)}`);
  log(
    `dashboards written per interval of ${INTERVAL_MS / 1000} s: ${JSON.stringify(sweeps.perInterval)}; ` +
      `the schedule's job ran ${sweeps.runs} times for ${sweeps.sweeps} sweeps`,
  );
  log(`duplicates: ${JSON.stringify(duplicates)}; requests GitHub would refuse: ${violations.length}`);

  const summary = {
    replicas: REPLICAS,
    webReplicas: WEB_REPLICAS,
    deliveries: DELIVERIES,
    rounds: ROUNDS,
    latencyMs: LATENCY_MS,
    serverErrorPercent: Number(values["server-error-percent"]),
    rateLimitPercent: Number(values["rate-limit-percent"]),
    ackP50Ms: round1(median(rounds.map((r) => r.p50))),
    ackP99Ms: round1(median(rounds.map((r) => r.p99))),
    ackMaxMs: round1(median(rounds.map((r) => r.max))),
    serverAckP50Ms: round1(median(rounds.map((r) => r.serverP50))),
    serverAckP99Ms: round1(median(rounds.map((r) => r.serverP99))),
    floorAckP50Ms: round1(median(rounds.map((r) => r.floorP50))),
    floorAckP99Ms: round1(median(rounds.map((r) => r.floorP99))),
    /** The app's p99 over the bare servers' in the same round: what the app itself adds. */
    ackP99OverFloor: round1(median(rounds.map((r) => r.p99 / r.floorP99))),
    notAcknowledged: rounds.reduce((n, r) => n + r.failed, 0),
    drainSeconds: round1(median(rounds.map((r) => r.drainSeconds))),
    deliveriesHandledPerReplica: byReplica,
    sweepIntervalSeconds: INTERVAL_MS / 1000,
    sweeps: sweeps.sweeps,
    scheduleRuns: sweeps.runs,
    sweepsPerInterval: sweeps.perInterval.length ? Math.max(...sweeps.perInterval) : null,
    duplicateCheckRuns: duplicates.checkRuns.length,
    duplicateIssues: duplicates.issues.length,
    duplicateComments: duplicates.comments.length,
    violations: violations.length,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await stopReplicas(replicas);
  await Promise.all((floor?.children ?? []).map((child) => child.stop()));
  await github?.stop();
  await redis?.close();
}
