/** What the fake was asked (counted per endpoint) and the faults it was told to answer with. */

export interface RequestRecord {
  method: string;
  /** Path and query as requested. */
  path: string;
  /** "METHOD /template" of the documented operation; null when GitHub documents none. */
  route: string | null;
  status: number;
  /** Set when an injected fault produced the answer. */
  faulted: boolean;
  /** The rate limit the request counts against: REST's `core`, or GraphQL's points. */
  budget: Budget;
  /** What it cost that budget: 1 per REST request (0 for a 304), a GraphQL query's points. */
  units: number;
  /** A GraphQL request's query text. */
  query?: string;
}

export type Budget = "core" | "graphql";

export class RequestLog {
  readonly #records: RequestRecord[] = [];

  record(entry: RequestRecord): RequestRecord {
    this.#records.push(entry);
    return entry;
  }

  /** Every request since the last reset, in order. */
  get all(): readonly RequestRecord[] {
    return this.#records;
  }

  /** Requests to one endpoint ("GET /repos/{owner}/{repo}"), or all requests. */
  count(route?: string): number {
    return route === undefined ? this.#records.length : this.#records.filter((r) => r.route === route).length;
  }

  /** Request counts per endpoint, e.g. `{ "POST /repos/{owner}/{repo}/check-runs": 1 }`. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { route, method, path } of this.#records) {
      const key = route ?? `${method} ${path}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  /** Units spent per budget (a REST 304 is free; a GraphQL query costs its points). */
  units(): Record<Budget, number> {
    const units: Record<Budget, number> = { core: 0, graphql: 0 };
    for (const record of this.#records) units[record.budget] += record.units;
    return units;
  }

  /** Forgets what was counted, to measure the next phase of a test on its own. */
  reset(): void {
    this.#records.length = 0;
  }
}

export interface FaultSpec {
  /** Answer with this status instead of handling the request (omit for a delay only). */
  status?: number;
  message?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Apply to this many matching requests, then recover; every matching request when omitted. */
  times?: number;
  /** Only requests this predicate accepts (e.g. one repository's). */
  when?: (request: { path: string; params: Record<string, unknown> }) => boolean;
}

interface ActiveFault extends FaultSpec {
  route: string;
  remaining: number;
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

export class Faults {
  readonly #active: ActiveFault[] = [];

  /** Makes requests to `route` ("GET /repos/{owner}/{repo}", or "*" for all) fail or wait. */
  inject(route: string, spec: FaultSpec): void {
    this.#active.push({ ...spec, route, remaining: spec.times ?? Number.POSITIVE_INFINITY });
  }

  /** GitHub's secondary rate limit: 403 with `retry-after`. */
  secondaryRateLimit(route: string, options: { retryAfterSeconds?: number; times?: number } = {}): void {
    this.inject(route, {
      status: 403,
      message: SECONDARY_RATE_LIMIT_MESSAGE,
      headers: { "retry-after": String(options.retryAfterSeconds ?? 60) },
      ...(options.times === undefined ? {} : { times: options.times }),
    });
  }

  clear(): void {
    this.#active.length = 0;
  }

  /** The fault that applies to this request, counted as used; undefined when none does. */
  take(route: string, request: { path: string; params: Record<string, unknown> }): FaultSpec | undefined {
    const fault = this.#active.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.route === "*" || candidate.route === route) &&
        (candidate.when === undefined || candidate.when(request)),
    );
    if (fault) fault.remaining -= 1;
    return fault;
  }
}
