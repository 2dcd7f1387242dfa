/**
 * The process as a container runs it (`node lib/main.js`, built if stale, configured only by environment
 * variables): a signed webhook is answered once its job is in Redis, a body over the cap is refused, and
 * SIGTERM stops the server and the jobs thread and exits 0 well within 30 seconds. Its GitHub is an
 * address nothing answers on, so no request leaves the machine.
 */
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Queue } from "bullmq";
import { postOversized } from "../support/oversized-body.js";
import { Child, freePort, waitUntil } from "../support/processes.js";
import { type RedisServer, startRedis } from "../support/redis.js";
import { buildApp } from "../support/replicas.js";

const MAIN = new URL("../../lib/main.js", import.meta.url).pathname;
const SECRET = "process-test-secret";

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
      await queue.close();
      expect(job?.data).toMatchObject({ kind: "judge", number: 1, installation: 1 });

      // The process's server refuses a body over GitHub's 25 MB cap before reading it.
      const oversized = await postOversized(port, "/api/github/webhooks", 30 * 1024 * 1024, false);
      expect(oversized.status).toBe(413);
      expect(oversized.sentWhenAnswered).toBeLessThan(30 * 1024 * 1024);

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
