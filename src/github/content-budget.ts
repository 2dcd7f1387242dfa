/**
 * GitHub's limit on creating content (issues, comments, review requests): 80 a minute and 500 an hour per
 * installation, across every replica. Each window is a counter in the store (Redis when replicas share
 * one), keyed by the window it counts, so replicas spend one budget. A request that would overdraw a window
 * waits for the next one when that is near, and fails as rate limited (its job is retried with backoff)
 * when it is not.
 */
import { recordContentWrites } from "../metrics/metrics.js";
import type { Store } from "../state/store.js";

interface BudgetWindow {
  seconds: number;
  max: number;
}

/** GitHub's secondary limits on content-generating requests. */
const CONTENT_WINDOWS: readonly BudgetWindow[] = [
  { seconds: 60, max: 80 },
  { seconds: 3600, max: 500 },
];

/** The longest a request waits for budget; a longer wait fails the request instead of holding a worker. */
const MAX_WAIT_MS = 60_000;

/** Requests that create content, by method and path (GitHub counts these against the content limits). */
const CONTENT_ROUTES = [
  /^\/repos\/[^/]+\/[^/]+\/issues$/,
  /^\/repos\/[^/]+\/[^/]+\/issues\/[^/]+\/comments$/,
  /^\/repos\/[^/]+\/[^/]+\/pulls$/,
  /^\/repos\/[^/]+\/[^/]+\/pulls\/[^/]+\/(comments|reviews|requested_reviewers)$/,
  /^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+\/comments$/,
  /^\/repos\/[^/]+\/[^/]+\/releases$/,
];

/** Whether a request creates content: a POST to one of the routes above, as a path or a route template. */
export function createsContent(method: string, url: string): boolean {
  if (method.toUpperCase() !== "POST") return false;
  const path = new URL(url, "https://api.github.invalid").pathname.replace(/^\/api\/v3(?=\/)/, "");
  return CONTENT_ROUTES.some((route) => route.test(path));
}

/** A rate limit of our own making, shaped like GitHub's so jobs retry it the same way. */
export class ContentBudgetSpent extends Error {
  readonly status = 429;
  readonly response: { headers: Record<string, string> };
  constructor(installation: string, retryAfterSeconds: number) {
    super(
      `installation ${installation} spent GitHub's content creation budget; it refills in ${retryAfterSeconds}s`,
    );
    this.response = { headers: { "retry-after": String(retryAfterSeconds) } };
  }
}

export class ContentBudget {
  readonly #store: Store;
  readonly #windows: readonly BudgetWindow[];
  readonly #clock: () => number;

  constructor(
    store: Store,
    windows: readonly BudgetWindow[] = CONTENT_WINDOWS,
    clock: () => number = Date.now,
  ) {
    this.#store = store;
    this.#windows = windows;
    this.#clock = clock;
  }

  /** Takes one request from every window of `installation`, waiting for a window that is about to refill. */
  async take(installation: string): Promise<void> {
    for (;;) {
      const now = this.#clock();
      const taken: { key: string; window: BudgetWindow; start: number; count: number }[] = [];
      let refill = 0;
      for (const window of this.#windows) {
        const ms = window.seconds * 1000;
        const start = Math.floor(now / ms) * ms;
        const key = `content-budget:${installation}:${window.seconds}:${start}`;
        const count = await this.#store.increment(key, 1, window.seconds);
        taken.push({ key, window, start, count });
        if (count > window.max) refill = Math.max(refill, start + ms - now);
      }
      if (refill === 0) {
        for (const { window, start, count } of taken) {
          recordContentWrites(installation, window.seconds, start + window.seconds * 1000 - now, count);
        }
        return;
      }
      // Overdrawn: give back what was taken, then wait for the window or fail as rate limited.
      for (const { key } of taken) await this.#store.increment(key, -1);
      if (refill > MAX_WAIT_MS) throw new ContentBudgetSpent(installation, Math.ceil(refill / 1000));
      await new Promise((resolve) => setTimeout(resolve, refill));
    }
  }
}
