/**
 * The fake's router: a documented operation (method + OpenAPI path template) -> handler. Parameter,
 * query and body types come from `@octokit/openapi-types`; the fake has already validated them
 * against the OpenAPI description (and coerced query strings) before a handler runs.
 */
import type { paths } from "@octokit/openapi-types";
import type { FakeResponse } from "./http.js";
import { isDocumentedRoute } from "./openapi.js";
import type { FakeState, InstallationState } from "./state.js";

type Method = "get" | "post" | "put" | "patch" | "delete";
type PathTemplate = keyof paths & string;

/** Every "METHOD /template" GitHub documents, e.g. "GET /repos/{owner}/{repo}". */
export type DocumentedRoute = {
  [P in PathTemplate]: { [M in Method & keyof paths[P]]: `${Uppercase<M>} ${P}` }[Method & keyof paths[P]];
}[PathTemplate];

type OperationOf<R extends string> = R extends `${infer M} ${infer P}`
  ? P extends PathTemplate
    ? Lowercase<M> extends keyof paths[P]
      ? paths[P][Lowercase<M>]
      : never
    : never
  : never;

export type PathParams<R extends string> =
  OperationOf<R> extends { parameters: { path: infer P } } ? P : never;
export type QueryParams<R extends string> =
  OperationOf<R> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : Record<string, never>;
export type RequestBody<R extends string> =
  OperationOf<R> extends {
    requestBody: { content: { "application/json": infer B } };
  }
    ? B
    : OperationOf<R> extends { requestBody?: { content: { "application/json": infer B } } }
      ? B | undefined
      : undefined;

/** Who is calling: the app itself (JWT) or one of its installations (installation token). */
export type Caller =
  | { kind: "app"; appId: number }
  | { kind: "installation"; installation: InstallationState };

export interface FakeRequest<R extends string = string> {
  route: R;
  url: URL;
  params: PathParams<R>;
  query: QueryParams<R>;
  body: RequestBody<R>;
  headers: Headers;
  caller: Caller;
}

export type Handler<R extends string> = (
  request: FakeRequest<R>,
  state: FakeState,
) => FakeResponse | Promise<FakeResponse>;

/** Permission names as in app.yml's `default_permissions`. */
export type PermissionName =
  | "administration"
  | "checks"
  | "contents"
  | "issues"
  | "merge_queues"
  | "metadata"
  | "organization_administration"
  | "organization_custom_properties"
  | "pull_requests"
  | "statuses";
export type Permission = `${PermissionName}:${"read" | "write"}`;

/**
 * `auth: "app"`: the endpoint takes the app's JWT (the `/app` endpoints). Otherwise it takes an
 * installation token holding one of `permission` (GitHub accepts either issues or pull_requests
 * permission for issue endpoints used on pull requests, hence a list).
 */
export type RouteOptions = { auth: "app" } | { permission: Permission | Permission[] };

export interface RouteEntry {
  route: DocumentedRoute;
  options: RouteOptions;
  // biome-ignore lint/suspicious/noExplicitAny: entries of different routes live in one map.
  handler: Handler<any>;
}

export class Router {
  readonly #routes: Map<string, RouteEntry>;

  /** A router with the routes of `base`, to which more can be added or replaced. */
  constructor(base?: Router) {
    this.#routes = base ? new Map(base.#routes) : new Map();
  }

  /** Adds (or replaces) the handler of a documented operation. */
  on<R extends DocumentedRoute>(route: R, options: RouteOptions, handler: Handler<R>): this {
    if (!isDocumentedRoute(route)) throw new Error(`${route} is not in GitHub's OpenAPI description`);
    this.#routes.set(route, { route, options, handler });
    return this;
  }

  find(route: string): RouteEntry | undefined {
    return this.#routes.get(route);
  }

  routes(): DocumentedRoute[] {
    return [...this.#routes.keys()] as DocumentedRoute[];
  }
}
