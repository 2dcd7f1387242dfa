/**
 * Facts: typed snapshots of what a gatherer saw (GitHub's API or a local checkout).
 *
 * Facts are plain data with zod schemas, so a verdict can be serialized and replayed.
 * Anything a gatherer could not provide is left out and explained in `unavailable`;
 * rules that need it then report "not evaluated" instead of passing.
 */
import { z } from "zod";

const ActorSchema = z.object({
  login: z.string(),
  /** GitHub's account type; `Bot` marks apps and automation accounts. */
  type: z.enum(["User", "Bot", "Organization", "Unknown"]).default("User"),
});
export type Actor = z.infer<typeof ActorSchema>;

const PersonSchema = z.object({ name: z.string(), email: z.string() });
export type Person = z.infer<typeof PersonSchema>;

const CommitSchema = z.object({
  sha: z.string(),
  message: z.string(),
  author: PersonSchema.extend({ login: z.string().optional() }),
  /** `Co-authored-by:` trailers, parsed from the message. */
  coAuthors: z.array(PersonSchema).default([]),
});
export type Commit = z.infer<typeof CommitSchema>;

const ChangedFileSchema = z.object({
  path: z.string(),
  status: z.enum(["added", "modified", "removed", "renamed", "copied", "changed", "unchanged"]),
  previousPath: z.string().optional(),
  /** Unified diff hunks; absent when GitHub omits them (binary or too large). */
  patch: z.string().optional(),
  binary: z.boolean().default(false),
  /**
   * The file's whole new content, for the changed files rules read as code (so a construct is judged in its
   * file, not in a diff window); absent when not gathered.
   */
  content: z.string().optional(),
});
export type ChangedFile = z.infer<typeof ChangedFileSchema>;

const ReviewSchema = z.object({
  author: ActorSchema,
  state: z.enum(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]),
  commitId: z.string().optional(),
  submittedAt: z.string().optional(),
});
export type Review = z.infer<typeof ReviewSchema>;

export const CheckRunFactSchema = z.object({
  name: z.string(),
  status: z.enum(["queued", "in_progress", "completed", "waiting", "requested", "pending"]),
  conclusion: z
    .enum(["success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required", "stale"])
    .nullable(),
  /** The app that reported it, when known (GitHub Actions is `github-actions`). */
  app: z.object({ id: z.number(), slug: z.string() }).optional(),
});
export type CheckRunFact = z.infer<typeof CheckRunFactSchema>;

export const PullRequestFactsSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string().default(""),
  author: ActorSchema,
  draft: z.boolean().default(false),
  base: z.object({ ref: z.string(), sha: z.string() }),
  head: z.object({ ref: z.string(), sha: z.string() }),
  labels: z.array(z.string()).default([]),
  commits: z.array(CommitSchema).optional(),
  files: z.array(ChangedFileSchema).optional(),
  reviews: z.array(ReviewSchema).optional(),
  checkRuns: z.array(CheckRunFactSchema).optional(),
  /**
   * The check runs on the base branch's head commit: the checks that usually run in this repository, which
   * a pull request is expected to run too when no list of required checks is configured.
   */
  baseCheckRuns: z.object({ sha: z.string().optional(), runs: z.array(CheckRunFactSchema) }).optional(),
});
export type PullRequestFacts = z.infer<typeof PullRequestFactsSchema>;

const MergedPullRequestSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  author: ActorSchema,
  mergedBy: ActorSchema.nullable(),
  headSha: z.string(),
  reviews: z.array(ReviewSchema).optional(),
  checkRuns: z.array(CheckRunFactSchema).optional(),
});
export type MergedPullRequest = z.infer<typeof MergedPullRequestSchema>;

export const PushFactsSchema = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  forced: z.boolean(),
  created: z.boolean().default(false),
  deleted: z.boolean().default(false),
  pusher: ActorSchema,
  commits: z.array(CommitSchema).default([]),
  /** The pull request whose merge produced this push; null when none did. Absent when not looked up. */
  pullRequest: MergedPullRequestSchema.nullable().optional(),
});
export type PushFacts = z.infer<typeof PushFactsSchema>;

const RefConditionSchema = z.object({
  include: z.array(z.string()).default([]),
  exclude: z.array(z.string()).default([]),
});

/** A ruleset as GitHub returns it from `GET /repos/{owner}/{repo}/rulesets/{id}` (the fields we judge). */
export const RulesetFactSchema = z.object({
  id: z.number(),
  name: z.string(),
  target: z.enum(["branch", "tag", "push", "repository"]),
  enforcement: z.enum(["disabled", "active", "evaluate"]),
  sourceType: z.enum(["Repository", "Organization", "Enterprise"]).default("Repository"),
  source: z.string().default(""),
  conditions: z.object({ refName: RefConditionSchema.optional() }).default({}),
  rules: z.array(z.object({ type: z.string(), parameters: z.record(z.string(), z.unknown()).optional() })),
  bypassActors: z
    .array(
      z.object({
        actorId: z.number().nullable(),
        actorType: z.string(),
        bypassMode: z.string().default("always"),
      }),
    )
    .default([]),
});
export type RulesetFact = z.infer<typeof RulesetFactSchema>;

export const RepoFactsSchema = z.object({
  owner: z.string(),
  name: z.string(),
  defaultBranch: z.string(),
  language: z.string().nullable().default(null),
  topics: z.array(z.string()).default([]),
  customProperties: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()])).default({}),
  visibility: z.enum(["public", "private", "internal"]).default("public"),
  archived: z.boolean().default(false),
  fork: z.boolean().default(false),
  /**
   * Files the bundle asks about: path -> content, or null when the path was looked up and is absent.
   * A path missing from the map was not looked up.
   */
  files: z.record(z.string(), z.string().nullable()).default({}),
  /** Rulesets that apply to the repository (its own and its organization's). */
  rulesets: z.array(RulesetFactSchema).optional(),
});
export type RepoFacts = z.infer<typeof RepoFactsSchema>;

/** What GitHub said about an issue a finding depends on (a tracking issue a skipped test cites). */
const IssueStateSchema = z.enum(["open", "closed", "missing"]);
export type IssueState = z.infer<typeof IssueStateSchema>;

/** The kinds of facts a rule can require; the engine checks them before running the rule. */
export const FACT_KEYS = [
  "repo.files",
  "repo.metadata",
  "repo.rulesets",
  "pr",
  "pr.description",
  "pr.commits",
  "pr.files",
  "pr.reviews",
  "pr.checkRuns",
  "pr.baseCheckRuns",
  "push",
  "push.pullRequest",
  "app",
  "issues",
] as const;
export type FactKey = (typeof FACT_KEYS)[number];

const ScopeSchema = z.enum(["pr", "repo", "push"]);
export type Scope = z.infer<typeof ScopeSchema>;

export const FactsSchema = z.object({
  /** Which scopes these facts cover; the engine runs only standards whose rule has one of them. */
  scopes: z.array(ScopeSchema).min(1),
  /** The moment of evaluation (ISO 8601). The engine reads no clock: effective dates and waivers use this. */
  now: z.string(),
  repo: RepoFactsSchema,
  pullRequest: PullRequestFactsSchema.optional(),
  push: PushFactsSchema.optional(),
  /** This app, as GitHub knows it, when the facts come from GitHub (for pinned required checks). */
  app: z.object({ id: z.number(), slug: z.string() }).optional(),
  /**
   * Issues that findings depend on, by `owner/repo#n` (lower case), verified in one batched query. A
   * reference missing from the map was not verified (the CLI without a token).
   */
  issues: z.record(z.string(), IssueStateSchema).optional(),
  /** Why each fact that is absent could not be gathered. */
  unavailable: z.partialRecord(z.enum(FACT_KEYS), z.string()).default({}),
});
export type Facts = z.infer<typeof FactsSchema>;
export type FactsInput = z.input<typeof FactsSchema>;

/**
 * Whether a fact a rule requires is there. `repo.metadata` (language, topics, properties, visibility) and
 * `pr.description` (title and body) exist in every snapshot's shape, so only `unavailable` can deny them;
 * a local checkout, for instance, knows neither a pull request's title nor the repository's topics.
 */
export function hasFact(facts: Facts, key: FactKey): boolean {
  if (facts.unavailable[key] !== undefined) return false;
  switch (key) {
    case "repo.files":
    case "repo.metadata":
      return true;
    case "repo.rulesets":
      return facts.repo.rulesets !== undefined;
    case "pr":
    case "pr.description":
      return facts.pullRequest !== undefined;
    case "pr.commits":
      return facts.pullRequest?.commits !== undefined;
    case "pr.files":
      return facts.pullRequest?.files !== undefined;
    case "pr.reviews":
      return facts.pullRequest?.reviews !== undefined;
    case "pr.checkRuns":
      return facts.pullRequest?.checkRuns !== undefined;
    case "pr.baseCheckRuns":
      return facts.pullRequest?.baseCheckRuns !== undefined;
    case "push":
      return facts.push !== undefined;
    case "push.pullRequest":
      return facts.push?.pullRequest !== undefined;
    case "app":
      return facts.app !== undefined;
    case "issues":
      return facts.issues !== undefined;
  }
}
