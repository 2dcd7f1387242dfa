/**
 * The process as a container runs it (`node lib/main.js`, built if stale, configured only by environment
 * variables): a signed webhook is answered once its job is in Redis, a body over the cap is refused,
 * `/metrics` serves the jobs thread's metrics with the main thread's (behind its token), and SIGTERM stops the server and the jobs thread and exits 0 well within 30 seconds. Its GitHub is an
 * address nothing answers on, so no request leaves the machine.
 */
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Queue } from "bullmq";
import { parseMetrics, total } from "../support/metrics.js";
import { postOversized } from "../support/oversized-body.js";
import { Child, freePort, waitUntil } from "../support/processes.js";
import { type RedisServer, startRedis } from "../support/redis.js";
import { buildApp } from "../support/replicas.js";

const MAIN = new URL("../../lib/main.js", import.meta.url).pathname;
const SECRET = "process-test-secret";
const METRICS_TOKEN = "process-test-metrics";

let redis: RedisServer;
let cwd: string;
beforeAll(async () => {
  [redis] = await Promise.all([startRedis(), buildApp()]);
  // No .env here: Probot would let one override the environment.
  cwd = mkdtempSync(join(tmpdir(), "rulebook-process-"));
  // Building lib/, when stale, takes a while.
}, 120_000);
afterAll(async () => {
  await redis.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe("the app process", () => {
  it("answers a webhook once its job is queued, and stops cleanly on SIGTERM", async () => {
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const port = await freePort();
    const queueName = `process-${randomUUID()}`;
    const child = new Child("the app", process.execPath, [MAIN], {
      cwd,
      env: {
        PATH: process.env.PATH,
        APP_ID: "1",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_FORMAT: "json",
        LOG_LEVEL: "info",
        GHE_HOST: "127.0.0.1:9",
        GHE_PROTOCOL: "http",
        REDIS_URL: redis.url,
        RULEBOOK_QUEUE_NAME: queueName,
        RULEBOOK_SWEEP_INTERVAL_HOURS: "0",
        RULEBOOK_JOB_ATTEMPTS: "1",
        METRICS_TOKEN,
      },
    });
    try {
      await child.until(
        waitUntil("the app to answer /ping", async () => (await fetch(`http://127.0.0.1:${port}/ping`)).ok),
      );

      const body = JSON.stringify({
        action: "opened",
        installation: { id: 1 },
        repository: { name: "api", owner: { login: "acme" } },
        pull_request: { number: 1 },
      });
      const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "pull_request",
          "x-github-delivery": "delivery-1",
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      expect(response.status).toBe(200);
      const queue = new Queue(queueName, { connection: { url: redis.url } });
      const job = await queue.getJob("delivery-1");
      expect(job?.data).toMatchObject({ kind: "judge", number: 1, installation: 1 });
      // Its GitHub answers nothing, so the jobs thread's one attempt fails.
      for (let tries = 0; tries < 200 && (await queue.getJobState("delivery-1")) !== "failed"; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await queue.close();

      // The process's server refuses a body over GitHub's 25 MB cap before reading it.
      const oversized = await postOversized(port, "/api/github/webhooks", 30 * 1024 * 1024, false);
      expect(oversized.status).toBe(413);
      expect(oversized.sentWhenAnswered).toBeLessThan(30 * 1024 * 1024);

      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const scraped = await fetch(`${base}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      const metrics = parseMetrics(await scraped.text());
      // The job ran in the jobs thread, the deliveries were answered and the queue read by the main one.
      expect(
        total(metrics, "rulebook_job_duration_seconds_count", { kind: "judge", outcome: "failed" }),
      ).toBe(1);
      expect(total(metrics, "rulebook_jobs", { kind: "judge", state: "failed" })).toBe(1);
      expect(total(metrics, "rulebook_webhook_ack_seconds_count", { status: "200" })).toBe(1);
      expect(total(metrics, "rulebook_webhooks_refused_total", { reason: "too_large" })).toBe(1);
      expect([(await fetch(`${base}/healthz`)).status, (await fetch(`${base}/readyz`)).status]).toEqual([
        200, 200,
      ]);

      const stopping = Date.now();
      const exit = await child.stop("SIGTERM", 30_000);
      expect({ exit, output: child.output }).toMatchObject({ exit: { code: 0, signal: null } });
      expect(Date.now() - stopping).toBeLessThan(30_000);
      expect(child.output).toContain("SIGTERM: stopping the server and the workers");
    } finally {
      await child.stop("SIGKILL");
    }
  }, 60_000);
});
