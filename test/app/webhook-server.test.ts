/**
 * The webhook server (`src/server.ts`) over real HTTP connections: a body over GitHub's 25 MB cap is
 * refused with 413 before it is read whole, whether it declares its length or streams in chunks; a
 * delivery with a bad signature is refused and no part of its body is logged; and a delivery whose
 * jobs cannot be queued (a Redis that refuses writes) fails with no part of its payload in the log.
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { readConfig } from "../../src/app/config.js";
import { createApp, runtimeOf } from "../../src/index.js";
import { createWebhookServer, WEBHOOK_BODY_LIMIT } from "../../src/server.js";
import { pushEvent } from "../fake-github/push.js";
import { type AppHarness, startAppHarness } from "../support/app-harness.js";
import { deliveryBody } from "../support/app-identity.js";
import { refusals } from "../support/metrics.js";
import { postOversized } from "../support/oversized-body.js";
import { startRedis } from "../support/redis.js";

const MiB = 1024 * 1024;
const PATH = "/api/github/webhooks";

interface Started {
  gh: AppHarness;
  port: number;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  });
  return (server.address() as AddressInfo).port;
}

async function startServer(gh: AppHarness, bodyLimit?: number): Promise<Started> {
  const server = createWebhookServer({
    probot: gh.probot,
    webhookPath: PATH,
    log: gh.probot.log,
    ...(bodyLimit ? { bodyLimit } : {}),
  });
  const port = await listen(server);
  return { gh, port };
}

async function startApp(): Promise<Started> {
  const gh = await startAppHarness();
  cleanups.push(async () => runtimeOf(gh.probot)?.close());
  return startServer(gh);
}

function headers(id: string, event: string, signature: string) {
  return {
    "content-type": "application/json",
    "x-github-delivery": id,
    "x-github-event": event,
    "x-hub-signature-256": signature,
  };
}

/** Posts a delivery and resolves with its answer. */
async function post(port: number, body: string, head: Record<string, string>) {
  const response = await fetch(`http://127.0.0.1:${port}${PATH}`, { method: "POST", headers: head, body });
  return { status: response.status, body: await response.text() };
}

describe("the webhook server", () => {
  it("refuses a 30 MiB body that declares its length, before reading it", async () => {
    const { port, gh } = await startApp();
    const rssBefore = process.memoryUsage().rss;

    const answer = await postOversized(port, PATH, 30 * MiB, false);

    expect(answer.status).toBe(413);
    expect(answer.sentWhenAnswered).toBeLessThan(30 * MiB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(16 * MiB);
    expect(gh.logs).toContainEqual(
      expect.objectContaining({ error: "PayloadTooLarge", event: "push", limit: WEBHOOK_BODY_LIMIT }),
    );
  });

  it("refuses a chunked body once it passes 25 MiB, before its end", async () => {
    const { port } = await startApp();

    const answer = await postOversized(port, PATH, 30 * MiB, true);

    expect(answer.status).toBe(413);
    // Counted as it came: no answer before the limit was passed, and one before the body's end.
    expect(answer.sentWhenAnswered).toBeGreaterThan(WEBHOOK_BODY_LIMIT);
    expect(answer.sentWhenAnswered).toBeLessThan(30 * MiB);
  });

  it("takes a body of exactly the limit and refuses one byte more", async () => {
    const gh = await startAppHarness();
    cleanups.push(async () => runtimeOf(gh.probot)?.close());
    const { port } = await startServer(gh, 1_000);
    const body = (size: number) => JSON.stringify({ zen: "x".repeat(size - 10) });
    expect(body(1_000)).toHaveLength(1_000);

    const exact = await post(port, body(1_000), headers("exact", "ping", gh.sign(body(1_000))));
    const over = await post(port, body(1_001), headers("over", "ping", gh.sign(body(1_001))));

    expect([exact.status, over.status]).toEqual([200, 413]);
  });

  it("refuses a bad signature and logs the delivery, never its body", async () => {
    const { port, gh } = await startApp();
    const marker = `unverified-${randomUUID()}`;
    const body = JSON.stringify({ action: "opened", zen: marker });

    const answer = await post(port, body, headers("delivery-bad", "pull_request", gh.sign("other")));

    expect(answer.status).toBe(400);
    expect(answer.body).not.toContain(marker);
    expect(JSON.stringify(gh.logs)).not.toContain(marker);
    expect(gh.logs).toContainEqual(
      expect.objectContaining({
        delivery: "delivery-bad",
        event: "pull_request",
        error: "SignatureMismatch",
      }),
    );
  });

  it("answers a signed delivery and logs the answer", async () => {
    const { port, gh } = await startApp();
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });

    const answer = await post(port, body, headers("delivery-ping", "ping", gh.sign(body)));

    expect(answer).toEqual({ status: 200, body: "ok\n" });
    // The answer's own line, found by its delivery id, as the scale benchmark reads it.
    expect(gh.logs).toContainEqual(
      expect.objectContaining({
        req: expect.objectContaining({ id: "delivery-ping" }),
        res: expect.objectContaining({ statusCode: 200 }),
        responseTime: expect.any(Number),
      }),
    );
  });
});

describe("a delivery whose jobs cannot be queued", () => {
  /** The app's web side on a Redis that refuses every write, with a push of a distinctive commit. */
  async function startOnFullRedis() {
    const redis = await startRedis();
    cleanups.push(() => redis.close());
    const config = readConfig({
      REDIS_URL: redis.url,
      RULEBOOK_QUEUE_NAME: `full-${randomUUID()}`,
      RULEBOOK_SWEEP_INTERVAL_HOURS: "0",
      RULEBOOK_JOB_ATTEMPTS: "1",
    });
    const gh = await startAppHarness({ app: createApp({ config, role: "web" }) });
    cleanups.push(async () => runtimeOf(gh.probot)?.close());
    const admin = new Redis(redis.url);
    await admin.config("SET", "maxmemory", "1");
    await admin.quit();

    const secret = `commit-message-${randomUUID()}`;
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "a.ts": "a\n" } });
    gh.fake.seedUser("bob");
    const before = api.branches.get(api.defaultBranch) as string;
    const commit = gh.fake.seedCommit(api, {
      message: `fix: ${secret}`,
      author: "bob",
      files: { "b.ts": "b\n" },
    });
    const event = pushEvent(gh.fake, api, { before, after: commit.sha, pusher: "bob" });
    return { gh, secret, body: deliveryBody(gh.fake, "push", event) };
  }

  it("answers 500 and logs the delivery, the event and the error class, not the payload", async () => {
    const { gh, secret, body } = await startOnFullRedis();
    const { port } = await startServer(gh);
    const notQueued = await refusals("not_queued");

    const answer = await post(port, body, headers("delivery-full", "push", gh.sign(body)));

    expect(answer.status).toBe(500);
    expect((await refusals("not_queued")) - notQueued).toBe(1);
    expect(answer.body).not.toContain(secret);
    expect(gh.logs).toContainEqual(
      expect.objectContaining({
        err: expect.objectContaining({
          type: "DeliveryNotQueued",
          delivery: "delivery-full",
          event: "push",
          causeClass: "ReplyError",
        }),
      }),
    );
    expect(JSON.stringify(gh.logs)).not.toContain(secret);
  });

  it("logs no payload when the delivery comes through Probot's own signature check", async () => {
    const { gh, secret, body } = await startOnFullRedis();

    await expect(gh.deliverRaw({ name: "push", body, signature: gh.sign(body), id: "raw" })).rejects.toThrow(
      "push delivery raw was not queued: ReplyError",
    );

    expect(JSON.stringify(gh.logs)).not.toContain(secret);
  });
});
