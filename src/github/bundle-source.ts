/**
 * Where an org's bundle comes from: a folder of its central repository (by default `standards/` in the
 * org's `.github` repository), read at the default branch, validated, and cached by the commit that last
 * touched it. Freshness is checked with a conditional request (a 304 costs nothing against the rate limit)
 * at most once per TTL, and at once after a push to that repository invalidates the cache.
 *
 * An invalid new version never replaces a valid one: verdicts keep the last valid version and say so.
 * Without any valid version, there is no bundle, and checks fail closed with the errors.
 */

import { type BundleDiagnostic, fileDiagnostic, formatDiagnostics } from "../bundle/diagnostics.js";
import { BUNDLE_LIMITS, checkSizeLimits, decodeBundleFile } from "../bundle/limits.js";
import {
  type BundleResult,
  bundleExtends,
  DEFAULT_BUNDLE,
  formatDiagnostic,
  parseBundle,
} from "../bundle/load.js";
import type { Bundle } from "../bundle/types.js";
import type { Octokit } from "../gather/github.js";
import { mapLimit } from "../util/concurrency.js";

export interface BundleLocation {
  repo: string;
  path: string;
  /** GitHub's web address (`https://github.com`, or a GitHub Enterprise Server's), for links to the bundle's pages. */
  webUrl?: string;
}

/** A version of the bundle that failed validation: its commit and every error, as `file:line:column key: message`. */
export interface BundleProblem {
  sha: string;
  errors: string[];
}

interface BundleState {
  /** The bundle verdicts use; absent only when no valid version exists (fail closed). */
  bundle?: Bundle;
  origin: "org" | "default";
  /** Set when the newest version is invalid: what is wrong, file by file. */
  problem?: BundleProblem;
}

interface CacheEntry {
  state: BundleState;
  sha?: string;
  etag?: string;
  checkedAt: number;
}

/** How many earlier versions to try when the newest is invalid and no valid one is cached. */
const LOOKBACK = 5;

export class BundleSource {
  readonly #cache = new Map<string, CacheEntry>();
  /** Refreshes under way, so deliveries that arrive together read the bundle once. */
  readonly #refreshing = new Map<string, Promise<BundleState>>();
  /** Bumped by `invalidate`, so a refresh begun before a push never stores what it read. */
  readonly #generation = new Map<string, number>();

  constructor(
    readonly location: BundleLocation,
    private readonly options: {
      loadDefault: () => Promise<Bundle>;
      ttlMs: number;
      clock: () => number;
      now: () => string;
    },
  ) {}

  /** Forget the cached freshness of an org's bundle (after a push to its central repository). */
  invalidate(org: string): void {
    const entry = this.#cache.get(org);
    if (entry) entry.checkedAt = Number.NEGATIVE_INFINITY;
    this.#refreshing.delete(org);
    this.#generation.set(org, (this.#generation.get(org) ?? 0) + 1);
  }

  isBundleRepository(repo: string): boolean {
    return repo === this.location.repo;
  }

  /** Whether a changed path belongs to the bundle. */
  isBundlePath(path: string): boolean {
    return path.startsWith(`${this.location.path}/`);
  }

  async get(octokit: Octokit, org: string): Promise<BundleState> {
    const entry = this.#cache.get(org);
    if (entry && this.options.clock() - entry.checkedAt < this.options.ttlMs) return entry.state;
    const pending = this.#refreshing.get(org);
    if (pending) return pending;
    const refresh: Promise<BundleState> = this.#refresh(octokit, org, entry).finally(() => {
      if (this.#refreshing.get(org) === refresh) this.#refreshing.delete(org);
    });
    this.#refreshing.set(org, refresh);
    return refresh;
  }

  async #refresh(octokit: Octokit, org: string, entry: CacheEntry | undefined): Promise<BundleState> {
    const generation = this.#generation.get(org) ?? 0;
    const store = (next: Omit<CacheEntry, "checkedAt">) => {
      if ((this.#generation.get(org) ?? 0) !== generation) return next.state;
      this.#cache.set(org, { ...next, checkedAt: this.options.clock() });
      return next.state;
    };
    const latest = await this.#latestCommit(octokit, org, entry?.etag);
    if (latest === "unchanged" && entry) return store(entry);
    if (latest === "unchanged" || latest === "absent") {
      return store({ state: { bundle: await this.options.loadDefault(), origin: "default" } });
    }
    if (entry?.sha === latest.sha) return store({ ...entry, ...(latest.etag ? { etag: latest.etag } : {}) });
    const parsed = await this.#load(octokit, org, latest.sha);
    let state: BundleState;
    if (parsed.bundle) {
      state = { bundle: parsed.bundle, origin: "org" };
    } else {
      const problem = { sha: latest.sha, errors: parsed.errors };
      // Only a valid version of the org's own bundle stands in: the shipped default never silently does.
      const cached = entry?.state.origin === "org" ? entry.state.bundle : undefined;
      const fallback = cached ?? (await this.#lastValid(octokit, org, latest.sha));
      state = fallback ? { bundle: fallback, origin: "org", problem } : { origin: "org", problem };
    }
    return store({ state, sha: latest.sha, ...(latest.etag ? { etag: latest.etag } : {}) });
  }

  async #latestCommit(
    octokit: Octokit,
    org: string,
    etag: string | undefined,
  ): Promise<"unchanged" | "absent" | { sha: string; etag?: string }> {
    try {
      const response = await octokit.rest.repos.listCommits({
        owner: org,
        repo: this.location.repo,
        path: this.location.path,
        per_page: 1,
        ...(etag ? { headers: { "if-none-match": etag } } : {}),
      });
      const sha = response.data[0]?.sha;
      if (!sha) return "absent";
      return { sha, ...(response.headers.etag ? { etag: response.headers.etag } : {}) };
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 304) return "unchanged";
      // 404: no central repository; 409: it is empty. Either way the org has no bundle of its own.
      if (status === 404 || status === 409) return "absent";
      throw error;
    }
  }

  /** The bundle's files at a commit of the central repository, by bundle-relative path. */
  async readFiles(octokit: Octokit, org: string, sha: string): Promise<Record<string, string> | string> {
    const { repo, path } = this.location;
    const { data: tree } = await octokit.rest.git.getTree({
      owner: org,
      repo,
      tree_sha: sha,
      recursive: "true",
    });
    const blobs = tree.tree.filter((e) => e.type === "blob" && e.path?.startsWith(`${path}/`) && e.sha);
    if (tree.truncated || blobs.length > BUNDLE_LIMITS.maxFiles) {
      return `${path}/: the bundle has more than ${BUNDLE_LIMITS.maxFiles} files; a bundle must be small`;
    }
    // The tree gives every size, so nothing over a limit is ever downloaded.
    const sizes = Object.fromEntries(blobs.map((e) => [e.path as string, e.size ?? 0]));
    const oversize = checkSizeLimits(sizes, (file) => file);
    if (oversize.length > 0) return formatDiagnostics(oversize);
    const files: Record<string, string> = {};
    const errors: BundleDiagnostic[] = [];
    await mapLimit(blobs, 4, async (entry) => {
      const file = entry.path as string;
      const { data } = await octokit.rest.git.getBlob({ owner: org, repo, file_sha: entry.sha as string });
      if (data.encoding !== "base64" || typeof data.content !== "string") {
        errors.push(
          fileDiagnostic(
            file,
            `GitHub returned this file's content as ${JSON.stringify(data.encoding)}, not base64; it cannot be read`,
          ),
        );
        return;
      }
      const decoded = decodeBundleFile(file, Buffer.from(data.content, "base64"));
      if ("error" in decoded) errors.push(decoded.error);
      else files[file.slice(path.length + 1)] = decoded.text;
    });
    return errors.length > 0 ? formatDiagnostics(errors) : files;
  }

  /**
   * Parses bundle files read from the central repository at commit `sha`; diagnostics name files from the
   * repository root, and the bundle's pages link to that commit.
   */
  async parse(
    org: string,
    files: Record<string, string>,
    version: string,
    sha: string,
  ): Promise<BundleResult> {
    // Only the shipped bundle can be a base here: another folder would have to be read from GitHub too.
    const extended = bundleExtends(files, this.location.path);
    if (extended && extended.name !== DEFAULT_BUNDLE) {
      const error = extended.diagnostic(
        `a bundle read from GitHub can extend only "${DEFAULT_BUNDLE}", not ${JSON.stringify(extended.name)}; copy what it needs into this bundle`,
      );
      return { ok: false, errors: [error], warnings: [] };
    }
    return parseBundle(files, {
      source: `${org}/${this.location.repo}:${this.location.path}`,
      version,
      now: this.options.now(),
      base: await this.options.loadDefault(),
      root: this.location.path,
      filesUrl: `${(this.location.webUrl ?? "https://github.com").replace(/\/+$/, "")}/${org}/${this.location.repo}/blob/${sha}/${this.location.path}/`,
    });
  }

  async #load(octokit: Octokit, org: string, sha: string): Promise<{ bundle?: Bundle; errors: string[] }> {
    const files = await this.readFiles(octokit, org, sha);
    if (typeof files === "string") return { errors: files.split("\n") };
    const result = await this.parse(org, files, sha.slice(0, 12), sha);
    if (result.ok) return { bundle: result.bundle, errors: [] };
    return { errors: result.errors.map(formatDiagnostic) };
  }

  /** The newest valid version among the few before `sha`, for a cold start on a broken bundle. */
  async #lastValid(octokit: Octokit, org: string, sha: string): Promise<Bundle | undefined> {
    const { data } = await octokit.rest.repos.listCommits({
      owner: org,
      repo: this.location.repo,
      path: this.location.path,
      sha,
      per_page: LOOKBACK + 1,
    });
    for (const commit of data.slice(1)) {
      const parsed = await this.#load(octokit, org, commit.sha);
      if (parsed.bundle) return parsed.bundle;
    }
    return undefined;
  }
}
