/**
 * A Redis that asks for a password, as compose.yaml runs it: a REDIS_URL that carries the password
 * queues a delivery's jobs; with a wrong password the jobs never reach the queue, and the delivery is
 * answered 503 within GitHub's time, never as handled. The password is in no log line either way.
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { readConfig } from "../../src/app/config.js";
import { createApp, runtimeOf } from "../../src/index.js";
import { createWebhookServer } from "../../src/server.js";
import { type AppHarness, startAppHarness } from "../support/app-harness.js";
import { deliveryBody } from "../support/app-identity.js";
import { refusals } from "../support/metrics.js";
import { startRedis } from "../support/redis.js";

const PATH = "/api/github/webhooks";
const PASSWORD = `pw${randomUUID().replaceAll("-", "")}`;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A Redis with `requirepass`, and the URL that authenticates to it. */
async function redisWithPassword() {
  const redis = await startRedis();
  cleanups.push(() => redis.close());
  const admin = new Redis(redis.url);
  await admin.config("SET", "requirepass", PASSWORD);
  admin.disconnect();
  return { url: redis.url.replace("redis://", `redis://:${PASSWORD}@`), plain: redis.url };
}

/** The app's web side on `redisUrl`, served over HTTP; a pull request delivery posted to it. */
async function deliverTo(
  redisUrl: string,
  queueName: string,
  deadlineMs?: number,
): Promise<{ status: number; gh: AppHarness }> {
  const config = readConfig({
    REDIS_URL: redisUrl,
    RULEBOOK_QUEUE_NAME: queueName,
    RULEBOOK_SWEEP_INTERVAL_HOURS: "0",
    RULEBOOK_JOB_ATTEMPTS: "1",
  });
  const gh = await startAppHarness({ app: createApp({ config, role: "web" }) });
  cleanups.push(async () => runtimeOf(gh.probot)?.close());
  const server = createWebhookServer({
    probot: gh.probot,
    webhookPath: PATH,
    log: gh.probot.log,
    ...(deadlineMs ? { deadlineMs } : {}),
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));

  const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "a.ts": "a\n" } });
  const pr = gh.fake.seedPullRequest(api, {
    title: "feat: b",
    author: "carol",
    head: "feat/b",
    commits: [{ message: "feat: b", author: "carol", files: { "b.ts": "b\n" } }],
  });
  const body = deliveryBody(gh.fake, "pull_request", {
    action: "opened",
    number: pr.number,
    pull_request: { number: pr.number },
    repository: { name: "api", owner: { login: "acme" } },
  });
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}${PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-delivery": "delivery-auth",
      "x-github-event": "pull_request",
      "x-hub-signature-256": gh.sign(body),
    },
    body,
  });
  return { status: response.status, gh };
}

describe("a Redis with a password", () => {
  it("queues a delivery's jobs through a REDIS_URL that carries the password", async () => {
    const redis = await redisWithPassword();
    const queueName = `auth-${randomUUID()}`;

    const { status, gh } = await deliverTo(redis.url, queueName);

    expect(status).toBe(200);
    const queue = new Queue(queueName, { connection: { url: redis.url } });
    cleanups.push(() => queue.close());
    expect((await queue.getJob("delivery-auth"))?.data).toMatchObject({ kind: "judge", number: 1 });
    expect(JSON.stringify(gh.logs)).not.toContain(PASSWORD);
  });

  it("answers 503 when a wrong password keeps the jobs out of the queue, and logs no password", async () => {
    const redis = await redisWithPassword();
    const wrong = redis.url.replace(PASSWORD, "wrong");
    const timeouts = await refusals("timeout");

    const { status, gh } = await deliverTo(wrong, `auth-${randomUUID()}`, 1_000);

    expect(status).toBe(503);
    expect((await refusals("timeout")) - timeouts).toBe(1);
    expect(gh.logs).toContainEqual(
      expect.objectContaining({ delivery: "delivery-auth", event: "pull_request", error: "DeliveryTimeout" }),
    );
    expect(JSON.stringify(gh.logs)).not.toContain(PASSWORD);
  });
});
