/**
 * An in-memory, stateful GitHub for tests, reached through `fake.fetch` (give it to Octokit or
 * Probot as `request: { fetch }`). Every request is matched to an operation in GitHub's OpenAPI
 * description and validated (parameters, body; the fake's own responses too). A request GitHub
 * would not accept is answered with GitHub's error AND recorded as a violation, which
 * `assertNoViolations()` turns into a test failure.
 *
 * Extending it: add a handler with `router.on("METHOD /template", { permission }, handler)` in
 * `handlers/<area>.ts`, reading and writing `FakeState` and answering with `render.ts` shapes.
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { mintInstallationToken, readCredentials } from "./auth.js";
import { answerGraphQL, GRAPHQL_POINTS_PER_HOUR } from "./graphql.js";
import { defaultRouter } from "./handlers/index.js";
import { type FakeResponse, GitHubError } from "./http.js";
import { apiDescription, type Problem } from "./openapi.js";
import * as render from "./render.js";
import { type Caller, type Permission, type RouteEntry, Router } from "./router.js";
import { type RepoRef, Seeder } from "./seed.js";
import { seedFromPayload } from "./seed-payload.js";
import { type AppState, type CheckRunState, FakeState, type InstallationState, repoKey } from "./state.js";
import { Faults, RequestLog, type RequestRecord } from "./traffic.js";

/** An installation's REST requests an hour, before the extra an organization's size earns it. */
export const CORE_REQUESTS_PER_HOUR = 5000;

/** How the request log and faults name GitHub's GraphQL endpoint. */
export const GRAPHQL_ROUTE = "POST /graphql";

export { Router } from "./router.js";
export type { CommitSeed, PullRequestSeed, RepoRef, RepoSeed, RulesetSeed } from "./seed.js";
export type * from "./state.js";
export type { Budget, FaultSpec, RequestRecord } from "./traffic.js";

/** A GitHub Enterprise Server the fake plays instead of github.com. */
export interface EnterpriseOptions {
  /** Its release: requests are checked against that release's description, answers carry it. */
  version: `${number}.${number}`;
  /** Whether an administrator left rate limiting on (default off: then `GET /rate_limit` is a 404). */
  rateLimiting?: boolean;
}

/** Where a fake GitHub Enterprise Server answers: REST under `/api/v3`, GraphQL at `/api/graphql`. */
export const ENTERPRISE_HOST = "ghes.test";

export interface FakeGitHubOptions {
  /** Play a GitHub Enterprise Server of this release, at ENTERPRISE_HOST, rather than github.com. */
  enterprise?: EnterpriseOptions;
  /** The app under test. Its public key checks the JWTs the app signs. */
  app?: Partial<Omit<AppState, "createdAt">> & { publicKey?: KeyObject | string };
  /** Routes to start from instead of the default ones; `fake.router.on(...)` adds or replaces more. */
  router?: Router;
}

export type ViolationKind =
  | "unknown-endpoint"
  | "invalid-request"
  | "unauthorized"
  | "not-implemented"
  | "invalid-response"
  | "handler-error";

export interface Violation {
  kind: ViolationKind;
  /** "METHOD /path?query" as requested. */
  request: string;
  route: string | null;
  message: string;
}

const API_HOST = "api.github.com";

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function grants(granted: Record<string, string>, needed: Permission | Permission[]): boolean {
  return [needed].flat().some((permission) => {
    const [name, level] = permission.split(":") as [string, "read" | "write"];
    // Every installation can read metadata.
    if (name === "metadata" && level === "read") return true;
    return granted[name] === "write" || (level === "read" && granted[name] === "read");
  });
}

export class FakeGitHub extends Seeder {
  readonly router: Router;
  /** Requests received, countable per endpoint; `requests.reset()` between phases of a test. */
  readonly requests = new RequestLog();
  /** Injected faults: statuses, delays, N times then recover. */
  readonly faults = new Faults();
  readonly #violations: Violation[] = [];
  readonly #appPublicKey: KeyObject | undefined;
  readonly enterprise: EnterpriseOptions | undefined;
  readonly #description: ReturnType<typeof apiDescription>;
  #requestId = 0;
  /** GraphQL points each installation spent (one rate-limit window: the fake's clock does not reset it). */
  readonly #graphqlSpent = new Map<number, number>();
  /** REST requests each installation spent, 304s aside (one window, as for GraphQL). */
  readonly #coreSpent = new Map<number, number>();

  constructor(options: FakeGitHubOptions = {}) {
    super(new FakeState());
    this.router = new Router(options.router ?? defaultRouter);
    this.enterprise = options.enterprise;
    this.#description = apiDescription(
      options.enterprise ? `ghes-${options.enterprise.version}` : "api.github.com",
    );
    const { publicKey, ...app } = options.app ?? {};
    this.#appPublicKey = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
    const owner = this.state.account(app.owner ?? "rulebook-org", "Organization").login;
    const appState: AppState = {
      id: this.state.reserveId(app.id ?? 1),
      slug: app.slug ?? "rulebook",
      name: app.name ?? "Rulebook",
      owner,
      description: app.description ?? null,
      permissions: app.permissions ?? { metadata: "read" },
      events: app.events ?? [],
      createdAt: this.state.clock.iso(),
    };
    this.state.apps.set(appState.id, appState);
    this.state.appId = appState.id;
  }

  /** The repository a test seeded, to read or change its state directly. */
  repo(ref: RepoRef): ReturnType<Seeder["repoOf"]> {
    return this.repoOf(ref);
  }

  /** Check runs on a repository, optionally only those on one commit or with one name, oldest first. */
  checkRuns(ref: RepoRef, filter: { headSha?: string; name?: string } = {}): CheckRunState[] {
    const repo = this.repoOf(ref);
    const key = repoKey(repo.owner, repo.name);
    return [...this.state.checkRuns.values()].filter(
      (run) =>
        run.repo === key &&
        (filter.headSha === undefined || run.headSha === filter.headSha) &&
        (filter.name === undefined || run.name === filter.name),
    );
  }

  /**
   * Seeds what a webhook payload names (repository, owner, sender, installation, pull request,
   * commits with the payload's SHAs, check run), so the app meets a GitHub that agrees with it.
   */
  seedFromPayload(payload: object): void {
    seedFromPayload(this, payload);
  }

  /** A `pull_request` webhook payload built from the fake's state, as GitHub would send it. */
  pullRequestEvent(ref: RepoRef, number: number, action = "opened", sender?: string) {
    const repo = this.repoOf(ref);
    const pr = repo.pulls.get(number);
    const issue = repo.issues.get(number);
    if (!pr || !issue)
      throw new Error(`the fake has no pull request #${number} in ${repo.owner}/${repo.name}`);
    const owner = this.state.account(repo.owner);
    return {
      action,
      number,
      pull_request: render.pullRequest(this.state, repo, pr),
      repository: render.repository(this.state, repo),
      ...(owner.type === "Organization"
        ? { organization: render.organization(this.state, owner.login) }
        : {}),
      sender: render.user(this.state, sender ?? issue.user),
    };
  }

  get violations(): readonly Violation[] {
    return this.#violations;
  }

  /** Returns the violations recorded so far and forgets them (for tests that provoke them). */
  takeViolations(): Violation[] {
    return this.#violations.splice(0);
  }

  /** Throws, listing every request GitHub would have refused or the fake could not answer. */
  assertNoViolations(): void {
    const violations = this.takeViolations();
    if (violations.length === 0) return;
    const lines = violations.map(
      (v) => `- ${v.kind}: ${v.request}${v.route ? ` (${v.route})` : ""}: ${v.message}`,
    );
    throw new Error(`The fake GitHub saw ${violations.length} problem(s):\n${lines.join("\n")}`);
  }

  /** A fresh installation token, for calling the fake directly. */
  installationToken(installationId: number): string {
    if (!this.state.installations.has(installationId)) throw new Error(`no installation ${installationId}`);
    return mintInstallationToken(this.state, installationId).token;
  }

  /** An Octokit authenticated as an installation, talking to this fake; it logs nothing (tests print nothing). */
  octokit(installationId: number): Octokit {
    const quiet = () => {};
    return new Octokit({
      auth: this.installationToken(installationId),
      request: { fetch: this.fetch },
      ...(this.enterprise ? { baseUrl: `https://${ENTERPRISE_HOST}/api/v3` } : {}),
      log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    });
  }

  /** The `fetch` to inject into Octokit or Probot. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const answer = await this.#answer(request, url, text);
    const headers = new Headers({
      "x-github-request-id": `FAKE:${++this.#requestId}`,
      ...(this.enterprise ? { "x-github-enterprise-version": `${this.enterprise.version}.0` } : {}),
      ...answer.headers,
    });
    let response: Response;
    if (answer.text !== undefined) {
      response = new Response(this.localize(answer.text), { status: answer.status, headers });
    } else if (answer.body === undefined || answer.status === 204 || answer.status === 304) {
      response = new Response(null, { status: answer.status, headers });
    } else {
      headers.set("content-type", "application/json; charset=utf-8");
      response = new Response(this.localize(JSON.stringify(answer.body)), {
        status: answer.status,
        headers,
      });
    }
    // A constructed Response has an empty url; Octokit's pagination reads it, as on a real fetch.
    Object.defineProperty(response, "url", { value: url.href });
    return response;
  };

  /**
   * Text with github.com's addresses (which the fake renders) turned into the server's, so that an
   * app copying a link from an answer or a payload links where its users are.
   */
  localize(text: string): string {
    if (!this.enterprise) return text;
    const web = `https://${ENTERPRISE_HOST}`;
    return text
      .replaceAll(render.API_URL, `${web}/api/v3`)
      .replaceAll(render.WEB_URL, web)
      .replaceAll("git://github.com/", `git://${ENTERPRISE_HOST}/`)
      .replaceAll("git@github.com:", `git@${ENTERPRISE_HOST}:`);
  }

  /** The path under the API's root (`/repos/...`, `/graphql`), or undefined for a URL outside it. */
  #apiPath(url: URL): string | undefined {
    if (!this.enterprise) return url.host === API_HOST ? url.pathname : undefined;
    if (url.host !== ENTERPRISE_HOST) return undefined;
    if (url.pathname === "/api/graphql") return "/graphql";
    return url.pathname.startsWith("/api/v3/") ? url.pathname.slice("/api/v3".length) : undefined;
  }

  #violation(kind: ViolationKind, method: string, url: URL, route: string | null, message: string): void {
    this.#violations.push({ kind, request: `${method} ${url.pathname}${url.search}`, route, message });
  }

  async #answer(request: Request, url: URL, text: string): Promise<FakeResponse> {
    const method = request.method.toUpperCase();
    const path = this.#apiPath(url);
    const record = this.requests.record({
      method,
      path: `${path ?? url.pathname}${url.search}`,
      route: null,
      status: 0,
      faulted: false,
      budget: "core",
      units: 1,
    });
    const finish = (response: FakeResponse) => {
      record.status = response.status;
      // GitHub does not count a conditional request answered 304 against the rate limit.
      if (response.status === 304) record.units = 0;
      return response;
    };

    if (path === undefined) {
      const message = this.enterprise
        ? `${url.origin}${url.pathname} is not under ${ENTERPRISE_HOST}/api/v3 or /api/graphql`
        : `${url.host} is not GitHub's REST API`;
      this.#violation("unknown-endpoint", method, url, null, message);
      return finish(GitHubError.notFound().toResponse());
    }
    if (path === "/graphql") {
      record.route = GRAPHQL_ROUTE;
      record.budget = "graphql";
      record.units = 0;
      if (method !== "POST") {
        this.#violation(
          "unknown-endpoint",
          method,
          url,
          GRAPHQL_ROUTE,
          "GitHub's GraphQL API takes POST only",
        );
        return finish(GitHubError.notFound().toResponse());
      }
      return finish(await this.#answerGraphQL(request, url, text, record));
    }
    if (this.enterprise && !this.enterprise.rateLimiting && method === "GET" && path === "/rate_limit") {
      return finish(new GitHubError(404, "Rate limiting is not enabled.").toResponse());
    }
    const match = this.#description.matchPath(method, path);
    if (match.kind !== "operation") {
      const message =
        match.kind === "unknown-path"
          ? "GitHub documents no such path"
          : `GitHub documents ${match.template} only for ${match.methods.join(", ")}`;
      this.#violation("unknown-endpoint", method, url, null, message);
      return finish(GitHubError.notFound().toResponse());
    }
    const { route } = match.operation;
    record.route = route;

    const validators = this.#description.validatorsFor(route);
    const params: Record<string, unknown> = { ...match.operation.params };
    const query: Record<string, unknown> = Object.fromEntries(url.searchParams);
    let body: unknown;
    const problems: Problem[] = validators.parameters(params, query);
    if (validators.hasBody && method !== "GET") {
      try {
        body = text === "" ? undefined : JSON.parse(text);
        problems.push(...validators.body(body));
      } catch {
        problems.push({ where: "body", message: "the body is not JSON" });
      }
    }
    if (problems.length > 0) {
      const message = problems.map((problem) => `${problem.where}: ${problem.message}`).join("; ");
      this.#violation("invalid-request", method, url, route, message);
      const error = problems.some((problem) => problem.where === "path")
        ? GitHubError.notFound()
        : GitHubError.invalidRequest(message);
      return finish(error.toResponse());
    }

    const entry = this.router.find(route);
    if (!entry) {
      this.#violation("not-implemented", method, url, route, "add a handler in test/fake-github/handlers");
      return finish(new GitHubError(501, `The fake GitHub does not implement ${route}`).toResponse());
    }

    let caller: Caller;
    try {
      caller = this.#authorize(entry, request.headers.get("authorization"), params);
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      if (error.status === 401) this.#violation("unauthorized", method, url, route, error.message);
      return finish(error.toResponse());
    }

    const fault = this.faults.take(route, { path, params });
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.status) {
      record.faulted = true;
      return finish(
        new GitHubError(
          fault.status,
          fault.message ?? "Injected fault",
          {},
          fault.headers ?? {},
        ).toResponse(),
      );
    }

    let response: FakeResponse;
    try {
      response = await entry.handler(
        { route, url, params, query, body, headers: request.headers, caller },
        this.state,
      );
    } catch (error) {
      if (!(error instanceof GitHubError)) {
        this.#violation(
          "handler-error",
          method,
          url,
          route,
          error instanceof Error ? (error.stack ?? error.message) : String(error),
        );
        return finish(new GitHubError(500, "Server Error").toResponse());
      }
      response = error.toResponse();
    }

    if (response.status >= 200 && response.status < 300 && response.body !== undefined) {
      const invalid = validators.response(response.status, response.body);
      if (invalid.length > 0) {
        this.#violation(
          "invalid-response",
          method,
          url,
          route,
          invalid.map((problem) => problem.message).join("; "),
        );
      }
    }
    if (method === "GET" && response.status === 200) {
      const representation = response.text ?? JSON.stringify(response.body);
      const etag = `W/"${createHash("sha1").update(representation).digest("hex")}"`;
      const normalize = (tag: string) => tag.trim().replace(/^W\//, "");
      const ifNoneMatch = request.headers.get("if-none-match");
      if (ifNoneMatch?.split(",").some((tag) => normalize(tag) === normalize(etag))) {
        return finish(this.#coreRateLimit(caller, { status: 304, headers: { etag } }));
      }
      response = { ...response, headers: { ...response.headers, etag } };
    }
    return finish(this.#coreRateLimit(caller, response));
  }

  /** Whether the server limits rates, and says so in headers: github.com always, GHES when its admin says. */
  get #rateLimited(): boolean {
    return !this.enterprise || this.enterprise.rateLimiting === true;
  }

  /** An installation's answer with GitHub's `x-ratelimit-*` headers, having spent the request (a 304 is free). */
  #coreRateLimit(caller: Caller, response: FakeResponse): FakeResponse {
    if (caller.kind !== "installation" || !this.#rateLimited) return response;
    const id = caller.installation.id;
    const spent = (this.#coreSpent.get(id) ?? 0) + (response.status === 304 ? 0 : 1);
    this.#coreSpent.set(id, spent);
    const used = Math.min(CORE_REQUESTS_PER_HOUR, spent);
    return {
      ...response,
      headers: {
        ...response.headers,
        "x-ratelimit-limit": String(CORE_REQUESTS_PER_HOUR),
        "x-ratelimit-remaining": String(CORE_REQUESTS_PER_HOUR - used),
        "x-ratelimit-used": String(used),
        "x-ratelimit-resource": "core",
      },
    };
  }

  /** A GraphQL query: validated against GitHub's schema, run over the state, charged its points. */
  async #answerGraphQL(
    request: Request,
    url: URL,
    text: string,
    record: RequestRecord,
  ): Promise<FakeResponse> {
    const credentials = readCredentials(this.state, request.headers.get("authorization"), this.#appPublicKey);
    if (credentials.kind !== "token") {
      this.#violation(
        "unauthorized",
        "POST",
        url,
        GRAPHQL_ROUTE,
        `GraphQL needs an installation token; got ${describe(credentials)}`,
      );
      return GitHubError.unauthorized().toResponse();
    }
    const installation = this.state.installations.get(credentials.token.installationId) as InstallationState;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.#violation("invalid-request", "POST", url, GRAPHQL_ROUTE, "the body is not JSON");
      return {
        status: 400,
        body: { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/graphql" },
      };
    }
    const fault = this.faults.take(GRAPHQL_ROUTE, { path: "/graphql", params: {} });
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.status) {
      record.faulted = true;
      return new GitHubError(
        fault.status,
        fault.message ?? "Injected fault",
        {},
        fault.headers ?? {},
      ).toResponse();
    }
    if (typeof body.query === "string") record.query = body.query;
    const spent = this.#graphqlSpent.get(installation.id) ?? 0;
    const answer = await answerGraphQL(this.state, installation, body, spent);
    this.#graphqlSpent.set(installation.id, spent + answer.points);
    record.units = answer.points;
    for (const violation of answer.violations) {
      this.#violation(violation.kind, "POST", url, GRAPHQL_ROUTE, violation.message);
    }
    // GitHub tells a GraphQL client its points left in the same headers as REST's.
    const used = Math.min(GRAPHQL_POINTS_PER_HOUR, spent + answer.points);
    return {
      status: 200,
      text: JSON.stringify(answer.body),
      headers: {
        "content-type": "application/json; charset=utf-8",
        ...(this.#rateLimited
          ? {
              "x-ratelimit-limit": String(GRAPHQL_POINTS_PER_HOUR),
              "x-ratelimit-remaining": String(GRAPHQL_POINTS_PER_HOUR - used),
              "x-ratelimit-used": String(used),
              "x-ratelimit-resource": "graphql",
            }
          : {}),
      },
    };
  }

  /** Checks the credentials an endpoint needs and, for installations, their reach and permissions. */
  #authorize(entry: RouteEntry, authorization: string | null, params: Record<string, unknown>): Caller {
    const credentials = readCredentials(this.state, authorization, this.#appPublicKey);
    if ("auth" in entry.options) {
      if (credentials.kind !== "jwt") {
        throw new GitHubError(401, `${entry.route} needs the app's JWT; got ${describe(credentials)}`);
      }
      return { kind: "app", appId: credentials.appId };
    }
    if (credentials.kind !== "token") {
      throw new GitHubError(401, `${entry.route} needs an installation token; got ${describe(credentials)}`);
    }
    const installation = this.state.installations.get(credentials.token.installationId) as InstallationState;
    if (installation.suspendedAt) throw GitHubError.forbidden("This installation has been suspended");
    const { owner, repo, org } = params as { owner?: string; repo?: string; org?: string };
    if (owner !== undefined && repo !== undefined) {
      const target = this.state.findRepo(owner, repo);
      const reachable =
        target !== undefined &&
        target.owner.toLowerCase() === installation.account.toLowerCase() &&
        (installation.repositorySelection === "all" || installation.repositoryIds.includes(target.id));
      if (!reachable) throw GitHubError.notFound();
    }
    if (org !== undefined && org.toLowerCase() !== installation.account.toLowerCase())
      throw GitHubError.notFound();
    if (!grants(installation.permissions, entry.options.permission)) throw GitHubError.forbidden();
    return { kind: "installation", installation };
  }
}

function describe(credentials: ReturnType<typeof readCredentials>): string {
  switch (credentials.kind) {
    case "none":
      return "no Authorization header";
    case "invalid":
      return `invalid credentials (${credentials.reason})`;
    case "jwt":
      return "the app's JWT";
    case "token":
      return "an installation token";
  }
}
