/**
 * `/metrics`, `/healthz` and `/readyz` over real HTTP: after a pull request judged against the fake
 * GitHub, a refused delivery and a sweep, the metrics say what happened (the requests the fake counted,
 * the jobs run, the refusal, the sweep's time, GraphQL's points left, the content written); a token
 * guards `/metrics` when one is set; and `/readyz` follows a real Redis going down.
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { readConfig } from "../../src/app/config.js";
import { createApp, runtimeOf } from "../../src/index.js";
import { createWebhookServer, type WebhookServerOptions } from "../../src/server.js";
import { GRAPHQL_POINTS_PER_HOUR } from "../fake-github/graphql.js";
import { CORE_REQUESTS_PER_HOUR } from "../fake-github/index.js";
import { installationCreatedEvent } from "../fake-github/push.js";
import { startAppHarness } from "../support/app-harness.js";
import { deliveryBody } from "../support/app-identity.js";
import { compliantRepoFiles, protectRepo } from "../support/compliant-repo.js";
import type { AppHarness } from "../support/github.js";
import { parseMetrics, type Sample, total } from "../support/metrics.js";
import { startRedis } from "../support/redis.js";
import { seedPullRequest, startConfiguredApp } from "../support/scenario.js";

const PATH = "/api/github/webhooks";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(gh: AppHarness, options: Partial<WebhookServerOptions> = {}): Promise<string> {
  const server: Server = createWebhookServer({
    probot: gh.probot,
    webhookPath: PATH,
    log: gh.probot.log,
    ...options,
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Posts a delivery of `event` signed with `signature` (the body's own when absent); its status. */
async function post(base: string, gh: AppHarness, event: string, body: string, signature = gh.sign(body)) {
  const response = await fetch(`${base}${PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-delivery": randomUUID(),
      "x-github-event": event,
      "x-hub-signature-256": signature,
    },
    body,
  });
  await response.text();
  return response.status;
}

async function scrape(base: string, token?: string): Promise<Sample[]> {
  const response = await fetch(
    `${base}/metrics`,
    token ? { headers: { authorization: `Bearer ${token}` } } : {},
  );
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/u);
  return parseMetrics(await response.text());
}

/** acme: its central repository (holding a bundle that extends the default) and `web`, both compliant. */
function seedOrg(gh: AppHarness) {
  const files = compliantRepoFiles();
  const central = gh.fake.seedRepo({
    owner: "acme",
    name: ".github",
    visibility: "public",
    files: { ...files, "standards/rulebook.yml": 'version: "acme-1"\nextends: default\n' },
  });
  const web = gh.fake.seedRepo({ owner: "acme", name: "web", visibility: "public", files });
  protectRepo(gh.fake, central);
  protectRepo(gh.fake, web);
  return { web };
}

describe("/metrics", () => {
  it("counts a judged delivery, a refused one and a sweep as the fake GitHub saw them", async () => {
    const gh = await startConfiguredApp();
    cleanups.push(async () => runtimeOf(gh.probot)?.close());
    const base = await serve(gh);
    const { web } = seedOrg(gh);
    const pr = seedPullRequest(gh, web, {
      head: "feat-metrics",
      files: { "src/metrics.ts": "export {};\n" },
    });
    const installation = String(gh.fake.installationFor("acme").id);
    const before = await scrape(base);
    gh.fake.requests.reset();

    const opened = deliveryBody(gh.fake, "pull_request", gh.fake.pullRequestEvent(web, pr.number, "opened"));
    expect(await post(base, gh, "pull_request", opened)).toBe(200);
    expect(await post(base, gh, "pull_request", opened, gh.sign("something else"))).toBe(400);
    // Signed, but not a pull request event's payload: refused in the log, answered 200.
    const malformed = JSON.stringify({ action: "opened", installation: { id: Number(installation) } });
    expect(await post(base, gh, "pull_request", malformed)).toBe(200);
    await runtimeOf(gh.probot)?.idle();
    const sweepStarted = Date.now() / 1000;
    const installed = installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo-admin");
    expect(await post(base, gh, "installation", deliveryBody(gh.fake, "installation", installed))).toBe(200);
    await runtimeOf(gh.probot)?.idle();
    const sweepEnded = Date.now() / 1000;
    const after = await scrape(base);

    const delta = (name: string, labels: Record<string, string> = {}) =>
      total(after, name, labels) - total(before, name, labels);
    // Every request the fake received, REST and GraphQL apart, and nothing else.
    const graphql = gh.fake.requests.all.filter((r) => r.budget === "graphql").length;
    expect(graphql).toBeGreaterThan(0);
    expect(delta("rulebook_github_requests_total")).toBe(gh.fake.requests.count());
    expect(delta("rulebook_github_requests_total", { api: "graphql" })).toBe(graphql);
    expect(delta("rulebook_github_requests_total", { installation, api: "graphql" })).toBe(graphql);
    expect(total(after, "rulebook_github_rate_limit_remaining", { installation, api: "graphql" })).toBe(
      GRAPHQL_POINTS_PER_HOUR - gh.fake.requests.units().graphql,
    );
    // The installation's REST requests (the app's own, under /app, are not the installation's).
    const rest = gh.fake.requests.all.filter(
      (r) => r.budget === "core" && r.status !== 304 && !r.path.startsWith("/app"),
    );
    expect(total(after, "rulebook_github_rate_limit_remaining", { installation, api: "rest" })).toBe(
      CORE_REQUESTS_PER_HOUR - rest.length,
    );
    // The pull request's job, the sweep's three (listing, one batch, the dashboard), none failed.
    expect(delta("rulebook_job_duration_seconds_count", { kind: "judge", outcome: "done" })).toBe(1);
    expect(delta("rulebook_job_duration_seconds_count", { kind: "sweep", outcome: "done" })).toBe(1);
    expect(delta("rulebook_job_duration_seconds_count", { kind: "sweep-batch", outcome: "done" })).toBe(1);
    expect(delta("rulebook_job_duration_seconds_count", { kind: "dashboard", outcome: "done" })).toBe(1);
    expect(delta("rulebook_job_duration_seconds_count", { outcome: "failed" })).toBe(0);
    expect(total(after, "rulebook_jobs")).toBe(0);
    // Three deliveries answered 200, one refused for its signature, one for its payload.
    expect(delta("rulebook_webhook_ack_seconds_count", { status: "200" })).toBe(3);
    expect(delta("rulebook_webhook_ack_seconds_count", { status: "400" })).toBe(1);
    expect(delta("rulebook_webhooks_refused_total", { reason: "bad_signature" })).toBe(1);
    expect(delta("rulebook_webhooks_refused_total", { reason: "bad_payload" })).toBe(1);
    expect(delta("rulebook_webhooks_refused_total")).toBe(2);
    // The sweep: finished between its delivery and the scrape, two repositories at some rate.
    const last = total(after, "rulebook_sweep_last_complete_timestamp_seconds", { installation });
    expect(last).toBeGreaterThanOrEqual(sweepStarted);
    expect(last).toBeLessThanOrEqual(sweepEnded);
    expect(delta("rulebook_sweep_duration_seconds_count", { installation })).toBe(1);
    // Both repositories (the central one and web), over the sweep's duration.
    const seconds = delta("rulebook_sweep_duration_seconds_sum", { installation });
    const rate = total(after, "rulebook_sweep_repositories_per_second", { installation });
    expect(rate * seconds).toBeCloseTo(2, 6);
    // The dashboard issue is the content this installation created this hour.
    const created = gh.fake.requests.all.filter((r) => r.method === "POST" && r.route?.endsWith("/issues"));
    expect(created).toHaveLength(1);
    expect(total(after, "rulebook_content_writes", { installation, window: "hour" })).toBe(created.length);
  });

  it("asks for the bearer token when one is set", async () => {
    const gh = await startAppHarness();
    cleanups.push(async () => runtimeOf(gh.probot)?.close());
    const base = await serve(gh, { metricsToken: "scrape-secret" });

    const statuses = await Promise.all(
      [undefined, "Bearer wrong-secret!", "scrape-secret", "Bearer scrape-secret"].map(
        async (authorization) => {
          const response = await fetch(
            `${base}/metrics`,
            authorization ? { headers: { authorization } } : {},
          );
          await response.text();
          return response.status;
        },
      ),
    );

    expect(statuses).toEqual([401, 401, 401, 200]);
  });
});

describe("/healthz and /readyz", () => {
  it("are up without Redis", async () => {
    const gh = await startAppHarness();
    cleanups.push(async () => runtimeOf(gh.probot)?.close());
    const runtime = runtimeOf(gh.probot);
    const base = await serve(gh, { ready: () => runtime?.ready() ?? Promise.resolve(false) });

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it("say ready while Redis answers, and not ready once it stopped, while the process stays up", async () => {
    const redis = await startRedis();
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await redis.close();
    });
    const config = readConfig({
      REDIS_URL: redis.url,
      RULEBOOK_QUEUE_NAME: `ready-${randomUUID()}`,
      RULEBOOK_SWEEP_INTERVAL_HOURS: "0",
    });
    const gh = await startAppHarness({ app: createApp({ config, role: "web" }) });
    cleanups.push(async () => runtimeOf(gh.probot)?.close(0));
    const runtime = runtimeOf(gh.probot);
    const base = await serve(gh, { ready: () => runtime?.ready() ?? Promise.resolve(false) });

    const up = await Promise.all([fetch(`${base}/healthz`), fetch(`${base}/readyz`)]);
    await redis.close();
    stopped = true;
    const down = await Promise.all([fetch(`${base}/healthz`), fetch(`${base}/readyz`)]);

    expect(up.map((r) => r.status)).toEqual([200, 200]);
    expect(down.map((r) => r.status)).toEqual([200, 503]);
  });
});
