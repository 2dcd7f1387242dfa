/**
 * Throttling that matches GitHub's limits: the content budget (80 a minute, 500 an hour per installation,
 * shared by replicas through the store: in memory and on a real Redis) and the client class, whose writes
 * are not spaced a second apart and which waits out a rate limit only as long as GitHub asks, up to a minute.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { ProbotOctokit } from "probot";
import { ContentBudget, ContentBudgetSpent, createsContent } from "../../src/github/content-budget.js";
import { rulebookOctokit } from "../../src/github/octokit.js";
import { isRetryable } from "../../src/queue/queue.js";
import { RedisStore } from "../../src/state/redis-store.js";
import { MemoryStore, type Store } from "../../src/state/store.js";
import { SECONDARY_RATE_LIMIT_MESSAGE } from "../fake-github/traffic.js";
import { type RedisServer, startRedis } from "../support/redis.js";

let redis: RedisServer;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  await client.quit();
  await redis.close();
});

describe("createsContent", () => {
  it.each([
    ["POST", "/repos/{owner}/{repo}/issues", true],
    ["POST", "/repos/acme/api/issues", true],
    ["POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", true],
    ["POST", "/repos/acme/api/pulls/7/requested_reviewers", true],
    ["POST", "https://ghe.example.com/api/v3/repos/acme/api/issues", true],
    ["PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", false],
    ["POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels", false],
    ["POST", "/repos/{owner}/{repo}/check-runs", false],
    ["GET", "/repos/{owner}/{repo}/issues", false],
  ])("%s %s creates content: %s", (method, url, expected) => {
    expect(createsContent(method, url)).toBe(expected);
  });
});

const stores: Array<[string, () => Store]> = [
  ["in memory", () => new MemoryStore()],
  ["on Redis", () => new RedisStore(client, `budget-${Math.random()}:`)],
];

describe.each(stores)("the content budget %s", (_name, createStore) => {
  it("spends one budget across replicas, and waits for a window about to refill", async () => {
    const store = createStore();
    const windows = [{ seconds: 0.3, max: 3 }];
    const [a, b] = [new ContentBudget(store, windows), new ContentBudget(store, windows)];
    // Start at the beginning of a window, so the first three fit in it.
    await new Promise((resolve) => setTimeout(resolve, 300 - (Date.now() % 300) + 5));
    const started = Date.now();
    await Promise.all([a.take("42"), b.take("42"), a.take("42")]);
    expect(Date.now() - started).toBeLessThan(150);
    await b.take("42");
    // Not before the window the first three were taken in has ended (windows start at multiples of
    // their length): measured from the test's start, a late start would shorten the wait expected.
    expect(Date.now()).toBeGreaterThanOrEqual(Math.floor(started / 300) * 300 + 300);
    // Another installation has a budget of its own.
    const other = Date.now();
    await a.take("7");
    expect(Date.now() - other).toBeLessThan(100);
  });

  it("fails as rate limited, to be retried later, when the budget refills only after a minute", async () => {
    const store = createStore();
    const budget = new ContentBudget(store, [
      { seconds: 60, max: 80 },
      { seconds: 3600, max: 1 },
    ]);
    await budget.take("42");
    const spent = await budget.take("42").catch((error: unknown) => error);
    expect(spent).toBeInstanceOf(ContentBudgetSpent);
    expect(spent).toMatchObject({ status: 429 });
    expect(isRetryable(spent)).toBe(true);
    // What the refused request took from the minute's window was given back.
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    expect(await store.get(`content-budget:42:60:${minute}`)).toBe("1");
  });
});

describe("the app's GitHub client", () => {
  /** A GitHub that answers each request with `answer(n)` (n counts from 1) and notes when it was asked. */
  function github(
    answer: (n: number) => { status: number; body: object; headers?: Record<string, string> },
    options: { baseUrl?: string; Octokit?: typeof ProbotOctokit; retryAfterBaseValue?: number } = {},
  ) {
    const asked: number[] = [];
    const urls: string[] = [];
    const fetch = async (url: string) => {
      asked.push(Date.now());
      urls.push(url);
      const { status, body, headers } = answer(asked.length);
      return new Response(JSON.stringify(body), {
        status,
        headers: { "content-type": "application/json", ...headers },
      });
    };
    const Octokit = options.Octokit ?? rulebookOctokit();
    const octokit = new Octokit({
      auth: { token: "t" },
      request: { fetch },
      ...(options.retryAfterBaseValue
        ? { throttle: { retryAfterBaseValue: options.retryAfterBaseValue } }
        : {}),
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    });
    return { asked, urls, octokit };
  }

  /** GitHub's answer to a query over the GraphQL rate limit: 200, with the error in the body. */
  const graphqlLimited = () => ({
    status: 200,
    body: { data: null, errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] },
    headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)) },
  });
  // Its reset is a second away: the tests below wait a tenth of what GitHub asks.
  const fast = 100;
  const graphqlAnswer = () => ({ status: 200, body: { data: { viewer: { login: "rulebook[bot]" } } } });

  it.each([
    ["github.com", undefined, "https://api.github.com/graphql"],
    ["GitHub Enterprise Server", "https://ghes.example/api/v3", "https://ghes.example/api/graphql"],
  ])("waits out a GraphQL rate limit on %s", async (_server, baseUrl, endpoint) => {
    const { asked, urls, octokit } = github((n) => (n === 1 ? graphqlLimited() : graphqlAnswer()), {
      baseUrl,
      retryAfterBaseValue: fast,
    });
    await expect(octokit.graphql("query { viewer { login } }")).resolves.toEqual({
      viewer: { login: "rulebook[bot]" },
    });
    expect(urls).toEqual([endpoint, endpoint]);
    expect(asked).toHaveLength(2);
  });

  // Why the app's client classifies GraphQL itself: the throttling plugin looks for a path starting
  // with `/graphql`, so Probot's own client takes GitHub Enterprise Server's `/api/graphql` for REST.
  it("is needed: Probot's own client gives up on a GraphQL rate limit on GitHub Enterprise Server", async () => {
    const { asked, octokit } = github((n) => (n === 1 ? graphqlLimited() : graphqlAnswer()), {
      baseUrl: "https://ghes.example/api/v3",
      Octokit: ProbotOctokit,
      retryAfterBaseValue: fast,
    });
    await expect(octokit.graphql("query { viewer { login } }")).rejects.toMatchObject({
      name: "GraphqlResponseError",
      errors: [{ type: "RATE_LIMITED" }],
    });
    expect(asked).toHaveLength(1);
  });

  it("sends writes together rather than a second apart", async () => {
    const { asked, octokit } = github(() => ({ status: 200, body: {} }));
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
          owner: "acme",
          repo: "api",
          issue_number: n,
          labels: ["x"],
        }),
      ),
    );
    expect(asked).toHaveLength(5);
    expect(Math.max(...asked) - Math.min(...asked)).toBeLessThan(500);
  });

  // GitHub's `retry-after` is whole seconds (0 means "use the fallback, a minute"): this test waits one second.
  it("waits out a secondary rate limit as `retry-after` asks, but not for more than a minute", async () => {
    const limited = (seconds: number) => ({
      status: 403,
      body: { message: SECONDARY_RATE_LIMIT_MESSAGE },
      headers: { "retry-after": String(seconds) },
    });
    const soon = github((n) => (n === 1 ? limited(1) : { status: 200, body: { ok: true } }));
    await expect(
      soon.octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "api" }),
    ).resolves.toMatchObject({ data: { ok: true } });
    expect(soon.asked).toHaveLength(2);

    const late = github(() => limited(61));
    await expect(
      late.octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "api" }),
    ).rejects.toMatchObject({
      status: 403,
    });
    expect(late.asked).toHaveLength(1);
  });
});
