/**
 * The GitHub client the CLI builds from a token (the app gets its clients from Probot). With
 * `src/github/` the only place that imports Octokit, every request to GitHub goes through one gateway.
 */
import { retry } from "@octokit/plugin-retry";
import { Octokit as RestOctokit } from "@octokit/rest";
import type { Octokit } from "../gather/github.js";

interface RestClientOptions {
  token: string;
  userAgent: string;
  /** GitHub Enterprise Server's API root, or a fake GitHub's; defaults to api.github.com. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** A REST client that retries server errors; it logs nothing, since callers report failures themselves. */
export function createRestClient(options: RestClientOptions): Octokit {
  const silent = () => {};
  return new (RestOctokit.plugin(retry))({
    auth: options.token,
    userAgent: options.userAgent,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
    log: { debug: silent, info: silent, warn: silent, error: silent },
  });
}
