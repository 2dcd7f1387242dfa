/**
 * The fake GitHub over local HTTP, for apps running in processes of their own. GitHub requests go
 * through `fake.fetch` unchanged, so every REST request is still validated against the OpenAPI
 * description and every GraphQL query against the schema; both the github.com layout (`/repos/...`,
 * `/graphql`) and GitHub Enterprise Server's (`/api/v3/repos/...`, `/api/graphql`, where Probot
 * sends requests when `GHE_HOST` is set) are served. A client may name itself with a first path
 * segment before `/api/` (`GHE_HOST=127.0.0.1:PORT/replica-2`): the served log then says which
 * client sent each request, so a test can tell which replica did what.
 *
 * `/_fake/...` is the control API a test drives the fake with: seed a scenario, read violations,
 * request counts and what the app wrote, change latency and random faults. It is not GitHub's.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeGitHub, Violation } from "./index.js";
import { SECONDARY_RATE_LIMIT_MESSAGE } from "./traffic.js";

/** Seeds the fake for a test and returns what the test needs to know (JSON), e.g. deliveries to send. */
export type Scenario = (fake: FakeGitHub, params: Record<string, unknown>) => unknown;

export interface ServeSettings {
  /** Milliseconds every GitHub request waits before it is answered. */
  latencyMs: number;
  /** Percentage of GitHub requests answered `502 Server Error`. */
  serverErrorPercent: number;
  /** Percentage of GitHub requests answered with a secondary rate limit (403, `retry-after: 1`). */
  rateLimitPercent: number;
}

export interface ServeOptions extends Partial<ServeSettings> {
  host?: string;
  /** 0 (the default) takes a free port. */
  port?: number;
  /** Scenarios the control API can seed, by name. */
  scenarios?: Record<string, Scenario>;
}

export interface FakeGitHubServer {
  /** `http://host:port`, the github.com layout; Probot takes `GHE_HOST=host:port` and `GHE_PROTOCOL=http`. */
  url: string;
  host: string;
  port: number;
  settings: ServeSettings;
  close(): Promise<void>;
}

/** What the app wrote, as the control API reports it (`GET /_fake/writes`). */
export interface FakeWrites {
  checkRuns: Array<{
    id: number;
    repo: string;
    headSha: string;
    name: string;
    appId: number;
    status: string;
    conclusion: string | null;
  }>;
  issues: Array<{
    repo: string;
    number: number;
    title: string;
    state: string;
    user: string;
    labels: string[];
    isPullRequest: boolean;
  }>;
  comments: Array<{ id: number; repo: string; issueNumber: number; user: string; body: string }>;
}

/** One GitHub request as served, in order (`GET /_fake/served?after=SEQ`). */
export interface ServedRequest {
  seq: number;
  /** The name the client gave in its path, or null. */
  client: string | null;
  method: string;
  /** The path as `fake.fetch` saw it (github.com's layout), with its query. */
  path: string;
  status: number;
  /** When the answer was sent, in milliseconds since the epoch. */
  at: number;
}

export interface FakeTraffic {
  total: number;
  /** Requests per documented route ("METHOD /template"), or "METHOD /path" when GitHub documents none. */
  counts: Record<string, number>;
  units: Record<string, number>;
  /** Requests answered by an injected fault. */
  faulted: number;
}

const GITHUB_ORIGIN = "https://api.github.com";
const CONTROL = "/_fake/";

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * The client a request names (`/replica-2/api/v3/...`) and the path `fake.fetch` serves: GitHub
 * Enterprise Server's prefixes mapped to github.com's layout.
 */
export function githubPath(path: string): { client: string | null; path: string } {
  const named = /^\/([\w.-]+)(\/api\/.*)$/.exec(path);
  const client = named && named[1] !== "api" ? (named[1] as string) : null;
  const rest = client ? (named?.[2] as string) : path;
  if (rest === "/api/graphql") return { client, path: "/graphql" };
  if (rest === "/api/v3" || rest.startsWith("/api/v3/"))
    return { client, path: rest.slice("/api/v3".length) || "/" };
  return { client, path: rest };
}

/** Makes the given percentages of requests fail at random (the only faults a served fake holds). */
function randomFaults(fake: FakeGitHub, settings: ServeSettings): void {
  const roll = (percent: number) => () => percent > 0 && Math.random() * 100 < percent;
  fake.faults.clear();
  const serverError = { status: 502, message: "Server Error", when: roll(settings.serverErrorPercent) };
  const rateLimit = {
    status: 403,
    message: SECONDARY_RATE_LIMIT_MESSAGE,
    headers: { "retry-after": "1" },
    when: roll(settings.rateLimitPercent),
  };
  fake.faults.inject("*", serverError);
  fake.faults.inject("*", rateLimit);
}

export function writesOf(fake: FakeGitHub): FakeWrites {
  const { state } = fake;
  return {
    checkRuns: [...state.checkRuns.values()].map((run) => ({
      id: run.id,
      repo: run.repo,
      headSha: run.headSha,
      name: run.name,
      appId: run.appId,
      status: run.status,
      conclusion: run.conclusion ?? null,
    })),
    issues: [...state.repos.values()].flatMap((repo) =>
      [...repo.issues.values()].map((issue) => ({
        repo: `${repo.owner}/${repo.name}`.toLowerCase(),
        number: issue.number,
        title: issue.title,
        state: issue.state,
        user: issue.user,
        labels: issue.labels,
        isPullRequest: issue.isPullRequest,
      })),
    ),
    comments: [...state.issueComments.values()].map((comment) => ({
      id: comment.id,
      repo: comment.repo,
      issueNumber: comment.issueNumber,
      user: comment.user,
      body: comment.body,
    })),
  };
}

export function trafficOf(fake: FakeGitHub): FakeTraffic {
  return {
    total: fake.requests.count(),
    counts: fake.requests.counts(),
    units: fake.requests.units(),
    faulted: fake.requests.all.filter((record) => record.faulted).length,
  };
}

/** Serves `fake` over HTTP until `close()`. */
export async function serveFakeGitHub(
  fake: FakeGitHub,
  options: ServeOptions = {},
): Promise<FakeGitHubServer> {
  const settings: ServeSettings = {
    latencyMs: options.latencyMs ?? 0,
    serverErrorPercent: options.serverErrorPercent ?? 0,
    rateLimitPercent: options.rateLimitPercent ?? 0,
  };
  const applySettings = (changes: Partial<ServeSettings>) => {
    for (const key of ["latencyMs", "serverErrorPercent", "rateLimitPercent"] as const) {
      const value = changes[key];
      if (value === undefined) continue;
      if (typeof value !== "number" || !(value >= 0)) throw new Error(`${key} must be a number >= 0`);
      settings[key] = value;
    }
    randomFaults(fake, settings);
  };
  applySettings({});
  const scenarios = options.scenarios ?? {};
  const served: ServedRequest[] = [];

  const control = async (method: string, url: URL, body: Buffer): Promise<[number, unknown]> => {
    const input = body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
    const route = `${method} ${url.pathname.slice(CONTROL.length - 1)}`;
    switch (route) {
      case "GET /health":
        return [200, { ok: true }];
      case "GET /violations":
        return [200, { violations: fake.violations satisfies readonly Violation[] }];
      case "POST /violations/take":
        return [200, { violations: fake.takeViolations() }];
      case "GET /requests":
        return [200, trafficOf(fake)];
      case "POST /requests/reset":
        fake.requests.reset();
        return [200, { ok: true }];
      case "GET /served": {
        const after = Number(url.searchParams.get("after") ?? -1);
        return [200, { served: served.slice(Math.max(0, after + 1)) }];
      }
      case "GET /writes":
        return [200, writesOf(fake)];
      case "GET /settings":
        return [200, settings];
      case "PUT /settings":
        applySettings(input as Partial<ServeSettings>);
        return [200, settings];
    }
    const scenario = /^POST \/scenarios\/([\w-]+)$/.exec(route)?.[1];
    if (scenario !== undefined) {
      const seed = scenarios[scenario];
      if (!seed)
        return [404, { message: `no scenario ${scenario}; known: ${Object.keys(scenarios).join(", ")}` }];
      return [200, { result: (await seed(fake, input)) ?? null }];
    }
    return [404, { message: `the fake's control API has no ${route}` }];
  };

  const github = async (request: IncomingMessage, url: URL, body: Buffer, response: ServerResponse) => {
    if (settings.latencyMs > 0) await sleep(settings.latencyMs);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || name === "host" || name === "connection" || name === "content-length")
        continue;
      for (const one of [value].flat()) headers.append(name, one);
    }
    const method = (request.method ?? "GET").toUpperCase();
    const { client, path } = githubPath(url.pathname);
    const answer = await fake.fetch(`${GITHUB_ORIGIN}${path}${url.search}`, {
      method,
      headers,
      ...(method === "GET" || method === "HEAD" ? {} : { body: new Uint8Array(body) }),
    });
    const bytes = Buffer.from(await answer.arrayBuffer());
    const outgoing: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      outgoing[name] = value;
    });
    outgoing["content-length"] = String(bytes.length);
    response.writeHead(answer.status, outgoing);
    response.end(bytes);
    served.push({
      seq: served.length,
      client,
      method,
      path: `${path}${url.search}`,
      status: answer.status,
      at: Date.now(),
    });
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake.invalid");
    readBody(request)
      .then(async (body) => {
        if (url.pathname.startsWith(CONTROL)) {
          const [status, answer] = await control((request.method ?? "GET").toUpperCase(), url, body);
          sendJson(response, status, answer);
        } else {
          await github(request, url, body, response);
        }
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        if (!response.headersSent) sendJson(response, 500, { message });
        else response.destroy();
      });
  });
  // Keep-alive sockets of the apps must not hold `close()` up.
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    host,
    port,
    settings,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
