/**
 * What every client the app talks to GitHub with gets: each HTTP request GitHub receives is counted for
 * the delivery that caused it (retries and token requests included, whichever client sent them), and a
 * secondary rate limit is waited out for as long as its `retry-after` asks, which Probot's throttling
 * only logs.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Octokit } from "../gather/github.js";

export interface RequestTally {
  requests: number;
}

/** How long one wait may last; a longer `retry-after` fails the request (and the check fails closed). */
const MAX_RETRY_AFTER_SECONDS = 60;
/** How many times one request waits out a secondary rate limit before giving up. */
const MAX_WAITS = 2;

const tallies = new AsyncLocalStorage<RequestTally>();
const hooked = new WeakSet<object>();

/** Runs `work`, adding to `tally` every request a hooked client sends to GitHub meanwhile. */
export function tallyRequests<T>(tally: RequestTally, work: () => Promise<T>): Promise<T> {
  return tallies.run(tally, work);
}

/** Seconds GitHub asked to wait before retrying, when the error is a rate limit that says so. */
function retryAfterSeconds(error: unknown): number | undefined {
  const { status, response } = error as { status?: number; response?: { headers?: Record<string, string> } };
  if (status !== 403 && status !== 429) return undefined;
  const header = response?.headers?.["retry-after"];
  const seconds = header === undefined ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** Hooks a client (once): count its requests, wait out secondary rate limits. */
export function hookRequests(octokit: Octokit): void {
  if (hooked.has(octokit)) return;
  hooked.add(octokit);
  octokit.hook.wrap("request", async (request, options) => {
    // Hooks share one options object down to the fetch, so this fetch also counts Octokit's own retries.
    const fetch: typeof globalThis.fetch = options.request?.fetch ?? globalThis.fetch;
    options.request = {
      ...options.request,
      fetch: (...args: Parameters<typeof globalThis.fetch>) => {
        const tally = tallies.getStore();
        if (tally) tally.requests += 1;
        return fetch(...args);
      },
    };
    for (let waits = 0; ; waits++) {
      try {
        return await request(options);
      } catch (error) {
        const seconds = retryAfterSeconds(error);
        if (seconds === undefined || seconds > MAX_RETRY_AFTER_SECONDS || waits >= MAX_WAITS) throw error;
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      }
    }
  });
}
