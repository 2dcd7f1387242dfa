/**
 * The HTTP server a replica answers GitHub on, in place of Probot's: `/ping`, `/healthz` and `/readyz` for
 * health checks, `/metrics` for Prometheus, and the webhook path, where a delivery is read within
 * GitHub's own payload cap, its signature checked, and then handed to the app. Probot's server reads a
 * body whole before anything else and logs an unverified one on a signature mismatch; this one refuses an
 * oversized body before reading it whole and logs no body, verified or not: only the delivery id, the
 * event and the class of what went wrong.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pinoHttp } from "pino-http";
import type { Logger, Probot } from "probot";
import { exposition, type RefusalReason, webhookAckSeconds, webhooksRefused } from "./metrics/metrics.js";

/**
 * "Payloads are capped at 25 MB. If an event generates a larger payload, GitHub will not deliver a
 * payload for that webhook event." (https://docs.github.com/en/webhooks/webhook-events-and-payloads,
 * "Payload cap"). 25 MiB is at least that, whichever megabyte GitHub means: a larger body is not
 * GitHub's.
 */
export const WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024;

/**
 * GitHub fails a delivery not answered within 10 seconds
 * (https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks): a delivery
 * whose jobs are not queued by then (a Redis that does not answer, or refuses the password) is answered
 * 503 first, so the failure is the app's to report, not a timeout. Its jobs may still be queued later; a
 * redelivery of it is then a no-op.
 */
export const DELIVERY_DEADLINE_MS = 9_000;

export interface WebhookServerOptions {
  /** The app, loaded: its webhook secret checks signatures and its handlers receive deliveries. */
  probot: Probot;
  /** Where GitHub posts deliveries (Probot's `WEBHOOK_PATH`). */
  webhookPath: string;
  log: Logger;
  /** Bytes a body may have; `WEBHOOK_BODY_LIMIT` when absent. */
  bodyLimit?: number;
  /** Milliseconds the handlers get before the delivery is answered 503; `DELIVERY_DEADLINE_MS` when absent. */
  deadlineMs?: number;
  /** Whether the replica can take work (`/readyz`): Redis answers, when there is one. Ready when absent. */
  ready?: () => Promise<boolean>;
  /** The Prometheus text `/metrics` serves; this thread's registry when absent. */
  metrics?: () => Promise<{ contentType: string; text: string }>;
  /** When set, `/metrics` answers only requests with `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
}

/**
 * How long, at most, the rest of a refused body is discarded before its connection is closed. A client
 * on a busy machine may read the answer seconds after it was sent, and closing while it still sends
 * resets the connection, which can drop the answer unread; the bytes discarded stay bounded by the limit.
 */
const DISCARD_MS = 10_000;

const JSON_CONTENT = /^\s*application\/json\s*(?:;|$)/iu;

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function answer(response: ServerResponse, status: number, body: string, close = false): void {
  response.writeHead(status, {
    "content-type": status === 200 ? "text/plain" : "application/json",
    ...(close ? { connection: "close" } : {}),
  });
  response.end(status === 200 ? body : JSON.stringify({ error: body }));
}

/**
 * The request's body, or `undefined` once it has more than `limit` bytes: refused on its declared
 * length before a byte is taken, or while it streams (a chunked body declares none). Nothing of a
 * refused body is kept, and the request is left paused for `refuseOversized`.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off("data", onData).off("end", onEnd).off("error", reject);
      request.pause();
    };
    const refuse = () => {
      stop();
      chunks.length = 0;
      resolve(undefined);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) refuse();
      else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    request.on("data", onData).on("end", onEnd).on("error", reject);
    if (Number(request.headers["content-length"]) > limit) refuse();
  });
}

/**
 * Answers 413 to a body over the limit, of which nothing more is kept. Closing the connection at once,
 * with the client still sending, would reset it, and the client could lose the answer before reading
 * it; so what is already on its way is read and thrown away, for `DISCARD_MS` and `limit` bytes at most,
 * and then the connection is closed. (`keep-alive` keeps Node from closing it as soon as the answer is
 * sent.) A client that stops sending once answered costs nothing more.
 */
function refuseOversized(request: IncomingMessage, response: ServerResponse, limit: number): void {
  response.writeHead(413, { "content-type": "application/json", connection: "keep-alive" });
  response.end(JSON.stringify({ error: `a webhook body may have at most ${limit} bytes` }));
  let discarded = 0;
  const close = () => request.socket.destroy();
  request.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limit) close();
  });
  request.resume();
  setTimeout(close, DISCARD_MS).unref();
}

/**
 * The delivery as the app's handlers receive it, with its payload not enumerable: @octokit/webhooks
 * attaches the delivery to an error a handler throws, and a logger then prints what it can enumerate.
 */
function delivery(id: string, name: string, payload: unknown) {
  const event = { id, name } as { id: string; name: string; payload: unknown };
  Object.defineProperty(event, "payload", { value: payload, enumerable: false });
  return event;
}

function refused(reason: RefusalReason): void {
  webhooksRefused.inc({ reason });
}

async function receiveWebhook(
  options: WebhookServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { probot, log } = options;
  if (!JSON_CONTENT.test(header(request, "content-type") ?? "")) {
    refused("bad_payload");
    answer(response, 415, 'Content-Type must be "application/json"', true);
    return;
  }
  const id = header(request, "x-github-delivery");
  const name = header(request, "x-github-event");
  const signature = header(request, "x-hub-signature-256");
  if (!id || !name || !signature) {
    refused("bad_payload");
    answer(response, 400, "X-GitHub-Delivery, X-GitHub-Event and X-Hub-Signature-256 are required", true);
    return;
  }
  const origin = { delivery: id, event: name };
  const limit = options.bodyLimit ?? WEBHOOK_BODY_LIMIT;
  const body = await readBody(request, limit);
  if (!body) {
    log.warn({ ...origin, error: "PayloadTooLarge", limit }, "webhook refused: body over the limit");
    refused("too_large");
    refuseOversized(request, response, limit);
    return;
  }
  const text = body.toString("utf8");
  if (!(await probot.webhooks.verify(text, signature).catch(() => false))) {
    log.warn({ ...origin, error: "SignatureMismatch" }, "webhook refused: signature does not match");
    refused("bad_signature");
    answer(response, 400, "signature does not match the payload and the secret");
    return;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    log.warn({ ...origin, error: (error as Error).name }, "webhook refused: body is not JSON");
    refused("bad_payload");
    answer(response, 400, "the body is not JSON");
    return;
  }
  // Straight to the handlers: Probot's `receive` logs the whole delivery at debug level.
  const received = probot.webhooks
    .receive(delivery(id, name, payload) as Parameters<Probot["receive"]>[0])
    .then(
      () => "handled" as const,
      // Probot's error handler has logged each handler's error, and the app's errors name no payload
      // (`DeliveryNotQueued`); the delivery's own is not enumerable, so it is not in those lines.
      () => "failed" as const,
    );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), options.deadlineMs ?? DELIVERY_DEADLINE_MS);
  });
  const outcome = await Promise.race([received, late]);
  clearTimeout(timer);
  if (outcome === "late") {
    log.error({ ...origin, error: "DeliveryTimeout" }, "webhook not handled in time");
    refused("timeout");
    answer(response, 503, "the delivery was not handled in time");
  } else if (outcome === "failed") {
    refused("not_queued");
    answer(response, 500, "the delivery failed");
  } else {
    answer(response, 200, "ok\n");
  }
}

/** A request target's path without trailing slashes; `undefined` when it is not a URL path. */
function pathOf(target: string): string | undefined {
  try {
    return new URL(target, "http://localhost").pathname.replace(/\/+$/u, "") || "/";
  } catch {
    return undefined;
  }
}

/** Whether `request` carries `token` as its bearer token (compared in constant time). */
function bearerIs(request: IncomingMessage, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/u.exec(request.headers.authorization ?? "")?.[1] ?? "");
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

async function serveMetrics(
  options: WebhookServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (options.metricsToken !== undefined && !bearerIs(request, options.metricsToken)) {
    response.writeHead(401, { "content-type": "application/json", "www-authenticate": "Bearer" });
    response.end(JSON.stringify({ error: "a bearer token is required" }));
    return;
  }
  const { contentType, text } = await (options.metrics ?? exposition)();
  response.writeHead(200, { "content-type": contentType });
  response.end(text);
}

async function serveReadiness(options: WebhookServerOptions, response: ServerResponse): Promise<void> {
  const ready = await (options.ready?.() ?? true);
  if (ready) answer(response, 200, "ready\n");
  else answer(response, 503, "not ready: Redis does not answer");
}

/** Logs `what` failed and answers 500 with `body`, if nothing was answered yet. */
function failed(options: WebhookServerOptions, response: ServerResponse, what: string, body: string) {
  return (error: unknown) => {
    options.log.error({ error: (error as Error)?.name }, `${what} failed`);
    if (!response.headersSent) answer(response, 500, body, true);
  };
}

/** The server: health checks, metrics, the webhook path, and 404 for everything else. */
export function createWebhookServer(options: WebhookServerOptions): Server {
  const webhookPath = pathOf(options.webhookPath);
  // A line per answer, with its status and time; a delivery's is found by the delivery id.
  const logAnswer = pinoHttp({
    logger: options.log.child({ name: "http" }),
    genReqId: (request) => header(request, "x-github-delivery") ?? randomUUID(),
    customSuccessMessage: (request, response, ms) =>
      `${request.method} ${request.url} ${response.statusCode} - ${Math.round(ms)}ms`,
    customErrorMessage: (request, response) => `${request.method} ${request.url} ${response.statusCode}`,
  });
  return createServer((request, response) => {
    logAnswer(request, response);
    const path = pathOf(request.url ?? "/");
    if (request.method === "GET" && path === "/ping") {
      answer(response, 200, "PONG");
    } else if (request.method === "GET" && path === "/healthz") {
      answer(response, 200, "ok\n");
    } else if (request.method === "GET" && path === "/readyz") {
      serveReadiness(options, response).catch(failed(options, response, "readiness", "readiness unknown"));
    } else if (request.method === "GET" && path === "/metrics") {
      serveMetrics(options, request, response).catch(
        failed(options, response, "metrics", "metrics unavailable"),
      );
    } else if (request.method === "POST" && path === webhookPath) {
      const started = process.hrtime.bigint();
      response.once("finish", () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        webhookAckSeconds.observe({ status: String(response.statusCode) }, seconds);
      });
      receiveWebhook(options, request, response).catch(
        failed(options, response, "webhook answer", "the delivery failed"),
      );
    } else {
      answer(response, 404, "not found");
    }
  });
}
