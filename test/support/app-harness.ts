/**
 * The app wired to the fake GitHub, free of Jest so that scripts (`npm run demo`) can use it too:
 * Probot with a freshly generated key, its Octokit talking to `fake.fetch`, webhooks delivered
 * through Probot's real signature check. Tests use `test/support/github.ts`, which adds the check
 * that the fake saw no request GitHub would refuse.
 */
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { type ApplicationFunction, type Logger, Probot } from "probot";
import { readConfig } from "../../src/app/config.js";
import { rulebookOctokit } from "../../src/github/octokit.js";
import { createApp, runtimeOf } from "../../src/index.js";
import { ENTERPRISE_HOST, type FakeGitHub, type FakeGitHubOptions } from "../fake-github/index.js";
import {
  APP_ID,
  appKeys,
  deliveryBody,
  fakeGitHubForApp,
  serverEnv,
  signWebhook,
  WEBHOOK_SECRET,
} from "./app-identity.js";

export {
  APP_ID,
  fakeGitHubForApp,
  type Manifest,
  readManifest,
  signWebhook,
  WEBHOOK_SECRET,
} from "./app-identity.js";

export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface StartAppOptions {
  /**
   * The application function; by default the real app (src/index.ts) with its embedded queue, jobs
   * run once (no retry waits) and no sweep schedule.
   */
  app?: ApplicationFunction;
  /**
   * Octokit options merged over the test defaults, which switch retries and throttling off so no
   * test sleeps. The client is the app's own (`rulebookOctokit`). A fault-injection test may switch
   * retries back on with a tiny base delay: `{ retry: { enabled: true, retryAfterBaseValue: 1 } }`.
   */
  octokit?: { retry?: Record<string, unknown>; throttle?: Record<string, unknown> };
  /** Lowest level captured in `logs` (default "info"). */
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
}

export interface WebhookDelivery {
  name: string;
  /** The exact bytes GitHub would post. */
  body: string;
  signature: string;
  id?: string;
}

export interface AppHarness {
  probot: Probot;
  fake: FakeGitHub;
  /** What the app logged, parsed. */
  logs: LogRecord[];
  /** The app's private key (PEM), for tests that check it never leaks into logs or output. */
  privateKey: string;
  /** `sha256=` HMAC of a body with the webhook secret, as GitHub sends in `X-Hub-Signature-256`. */
  sign(body: string): string;
  /**
   * Delivers an event as GitHub would: adds `installation` (the installation on the payload's
   * account, installed on all its repositories if there is none yet), signs the body and hands
   * it to Probot's signature check. Rejects when Probot refuses it; otherwise resolves once the
   * app's queue is idle: every job the delivery caused has run (or failed for good).
   */
  deliver(name: string, payload: object, options?: { installationId?: number; id?: string }): Promise<void>;
  /** Delivers exact bytes with a given signature, for testing the signature check itself. */
  deliverRaw(delivery: WebhookDelivery): Promise<void>;
}

function memoryLogger(level: string, logs: LogRecord[]): Logger {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
  return pino({ level }, sink);
}

/** Starts the app against a fake GitHub made by `createFake` (given the app's public key). */
export async function startAppHarness(
  options: StartAppOptions = {},
  createFake: (options: FakeGitHubOptions) => FakeGitHub = fakeGitHubForApp,
): Promise<AppHarness> {
  const { privateKey, publicKey } = appKeys();
  const fake = createFake({ app: { publicKey } });
  const logs: LogRecord[] = [];
  const Octokit = rulebookOctokit().defaults((instanceOptions: Record<string, unknown>) => ({
    ...instanceOptions,
    retry: { enabled: false, ...options.octokit?.retry },
    throttle: {
      ...(instanceOptions.throttle as object),
      enabled: false,
      ...options.octokit?.throttle,
    },
  }));
  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    secret: WEBHOOK_SECRET,
    Octokit,
    log: memoryLogger(options.logLevel ?? "info", logs),
    request: { fetch: fake.fetch },
    // Where Probot points its clients when GHE_HOST is set.
    ...(fake.enterprise ? { baseUrl: `https://${ENTERPRISE_HOST}/api/v3` } : {}),
  });
  await probot.load(
    options.app ??
      createApp({
        config: readConfig({
          RULEBOOK_SWEEP_INTERVAL_HOURS: "0",
          RULEBOOK_JOB_ATTEMPTS: "1",
          ...serverEnv(),
        }),
      }),
  );

  const sign = (body: string) => signWebhook(body);
  const deliverRaw = async (delivery: WebhookDelivery) => {
    await probot.webhooks.verifyAndReceive({
      id: delivery.id ?? randomUUID(),
      name: delivery.name,
      payload: delivery.body,
      signature: delivery.signature,
    });
    await runtimeOf(probot)?.idle();
  };

  return {
    probot,
    fake,
    logs,
    privateKey,
    sign,
    deliverRaw,
    deliver(name, payload, deliverOptions = {}) {
      const body = deliveryBody(fake, name, payload, deliverOptions.installationId);
      return deliverRaw({
        name,
        body,
        signature: sign(body),
        ...(deliverOptions.id ? { id: deliverOptions.id } : {}),
      });
    },
  };
}
