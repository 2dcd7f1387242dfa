/**
 * fast-check arbitraries shaped like the Facts zod schemas (src/facts/schema.ts): every field, optional
 * ones sometimes left out, strings now realistic (commit subjects, patches with skipped tests, bot
 * logins) and now arbitrary, so properties reach both the rules' paths and their edges.
 */
import fc from "fast-check";
import { FACT_KEYS, type Facts, type FactsInput, FactsSchema } from "../../src/facts/schema.js";

const anyText = fc.string({ unit: "binary", maxLength: 40 });
/** Mostly false: archived repositories, forks and unparsable timestamps end evaluation early. */
const rarely = fc.oneof(
  { arbitrary: fc.constant(false), weight: 5 },
  { arbitrary: fc.constant(true), weight: 1 },
);

function realistic<T>(values: readonly T[], other: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof(fc.constantFrom(...values), other);
}

const sha = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 40, maxLength: 40 });
const login = realistic(
  ["alice", "dependabot[bot]", "release-please[bot]", "devin-agent", "Copilot", "copilot-swe-agent[bot]"],
  anyText,
);
const actor = fc.record({ login, type: fc.constantFrom("User", "Bot", "Organization", "Unknown") });
const person = fc.record({
  name: realistic(["Alice", "Claude", "Copilot"], anyText),
  email: realistic(
    ["alice@example.com", "noreply@anthropic.com", "198+Copilot@users.noreply.github.com"],
    anyText,
  ),
});
const message = realistic(
  [
    "feat: add login",
    "fix(api)!: drop v1 endpoints\n\nBREAKING CHANGE: v1 is gone",
    "Added stuff",
    "Merge branch 'main' into feat/x",
    "chore: bump deps\n\nCo-authored-by: Claude <noreply@anthropic.com>",
    "",
  ],
  anyText,
);
const commit = fc.record({
  sha,
  message,
  author: fc.record(
    { name: person.map((p) => p.name), email: person.map((p) => p.email), login },
    { requiredKeys: ["name", "email"] },
  ),
  coAuthors: fc.array(person, { maxLength: 2 }),
});
const path = realistic(
  [
    "src/index.ts",
    "src/login.test.ts",
    ".github/workflows/ci.yml",
    "CODEOWNERS",
    "README.md",
    "package.json",
  ],
  anyText,
);
const patchLine = realistic(
  [
    "@@ -1,3 +1,4 @@",
    "+  it.skip('logs in', () => {",
    "+describe.only('x', () => {});",
    "-old line",
    " context",
  ],
  anyText.map((s) => `+${s}`),
);
const changedFile = fc.record(
  {
    path,
    status: fc.constantFrom("added", "modified", "removed", "renamed", "copied", "changed", "unchanged"),
    previousPath: path,
    patch: fc.array(patchLine, { maxLength: 8 }).map((lines) => lines.join("\n")),
    binary: fc.boolean(),
    content: fc
      .array(
        realistic(["it.skip('x', () => {}); // #1", "@pytest.mark.skip", "def test_a(): pass"], anyText),
        {
          maxLength: 6,
        },
      )
      .map((lines) => lines.join("\n")),
  },
  { requiredKeys: ["path", "status"] },
);
const review = fc.record(
  {
    author: actor,
    state: fc.constantFrom("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"),
    commitId: sha,
    submittedAt: fc.constant("2026-11-22T10:00:00Z"),
  },
  { requiredKeys: ["author", "state"] },
);
const app = fc.record({ id: fc.nat(), slug: realistic(["github-actions", "rulebook"], anyText) });
const checkRun = fc.record(
  {
    name: realistic(["rulebook", "ci / test", "lint"], anyText),
    status: fc.constantFrom("queued", "in_progress", "completed", "waiting", "requested", "pending"),
    conclusion: fc.option(
      fc.constantFrom(
        "success",
        "failure",
        "neutral",
        "cancelled",
        "skipped",
        "timed_out",
        "action_required",
        "stale",
      ),
      { nil: null },
    ),
    app,
  },
  { requiredKeys: ["name", "status", "conclusion"] },
);
const ref = fc.record({
  ref: realistic(["main", "feat/login", "release-please--branches--main"], anyText),
  sha,
});
const pullRequest = fc.record(
  {
    number: fc.integer({ min: 1, max: 100_000 }),
    title: message,
    body: realistic(["## Summary\n\nAdds login.\n\nCloses #12", ""], anyText),
    author: actor,
    draft: fc.boolean(),
    base: ref,
    head: ref,
    labels: fc.array(anyText, { maxLength: 3 }),
    commits: fc.array(commit, { maxLength: 4 }),
    files: fc.array(changedFile, { maxLength: 5 }),
    reviews: fc.array(review, { maxLength: 3 }),
    checkRuns: fc.array(checkRun, { maxLength: 3 }),
    baseCheckRuns: fc.record(
      { sha: fc.string({ minLength: 40, maxLength: 40 }), runs: fc.array(checkRun, { maxLength: 3 }) },
      { requiredKeys: ["runs"] },
    ),
  },
  { requiredKeys: ["number", "title", "author", "base", "head"] },
);
const ruleset = fc.record({
  id: fc.nat(),
  name: anyText,
  target: fc.constantFrom("branch", "tag", "push", "repository"),
  enforcement: fc.constantFrom("disabled", "active", "evaluate"),
  sourceType: fc.constantFrom("Repository", "Organization", "Enterprise"),
  source: anyText,
  conditions: fc.record(
    {
      refName: fc.record({
        include: fc.array(realistic(["~DEFAULT_BRANCH", "refs/heads/main"], anyText)),
        exclude: fc.constant([]),
      }),
    },
    { requiredKeys: [] },
  ),
  rules: fc.array(
    fc.record(
      {
        type: realistic(["deletion", "non_fast_forward", "pull_request", "required_status_checks"], anyText),
        parameters: fc.dictionary(anyText, fc.jsonValue(), { maxKeys: 2 }),
      },
      { requiredKeys: ["type"] },
    ),
    { maxLength: 3 },
  ),
  bypassActors: fc.array(
    fc.record({ actorId: fc.option(fc.nat(), { nil: null }), actorType: anyText, bypassMode: anyText }),
    { maxLength: 2 },
  ),
});
const merged = fc.record(
  {
    number: fc.nat(),
    title: message,
    author: actor,
    mergedBy: fc.option(actor, { nil: null }),
    headSha: sha,
    reviews: fc.array(review, { maxLength: 2 }),
    checkRuns: fc.array(checkRun, { maxLength: 2 }),
  },
  { requiredKeys: ["number", "title", "author", "mergedBy", "headSha"] },
);
const push = fc.record(
  {
    ref: realistic(["refs/heads/main", "refs/tags/v1.0.0", "refs/heads/feat/x"], anyText),
    before: sha,
    after: sha,
    forced: fc.boolean(),
    created: fc.boolean(),
    deleted: fc.boolean(),
    pusher: actor,
    commits: fc.array(commit, { maxLength: 3 }),
    pullRequest: fc.option(merged, { nil: null }),
  },
  { requiredKeys: ["ref", "before", "after", "forced", "pusher"] },
);
const repo = fc.record(
  {
    owner: realistic(["acme"], anyText),
    name: realistic(["api", "legacy-api", "web"], anyText),
    defaultBranch: realistic(["main"], anyText),
    language: fc.option(realistic(["TypeScript", "Go"], anyText), { nil: null }),
    topics: fc.array(realistic(["service", "cli"], anyText), { maxLength: 3 }),
    customProperties: fc.dictionary(
      realistic(["tier", "team"], anyText),
      fc.oneof(anyText, fc.array(anyText, { maxLength: 2 }), fc.constant(null)),
      { maxKeys: 2 },
    ),
    visibility: fc.constantFrom("public", "private", "internal"),
    archived: rarely,
    fork: rarely,
    files: fc.dictionary(path, fc.option(anyText, { nil: null }), { maxKeys: 4 }),
    rulesets: fc.array(ruleset, { maxLength: 2 }),
  },
  { requiredKeys: ["owner", "name", "defaultBranch"] },
);
const timestamp = fc.oneof(
  {
    arbitrary: fc
      .date({
        min: new Date("2020-01-01T00:00:00Z"),
        max: new Date("2032-12-31T23:59:59Z"),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    weight: 5,
  },
  { arbitrary: anyText, weight: 1 },
);
const unavailable = fc.oneof(
  { arbitrary: fc.constant({}), weight: 3 },
  {
    arbitrary: fc.record(Object.fromEntries(FACT_KEYS.map((key) => [key, anyText])), { requiredKeys: [] }),
    weight: 1,
  },
);

/** Facts of any shape the schema admits, parsed so defaults are applied as a gatherer's would be. */
export const factsArbitrary: fc.Arbitrary<Facts> = fc
  .record(
    {
      scopes: fc.subarray(["pr", "repo", "push"] as const, { minLength: 1 }),
      now: timestamp,
      repo,
      pullRequest,
      push,
      app,
      issues: fc.dictionary(
        realistic(["acme/api#1", "acme/web#7"], anyText),
        fc.constantFrom("open", "closed", "missing"),
        { maxKeys: 3 },
      ),
      unavailable,
    },
    { requiredKeys: ["scopes", "now", "repo"] },
  )
  .map((input) => FactsSchema.parse(input as FactsInput));
