/**
 * GitHub's GraphQL API (`POST /graphql`) over the fake's state. Every query is parsed and validated
 * against GitHub's published schema (`@octokit/graphql-schema`), then executed by `graphql-js` with
 * resolvers that read the same state as the REST routes. A field the fake does not implement fails
 * loudly ("not implemented by the fake") instead of answering with made-up data: every object a
 * resolver returns holds exactly the fields the fake implements, and the field resolver refuses the rest.
 *
 * Cost is computed as GitHub documents it
 * (https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api):
 * every connection costs one request per parent node that could reach it (assuming every `first`/`last`
 * is filled), the sum is divided by 100 and rounded, and the least a query costs is 1 point.
 */
import { schema as published } from "@octokit/graphql-schema";
import {
  buildClientSchema,
  type DocumentNode,
  execute,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getVariableValues,
  type IntrospectionQuery,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate,
} from "graphql";
import { blobSha, resolveRef, subtree, treeEntries, treeSha } from "./git.js";
import { rulesetsFor } from "./handlers/rulesets.js";
import { WEB_URL } from "./render.js";
import type { FakeState, InstallationState, IssueState, RepoState, RulesetState } from "./state.js";

/** The points an installation may spend per hour (GitHub's default for apps; Enterprise Cloud has more). */
export const GRAPHQL_POINTS_PER_HOUR = 5000;
/** GitHub refuses a query that could return more nodes than this. */
export const NODE_LIMIT = 500_000;

let cachedSchema: GraphQLSchema | undefined;

/** GitHub's public GraphQL schema, built once per test file. */
export function githubSchema(): GraphQLSchema {
  if (!cachedSchema) {
    cachedSchema = buildClientSchema(published.json as IntrospectionQuery);
  }
  return cachedSchema;
}

/** A field the query asked for that the fake does not implement: a gap in the fake, never an answer. */
export class NotImplementedByFake extends Error {}

/** A GraphQL error as GitHub reports it (`type`: NOT_FOUND, FORBIDDEN...): an answer, not a fake gap. */
export class GitHubGraphQLError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request GitHub refuses before running it (pagination bounds, node limit): a bug in the caller. */
export class InvalidGraphQLRequest extends Error {}

/**
 * An object the resolvers hand to graphql-js: its own properties are the fields the fake implements
 * (a function receives the field's arguments); `__typename` names the concrete type.
 */
type Resolved = { __typename: string } & Record<string, unknown>;

const strictFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, _context, info) => {
  const object = source as Record<string, unknown>;
  if (!Object.hasOwn(object, info.fieldName)) {
    throw new NotImplementedByFake(
      `${info.parentType.name}.${info.fieldName} is not implemented by the fake GitHub`,
    );
  }
  const value = object[info.fieldName];
  return typeof value === "function" ? (value as (a: Record<string, unknown>) => unknown)(args) : value;
};

function typeResolver(value: unknown): string {
  const name = (value as Resolved | null)?.__typename;
  if (!name) throw new NotImplementedByFake("an abstract type without __typename in the fake");
  return name;
}

export interface GraphQLCost {
  /** Requests to fulfil the query, as GitHub counts them. */
  requests: number;
  /** Nodes the query could return at most. */
  nodes: number;
  points: number;
}

function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();
}

/**
 * GitHub's cost of a query: one request per connection per parent node that could reach it, and the
 * number of nodes it could return. Fragments are followed; `first`/`last` come from the arguments.
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): GraphQLCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  let requests = 0;
  let nodes = 0;
  const walk = (selectionSet: SelectionSetNode | undefined, parent: GraphQLNamedType, multiplier: number) => {
    if (!selectionSet) return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type) walk(selection.selectionSet, type, multiplier);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && type) walk(fragment.selectionSet, type, multiplier);
      } else {
        walkField(selection, parent, multiplier);
      }
    }
  };
  const walkField = (node: FieldNode, parent: GraphQLNamedType, multiplier: number) => {
    if (!("getFields" in parent)) return;
    const field = (parent.getFields() as Record<string, GraphQLField<unknown, unknown>>)[node.name.value];
    if (!field) return;
    const type = getNamedType(field.type);
    if (isConnection(type)) {
      const args = getArgumentValues(field, node, variables);
      const size = Number(args.first ?? args.last ?? 0);
      requests += multiplier;
      nodes += multiplier * size;
      walk(node.selectionSet, type, multiplier * Math.max(size, 1));
    } else {
      walk(node.selectionSet, type, multiplier);
    }
  };
  const root = operation.operation === "query" ? schema.getQueryType() : schema.getMutationType();
  if (root) walk(operation.selectionSet, root, 1);
  return { requests, nodes, points: Math.max(1, Math.round(requests / 100)) };
}

/** GitHub's pagination bounds: every connection needs `first` or `last`, from 1 to 100. */
function checkPagination(args: Record<string, unknown>, where: string): void {
  const size = args.first ?? args.last;
  if (size === undefined || size === null) {
    throw new InvalidGraphQLRequest(
      `You must provide a \`first\` or \`last\` value to properly paginate ${where}.`,
    );
  }
  if (typeof size !== "number" || size < 1 || size > 100) {
    throw new InvalidGraphQLRequest(
      `Requesting ${size} records on ${where} exceeds the \`first\`/\`last\` limit of 100 records (minimum 1).`,
    );
  }
}

function cursor(index: number): string {
  return Buffer.from(`cursor:${index}`).toString("base64");
}

function cursorIndex(value: unknown): number {
  if (typeof value !== "string") return -1;
  const match = /^cursor:(\d+)$/.exec(Buffer.from(value, "base64").toString("utf8"));
  if (!match)
    throw new GitHubGraphQLError(
      "INVALID_CURSOR_ARGUMENTS",
      `\`${value}\` does not appear to be a valid cursor.`,
    );
  return Number(match[1]);
}

/** A connection over `items` with GitHub's `first`/`last`/`after`/`before` semantics. */
function connection<T>(
  items: readonly T[],
  args: Record<string, unknown>,
  where: string,
  toNode: (item: T) => Resolved,
): Resolved {
  checkPagination(args, where);
  let start = args.after === undefined || args.after === null ? 0 : cursorIndex(args.after) + 1;
  let end = args.before === undefined || args.before === null ? items.length : cursorIndex(args.before);
  end = Math.min(end, items.length);
  start = Math.max(0, Math.min(start, end));
  if (typeof args.first === "number") end = Math.min(end, start + args.first);
  else if (typeof args.last === "number") start = Math.max(start, end - args.last);
  const page = items
    .slice(start, end)
    .map((item, offset) => ({ node: toNode(item), cursor: cursor(start + offset) }));
  return {
    __typename: "Connection",
    totalCount: items.length,
    nodes: page.map((entry) => entry.node),
    edges: page.map((entry) => ({ __typename: "Edge", ...entry })),
    pageInfo: {
      __typename: "PageInfo",
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: page[0]?.cursor ?? null,
      endCursor: page[page.length - 1]?.cursor ?? null,
    },
  };
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * A REST-shaped value as the GraphQL type of a field: keys camelCased, enum values upper-cased, and
 * every field of the type present (null when the REST value lacks it), as GitHub's objects are.
 */
function fromRest(value: unknown, type: GraphQLOutputType, schema: GraphQLSchema): unknown {
  if (value === undefined || value === null) return null;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return (value as unknown[]).map((item) => fromRest(item, inner.ofType, schema));
  if (isEnumType(inner)) return String(value).toUpperCase();
  if (isObjectType(inner)) {
    const rest = value as Record<string, unknown>;
    const byCamel = new Map(Object.entries(rest).map(([key, v]) => [camel(key), v]));
    const object: Resolved = { __typename: inner.name };
    for (const [name, field] of Object.entries(inner.getFields()))
      object[name] = fromRest(byCamel.get(name), field.type, schema);
    return object;
  }
  return value;
}

/** The GraphQL type holding a rule type's parameters, e.g. `pull_request` -> `PullRequestParameters`. */
function parametersType(ruleType: string): string {
  const pascal = camel(`_${ruleType}`);
  return `${pascal}Parameters`;
}

export interface GraphQLContext {
  state: FakeState;
  installation: InstallationState;
}

function grants(installation: InstallationState, permission: string): boolean {
  return installation.permissions[permission] === "read" || installation.permissions[permission] === "write";
}

function requirePermission(installation: InstallationState, permission: string): void {
  if (!grants(installation, permission)) {
    throw new GitHubGraphQLError("FORBIDDEN", "Resource not accessible by integration");
  }
}

function account(state: FakeState, login: string): Resolved {
  const known = state.account(login);
  const type = known.type === "Organization" ? "Organization" : known.type === "Bot" ? "Bot" : "User";
  // GraphQL names a bot by its app's slug: REST's `rulebook[bot]` is `rulebook` here.
  const name = type === "Bot" ? known.login.replace(/\[bot\]$/, "") : known.login;
  return { __typename: type, login: name, databaseId: known.id };
}

function issueNode(state: FakeState, repo: RepoState, issue: IssueState): Resolved {
  return {
    __typename: "Issue",
    number: issue.number,
    databaseId: issue.id,
    title: issue.title,
    body: issue.body ?? "",
    state: issue.state === "open" ? "OPEN" : "CLOSED",
    stateReason: issue.stateReason ? issue.stateReason.toUpperCase() : null,
    url: `${WEB_URL}/${repo.owner}/${repo.name}/issues/${issue.number}`,
    author: account(state, issue.user),
    editor: issue.editor === null ? null : account(state, issue.editor),
    lastEditedAt: issue.lastEditedAt,
    labels: (args: Record<string, unknown>) =>
      connection(issue.labels, args, "labels", (name) => ({ __typename: "Label", name })),
  };
}

function gitObject(repo: RepoState, expression: string): Resolved | null {
  const colon = expression.indexOf(":");
  const refName = colon === -1 ? expression : expression.slice(0, colon);
  const sha = refName === "HEAD" ? repo.branches.get(repo.defaultBranch) : resolveRef(repo, refName);
  const commit = sha ? repo.commits.get(sha) : undefined;
  if (!commit) return null;
  if (colon === -1) return { __typename: "Commit", oid: commit.sha, abbreviatedOid: commit.sha.slice(0, 7) };
  const path = expression.slice(colon + 1).replace(/\/+$/, "");
  const content = commit.files.get(path);
  if (content !== undefined) {
    const oid = blobSha(content);
    return {
      __typename: "Blob",
      oid,
      abbreviatedOid: oid.slice(0, 7),
      text: content,
      byteSize: Buffer.byteLength(content),
      isBinary: false,
      isTruncated: false,
    };
  }
  const files = subtree(commit.files, path);
  if (files.size === 0) return null;
  const oid = treeSha(files);
  return {
    __typename: "Tree",
    oid,
    abbreviatedOid: oid.slice(0, 7),
    entries: treeEntries(files, false).map((entry) => {
      const full = path === "" ? entry.path : `${path}/${entry.path}`;
      return {
        __typename: "TreeEntry",
        name: entry.path,
        path: full,
        type: entry.type,
        oid: entry.type === "blob" ? blobSha(entry.content) : entry.sha,
        mode: entry.type === "blob" ? 33188 : 16384,
        // The entry's blob or tree, as GitHub resolves it: read only when the query asks for it.
        object: () => gitObject(repo, `${commit.sha}:${full}`),
      };
    }),
  };
}

function rulesetNode(context: GraphQLContext, ruleset: RulesetState): Resolved {
  const schema = githubSchema();
  const refName = ruleset.conditions?.ref_name;
  return {
    __typename: "RepositoryRuleset",
    databaseId: ruleset.id,
    name: ruleset.name,
    target: ruleset.target.toUpperCase(),
    enforcement: ruleset.enforcement.toUpperCase(),
    updatedAt: ruleset.updatedAt,
    createdAt: ruleset.createdAt,
    source:
      ruleset.sourceType === "Organization"
        ? account(context.state, ruleset.source)
        : { __typename: "Repository", nameWithOwner: ruleset.source },
    conditions: {
      __typename: "RepositoryRuleConditions",
      refName: refName
        ? {
            __typename: "RefNameConditionTarget",
            include: refName.include ?? [],
            exclude: refName.exclude ?? [],
          }
        : null,
    },
    rules: (args: Record<string, unknown>) =>
      connection(
        ruleset.rules.filter((rule) => !args.type || rule.type === String(args.type).toLowerCase()),
        args,
        "rules",
        (rule) => {
          const type = schema.getType(parametersType(rule.type));
          const parameters =
            "parameters" in rule && rule.parameters && type && isObjectType(type)
              ? fromRest(rule.parameters, type, schema)
              : null;
          return { __typename: "RepositoryRule", type: rule.type.toUpperCase(), parameters };
        },
      ),
    bypassActors: (args: Record<string, unknown>) =>
      connection(ruleset.bypassActors, args, "bypassActors", (actor) => ({
        __typename: "RepositoryRulesetBypassActor",
        bypassMode: (actor.bypass_mode ?? "always").toUpperCase(),
        organizationAdmin: actor.actor_type === "OrganizationAdmin",
        deployKey: actor.actor_type === "DeployKey",
        enterpriseOwner: false,
        repositoryRoleDatabaseId: actor.actor_type === "RepositoryRole" ? (actor.actor_id ?? null) : null,
        actor:
          actor.actor_type === "Integration"
            ? { __typename: "App", databaseId: actor.actor_id ?? null }
            : actor.actor_type === "Team"
              ? { __typename: "Team", databaseId: actor.actor_id ?? null }
              : null,
      })),
  };
}

function repositoryNode(context: GraphQLContext, repo: RepoState): Resolved {
  const { state, installation } = context;
  const owner = account(state, repo.owner);
  const head = repo.branches.get(repo.defaultBranch);
  return {
    __typename: "Repository",
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: `${repo.owner}/${repo.name}`,
    owner,
    isArchived: repo.archived,
    isFork: repo.fork,
    visibility: repo.visibility.toUpperCase(),
    defaultBranchRef: head
      ? {
          __typename: "Ref",
          name: repo.defaultBranch,
          prefix: "refs/heads/",
          target: { __typename: "Commit", oid: head, abbreviatedOid: head.slice(0, 7) },
        }
      : null,
    object: (args: { expression?: string; oid?: string }) => {
      requirePermission(installation, "contents");
      const expression = args.expression ?? args.oid;
      return expression === undefined ? null : gitObject(repo, expression);
    },
    rulesets: (args: Record<string, unknown>) => {
      const targets = (args.targets as string[] | null | undefined)?.map((t) => t.toLowerCase());
      const rulesets = rulesetsFor(state, repo, args.includeParents !== false).filter(
        (ruleset) => !targets || targets.includes(ruleset.target),
      );
      return connection(rulesets, args, "rulesets", (ruleset) => rulesetNode(context, ruleset));
    },
    issues: (args: Record<string, unknown>) => {
      requirePermission(installation, "issues");
      const labels = args.labels as string[] | null | undefined;
      const states = (args.states as string[] | null | undefined)?.map((s) => s.toLowerCase());
      if (args.orderBy || args.filterBy)
        throw new NotImplementedByFake(
          "Repository.issues(orderBy, filterBy) is not implemented by the fake GitHub",
        );
      const issues = [...repo.issues.values()]
        .filter((issue) => !issue.isPullRequest)
        .filter((issue) => !states || states.includes(issue.state))
        .filter(
          (issue) =>
            !labels ||
            labels.some((label) => issue.labels.some((l) => l.toLowerCase() === label.toLowerCase())),
        )
        .sort((a, b) => a.number - b.number);
      return connection(issues, args, "issues", (issue) => issueNode(state, repo, issue));
    },
    issue: (args: { number: number }) => {
      requirePermission(installation, "issues");
      const issue = repo.issues.get(args.number);
      if (!issue || issue.isPullRequest) {
        throw new GitHubGraphQLError(
          "NOT_FOUND",
          `Could not resolve to an Issue with the number of ${args.number}.`,
        );
      }
      return issueNode(state, repo, issue);
    },
    pullRequests: (args: Record<string, unknown>) => {
      requirePermission(installation, "pull_requests");
      const states = (args.states as string[] | null | undefined)?.map((s) => s.toLowerCase());
      for (const key of ["orderBy", "labels", "headRefName", "baseRefName"]) {
        if (args[key] !== undefined && args[key] !== null)
          throw new NotImplementedByFake(
            `Repository.pullRequests(${key}) is not implemented by the fake GitHub`,
          );
      }
      const pulls = [...repo.pulls.values()]
        .map((pr) => ({ pr, issue: repo.issues.get(pr.number) as IssueState }))
        .filter(({ pr, issue }) => !states || states.includes(pr.merged ? "merged" : issue.state))
        .sort((a, b) => a.pr.number - b.pr.number);
      return connection(pulls, args, "pullRequests", ({ pr, issue }) => ({
        __typename: "PullRequest",
        number: pr.number,
        databaseId: pr.id,
        title: issue.title,
        state: pr.merged ? "MERGED" : issue.state.toUpperCase(),
        isDraft: pr.draft,
        headRefName: pr.head.ref,
        headRefOid: pr.head.sha,
        baseRefName: pr.base.ref,
        baseRefOid: pr.base.sha,
        author: account(state, issue.user),
        url: `${WEB_URL}/${repo.owner}/${repo.name}/pull/${pr.number}`,
      }));
    },
  };
}

function rootValue(context: GraphQLContext, cost: GraphQLCost, remaining: () => number): Resolved {
  const { state, installation } = context;
  return {
    __typename: "Query",
    repository: (args: { owner: string; name: string }) => {
      const repo = state.findRepo(args.owner, args.name);
      const reachable =
        repo !== undefined &&
        repo.owner.toLowerCase() === installation.account.toLowerCase() &&
        (installation.repositorySelection === "all" || installation.repositoryIds.includes(repo.id));
      if (!repo || !reachable) {
        throw new GitHubGraphQLError(
          "NOT_FOUND",
          `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`,
        );
      }
      return repositoryNode(context, repo);
    },
    rateLimit: () => ({
      __typename: "RateLimit",
      cost: cost.points,
      limit: GRAPHQL_POINTS_PER_HOUR,
      nodeCount: cost.nodes,
      remaining: remaining(),
      used: GRAPHQL_POINTS_PER_HOUR - remaining(),
    }),
  };
}

export interface GraphQLAnswer {
  /** GitHub's JSON answer: `{ data, errors }`. */
  body: { data?: unknown; errors?: Array<Record<string, unknown>> };
  /** The points the query cost (0 when GitHub refused it before running it). */
  points: number;
  /** Problems that mean the caller or the fake is wrong (each fails the test). */
  violations: Array<{ kind: "invalid-request" | "not-implemented" | "handler-error"; message: string }>;
}

/** Runs one GraphQL request for an installation; `spent` says what the installation already spent this hour. */
export async function answerGraphQL(
  state: FakeState,
  installation: InstallationState,
  request: { query?: unknown; variables?: unknown; operationName?: unknown },
  spent: number,
): Promise<GraphQLAnswer> {
  const schema = githubSchema();
  const refuse = (message: string, type?: string): GraphQLAnswer => ({
    body: { errors: [{ message, ...(type ? { type } : {}) }] },
    points: 0,
    violations: [{ kind: "invalid-request", message }],
  });
  if (typeof request.query !== "string")
    return refuse("A query attribute must be specified and must be a string.");
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return refuse((error as GraphQLError).message);
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return refuse(invalid.map((e) => e.message).join("; "));
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    typeof request.operationName === "string"
      ? operations.find((o) => o.name?.value === request.operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
  if (!operation) return refuse("Could not determine the operation to run.");
  if (operation.operation !== "query") {
    return refuse(`The fake GitHub implements no ${operation.operation}: it is not implemented by the fake.`);
  }
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    (request.variables ?? {}) as Record<string, unknown>,
  );
  if (coerced.errors) return refuse(coerced.errors.map((e) => e.message).join("; "));
  const cost = queryCost(schema, document, operation, coerced.coerced);
  if (cost.nodes > NODE_LIMIT) {
    return refuse(
      `This query requests up to ${cost.nodes} possible nodes which exceeds the maximum limit of ${NODE_LIMIT}.`,
      "MAX_NODE_LIMIT_EXCEEDED",
    );
  }
  const context: GraphQLContext = { state, installation };
  const result = await execute({
    schema,
    document,
    ...(typeof request.operationName === "string" ? { operationName: request.operationName } : {}),
    variableValues: (request.variables ?? {}) as Record<string, unknown>,
    rootValue: rootValue(context, cost, () => Math.max(0, GRAPHQL_POINTS_PER_HOUR - spent - cost.points)),
    fieldResolver: strictFieldResolver,
    typeResolver,
  });
  const violations: GraphQLAnswer["violations"] = [];
  const errors = (result.errors ?? []).map((error) => {
    const original = error.originalError;
    if (original instanceof GitHubGraphQLError)
      return { type: original.type, path: error.path, message: original.message };
    if (original instanceof InvalidGraphQLRequest) {
      violations.push({ kind: "invalid-request", message: original.message });
      return { type: "INVALID_ARGUMENTS", path: error.path, message: original.message };
    }
    violations.push({
      kind: original instanceof NotImplementedByFake ? "not-implemented" : "handler-error",
      message: `${error.path?.join(".") ?? ""}: ${original?.stack ?? error.message}`,
    });
    return { path: error.path, message: error.message };
  });
  return {
    body: { data: result.data ?? null, ...(errors.length > 0 ? { errors } : {}) },
    points: cost.points,
    violations,
  };
}
