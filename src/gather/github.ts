/**
 * What every GitHub gatherer shares: the client type, the webhook payload shapes they start from, and the
 * rule that a failed read becomes an `unavailable` fact (the engine then reports it as not evaluated,
 * never as passed).
 */
import type { Context } from "probot";
import type { Actor, FactKey, Facts } from "../facts/schema.js";

/**
 * The GitHub client the pipelines use: only the parts they call, so Probot's Octokit and a plain
 * `@octokit/rest` one (the CLI's) both fit.
 */
export type Octokit = Pick<Context["octokit"], "rest" | "paginate" | "hook" | "graphql">;
export interface RepositoryPayload {
  name: string;
  owner: { login: string };
  default_branch?: string;
  language?: string | null;
  topics?: string[];
  visibility?: string;
  private?: boolean;
  archived?: boolean;
  fork?: boolean;
  custom_properties?: Record<string, unknown> | null;
}

export interface UserPayload {
  login: string;
  type?: string;
}

export interface PullRequestPayload {
  number: number;
  title: string;
  body?: string | null;
  user: UserPayload | null;
  draft?: boolean;
  commits?: number;
  changed_files?: number;
  labels?: Array<{ name?: string }>;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
}

export function toActor(user: UserPayload | null | undefined): Actor {
  if (!user) return { login: "ghost", type: "Unknown" };
  const type =
    user.type === "Bot" || user.type === "Organization" || user.type === "User" ? user.type : "Unknown";
  return { login: user.login, type };
}

/** Runs one gathering step; a failure becomes an `unavailable` entry that names the request and status. */
export async function attempt<T>(
  unavailable: Facts["unavailable"],
  key: FactKey,
  what: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const status = (error as { status?: number }).status;
    const release = enterpriseRelease(error);
    unavailable[key] =
      release && status === 404
        ? `GitHub Enterprise Server ${release} answered ${what} with 404 Not Found: that release may lack the feature`
        : `GitHub did not answer ${what}${status ? ` (HTTP ${status})` : ""}: ${(error as Error).message}`;
    return undefined;
  }
}

/**
 * The GitHub Enterprise Server release that answered with `error` (its `x-github-enterprise-version`),
 * or undefined for github.com: on an older release a 404 is most often a feature it lacks.
 */
function enterpriseRelease(error: unknown): string | undefined {
  const failed = error as {
    response?: { headers?: Record<string, string> };
    headers?: Record<string, string>;
  };
  return (failed.response?.headers ?? failed.headers)?.["x-github-enterprise-version"];
}
