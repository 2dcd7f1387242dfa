/**
 * The zod schemas of `rulebook.yml` as written (before defaults and `extends` are applied). Every
 * object is strict: an unknown key is an error, so a typo cannot silently disable a check.
 */
import { z } from "zod";
import { isCalendarDate } from "./dates.js";
import { describeValue } from "./issues.js";

const SEVERITIES = ["error", "warning", "notice"] as const;

/** How much each severity weighs; an extending bundle may not move a standard to a lighter one. */
export const SEVERITY_RANK: Record<(typeof SEVERITIES)[number], number> = { notice: 0, warning: 1, error: 2 };

/** Rollout modes: `observe` judges and reports without blocking or opening issues; `enforce` does both. */
const MODES = ["observe", "enforce"] as const;

const ModeSchema = z.enum(MODES, {
  error: (issue) => `expected "observe" or "enforce", got ${describeValue(issue.input)}`,
});

/** Standard and profile ids: kebab-case. */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const Text = z.string().trim().min(1);
const Glob = z.string().min(1);
const Globs = z.array(Glob);

const CalendarDate = z
  .string({ error: (issue) => `expected a date written YYYY-MM-DD, got ${describeValue(issue.input)}` })
  .refine(isCalendarDate, {
    error: (issue) => `expected a real calendar date written YYYY-MM-DD, got ${describeValue(issue.input)}`,
  });

/** A bundle-relative file path: no leading `/`, no `..`, forward slashes. */
const BundlePath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith("/") && !path.includes("\\") && !path.split("/").includes(".."), {
    error: (issue) =>
      `expected a path relative to the bundle (no leading "/", no "..", forward slashes), got ${describeValue(issue.input)}`,
  });

/** An empty YAML value (`all:`) means an empty mapping. */
const emptyAsObject = (value: unknown) => value ?? {};

/** Whom to ask about a profile's repositories: GitHub users (`@alice`) or teams (`@acme/platform`). */
export const OwnersSchema = z.array(
  z.string().regex(/^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9._-]+)?$/, {
    error: (issue) =>
      `expected a GitHub user "@login" or team "@org/team", got ${describeValue(issue.input)}`,
  }),
);

export const ProfileSchema = z.preprocess(
  emptyAsObject,
  z.strictObject({
    description: z.string().optional(),
    repositories: Globs.default([]),
    languages: z.array(Text).default([]),
    topics: z.array(Text).default([]),
    properties: z.record(z.string(), z.array(z.string()).min(1)).default({}),
    visibility: z.array(z.enum(["public", "private", "internal"])).default([]),
    includeArchived: z.boolean().default(false),
    includeForks: z.boolean().default(false),
    owners: OwnersSchema.default([]),
  }),
);

const ExemptionsSchema = z.preprocess(
  emptyAsObject,
  z.strictObject({ actors: Globs.default([]), branches: Globs.default([]) }),
);

/** A standard as written in the bundle that first declares it. */
export const StandardSchema = z.strictObject({
  title: Text,
  rule: Text,
  severity: z.enum(SEVERITIES),
  profiles: z.array(Text).min(1).optional(),
  since: CalendarDate.optional(),
  options: z.unknown().optional(),
  rationale: Text,
  remediation: Text,
  docs: BundlePath.optional(),
  exemptions: ExemptionsSchema.optional(),
  mode: ModeSchema.optional(),
});

/** A standard an extending bundle overrides: any field of the base standard, none required. */
export const StandardOverrideSchema = StandardSchema.partial();
export type StandardOverride = z.output<typeof StandardOverrideSchema>;

export const WaiverSchema = z.strictObject({
  repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/, {
    error: (issue) =>
      `expected "owner/name" or a glob over it such as "acme/legacy-*", got ${describeValue(issue.input)}`,
  }),
  standard: Text,
  owner: Text,
  reason: Text,
  expires: CalendarDate,
});

export const SettingsSchema = z.strictObject({
  mode: ModeSchema.optional(),
  checkName: Text.optional(),
  escalateAfter: z.number().int().min(1).optional(),
  docsUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** A repository of the organization, by name: GitHub's characters, at most 100, never `.` or `..`. */
  dashboardRepository: z
    .string()
    .regex(/^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/, {
      error: (issue) =>
        `expected the name of one of the organization's repositories, such as "compliance" (no owner, no "/"), got ${describeValue(issue.input)}`,
    })
    .optional(),
  agents: z
    .preprocess(emptyAsObject, z.strictObject({ logins: Globs.optional(), coAuthors: Globs.optional() }))
    .optional(),
});

/** The top level of `rulebook.yml`; each section is then checked on its own, so one bad section hides nothing. */
export const RulebookSchema = z.strictObject({
  version: Text.optional(),
  extends: Text.optional(),
  settings: z.unknown().optional(),
  profiles: z.unknown().optional(),
  standards: z.unknown().optional(),
  waivers: z.unknown().optional(),
});
