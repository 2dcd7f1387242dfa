/**
 * The GitHub client class the app runs with: Probot's Octokit with throttling that matches GitHub's limits
 * instead of Probot's defaults (10 requests at once, every write 1 s apart, content 3 s apart, a secondary
 * rate limit never retried):
 *
 * - up to `concurrency` requests at once per installation in this process (GitHub allows 100 across all
 *   of an installation's clients: replicas times `concurrency` should stay below that);
 * - writes as many at once as `writeConcurrency`, not spaced out: content creation is bounded by the
 *   installation's content budget instead (`content-budget.ts`, shared by replicas);
 * - a primary or secondary rate limit is waited out as GitHub's `retry-after` (or reset) asks, up to
 *   `maxRetryAfterSeconds` and `retries` times; a longer one fails the request, and its job is retried later;
 * - one quick retry of a server error; longer outages are the job queue's retries, with backoff.
 *
 * On GitHub Enterprise Server GraphQL is throttled and retried like on github.com (see `enterpriseGraphql`).
 */
import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";

interface ThrottleSettings {
  concurrency: number;
  writeConcurrency: number;
  maxRetryAfterSeconds: number;
  retries: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = {
  concurrency: 25,
  writeConcurrency: 5,
  maxRetryAfterSeconds: 60,
  retries: 2,
};

type ProbotOctokitClass = typeof ProbotOctokit;

const ENTERPRISE_API = /\/api\/v3\/?$/;

/**
 * On GitHub Enterprise Server Octokit posts GraphQL to the absolute `https://HOST/api/graphql`, and the
 * throttling plugin knows a GraphQL request only by a path starting with `/graphql`: it would neither
 * queue those queries nor wait out their rate limits. The same request, asked as `/graphql` relative to
 * `https://HOST/api`, is one the plugin recognizes.
 */
const enterpriseGraphql: Parameters<ProbotOctokitClass["plugin"]>[0] = (octokit) => {
  octokit.hook.before("request", (options) => {
    const api = options.baseUrl.replace(ENTERPRISE_API, "/api");
    if (api === options.baseUrl || options.url !== `${api}/graphql`) return;
    options.baseUrl = api;
    options.url = "/graphql";
  });
};

/** Probot's Octokit class with Rulebook's throttling; give it to Probot (`run(app, { Octokit })`). */
export function rulebookOctokit(settings: ThrottleSettings = DEFAULT_THROTTLE): ProbotOctokitClass {
  // Limiters per installation id (the plugin keys each group by the client's installation), made when a
  // client first throttles: a client with throttling off (tests) leaves no timer behind.
  let groups: Record<"global" | "write" | "notifications", Bottleneck.Group> | undefined;
  const limiters = () => {
    groups ??= {
      global: new Bottleneck.Group({ id: "rulebook-global", maxConcurrent: settings.concurrency }),
      write: new Bottleneck.Group({ id: "rulebook-write", maxConcurrent: settings.writeConcurrency }),
      notifications: new Bottleneck.Group({
        id: "rulebook-content",
        maxConcurrent: settings.writeConcurrency,
      }),
    };
    return groups;
  };
  const waitOut = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < settings.retries && retryAfter <= settings.maxRetryAfterSeconds;
  return ProbotOctokit.plugin(enterpriseGraphql).defaults((options: Record<string, unknown>) => {
    const throttle = options.throttle as { enabled?: boolean } | undefined;
    return {
      ...options,
      retry: { retries: 1, ...(options.retry as object) },
      throttle:
        throttle?.enabled === false
          ? throttle
          : { ...throttle, ...limiters(), onRateLimit: waitOut, onSecondaryRateLimit: waitOut },
    };
  }) as ProbotOctokitClass;
}
