/**
 * What a sweep remembers between runs, in the shared store (Redis when there is one): the facts of each
 * repository with the key they were read under, each repository's summary for the dashboard, and the
 * installation's repository list with its ETags. All of it is disposable: every value read back is parsed
 * with zod and a value that does not parse is treated as absent, which costs one cold read, never a
 * wrong verdict.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { StandardStatus } from "../engine/verdict.js";
import { type Facts, FactsSchema, RepoFactsSchema, RulesetFactSchema } from "../facts/schema.js";
import {
  type BatchedRepository,
  type BatchInput,
  gatherRepositoriesBatched,
  probeRepositories,
  type RepositoryProbe,
  repositoryName,
} from "../gather/batch.js";
import type { Octokit, RepositoryPayload } from "../gather/github.js";
import { repoFactsFromPayload } from "../gather/repository.js";
import { InventoriedExclusionSchema, InventoriedSkipSchema } from "../gather/skip-inventory.js";
import { WaiverUseSchema } from "../publish/dashboard.js";
import { parseStoredJson, type Store } from "../state/store.js";

/** A week: long enough that a weekly sweep stays warm, short enough that nothing lingers. */
const TTL_SECONDS = 7 * 24 * 3600;

export function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}

/**
 * A repository's facts as cached: each file's content, the map of its files to those contents and its
 * list of rulesets are each stored once under their digest (`shared:<digest>`), however many
 * repositories hold them. Files copied from the bundle's templates and an organization's rulesets are
 * the same across an org, so a repository costs the store a few hundred bytes, not its files.
 */
const CachedFactsSchema = z.object({
  key: z.string(),
  facts: FactsSchema.extend({
    repo: RepoFactsSchema.extend({ files: z.string(), rulesets: z.string().optional() }),
  }),
});
type CachedFacts = z.infer<typeof CachedFactsSchema>;
const RulesetsSchema = z.array(RulesetFactSchema);
/** Path -> the digest of its content, or null when the path is absent. */
const FileDigestsSchema = z.record(z.string(), z.string().nullable());

/** The digest a shared value is stored under: the whole SHA-256, since a collision would be a wrong verdict. */
function contentDigest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Shared values read or written by one call, so each is read, parsed or written once per call. */
class SharedValues {
  readonly #read = new Map<string, Promise<string | undefined>>();
  readonly #parsed = new Map<string, unknown>();
  readonly #written = new Set<string>();

  constructor(readonly store: Store) {}

  get(digest: string): Promise<string | undefined> {
    let value = this.#read.get(digest);
    if (!value) {
      value = this.store.get(`shared:${digest}`);
      this.#read.set(digest, value);
    }
    return value;
  }

  /** A shared JSON value, parsed once per call; undefined when it is gone or does not parse. */
  async json<T extends z.ZodTypeAny>(digest: string, schema: T): Promise<z.infer<T> | undefined> {
    if (!this.#parsed.has(digest)) this.#parsed.set(digest, parseStoredJson(schema, await this.get(digest)));
    return this.#parsed.get(digest) as z.infer<T> | undefined;
  }

  async put(text: string): Promise<string> {
    const digest = contentDigest(text);
    if (!this.#written.has(digest)) {
      this.#written.add(digest);
      this.#read.set(digest, Promise.resolve(text));
      await this.store.set(`shared:${digest}`, text, TTL_SECONDS);
    }
    return digest;
  }
}

async function pack(shared: SharedValues, key: string, facts: Facts): Promise<CachedFacts> {
  const files: Record<string, string | null> = {};
  for (const [path, content] of Object.entries(facts.repo.files))
    files[path] = content === null ? null : await shared.put(content);
  const { rulesets, ...repo } = facts.repo;
  return {
    key,
    facts: {
      ...facts,
      repo: {
        ...repo,
        files: await shared.put(JSON.stringify(files)),
        ...(rulesets ? { rulesets: await shared.put(JSON.stringify(rulesets)) } : {}),
      },
    },
  };
}

/** The facts a cached entry stands for; undefined when a shared value it names is gone. */
async function unpack(shared: SharedValues, cached: CachedFacts, now: string): Promise<Facts | undefined> {
  const digests = await shared.json(cached.facts.repo.files, FileDigestsSchema);
  if (!digests) return undefined;
  const files: Record<string, string | null> = {};
  for (const [path, digest] of Object.entries(digests)) {
    if (digest === null) {
      files[path] = null;
      continue;
    }
    const content = await shared.get(digest);
    if (content === undefined) return undefined;
    files[path] = content;
  }
  const { rulesets: rulesetsDigest, ...repo } = cached.facts.repo;
  const rulesets =
    rulesetsDigest === undefined ? undefined : await shared.json(rulesetsDigest, RulesetsSchema);
  if (rulesetsDigest !== undefined && rulesets === undefined) return undefined;
  return { ...cached.facts, now, repo: { ...repo, files, ...(rulesets ? { rulesets } : {}) } };
}

function factsKeyOf(repository: RepositoryPayload, probe: RepositoryProbe, needs: string): string {
  return digest({
    head: probe.headOid,
    rulesets: probe.rulesets ?? null,
    repository: repoFactsFromPayload(repository),
    needs,
  });
}

/**
 * Whose cache a read keeps its facts in. The sweep's entries hold the facts its bundle needs; a bundle
 * preview needs more (the proposed standards' paths) and keeps its facts apart, reading the sweep's
 * only where they still hold, so previewing a bundle never costs the next sweep a cold read.
 */
export type FactsCache = "sweep" | "preview";

const FACTS_PREFIX: Record<FactsCache, string> = { sweep: "facts", preview: "preview-facts" };

export interface RepositoryFacts extends BatchedRepository {
  /** Whether the facts were read now (false: the cached facts still hold). */
  fresh: boolean;
}

/**
 * Facts for many repositories, reading only those that changed: a repository whose default-branch head,
 * rulesets and metadata are those its cached facts were read under costs a share of one probe query.
 * Facts read with a gap (anything `unavailable`) are never cached.
 */
export async function gatherWithCache(
  octokit: Octokit,
  store: Store,
  repositories: readonly RepositoryPayload[],
  input: BatchInput,
  cache: FactsCache = "sweep",
): Promise<Map<string, RepositoryFacts>> {
  const needs = digest({ facts: [...input.needs].sort(), paths: [...input.paths].sort() });
  const shared = new SharedValues(store);
  // Each repository's cached entries, its own cache's first: a preview that needs no more than the
  // sweep does finds the sweep's facts still hold.
  const prefixes = [...new Set([FACTS_PREFIX[cache], FACTS_PREFIX.sweep])];
  const entries = new Map<string, CachedFacts[]>();
  await Promise.all(
    repositories.map(async (repository) => {
      const name = repositoryName(repository);
      const kept = await Promise.all(
        prefixes.map(async (prefix) =>
          parseStoredJson(CachedFactsSchema, await store.get(`${prefix}:${name}`)),
        ),
      );
      const found = kept.filter((entry) => entry !== undefined);
      if (found.length > 0) entries.set(name, found);
    }),
  );
  const known = repositories.filter((r) => entries.has(repositoryName(r)));
  const probes =
    known.length > 0
      ? await probeRepositories(octokit, known, {
          rulesets: input.needs.has("repo.rulesets"),
          ...(input.issueLabel ? { issueLabel: input.issueLabel } : {}),
          ...(input.app ? { app: input.app } : {}),
        })
      : new Map<string, RepositoryProbe>();
  const results = new Map<string, RepositoryFacts>();
  const stale: RepositoryPayload[] = [];
  for (const repository of repositories) {
    const name = repositoryName(repository);
    const probe = probes.get(name);
    const key = probe && factsKeyOf(repository, probe, needs);
    const entry = entries.get(name)?.find((candidate) => candidate.key === key);
    const facts = entry ? await unpack(shared, entry, input.now) : undefined;
    if (facts && probe) results.set(name, { facts, probe, fresh: false });
    else stale.push(repository);
  }
  const gathered = await gatherRepositoriesBatched(octokit, stale, input);
  for (const repository of stale) {
    const name = repositoryName(repository);
    const read = gathered.get(name);
    if (!read) continue;
    results.set(name, { ...read, fresh: true });
    if (read.probe && Object.keys(read.facts.unavailable).length === 0) {
      const key = factsKeyOf(repository, read.probe, needs);
      const packed = JSON.stringify(await pack(shared, key, read.facts));
      await store.set(`${FACTS_PREFIX[cache]}:${name}`, packed, TTL_SECONDS);
    }
  }
  return results;
}

const STATUSES = ["pass", "fail", "waived", "exempt", "not-applicable", "not-evaluated"] as const;

/** What the dashboard shows of a repository, and what the next sweep needs to skip it. */
const RepositorySummarySchema = z.object({
  /** The verdict this summary comes from; the same verdict again needs no issue written. */
  verdict: z.string(),
  statuses: z.record(z.string(), z.enum(STATUSES)),
  waivers: z.array(WaiverUseSchema).default([]),
  error: z.string().optional(),
  openIssues: z.array(z.object({ standard: z.string(), number: z.number(), url: z.string() })).default([]),
  /** Open pull request heads known to carry this app's check ("check:number@sha"). */
  checked: z.array(z.string()).default([]),
  /** Failing standards the bundle only observes: enforce would list them in the repository's drift issue. */
  unreported: z.array(z.string()).default([]),
  /** The skipped and excluded tests on the default branch, for the dashboard's counts and shared names. */
  skips: z
    .object({
      skips: z.array(InventoriedSkipSchema),
      exclusions: z.array(InventoriedExclusionSchema).default([]),
      files: z.number(),
      incomplete: z.string().optional(),
    })
    .optional(),
});
export type RepositorySummary = z.infer<typeof RepositorySummarySchema>;
export type { StandardStatus };

function summariesKey(org: string): string {
  return `sweep:${org.toLowerCase()}:repositories`;
}

export async function readSummaries(store: Store, org: string): Promise<Map<string, RepositorySummary>> {
  const summaries = new Map<string, RepositorySummary>();
  for (const [name, text] of Object.entries(await store.hashGetAll(summariesKey(org)))) {
    const summary = parseStoredJson(RepositorySummarySchema, text);
    if (summary) summaries.set(name, summary);
  }
  return summaries;
}

/** One repository's stored summary, without reading the others'. */
export async function readSummary(
  store: Store,
  org: string,
  name: string,
): Promise<RepositorySummary | undefined> {
  return parseStoredJson(RepositorySummarySchema, await store.hashGet(summariesKey(org), name));
}

export async function writeSummary(store: Store, org: string, name: string, summary: RepositorySummary) {
  await store.hashSet(summariesKey(org), name, JSON.stringify(summary));
}

export async function forgetSummary(store: Store, org: string, name: string) {
  await store.hashDelete(summariesKey(org), name);
}

/** The parts of a listed repository the sweep reads, as cached with its page. */
const ListedRepositorySchema = z.object({
  name: z.string(),
  owner: z.object({ login: z.string() }),
  default_branch: z.string().optional(),
  language: z.string().nullable().optional(),
  topics: z.array(z.string()).optional(),
  visibility: z.string().optional(),
  private: z.boolean().optional(),
  archived: z.boolean().optional(),
  fork: z.boolean().optional(),
});
const PageSchema = z.object({
  etag: z.string(),
  next: z.boolean(),
  repositories: z.array(ListedRepositorySchema),
});

function listed(repository: RepositoryPayload): z.infer<typeof ListedRepositorySchema> {
  return ListedRepositorySchema.parse({
    name: repository.name,
    owner: { login: repository.owner.login },
    default_branch: repository.default_branch,
    language: repository.language,
    topics: repository.topics,
    visibility: repository.visibility,
    private: repository.private,
    archived: repository.archived,
    fork: repository.fork,
  });
}

/**
 * The repositories the installation reaches, a page (100) at a time. Each page is asked for with the
 * ETag of its last answer, so a list that did not move costs nothing (GitHub answers 304 for free).
 */
export async function* listSweepRepositories(
  octokit: Octokit,
  store: Store,
  org: string,
): AsyncGenerator<RepositoryPayload[]> {
  for (let page = 1; ; page++) {
    const key = `sweep:${org.toLowerCase()}:repositories:page:${page}`;
    const cached = parseStoredJson(PageSchema, await store.get(key));
    let current: z.infer<typeof PageSchema>;
    try {
      const response = await octokit.rest.apps.listReposAccessibleToInstallation({
        per_page: 100,
        page,
        ...(cached ? { headers: { "if-none-match": cached.etag } } : {}),
      });
      current = {
        etag: String(response.headers.etag ?? ""),
        next: /rel="next"/.test(String(response.headers.link ?? "")),
        repositories: (response.data.repositories as unknown as RepositoryPayload[]).map(listed),
      };
      if (current.etag) await store.set(key, JSON.stringify(current), TTL_SECONDS);
    } catch (error) {
      if ((error as { status?: number }).status !== 304 || !cached) throw error;
      current = cached;
    }
    yield current.repositories as RepositoryPayload[];
    if (!current.next) return;
  }
}
