/**
 * The batched repository gatherer: many repositories per GraphQL query (aliases), for sweeps and bundle
 * previews. One query reads each repository's default-branch head, the files standards read
 * (`object(expression: "HEAD:path")`), its rulesets with their rules and bypass actors, its RTFM issues
 * and its open pull requests. A cheaper probe reads only what tells whether anything changed: the head,
 * the rulesets' ids and update times, and the open pull requests' heads.
 *
 * GitHub's limits: a connection takes 1–100 nodes; a query costs one point per 100 connections it may
 * open, so connections are kept small and the rare repository that overflows one (more rulesets, rules,
 * issues or pull requests than asked for, a truncated or binary file) is read again through REST.
 * A repository the query could not read gets facts that say so in `unavailable`: it fails closed.
 */
import { z } from "zod";
import type { FactKey, Facts, RulesetFact } from "../facts/schema.js";
import { type IssueRecord, listLabelledIssues } from "../github/issues.js";
import { type AppIdentity, type IssueActor, type IssueTrust, trustFor } from "../github/own-issues.js";
import { readFile } from "./contents.js";
import type { Octokit, RepositoryPayload } from "./github.js";
import { gatherRepository, repoFactsFromPayload } from "./repository.js";
import { listRulesets } from "./rulesets.js";
import { treeEntriesSelection } from "./skip-inventory.js";

/** Repositories per query: small enough to stay far below GitHub's 10 s query timeout. */
const BATCH_SIZE = 40;
/**
 * Repositories per probe: a probe opens at most three connections per repository, and 49 × 3 = 147
 * requests still round to one point.
 */
const PROBE_BATCH_SIZE = 49;
/** Connection sizes: each nested connection is opened once per parent node, so these set the cost. */
const RULESETS = 5;
const RULES = 50;
const BYPASS_ACTORS = 5;
const ISSUES = 50;
const PULLS = 50;

/** What a batched read needs: the facts and paths the standards read, the moment, this app. */
export interface BatchInput {
  needs: ReadonlySet<FactKey>;
  paths: readonly string[];
  now: string;
  app?: { id: number; slug: string };
  /** Read the repository's issues with this label too. */
  issueLabel?: string;
  /** Read this many levels of the default branch's tree too (for the skip inventory). */
  treeDepth?: number;
}

/** What tells whether a repository changed since it was last read. */
export interface RepositoryProbe {
  headOid: string | null;
  /** Ruleset ids and update times, e.g. "12@2026-11-23T12:00:00Z"; absent when rulesets are not read. */
  rulesets?: string[];
  /** Open pull requests and their head SHAs. */
  pulls: Array<{ number: number; headOid: string }>;
  /** The app's open issues with the label asked for, when the probe was asked for them. */
  openIssues?: IssueRecord[];
}

export interface BatchedRepository {
  facts: Facts;
  probe?: RepositoryProbe;
  /**
   * The app's own issues with the label asked for, open and closed; absent when not read, or when the
   * app's identity is unknown and its issues cannot be told from forged ones.
   */
  issues?: IssueRecord[];
  /** The default branch's tree as read with the facts (`treeDepth` levels), unparsed. */
  tree?: unknown;
}

const PageInfo = z.object({ hasNextPage: z.boolean() });
const Connection = <T extends z.ZodTypeAny>(node: T) =>
  z.object({ pageInfo: PageInfo.optional(), nodes: z.array(node) });

const ParametersSchema = z.record(z.string(), z.unknown()).nullable();
const BypassActorNode = z.object({
  bypassMode: z.string().nullable(),
  organizationAdmin: z.boolean(),
  deployKey: z.boolean(),
  repositoryRoleDatabaseId: z.number().nullable(),
  actor: z.object({ __typename: z.string(), databaseId: z.number().nullable() }).nullable(),
});
type BypassActorNode = z.infer<typeof BypassActorNode>;
const RulesetNode = z.object({
  databaseId: z.number(),
  updatedAt: z.string(),
  name: z.string().optional(),
  target: z.string().nullable().optional(),
  enforcement: z.string().optional(),
  source: z
    .object({
      __typename: z.string(),
      login: z.string().optional(),
      nameWithOwner: z.string().optional(),
      slug: z.string().optional(),
    })
    .optional(),
  conditions: z
    .object({ refName: z.object({ include: z.array(z.string()), exclude: z.array(z.string()) }).nullable() })
    .optional(),
  rules: Connection(z.object({ type: z.string(), parameters: ParametersSchema }))
    .nullable()
    .optional(),
  bypassActors: Connection(BypassActorNode).nullable().optional(),
});
const ActorNode = z.object({ __typename: z.string(), login: z.string() }).nullable();
const RepositoryNode = z
  .object({
    defaultBranchRef: z.object({ target: z.object({ oid: z.string() }) }).nullable(),
    rulesets: Connection(RulesetNode).nullable().optional(),
    pullRequests: Connection(z.object({ number: z.number(), headRefOid: z.string() })),
    issues: Connection(
      z.object({
        number: z.number(),
        state: z.string(),
        title: z.string(),
        body: z.string(),
        url: z.string(),
        author: ActorNode,
        editor: ActorNode,
      }),
    ).optional(),
  })
  .catchall(z.unknown());
const BlobNode = z
  .object({ text: z.string().nullable(), isBinary: z.boolean().nullable(), isTruncated: z.boolean() })
  .nullable();

/** Every field of every rule parameter type in GitHub's schema, so a rule's parameters arrive whole. */
const RULE_PARAMETERS = `parameters {
  __typename
  ... on BranchNamePatternParameters { name negate operator pattern }
  ... on CodeScanningParameters { codeScanningTools { alertsThreshold securityAlertsThreshold tool } }
  ... on CommitAuthorEmailPatternParameters { name negate operator pattern }
  ... on CommitMessagePatternParameters { name negate operator pattern }
  ... on CommitterEmailPatternParameters { name negate operator pattern }
  ... on FileExtensionRestrictionParameters { restrictedFileExtensions }
  ... on FilePathRestrictionParameters { restrictedFilePaths }
  ... on MaxFilePathLengthParameters { maxFilePathLength }
  ... on MaxFileSizeParameters { maxFileSize }
  ... on PullRequestParameters { dismissStaleReviewsOnPush requireCodeOwnerReview requireLastPushApproval requiredApprovingReviewCount requiredReviewThreadResolution }
  ... on RequiredDeploymentsParameters { requiredDeploymentEnvironments }
  ... on RequiredStatusChecksParameters { requiredStatusChecks { context integrationId } strictRequiredStatusChecksPolicy }
  ... on TagNamePatternParameters { name negate operator pattern }
  ... on UpdateParameters { updateAllowsFetchAndMerge }
  ... on WorkflowsParameters { workflows { path ref repositoryId sha } }
}`;

function rulesetsSelection(full: boolean): string {
  if (!full)
    return `rulesets(first: ${RULESETS}) { pageInfo { hasNextPage } nodes { databaseId updatedAt } }`;
  return `rulesets(first: ${RULESETS}) {
    pageInfo { hasNextPage }
    nodes {
      databaseId updatedAt name target enforcement
      source { __typename ... on Organization { login } ... on Repository { nameWithOwner } }
      conditions { refName { include exclude } }
      rules(first: ${RULES}) { pageInfo { hasNextPage } nodes { type ${RULE_PARAMETERS} } }
      bypassActors(first: ${BYPASS_ACTORS}) {
        pageInfo { hasNextPage }
        nodes { bypassMode organizationAdmin deployKey repositoryRoleDatabaseId actor { __typename ... on App { databaseId } ... on Team { databaseId } } }
      }
    }
  }`;
}

/** An issue's fields; its author and last editor tell the app's own issues, and their state, from forged ones. */
const ISSUE_FIELDS = "number state title body url author { __typename login } editor { __typename login }";

function repositorySelection(options: {
  full: boolean;
  rulesets: boolean;
  paths: readonly string[];
  issueLabel?: string;
  treeDepth?: number;
}): string {
  return [
    "defaultBranchRef { target { oid } }",
    `pullRequests(states: [OPEN], first: ${PULLS}) { pageInfo { hasNextPage } nodes { number headRefOid } }`,
    ...(options.rulesets ? [rulesetsSelection(options.full)] : []),
    ...(options.full
      ? options.paths.map(
          (path, i) =>
            `f${i}: object(expression: ${JSON.stringify(`HEAD:${path}`)}) { ... on Blob { text isBinary isTruncated } }`,
        )
      : []),
    ...(options.full && options.treeDepth
      ? [`tree: object(expression: "HEAD:") { ... on Tree { ${treeEntriesSelection(options.treeDepth)} } }`]
      : []),
    ...(!options.full && options.issueLabel
      ? [
          `issues(labels: [${JSON.stringify(options.issueLabel)}], states: [OPEN], first: ${ISSUES}) { pageInfo { hasNextPage } nodes { ${ISSUE_FIELDS} } }`,
        ]
      : []),
    ...(options.full && options.issueLabel
      ? [
          `issues(labels: [${JSON.stringify(options.issueLabel)}], first: ${ISSUES}) { pageInfo { hasNextPage } nodes { ${ISSUE_FIELDS} } }`,
        ]
      : []),
  ].join("\n");
}

function batchQuery(repositories: readonly RepositoryPayload[], selection: string): string {
  const aliases = repositories.map(
    (r, i) =>
      `r${i}: repository(owner: ${JSON.stringify(r.owner.login)}, name: ${JSON.stringify(r.name)}) { ...repositoryFacts }`,
  );
  return `query {\n${aliases.join("\n")}\n}\nfragment repositoryFacts on Repository {\n${selection}\n}`;
}

/** A GraphQL answer: the data GitHub could give, and why each alias it could not give failed. */
async function runBatch(
  octokit: Octokit,
  query: string,
): Promise<{ data: Record<string, unknown>; failed: Map<string, string> }> {
  try {
    return { data: await octokit.graphql<Record<string, unknown>>(query), failed: new Map() };
  } catch (error) {
    const partial = error as {
      data?: Record<string, unknown> | null;
      errors?: Array<{ path?: Array<string | number>; type?: string; message: string }>;
    };
    if (!partial.errors) throw error;
    const failed = new Map<string, string>();
    for (const e of partial.errors) {
      const alias = e.path?.[0];
      if (typeof alias === "string") failed.set(alias, `${e.type ? `${e.type}: ` : ""}${e.message}`);
    }
    // An error no alias owns says nothing about which repositories are fine: none is.
    if (failed.size !== partial.errors.length) throw error;
    return { data: partial.data ?? {}, failed };
  }
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Enum values GitHub's REST API writes in lower case (the facts hold REST's shapes). */
const LOWER_CASE_VALUES = new Set(["alerts_threshold", "security_alerts_threshold"]);

/** GraphQL's rule parameters in REST's shape: snake_case keys, no nulls, REST's enum spelling. */
function restParameters(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => restParameters(item, key));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value)) {
      if (name === "__typename" || inner === null || inner === undefined) continue;
      out[snake(name)] = restParameters(inner, snake(name));
    }
    return out;
  }
  return typeof value === "string" && LOWER_CASE_VALUES.has(key) ? value.toLowerCase() : value;
}

function bypassActorOf(actor: BypassActorNode): RulesetFact["bypassActors"][number] {
  const bypassMode = (actor.bypassMode ?? "ALWAYS").toLowerCase();
  if (actor.organizationAdmin) return { actorId: 1, actorType: "OrganizationAdmin", bypassMode };
  if (actor.deployKey) return { actorId: null, actorType: "DeployKey", bypassMode };
  if (actor.repositoryRoleDatabaseId !== null)
    return { actorId: actor.repositoryRoleDatabaseId, actorType: "RepositoryRole", bypassMode };
  const type = actor.actor?.__typename === "App" ? "Integration" : (actor.actor?.__typename ?? "Unknown");
  return { actorId: actor.actor?.databaseId ?? null, actorType: type, bypassMode };
}

/** A ruleset as the REST gatherer records it; undefined when a nested connection overflowed. */
function rulesetFact(node: z.infer<typeof RulesetNode>): RulesetFact | undefined {
  if (node.rules?.pageInfo?.hasNextPage || node.bypassActors?.pageInfo?.hasNextPage) return undefined;
  const source = node.source;
  const sourceType =
    source?.__typename === "Organization"
      ? "Organization"
      : source?.__typename === "Enterprise"
        ? "Enterprise"
        : "Repository";
  return {
    id: node.databaseId,
    name: node.name ?? "",
    target: (node.target ?? "BRANCH").toLowerCase() as RulesetFact["target"],
    enforcement: (node.enforcement ?? "ACTIVE").toLowerCase() as RulesetFact["enforcement"],
    sourceType,
    source: source?.login ?? source?.nameWithOwner ?? source?.slug ?? "",
    conditions: node.conditions?.refName
      ? { refName: { include: node.conditions.refName.include, exclude: node.conditions.refName.exclude } }
      : {},
    rules: (node.rules?.nodes ?? []).map((rule) => {
      const parameters = restParameters(rule.parameters) as Record<string, unknown> | undefined;
      return { type: rule.type.toLowerCase(), ...(parameters && rule.parameters ? { parameters } : {}) };
    }),
    bypassActors: (node.bypassActors?.nodes ?? []).map(bypassActorOf),
  };
}

/** An actor as REST names it: GraphQL gives a bot's login without the `[bot]` REST adds. */
function restActor(actor: z.infer<typeof ActorNode>): IssueActor | null {
  if (!actor) return null;
  return actor.__typename === "Bot"
    ? { login: `${actor.login}[bot]`, type: "Bot" }
    : { login: actor.login, type: actor.__typename };
}

/** The app's own issues of a batch's answer; undefined when the app is unknown and cannot tell them. */
function issueRecords(
  issues: NonNullable<z.infer<typeof RepositoryNode>["issues"]>,
  trust: IssueTrust | undefined,
  repository: string,
): IssueRecord[] | undefined {
  const records = issues.nodes.map((issue) => ({
    number: issue.number,
    state: issue.state.toLowerCase(),
    title: issue.title,
    body: issue.body,
    html_url: issue.url,
    user: restActor(issue.author),
    editor: restActor(issue.editor),
  }));
  return trust?.own(records, repository);
}

function probeOf(
  node: z.infer<typeof RepositoryNode>,
  rulesets: boolean,
  issues?: { trust: IssueTrust | undefined; repository: string },
): RepositoryProbe {
  const openIssues =
    issues && node.issues ? issueRecords(node.issues, issues.trust, issues.repository) : undefined;
  return {
    ...(openIssues ? { openIssues } : {}),
    headOid: node.defaultBranchRef?.target.oid ?? null,
    ...(rulesets
      ? { rulesets: (node.rulesets?.nodes ?? []).map((r) => `${r.databaseId}@${r.updatedAt}`) }
      : {}),
    pulls: node.pullRequests.nodes.map((p) => ({ number: p.number, headOid: p.headRefOid })),
  };
}

function failedFacts(
  repository: RepositoryPayload,
  input: { needs: ReadonlySet<FactKey>; now: string; app?: { id: number; slug: string } },
  why: string,
): Facts {
  const unavailable: Facts["unavailable"] = {};
  for (const key of ["repo.files", "repo.rulesets", "repo.metadata"] as const) {
    if (input.needs.has(key))
      unavailable[key] = `GitHub did not answer the batched read of the repository: ${why}`;
  }
  return {
    scopes: ["repo"],
    now: input.now,
    repo: repoFactsFromPayload(repository),
    ...(input.app ? { app: input.app } : {}),
    unavailable,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function repositoryName(repository: RepositoryPayload): string {
  return `${repository.owner.login}/${repository.name}`;
}

/** The probe of each repository (by `owner/name`); a repository GitHub would not answer is left out. */
export async function probeRepositories(
  octokit: Octokit,
  repositories: readonly RepositoryPayload[],
  options: { rulesets: boolean; issueLabel?: string; app?: AppIdentity },
): Promise<Map<string, RepositoryProbe>> {
  const probes = new Map<string, RepositoryProbe>();
  const selection = repositorySelection({ full: false, paths: [], ...options });
  // Without the app's identity its issues cannot be told from forged ones: the probe gives none.
  const trust = options.app ? trustFor(octokit, options.app) : undefined;
  for (const batch of chunks(repositories, PROBE_BATCH_SIZE)) {
    const { data, failed } = await runBatch(octokit, batchQuery(batch, selection)).catch(() => ({
      data: {} as Record<string, unknown>,
      failed: new Map<string, string>(),
    }));
    batch.forEach((repository, i) => {
      const parsed = RepositoryNode.safeParse(data[`r${i}`]);
      if (failed.has(`r${i}`) || !parsed.success) return;
      // An overflowing connection cannot tell that nothing changed.
      const { pullRequests, rulesets, issues } = parsed.data;
      if (
        pullRequests.pageInfo?.hasNextPage ||
        rulesets?.pageInfo?.hasNextPage ||
        issues?.pageInfo?.hasNextPage
      )
        return;
      const name = repositoryName(repository);
      probes.set(name, probeOf(parsed.data, options.rulesets, { trust, repository: name }));
    });
  }
  return probes;
}

/**
 * Facts for many repositories, a batch per query, with the probe of each and (when `issueLabel` is
 * given) its issues with that label. Files and rulesets are read only when `needs` asks for them.
 */
export async function gatherRepositoriesBatched(
  octokit: Octokit,
  repositories: readonly RepositoryPayload[],
  input: BatchInput,
): Promise<Map<string, BatchedRepository>> {
  const results = new Map<string, BatchedRepository>();
  const readsFiles = input.needs.has("repo.files");
  const readsRulesets = input.needs.has("repo.rulesets");
  const paths = readsFiles ? [...new Set(input.paths)].sort() : [];
  const selection = repositorySelection({
    full: true,
    rulesets: readsRulesets,
    paths,
    ...(input.issueLabel ? { issueLabel: input.issueLabel } : {}),
    ...(input.treeDepth ? { treeDepth: input.treeDepth } : {}),
  });
  for (const batch of chunks(repositories, BATCH_SIZE)) {
    let answer: Awaited<ReturnType<typeof runBatch>>;
    try {
      answer = await runBatch(octokit, batchQuery(batch, selection));
    } catch (error) {
      const status = (error as { status?: number }).status;
      const why = `${status ? `HTTP ${status}: ` : ""}${(error as Error).message}`;
      for (const repository of batch)
        results.set(repositoryName(repository), { facts: failedFacts(repository, input, why) });
      continue;
    }
    for (const [i, repository] of batch.entries()) {
      const name = repositoryName(repository);
      const alias = `r${i}`;
      const parsed = RepositoryNode.safeParse(answer.data[alias]);
      if (answer.failed.has(alias) || !parsed.success) {
        const why =
          answer.failed.get(alias) ?? `unexpected answer: ${parsed.error?.issues[0]?.message ?? "none"}`;
        results.set(name, { facts: failedFacts(repository, input, why) });
        continue;
      }
      results.set(name, await factsOf(octokit, repository, parsed.data, { ...input, paths }));
    }
  }
  return results;
}

/** One repository's facts from its part of a batch; what overflowed the batch is read through REST. */
async function factsOf(
  octokit: Octokit,
  repository: RepositoryPayload,
  node: z.infer<typeof RepositoryNode>,
  input: BatchInput,
): Promise<BatchedRepository> {
  const readsRulesets = input.needs.has("repo.rulesets");
  // Custom properties are not in GraphQL; the REST gatherer reads them when profiles need them.
  if (input.needs.has("repo.metadata") && repository.custom_properties == null) {
    return overflow(octokit, repository, node, input);
  }
  const unavailable: Facts["unavailable"] = {};
  const repo = repoFactsFromPayload(repository);
  const files: Facts["repo"]["files"] = {};
  if (input.needs.has("repo.files")) {
    for (const [i, path] of input.paths.entries()) {
      const blob = BlobNode.safeParse(node[`f${i}`] ?? null);
      if (!blob.success) {
        unavailable["repo.files"] = `GitHub's answer for ${path} was not a file`;
        continue;
      }
      if (blob.data === null || (blob.data.text === null && !blob.data.isBinary)) {
        files[path] = null;
      } else if (blob.data.isTruncated || blob.data.isBinary || blob.data.text === null) {
        // GraphQL truncates large files and has no text for binary ones: REST reads them as they are.
        files[path] = await readFile(octokit, repo.owner, repo.name, path, repo.defaultBranch).catch(
          (error: Error) => {
            unavailable["repo.files"] = `GitHub did not answer ${path}: ${error.message}`;
            return null;
          },
        );
      } else {
        files[path] = blob.data.text;
      }
    }
  }
  let rulesets: RulesetFact[] | undefined;
  if (readsRulesets) {
    const nodes = node.rulesets?.nodes ?? [];
    const facts = nodes.map(rulesetFact);
    if (node.rulesets?.pageInfo?.hasNextPage || facts.some((f) => f === undefined)) {
      rulesets = await listRulesets(octokit, repo.owner, repo.name).catch((error: Error) => {
        unavailable["repo.rulesets"] = `GitHub did not answer the repository's rulesets: ${error.message}`;
        return undefined;
      });
    } else {
      rulesets = facts as RulesetFact[];
    }
  }
  const issues = input.issueLabel
    ? await issuesOf(octokit, repository, node, input.issueLabel, input.app)
    : undefined;
  return {
    facts: {
      scopes: ["repo"],
      now: input.now,
      repo: { ...repo, files, ...(rulesets ? { rulesets } : {}) },
      ...(input.app ? { app: input.app } : {}),
      unavailable,
    },
    probe: probeOf(node, readsRulesets),
    ...(issues ? { issues } : {}),
    ...(node.tree !== undefined ? { tree: node.tree } : {}),
  };
}

/** The REST gatherer for a repository the batch could not fully describe. */
async function overflow(
  octokit: Octokit,
  repository: RepositoryPayload,
  node: z.infer<typeof RepositoryNode>,
  input: BatchInput,
): Promise<BatchedRepository> {
  const facts = await gatherRepository(octokit, { ...input, repository });
  const issues = input.issueLabel
    ? await issuesOf(octokit, repository, node, input.issueLabel, input.app)
    : undefined;
  return {
    facts,
    probe: probeOf(node, input.needs.has("repo.rulesets")),
    ...(issues ? { issues } : {}),
    ...(node.tree !== undefined ? { tree: node.tree } : {}),
  };
}

async function issuesOf(
  octokit: Octokit,
  repository: RepositoryPayload,
  node: z.infer<typeof RepositoryNode>,
  label: string,
  app: AppIdentity | undefined,
): Promise<IssueRecord[] | undefined> {
  const name = repositoryName(repository);
  if (!app) return undefined;
  const trust = trustFor(octokit, app);
  if (!node.issues || node.issues.pageInfo?.hasNextPage) {
    const listed = await listLabelledIssues(octokit, repository.owner.login, repository.name, label);
    return trust.own(listed, name);
  }
  return issueRecords(node.issues, trust, name);
}
