/**
 * What every client the app talks to GitHub with gets: each HTTP request GitHub receives is counted for
 * the job that caused it (retries and token requests included, whichever client sent them) and in the
 * metrics, with what its answer says is left of the rate limit; and a request that creates content first
 * takes its share of the installation's content budget. Waiting out rate limits is the throttling
 * plugin's part (`octokit.ts`).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Octokit } from "../gather/github.js";
import { recordGitHubRequest } from "../metrics/metrics.js";
import { type ContentBudget, createsContent } from "./content-budget.js";

export interface RequestTally {
  requests: number;
}

const tallies = new AsyncLocalStorage<RequestTally>();
const hooked = new WeakSet<object>();

/** Runs `work`, adding to `tally` every request a hooked client sends to GitHub meanwhile. */
export function tallyRequests<T>(tally: RequestTally, work: () => Promise<T>): Promise<T> {
  return tallies.run(tally, work);
}

/** Hooks a client (once): count its requests; with a budget, spend it on the content it creates. */
export function hookRequests(
  octokit: Octokit,
  content?: { budget: ContentBudget; installation: number },
): void {
  if (hooked.has(octokit)) return;
  hooked.add(octokit);
  // The app's own client (no installation) is labelled `app` in the metrics.
  const installation = content ? String(content.installation) : "app";
  octokit.hook.wrap("request", async (request, options) => {
    // Hooks share one options object down to the fetch, so this fetch also counts Octokit's own retries.
    const fetch: typeof globalThis.fetch = options.request?.fetch ?? globalThis.fetch;
    options.request = {
      ...options.request,
      fetch: async (...args: Parameters<typeof globalThis.fetch>) => {
        const tally = tallies.getStore();
        if (tally) tally.requests += 1;
        const response = await fetch(...args);
        recordGitHubRequest(
          installation,
          String(args[0] instanceof Request ? args[0].url : args[0]),
          response.headers,
        );
        return response;
      },
    };
    if (content && createsContent(options.method, options.url)) {
      await content.budget.take(String(content.installation));
    }
    return request(options);
  });
}
