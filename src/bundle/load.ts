/**
 * The I/O edge of the bundle loader: reads a bundle directory within limits, resolves its `extends`
 * chain (the default bundle shipped in `standards/`, or a directory relative to the bundle), and hands
 * the files to the pure `parseBundle`.
 */
import type { Dirent } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Rule } from "../rules/types.js";
import { compareStrings } from "../util/compare.js";
import { defaultBundleFilesUrl } from "../util/version.js";
import { type BundleDiagnostic, fileDiagnostic } from "./diagnostics.js";
import {
  BUNDLE_LIMITS,
  bundleTooLarge,
  decodeBundleFile,
  fileTooLarge,
  SKIPPED_DIRECTORIES,
  tooManyFiles,
} from "./limits.js";
import { type BundleResult, bundleExtends, inReadingOrder, parseBundle } from "./parse.js";
import type { Bundle } from "./types.js";

export { type BundleDiagnostic, formatDiagnostic, formatDiagnostics } from "./diagnostics.js";
export { type BundleResult, bundleExtends, type ParseBundleOptions, parseBundle } from "./parse.js";

/** The name `extends` uses for the bundle shipped with the app. */
export const DEFAULT_BUNDLE = "default";

/** The default bundle's directory: `standards/` at the root of this package (from `src/` or `lib/`). */
export function defaultBundleDir(): string {
  return fileURLToPath(new URL("../../standards", import.meta.url));
}

interface LoadBundleDirOptions {
  /** The moment of loading (ISO 8601), to tell expired waivers. */
  now: string;
  /** The rules standards may use; defaults to every registered rule. */
  registry?: ReadonlyMap<string, Rule>;
  /** Used when `rulebook.yml` has no `version` key, such as the checkout's commit. */
  version?: string;
  /** Names the bundle in verdicts; defaults to `default` for the default bundle, else its path. */
  source?: string;
  /** Where `extends: default` leads; defaults to `defaultBundleDir()`. */
  defaultDir?: string;
}

/** Loads the bundle in `dir` and every bundle it extends. Never throws for a bad bundle: it returns diagnostics. */
export async function loadBundleDir(dir: string, options: LoadBundleDirOptions): Promise<BundleResult> {
  return inReadingOrder(await loadChain(path.resolve(dir), options, []));
}

async function loadChain(
  dir: string,
  options: LoadBundleDirOptions,
  extenders: string[],
): Promise<BundleResult> {
  const root = displayPath(dir);
  const read = await readBundleDir(dir);
  if (!read.ok) return { ok: false, errors: read.errors, warnings: [] };
  const defaultDir = path.resolve(options.defaultDir ?? defaultBundleDir());
  const isDefault = (await canonical(dir)) === (await canonical(defaultDir));
  const source =
    extenders.length === 0 && options.source ? options.source : isDefault ? DEFAULT_BUNDLE : root;

  const parent = bundleExtends(read.files, root);
  let base: Bundle | undefined;
  const warnings: BundleDiagnostic[] = [];
  if (parent) {
    const resolved = await resolveBase(dir, parent.name, defaultDir, extenders);
    if (typeof resolved === "string")
      return { ok: false, errors: [parent.diagnostic(resolved)], warnings: [] };
    const { version: _ownVersion, source: _ownSource, ...inherited } = options;
    const loaded = await loadChain(resolved.dir, inherited, resolved.chain);
    if (!loaded.ok) {
      const error = parent.diagnostic(`the bundle it extends (${parent.name}) is invalid; see its errors`);
      return { ok: false, errors: [...loaded.errors, error], warnings: loaded.warnings };
    }
    base = loaded.bundle;
    warnings.push(...loaded.warnings);
  }
  const result = parseBundle(read.files, {
    source,
    now: options.now,
    root,
    ...(options.version === undefined || extenders.length > 0 ? {} : { version: options.version }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(base === undefined ? {} : { base }),
    // The shipped bundle's pages are read in this Rulebook version's repository; a local bundle has no address.
    ...((await canonical(dir)) === (await canonical(defaultBundleDir()))
      ? { filesUrl: defaultBundleFilesUrl() }
      : {}),
  });
  return { ...result, warnings: [...warnings, ...result.warnings] };
}

/** Where `extends` leads, or why it may not be followed (a cycle, too long a chain, not a relative directory). */
async function resolveBase(
  dir: string,
  name: string,
  defaultDir: string,
  extenders: string[],
): Promise<{ dir: string; chain: string[] } | string> {
  if (name !== DEFAULT_BUNDLE && (path.isAbsolute(name) || /^[a-z][a-z0-9+.-]*:/i.test(name))) {
    return `expected "${DEFAULT_BUNDLE}" or a directory relative to this bundle, got "${name}"`;
  }
  const baseDir = name === DEFAULT_BUNDLE ? defaultDir : path.resolve(dir, name);
  const chain = [...extenders, await canonical(dir)];
  const target = await canonical(baseDir);
  if (chain.includes(target)) {
    const cycle = [...chain.slice(chain.indexOf(target)), target].map(displayPath).join(" -> ");
    return `extends "${name}" forms a cycle: ${cycle}`;
  }
  if (chain.length >= BUNDLE_LIMITS.maxExtendsDepth) {
    return `extends "${name}" makes a chain of more than ${BUNDLE_LIMITS.maxExtendsDepth} bundles`;
  }
  return { dir: baseDir, chain };
}

async function canonical(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** How a path is shown in diagnostics: relative to the working directory when inside it, else absolute. */
function displayPath(target: string): string {
  const relative = path.relative(process.cwd(), target);
  const shown =
    relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? target : relative;
  return shown.split(path.sep).join("/");
}

type ReadBundleDirResult =
  | { ok: true; files: Record<string, string> }
  | { ok: false; errors: BundleDiagnostic[] };

/**
 * Every file of a bundle directory by relative path (forward slashes), skipping `node_modules`, `.git`
 * and symbolic links, within the bundle limits: a file or total over a limit is an error naming the
 * file, and nothing over a limit is read.
 */
export async function readBundleDir(dir: string): Promise<ReadBundleDirResult> {
  const root = path.resolve(dir);
  const shown = (relative: string) => displayPath(path.join(root, relative));
  const files: Record<string, string> = {};
  const errors: BundleDiagnostic[] = [];
  let count = 0;
  let total = 0;
  const pending = [""];
  while (pending.length > 0) {
    const relativeDir = pending.shift() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(root, relativeDir), { withFileTypes: true });
    } catch (error) {
      errors.push(fileDiagnostic(shown(relativeDir), directoryProblem(error)));
      continue;
    }
    for (const entry of entries.sort((a, b) => compareStrings(a.name, b.name))) {
      const relative = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(relative);
        continue;
      }
      if (!entry.isFile()) continue;
      count += 1;
      if (count > BUNDLE_LIMITS.maxFiles) {
        errors.push(tooManyFiles(shown(relative)));
        return { ok: false, errors };
      }
      const { size } = await stat(path.join(root, relative));
      if (size > BUNDLE_LIMITS.maxFileBytes) {
        errors.push(fileTooLarge(shown(relative), size));
        continue;
      }
      total += size;
      if (total > BUNDLE_LIMITS.maxTotalBytes) {
        errors.push(bundleTooLarge(shown(relative), total));
        return { ok: false, errors };
      }
      const decoded = decodeBundleFile(shown(relative), await readFile(path.join(root, relative)));
      if ("error" in decoded) errors.push(decoded.error);
      else files[relative] = decoded.text;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, files };
}

function directoryProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "bundle directory not found";
  if (code === "ENOTDIR") return "not a directory; a bundle is a directory with a rulebook.yml";
  return `cannot read the bundle directory: ${(error as Error).message}`;
}
