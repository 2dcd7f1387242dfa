/**
 * What every pipeline shares: settings, the bundle source, this app's identity, a clock, and one lock per
 * key so concurrent deliveries never race to write the same check run or issue.
 */
import { defaultBundleDir, loadBundleDir } from "../bundle/load.js";
import type { Bundle } from "../bundle/types.js";
import type { Octokit } from "../gather/github.js";
import { BundleSource } from "../github/bundle-source.js";
import type { AppIdentity } from "../github/own-issues.js";
import { MemoryStore, type Store } from "../state/store.js";
import { KeyedLock, type Locks } from "../util/concurrency.js";
import type { RulebookConfig } from "./config.js";

/** A log as Probot's: fields (or only a message), then the message. */
interface AppLog {
  info(fields: object, message: string): void;
  warn(fields: object | string, message?: string): void;
  error(fields: object, message: string): void;
}

/**
 * What the pipelines use of the app: a client as the app itself (no installation) or as one of its
 * installations, and a log. A Probot app is one; `rulebook sweep` brings its own, holding a key or a token.
 */
export interface JobApp {
  auth(installation?: number): Promise<Octokit>;
  log: AppLog;
}

export interface Services {
  config: RulebookConfig;
  bundles: BundleSource;
  /** One writer per key: across every replica when they share Redis, within this process otherwise. */
  locks: Locks;
  /** Disposable shared state: caches, counters, once-only marks (see `state/store.ts`). */
  store: Store;
  /** The moment of evaluation, as ISO 8601: the only clock the pipelines read. */
  now: () => string;
  identity: () => Promise<AppIdentity | undefined>;
  defaultBundle: () => Promise<Bundle>;
}

/** The shipped default bundle, loaded once; an invalid default is a bug in this app, so it throws. */
export function defaultBundleLoader(now: () => string): () => Promise<Bundle> {
  let loading: Promise<Bundle> | undefined;
  return () => {
    loading ??= loadBundleDir(defaultBundleDir(), { now: now() }).then((result) => {
      if (!result.ok) {
        throw new Error(
          `the shipped default bundle is invalid: ${result.errors.map((e) => e.message).join("; ")}`,
        );
      }
      return result.bundle;
    });
    return loading;
  };
}

/** Where the locks and the store live: Redis for replicas that share it (`app/backing.ts`), memory otherwise. */
export interface Backing {
  locks: Locks;
  store: Store;
}

export function createServices(
  app: JobApp,
  config: RulebookConfig,
  clock: () => number = Date.now,
  backing: Backing = { locks: new KeyedLock(), store: new MemoryStore(clock) },
): Services {
  const now = () => new Date(clock()).toISOString();
  const defaultBundle = defaultBundleLoader(now);
  let identity: Promise<AppIdentity | undefined> | undefined;
  return {
    config,
    bundles: new BundleSource(
      { repo: config.bundleRepo, path: config.bundlePath, webUrl: config.webUrl },
      { loadDefault: defaultBundle, ttlMs: config.bundleTtlSeconds * 1000, clock, now },
    ),
    locks: backing.locks,
    store: backing.store,
    now,
    defaultBundle,
    identity: () => {
      identity ??= app
        .auth()
        .then((octokit) => octokit.rest.apps.getAuthenticated())
        .then(({ data }) => (data ? { id: data.id, slug: data.slug ?? "rulebook" } : undefined))
        .catch((error: Error) => {
          app.log.warn({ err: error }, "could not read this app's identity; pinned checks are not evaluated");
          identity = undefined;
          return undefined;
        });
      return identity;
    },
  };
}
