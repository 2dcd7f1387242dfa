/**
 * The pure bundle loader: bundle files in (path -> content), a resolved Bundle or every problem out.
 * A bundle read from disk and one read from a GitHub repository go through this same function; the
 * caller resolves `extends` first and passes the base bundle.
 */
import { posix } from "node:path";
import { z } from "zod";
import { utcDay } from "../engine/dates.js";
import { rules as registeredRules } from "../rules/registry.js";
import type { Rule } from "../rules/types.js";
import { patternsIn } from "../util/pattern.js";
import { type BundleDiagnostic, fileDiagnostic, sortDiagnostics } from "./diagnostics.js";
import { closest, validate } from "./issues.js";
import { BUNDLE_LIMITS, checkFileLimits } from "./limits.js";
import {
  ID_PATTERN,
  OwnersSchema,
  ProfileSchema,
  RulebookSchema,
  SEVERITY_RANK,
  SettingsSchema,
  type StandardOverride,
  StandardOverrideSchema,
  StandardSchema,
  WaiverSchema,
} from "./schema.js";
import type { Bundle, BundleSettings, Profile, Standard, Waiver } from "./types.js";
import { readYaml, type YamlSource } from "./yaml-source.js";

/** The file at the root of every bundle. */
const RULEBOOK_FILE = "rulebook.yml";

/** The profile every bundle has: every repository that is neither archived nor a fork. */
export const ALL_PROFILE: Profile = {
  id: "all",
  description: "Every repository that is neither archived nor a fork.",
  repositories: [],
  languages: [],
  topics: [],
  properties: {},
  visibility: [],
  includeArchived: false,
  includeForks: false,
  owners: [],
};

const DEFAULT_SETTINGS: BundleSettings = {
  checkName: "rulebook",
  escalateAfter: 3,
  agents: { logins: [], coAuthors: [] },
};

export interface ParseBundleOptions {
  /** Where the bundle comes from, such as `default` or `acme/.github:standards`. */
  source: string;
  /** Used when `rulebook.yml` has no `version` key, typically the commit SHA the bundle was read at. */
  version?: string;
  /** The moment of loading (ISO 8601), to tell expired waivers; the loader reads no clock. */
  now: string;
  /** The rules standards may use; defaults to every registered rule. */
  registry?: ReadonlyMap<string, Rule>;
  /**
   * The resolved bundle that `extends` names; required when `rulebook.yml` has `extends`, and ignored when
   * it has none (so a caller may always pass the default bundle).
   */
  base?: Bundle;
  /** Prefix for file names in diagnostics, such as `standards` for a bundle read from that directory. */
  root?: string;
  /**
   * The web address under which this bundle's own files can be read (ending in `/`), such as
   * `https://github.com/acme/.github/blob/<sha>/standards/`; files of the base keep the base's addresses.
   */
  filesUrl?: string;
}

export type BundleResult =
  | { ok: true; bundle: Bundle; warnings: BundleDiagnostic[] }
  | { ok: false; errors: BundleDiagnostic[]; warnings: BundleDiagnostic[] };

/** Parses, validates and resolves a bundle. Never throws: every problem is a diagnostic, in reading order. */
export function parseBundle(files: Record<string, string>, options: ParseBundleOptions): BundleResult {
  return inReadingOrder(parseUnordered(files, options));
}

/** The result with its errors and warnings sorted by file, line and column. */
export function inReadingOrder(result: BundleResult): BundleResult {
  const warnings = sortDiagnostics(result.warnings);
  return result.ok
    ? { ...result, warnings }
    : { ok: false, errors: sortDiagnostics(result.errors), warnings };
}

function parseUnordered(files: Record<string, string>, options: ParseBundleOptions): BundleResult {
  const display = displayPath(options.root);
  const limitErrors = checkFileLimits(files, display);
  if (limitErrors.length > 0) return { ok: false, errors: limitErrors, warnings: [] };
  const text = files[RULEBOOK_FILE];
  if (text === undefined) {
    const message = `the bundle has no ${RULEBOOK_FILE}; every bundle keeps its settings, profiles, standards and waivers there`;
    return { ok: false, errors: [fileDiagnostic(display(RULEBOOK_FILE), message)], warnings: [] };
  }
  const read = readYaml(display(RULEBOOK_FILE), text);
  if (!read.ok) return read;
  return resolve(read.source, files, options, read.warnings);
}

/** The `extends` of a bundle, with a way to report a problem at that key; undefined when there is none. */
export function bundleExtends(
  files: Record<string, string>,
  root?: string,
): { name: string; diagnostic(message: string): BundleDiagnostic } | undefined {
  const text = files[RULEBOOK_FILE];
  if (text === undefined) return undefined;
  const read = readYaml(displayPath(root)(RULEBOOK_FILE), text);
  if (!read.ok || !isRecord(read.source.value)) return undefined;
  const name = read.source.value.extends;
  if (typeof name !== "string" || name.trim() === "") return undefined;
  const { source } = read;
  return { name, diagnostic: (message) => source.diagnostic(["extends"], message) };
}

function displayPath(root: string | undefined): (path: string) => string {
  return (path) => (root ? posix.join(root, path) : path);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Collects diagnostics while the sections of one `rulebook.yml` are checked. */
class Checker {
  readonly errors: BundleDiagnostic[] = [];
  readonly warnings: BundleDiagnostic[];

  constructor(
    readonly source: YamlSource,
    warnings: BundleDiagnostic[],
  ) {
    this.warnings = [...warnings];
  }

  error(path: ReadonlyArray<string | number>, message: string): void {
    this.errors.push(this.source.diagnostic(path, message));
  }

  warn(path: ReadonlyArray<string | number>, message: string): void {
    this.warnings.push(this.source.diagnostic(path, message, "warning"));
  }

  /** Validates a value at `path`; returns the data, or undefined after recording every issue. */
  check<S extends z.ZodType>(
    schema: S,
    value: unknown,
    path: ReadonlyArray<string | number>,
  ): z.output<S> | undefined {
    const result = validate(schema, value, this.source, path);
    if (result.ok) return result.data;
    this.errors.push(...result.errors);
    return undefined;
  }

  /** The entries of a mapping section, or an error when the section is not a mapping. */
  entries(name: string, value: unknown): Array<[string, unknown]> {
    if (value === undefined || value === null) return [];
    if (!isRecord(value)) {
      this.check(z.record(z.string(), z.unknown()), value, [name]);
      return [];
    }
    return Object.entries(value);
  }

  /** Ids of profiles and standards are kebab-case, so they read the same in YAML, URLs and findings. */
  checkId(section: "profiles" | "standards", id: string): boolean {
    if (ID_PATTERN.test(id)) return true;
    const kind = section === "profiles" ? "profile" : "standard";
    this.error(
      [section, id],
      `${kind} ids are kebab-case (lowercase letters, digits, single hyphens), got "${id}"`,
    );
    return false;
  }
}

function resolve(
  source: YamlSource,
  files: Record<string, string>,
  options: ParseBundleOptions,
  yamlWarnings: BundleDiagnostic[],
): BundleResult {
  const checker = new Checker(source, yamlWarnings);
  const value = source.value;
  const top = checker.check(RulebookSchema, value, []);
  if (!isRecord(value)) return { ok: false, errors: checker.errors, warnings: checker.warnings };
  const extendsName = typeof value.extends === "string" ? value.extends : undefined;
  const base = extendsName === undefined ? undefined : options.base;
  const registry = options.registry ?? registeredRules;

  if (extendsName !== undefined && !base) {
    checker.error(["extends"], `extends "${extendsName}", but no base bundle was given to resolve it`);
  }

  const ownFiles = Object.fromEntries(Object.entries(files).filter(([path]) => path !== RULEBOOK_FILE));
  const bundleFiles: Record<string, string> = { ...base?.files, ...ownFiles };
  const settings = resolveSettings(checker, value.settings, base?.settings ?? DEFAULT_SETTINGS);
  const profiles = resolveProfiles(checker, value.profiles, base?.profiles);
  // A profile or standard that failed validation still counts as declared, so references to it are not
  // reported as unknown on top of its own errors.
  const profileIds = new Set([
    ...Object.keys(profiles),
    ...Object.keys(isRecord(value.profiles) ? value.profiles : {}),
  ]);
  const standards = resolveStandards(checker, value.standards, {
    base,
    registry,
    profileIds,
    files: bundleFiles,
  });
  const standardIds = new Set([
    ...standards.map((standard) => standard.id),
    ...Object.keys(isRecord(value.standards) ? value.standards : {}),
  ]);
  const waivers = resolveWaivers(checker, value.waivers, { standardIds, now: options.now });

  if (checker.errors.length > 0) return { ok: false, errors: checker.errors, warnings: checker.warnings };
  if (standards.length === 0) checker.warn([], "the bundle defines no standards, so it checks nothing");
  const bundle: Bundle = {
    source: options.source,
    version: top?.version ?? options.version ?? "unversioned",
    settings,
    profiles,
    standards,
    waivers: [...(base?.waivers ?? []), ...waivers],
    files: bundleFiles,
    links: fileLinks(base, ownFiles, options.filesUrl),
  };
  return { ok: true, bundle, warnings: checker.warnings };
}

/** The base's file addresses, for the files this bundle does not replace, and this bundle's own. */
function fileLinks(
  base: Bundle | undefined,
  own: Record<string, string>,
  filesUrl: string | undefined,
): Record<string, string> {
  const links = Object.fromEntries(
    Object.entries(base?.links ?? {}).filter(([path]) => !Object.hasOwn(own, path)),
  );
  if (filesUrl === undefined) return links;
  const prefix = filesUrl.endsWith("/") ? filesUrl : `${filesUrl}/`;
  for (const path of Object.keys(own))
    links[path] = `${prefix}${path.split("/").map(encodeURIComponent).join("/")}`;
  return links;
}

/** Settings override the base's key by key (the agent lists too). */
function resolveSettings(checker: Checker, raw: unknown, base: BundleSettings): BundleSettings {
  if (raw === undefined || raw === null) return base;
  const own = checker.check(SettingsSchema, raw, ["settings"]);
  if (!own) return base;
  const docsUrl = own.docsUrl ?? base.docsUrl;
  const mode = own.mode ?? base.mode;
  const dashboardRepository = own.dashboardRepository ?? base.dashboardRepository;
  return {
    ...(mode === undefined ? {} : { mode }),
    ...(dashboardRepository === undefined ? {} : { dashboardRepository }),
    checkName: own.checkName ?? base.checkName,
    escalateAfter: own.escalateAfter ?? base.escalateAfter,
    // A docs link is the base URL plus the page's path, so the base must end in a slash.
    ...(docsUrl === undefined ? {} : { docsUrl: docsUrl.endsWith("/") ? docsUrl : `${docsUrl}/` }),
    agents: {
      logins: own.agents?.logins ?? base.agents.logins,
      coAuthors: own.agents?.coAuthors ?? base.agents.coAuthors,
    },
  };
}

/**
 * The base's profiles plus this bundle's (a profile of the same id replaces the base's). `all` is
 * built in; declaring it is allowed, narrowing it is not, since every default standard relies on it.
 */
function resolveProfiles(
  checker: Checker,
  raw: unknown,
  base: Record<string, Profile> | undefined,
): Record<string, Profile> {
  const profiles: Record<string, Profile> = { ...(base ?? { all: ALL_PROFILE }) };
  for (const [id, entry] of checker.entries("profiles", raw)) {
    if (!checker.checkId("profiles", id)) continue;
    if (id === ALL_PROFILE.id) {
      // Owners name whom to ask, they select nothing: `all` may carry them.
      const narrowing = Object.keys(isRecord(entry) ? entry : {}).filter(
        (k) => k !== "description" && k !== "owners",
      );
      for (const key of narrowing) {
        checker.error(
          ["profiles", id, key],
          `the built-in profile "all" selects every repository that is neither archived nor a fork and cannot be narrowed; declare a profile with another id`,
        );
      }
      const owners =
        isRecord(entry) && entry.owners !== undefined
          ? checker.check(OwnersSchema, entry.owners, ["profiles", id, "owners"])
          : undefined;
      if (owners) profiles[id] = { ...(profiles[id] ?? ALL_PROFILE), owners };
      continue;
    }
    const profile = checker.check(ProfileSchema, entry, ["profiles", id]);
    if (profile) profiles[id] = { id, ...profile };
  }
  return profiles;
}

interface StandardContext {
  base: Bundle | undefined;
  registry: ReadonlyMap<string, Rule>;
  profileIds: ReadonlySet<string>;
  files: Record<string, string>;
}

/** The base's standards (overridden in place by id) followed by this bundle's new ones, in file order. */
function resolveStandards(checker: Checker, raw: unknown, context: StandardContext): Standard[] {
  const standards = new Map((context.base?.standards ?? []).map((standard) => [standard.id, standard]));
  const own = new Set<string>();
  for (const [id, entry] of checker.entries("standards", raw)) {
    if (!checker.checkId("standards", id)) continue;
    const standard = resolveStandard(checker, id, entry ?? {}, context);
    if (standard) standards.set(id, standard);
    own.add(id);
  }
  checkStandardLimits(checker, [...standards.values()], own, context.registry);
  return [...standards.values()];
}

/**
 * Refuses more standards, or more regular expressions in their options, than a bundle may ask of every
 * repository: the count at the `standards` key, the patterns at the first standard over the limit.
 */
function checkStandardLimits(
  checker: Checker,
  standards: Standard[],
  own: ReadonlySet<string>,
  registry: ReadonlyMap<string, Rule>,
): void {
  if (standards.length > BUNDLE_LIMITS.maxStandards) {
    checker.error(
      ["standards"],
      `the bundle has ${standards.length} standards, with those of the bundle it extends; at most ${BUNDLE_LIMITS.maxStandards} are allowed`,
    );
  }
  let patterns = 0;
  let over: string | undefined;
  for (const standard of standards) {
    const rule = registry.get(standard.rule);
    patterns += rule ? patternsIn(rule.options, standard.options).length : 0;
    if (patterns > BUNDLE_LIMITS.maxPatterns && over === undefined && own.has(standard.id))
      over = standard.id;
  }
  if (patterns <= BUNDLE_LIMITS.maxPatterns) return;
  checker.error(
    over === undefined ? ["standards"] : ["standards", over, "options"],
    `the bundle's standards have ${patterns} regular expressions in their options${over === undefined ? "" : " by this one"}; at most ${BUNDLE_LIMITS.maxPatterns} are allowed`,
  );
}

function resolveStandard(
  checker: Checker,
  id: string,
  entry: unknown,
  context: StandardContext,
): Standard | undefined {
  const at = (...path: Array<string | number>) => ["standards", id, ...path];
  const base = context.base?.standards.find((standard) => standard.id === id);
  const checked = checker.check(base ? StandardOverrideSchema : StandardSchema, entry, at());
  // Even when some fields are wrong, the valid ones are still checked, so every problem shows at once.
  const fields: StandardOverride = checked ?? validFields(entry);

  if (base && fields.severity && SEVERITY_RANK[fields.severity] < SEVERITY_RANK[base.severity]) {
    checker.error(
      at("severity"),
      `may not lower the severity of standard "${id}" from ${base.severity} (set by the bundle it extends, ${context.base?.source}) to ${fields.severity}; an extending bundle may keep or raise it`,
    );
  }
  for (const [index, profile] of (fields.profiles ?? []).entries()) {
    if (context.profileIds.has(profile)) continue;
    const known = [...context.profileIds];
    const hint = closest(profile, known);
    checker.error(
      at("profiles", index),
      `unknown profile "${profile}"${hint ? ` (did you mean "${hint}"?)` : `; declared profiles: ${known.join(", ")}`}`,
    );
  }
  const docs = fields.docs !== undefined ? posix.normalize(fields.docs) : (base?.docs ?? `docs/${id}.md`);
  if (context.files[docs] === undefined) {
    checker.error(
      at("docs"),
      `manual page "${docs}" is missing from the bundle; add it, or point docs at the standard's page`,
    );
  }

  const ruleId = fields.rule ?? base?.rule;
  const rule = ruleId === undefined ? undefined : context.registry.get(ruleId);
  if (ruleId !== undefined && !rule) checker.error(at("rule"), unknownRuleMessage(ruleId, context.registry));
  const options = rule ? resolveOptions(checker, rule, entry, base, at, context.files) : undefined;

  if (!checked || !rule || !options || !ruleId) return undefined;
  const since = fields.since ?? base?.since;
  const mode = fields.mode ?? base?.mode;
  return {
    id,
    title: fields.title ?? base?.title ?? "",
    rule: ruleId,
    severity: fields.severity ?? base?.severity ?? "error",
    options: options.value,
    rationale: fields.rationale ?? base?.rationale ?? "",
    docs,
    remediation: fields.remediation ?? base?.remediation ?? "",
    profiles: fields.profiles ?? base?.profiles ?? [ALL_PROFILE.id],
    ...(since === undefined ? {} : { since }),
    exemptions: fields.exemptions ?? base?.exemptions ?? { actors: [], branches: [] },
    ...(mode === undefined ? {} : { mode }),
  };
}

/** The fields of a standard that are valid on their own, from an entry that failed as a whole. */
function validFields(entry: unknown): StandardOverride {
  if (!isRecord(entry)) return {};
  const fields: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(StandardOverrideSchema.shape)) {
    const result = schema.safeParse(entry[key]);
    if (result.success && result.data !== undefined) fields[key] = result.data;
  }
  return fields as StandardOverride;
}

function unknownRuleMessage(ruleId: string, registry: ReadonlyMap<string, Rule>): string {
  const known = [...registry.keys()].sort();
  const hint = closest(ruleId, known);
  if (hint) return `unknown rule "${ruleId}" (did you mean "${hint}"?)`;
  if (known.length === 0) return `unknown rule "${ruleId}"; no rules are registered`;
  return `unknown rule "${ruleId}"; known rules: ${known.join(", ")}`;
}

/**
 * The standard's options, parsed by the rule's own schema (defaults applied), and the bundle files
 * they name. An override that keeps the base's rule and gives no options keeps the base's options.
 */
function resolveOptions(
  checker: Checker,
  rule: Rule,
  entry: unknown,
  base: Standard | undefined,
  at: (...path: Array<string | number>) => Array<string | number>,
  files: Record<string, string>,
): { value: unknown } | undefined {
  const written = isRecord(entry) && entry.options !== undefined;
  if (!written && base && base.rule === rule.id) return { value: base.options };
  const raw = written ? (entry as Record<string, unknown>).options : (base?.options ?? {});
  let value: unknown;
  let paths: string[];
  try {
    value = checker.check(rule.options, raw ?? {}, at("options"));
    if (value === undefined) return undefined;
    paths = rule.bundleFiles?.(value) ?? [];
  } catch (error) {
    checker.error(at("options"), `rule "${rule.id}" failed to read its options: ${(error as Error).message}`);
    return undefined;
  }
  let complete = true;
  for (const path of paths) {
    if (files[path] !== undefined) continue;
    complete = false;
    checker.error(
      checker.source.findScalar(at("options"), path) ?? at("options"),
      `bundle file "${path}" is missing; add it to the bundle or correct the path`,
    );
  }
  return complete ? { value } : undefined;
}

/** This bundle's waivers; each must name a known standard. Expired ones stay (the engine reports them) with a warning. */
function resolveWaivers(
  checker: Checker,
  raw: unknown,
  context: { standardIds: ReadonlySet<string>; now: string },
): Waiver[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    checker.check(z.array(z.unknown()), raw, ["waivers"]);
    return [];
  }
  const today = utcDay(context.now);
  const waivers: Waiver[] = [];
  for (const [index, entry] of raw.entries()) {
    const waiver = checker.check(WaiverSchema, entry, ["waivers", index]);
    if (!waiver) continue;
    if (!context.standardIds.has(waiver.standard)) {
      const hint = closest(waiver.standard, [...context.standardIds]);
      checker.error(
        ["waivers", index, "standard"],
        `unknown standard "${waiver.standard}"${hint ? ` (did you mean "${hint}"?)` : ""}; a waiver must name a standard of the bundle`,
      );
      continue;
    }
    if (today !== undefined && waiver.expires < today) {
      checker.warn(
        ["waivers", index, "expires"],
        `waiver of "${waiver.standard}" for ${waiver.repository} (owner ${waiver.owner}) expired on ${waiver.expires} and no longer applies; renew it with a new expiry or remove it`,
      );
    }
    waivers.push(waiver);
  }
  return waivers;
}
