/**
 * The harness the scale tests stand on, checked against real processes: the fake GitHub served over
 * HTTP in its own process still refuses (and records) what GitHub would refuse, and can be slowed and
 * made to fail; Redis starts, crashes and comes back on its port; a replica of the app (`node
 * lib/main.js`) answers /ping and judges a pull request from a signed delivery, end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { ProbotOctokit } from "probot";
import { APP_ID, appKeys, signWebhook } from "../support/app-identity.js";
import { type FakeGitHubProcess, startFakeGitHubProcess } from "../support/fake-github-process.js";
import { waitUntil } from "../support/processes.js";
import { ping, startRedis } from "../support/redis.js";
import { buildApp, type Replica, startReplica } from "../support/replicas.js";
import type { OrgScenario } from "./scenarios.js";

const { privateKey, publicKey } = appKeys();
let github: FakeGitHubProcess;
/** acme/service-0 with one open pull request. */
let seeded: OrgScenario;

beforeAll(async () => {
  github = await startFakeGitHubProcess({ publicKey, scenarios: "test/scale/scenarios.ts" });
  seeded = await github.scenario<OrgScenario>("org", { repositories: 1, pullRequests: 1 });
}, 30_000);

afterAll(async () => {
  await github?.stop();
});

/** An Octokit as the app (or one installation of it) on GitHub Enterprise Server at the fake's address. */
function octokitFor(installationId?: number) {
  return new ProbotOctokit({
    baseUrl: `${github.url}/api/v3`,
    auth: { appId: APP_ID, privateKey, ...(installationId === undefined ? {} : { installationId }) },
    retry: { enabled: false },
    throttle: { enabled: false },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

describe("the fake GitHub over HTTP", () => {
  it("answers the app's JWT and installation tokens on GitHub Enterprise Server's paths, REST and GraphQL", async () => {
    const app = await octokitFor().rest.apps.getAuthenticated();
    expect(app.data?.id).toBe(APP_ID);

    const installation = octokitFor(seeded.installationId);
    const repo = await installation.rest.repos.get({ owner: "acme", repo: "service-0" });
    expect(repo.data.full_name).toBe("acme/service-0");
    const answer = await installation.graphql<{ repository: { defaultBranchRef: { name: string } } }>(
      'query { repository(owner: "acme", name: "service-0") { defaultBranchRef { name } } }',
    );
    expect(answer.repository.defaultBranchRef.name).toBe("main");

    const traffic = await github.traffic();
    expect(traffic.counts).toMatchObject({
      "GET /app": 1,
      "POST /app/installations/{installation_id}/access_tokens": 1,
      "GET /repos/{owner}/{repo}": 1,
      "POST /graphql": 1,
    });
    await github.assertNoViolations();
  });

  it("records a request GitHub would refuse as a violation that fails the test reading the log", async () => {
    const installation = octokitFor(seeded.installationId);

    await expect(
      installation.request({
        method: "POST",
        url: "/repos/acme/service-0/check-runs",
        name: "rulebook", // without the head_sha GitHub requires
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      installation.request("GET /repos/{owner}/{repo}/no-such-thing", { owner: "acme", repo: "x" }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      installation.graphql('query { repository(owner: "acme", name: "service-0") { starCount } }'),
    ).rejects.toThrow();

    expect((await github.violations()).map((v) => [v.kind, v.route])).toEqual([
      ["invalid-request", "POST /repos/{owner}/{repo}/check-runs"],
      ["unknown-endpoint", null],
      ["invalid-request", "POST /graphql"],
    ]);
    await expect(github.assertNoViolations()).rejects.toThrow(/saw 3 problem\(s\)/);
    await github.assertNoViolations();
  });

  it("answers after the latency it is given, and fails the share of requests it is told to", async () => {
    const octokit = octokitFor();
    await github.settings({ latencyMs: 200 });
    const started = performance.now();
    await octokit.rest.apps.getAuthenticated();
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);

    await github.settings({ latencyMs: 0, serverErrorPercent: 100 });
    await expect(octokit.rest.apps.getAuthenticated()).rejects.toMatchObject({ status: 502 });
    await github.settings({ serverErrorPercent: 0, rateLimitPercent: 100 });
    await expect(octokit.rest.apps.getAuthenticated()).rejects.toMatchObject({
      status: 403,
      response: { headers: { "retry-after": "1" } },
    });
    await github.settings({ rateLimitPercent: 0 });
    expect((await github.traffic()).faulted).toBe(2);
    await github.assertNoViolations();
  });
});

describe("Redis", () => {
  it("starts on a free port, and after a crash comes back on it with what its append-only file kept", async () => {
    const redis = await startRedis({ appendOnly: true });
    const client = new Redis(redis.url, { maxRetriesPerRequest: null, lazyConnect: true });
    try {
      await client.connect();
      await client.set("delivery", "kept");
      await redis.restart("SIGKILL");
      expect(await ping(redis.port)).toBe(true);
      expect(await client.get("delivery")).toBe("kept");
    } finally {
      client.disconnect();
      await redis.close();
    }
    expect(await ping(redis.port)).toBe(false);
  }, 30_000);

  it("keeps nothing across a restart when it runs in memory only", async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url, { maxRetriesPerRequest: null, lazyConnect: true });
    try {
      await client.connect();
      await client.set("delivery", "lost");
      await redis.stop("SIGKILL");
      expect(await ping(redis.port)).toBe(false);
      await redis.start();
      expect(await client.get("delivery")).toBeNull();
    } finally {
      client.disconnect();
      await redis.close();
    }
  }, 30_000);
});

describe("a replica of the app", () => {
  let replica: Replica | undefined;
  afterAll(async () => {
    await replica?.stop();
  });

  it("starts, answers /ping and judges a pull request from a signed delivery against the fake over HTTP", async () => {
    await buildApp();
    replica = await startReplica("replica-1", {
      githubHost: github.host,
      privateKey,
      env: { RULEBOOK_SWEEP_INTERVAL_HOURS: "0" },
    });
    expect(await (await fetch(`${replica.url}/ping`)).text()).toBe("PONG");

    const [opened] = seeded.opened;
    const [pullRequest] = seeded.pullRequests;
    if (!opened || !pullRequest) throw new Error("the scenario opened no pull request");
    const forged = await replica.deliver({
      ...opened,
      id: "forged",
      signature: signWebhook(opened.body.replace("alice", "mallory")),
    });
    expect(forged.status).toBe(400);

    const answer = await replica.deliver({ ...opened, id: "delivery-1" });
    expect(answer.status).toBe(200);
    // The answer may come before the work (a queued job): wait for the check run to conclude.
    const concluded = async () =>
      (await github.writes()).checkRuns.filter(
        (run) => run.headSha === pullRequest.headSha && run.name === "rulebook" && run.status === "completed",
      );
    await waitUntil("the rulebook check run to conclude", async () => (await concluded()).length > 0);
    expect((await concluded()).map((run) => [run.appId, run.conclusion])).toEqual([[APP_ID, "success"]]);
    // The replica named itself in its requests' paths: the served log says who wrote the check run.
    const writers = (await github.served()).filter(
      (r) => r.client !== null && r.method === "POST" && r.path === `/repos/${pullRequest.repo}/check-runs`,
    );
    expect(writers.map((r) => [r.client, r.status])).toEqual([["replica-1", 201]]);
    await waitUntil(
      "the delivery's log line",
      () => replica?.logs.some((log) => log.msg === "delivery handled") ?? false,
    );
    expect(replica.logs.find((log) => log.msg === "delivery handled")).toMatchObject({
      delivery: "delivery-1",
      event: "pull_request.opened",
      repository: pullRequest.repo,
      verdict: "success",
    });
    await github.assertNoViolations();
  }, 120_000);
});
