/**
 * Webhook payloads, read with zod: per event, only the fields the pipelines use, so a job carries a small
 * typed copy of its delivery. A payload that does not match is refused with one line naming the field and
 * what was wrong with it, never the payload itself (it may be large, or carry what should not be logged),
 * and never a TypeError deep in a pipeline.
 */
import { z } from "zod";

const Login = z.object({ login: z.string() });
const Installation = z.object({ id: z.number().int().positive() });
const User = z.object({ login: z.string(), type: z.string().optional() });
const Numbered = z.object({ number: z.number().int().positive() });
const Sha = z.string().regex(/^[0-9a-f]{40}$/, "expected a 40-character commit SHA");

/** A repository as a webhook carries it; `gather/github.ts`'s `RepositoryPayload`. */
const RepositorySchema = z.object({
  name: z.string().min(1),
  owner: Login,
  default_branch: z.string().optional(),
  language: z.string().nullish(),
  topics: z.array(z.string()).optional(),
  visibility: z.string().optional(),
  private: z.boolean().optional(),
  archived: z.boolean().optional(),
  fork: z.boolean().optional(),
  custom_properties: z.record(z.string(), z.unknown()).nullish(),
});

const PullRequestEvent = z.object({
  installation: Installation,
  repository: RepositorySchema,
  pull_request: Numbered,
  /** `synchronize` only: the head before the push. */
  before: Sha.optional(),
});

const CheckRunEvent = z.object({
  action: z.string(),
  installation: Installation,
  repository: RepositorySchema,
  check_run: z.object({
    name: z.string(),
    head_sha: Sha,
    app: z.object({ id: z.number(), slug: z.string().nullish() }).nullish(),
    pull_requests: z.array(Numbered),
    check_suite: z.object({ head_branch: z.string().nullish() }).nullish(),
  }),
  requested_action: z.object({ identifier: z.string() }).nullish(),
});

const CheckSuiteEvent = z.object({
  action: z.string(),
  installation: Installation,
  repository: RepositorySchema,
  check_suite: z.object({
    app: z.object({ id: z.number() }).nullish(),
    pull_requests: z.array(Numbered),
  }),
});

const MergeGroupEvent = z.object({
  installation: Installation,
  repository: RepositorySchema,
  merge_group: z.object({ head_ref: z.string(), head_sha: Sha }),
});

const PushEvent = z.object({
  installation: Installation,
  repository: RepositorySchema,
  ref: z.string(),
  before: Sha,
  after: Sha,
  forced: z.boolean().optional(),
  created: z.boolean().optional(),
  deleted: z.boolean().optional(),
  pusher: z.object({ name: z.string().optional(), email: z.string().nullish() }),
  sender: User.optional(),
  commits: z
    .array(
      z.object({
        id: z.string(),
        message: z.string(),
        author: z.object({
          name: z.string(),
          email: z.string().nullish(),
          username: z.string().optional(),
        }),
        added: z.array(z.string()).optional(),
        modified: z.array(z.string()).optional(),
        removed: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

const RulesetEvent = z.object({
  action: z.string(),
  installation: Installation,
  repository: RepositorySchema.optional(),
  organization: Login.optional(),
  repository_ruleset: z.object({
    id: z.number(),
    name: z.string(),
    target: z.string().optional(),
    enforcement: z.string(),
    source_type: z.string().optional(),
    updated_at: z.string().optional(),
  }),
  // Which fields changed is read from the keys, so every key is kept.
  changes: z
    .looseObject({
      rules: z
        .object({
          added: z.array(z.object({ type: z.string() })).optional(),
          deleted: z.array(z.object({ type: z.string() })).optional(),
          updated: z.array(z.object({ rule: z.object({ type: z.string() }).optional() })).optional(),
        })
        .optional(),
    })
    .optional(),
  sender: User,
});

const RepositoryEvent = z.object({ installation: Installation, repository: RepositorySchema });

const InstallationEvent = z.object({
  installation: Installation.extend({ account: Login.nullish() }),
});

/** The schema of each event the app handles. */
export const PAYLOADS = {
  pull_request: PullRequestEvent,
  pull_request_review: PullRequestEvent,
  check_run: CheckRunEvent,
  check_suite: CheckSuiteEvent,
  merge_group: MergeGroupEvent,
  push: PushEvent,
  repository_ruleset: RulesetEvent,
  repository: RepositoryEvent,
  installation: InstallationEvent,
  installation_repositories: InstallationEvent,
} as const;

export type EventName = keyof typeof PAYLOADS;
export type Payload<E extends EventName> = z.infer<(typeof PAYLOADS)[E]>;

type PayloadReading<E extends EventName> =
  | { ok: true; payload: Payload<E>; installation: number }
  | { ok: false; field: string; problem: string };

/** Reads an event's payload; when it does not match, names the first field that does not, and why. */
export function readPayload<E extends EventName>(event: E, payload: unknown): PayloadReading<E> {
  const parsed = PAYLOADS[event].safeParse(payload);
  if (parsed.success) {
    return { ok: true, payload: parsed.data as Payload<E>, installation: parsed.data.installation.id };
  }
  const [issue] = parsed.error.issues;
  return {
    ok: false,
    field: issue?.path.length ? issue.path.map(String).join(".") : "(payload)",
    problem: issue?.message ?? "does not match",
  };
}
