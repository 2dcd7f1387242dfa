import { describe, expect, it } from "@jest/globals";
import { repoScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import type { FactsInput } from "../facts/schema.js";
import rule from "./ruleset.js";

type RulesetInput = NonNullable<FactsInput["repo"]["rulesets"]>[number];

const APP = { id: 4242, slug: "rulebook" };

function ruleset(overrides: Partial<RulesetInput> = {}): RulesetInput {
  return {
    id: 1,
    name: "protect-main",
    target: "branch",
    enforcement: "active",
    sourceType: "Repository",
    source: "acme/api",
    conditions: { refName: { include: ["~DEFAULT_BRANCH"], exclude: [] } },
    rules: [],
    bypassActors: [],
    ...overrides,
  };
}

const pullRequest = (parameters: Record<string, unknown>) => ({ type: "pull_request", parameters });
const statusChecks = (...checks: Array<{ context: string; integration_id?: number }>) => ({
  type: "required_status_checks",
  parameters: { required_status_checks: checks, strict_required_status_checks_policy: false },
});

const STRICT_PULL_REQUEST = pullRequest({
  required_approving_review_count: 2,
  dismiss_stale_reviews_on_push: true,
  require_code_owner_review: true,
  require_last_push_approval: true,
  required_review_thread_resolution: false,
});
const FULL_RULES = [
  STRICT_PULL_REQUEST,
  statusChecks({ context: "rulebook", integration_id: 4242 }, { context: "test", integration_id: 15368 }),
  { type: "non_fast_forward" },
  { type: "deletion" },
];

const MAIN = {
  target: "branch",
  refs: ["~DEFAULT_BRANCH"],
  pullRequest: {
    minApprovals: 2,
    dismissStaleReviews: true,
    requireCodeOwnerReview: true,
    requireLastPushApproval: true,
  },
  requiredStatusChecks: [{ context: "rulebook", app: "self" }],
  nonFastForward: true,
  deletion: true,
};

const TAGS = { target: "tag", refs: ["refs/tags/v*"], deletion: true, update: true, nonFastForward: true };
const TAG_RULES = [{ type: "deletion" }, { type: "update" }, { type: "non_fast_forward" }];

const withRulesets = (rulesets: RulesetInput[], repo: Partial<FactsInput["repo"]> = {}) =>
  repoScope({ rulesets, ...repo }, { app: APP });

const fix = (target: string, what: string) =>
  `Rulesets are declared in the standards bundle and applied from it, never by hand: have the bundle's maintainers bring the ${target} ruleset in line with this standard (${what}). Do not create or edit rulesets in the repository or organization settings or through the API yourself: a hand change is drift and opens an RTFM issue.`;

const COVERING_MAIN = "the active branch rulesets covering `refs/heads/main` (~DEFAULT_BRANCH)";

testRule(rule, {
  valid: [
    {
      name: "one active repository ruleset on the default branch with every declared rule",
      facts: withRulesets([ruleset({ rules: FULL_RULES })]),
      options: MAIN,
    },
    {
      name: "the declared rules spread over an organization and a repository ruleset (their union counts)",
      facts: withRulesets([
        ruleset({
          id: 7,
          name: "org-baseline",
          sourceType: "Organization",
          source: "acme",
          conditions: { refName: { include: ["~ALL"], exclude: ["refs/heads/dependabot/**/*"] } },
          rules: [
            pullRequest({ required_approving_review_count: 1 }),
            { type: "deletion" },
            { type: "non_fast_forward" },
          ],
        }),
        ruleset({
          conditions: { refName: { include: ["refs/heads/main"], exclude: [] } },
          rules: [
            pullRequest({
              required_approving_review_count: 2,
              dismiss_stale_reviews_on_push: true,
              require_code_owner_review: true,
              require_last_push_approval: true,
            }),
            statusChecks({ context: "rulebook", integration_id: 4242 }),
          ],
        }),
      ]),
      options: MAIN,
    },
    {
      name: "a default branch other than main is resolved from the repository",
      facts: withRulesets(
        [
          ruleset({
            conditions: { refName: { include: ["refs/heads/trunk"], exclude: ["refs/heads/main"] } },
            rules: FULL_RULES,
          }),
        ],
        { defaultBranch: "trunk" },
      ),
      options: MAIN,
    },
    {
      name: "tags: an organization ruleset on refs/tags/* covers the declared refs/tags/v*",
      facts: withRulesets([
        ruleset({
          id: 9,
          name: "protect-tags",
          target: "tag",
          sourceType: "Organization",
          source: "acme",
          conditions: { refName: { include: ["refs/tags/*"], exclude: ["refs/tags/nightly-*"] } },
          rules: TAG_RULES,
        }),
      ]),
      options: TAGS,
    },
    {
      name: "tags: two includes that together cover the declared pattern",
      facts: withRulesets([
        ruleset({
          target: "tag",
          conditions: {
            refName: { include: ["refs/tags/v[0-4]*", "refs/tags/v[5-9]*", "refs/tags/v[!0-9]*"] },
          },
          rules: TAG_RULES,
        }),
      ]),
      options: { ...TAGS, refs: ["refs/tags/v?*"] },
    },
    {
      name: "~ALL covers nested branch names",
      facts: withRulesets([
        ruleset({ conditions: { refName: { include: ["~ALL"] } }, rules: [{ type: "deletion" }] }),
      ]),
      options: { target: "branch", refs: ["refs/heads/release/2026/11"], deletion: true },
    },
    {
      name: "declared bypass actors are allowed: any organization admin, this app always",
      facts: withRulesets([
        ruleset({
          rules: FULL_RULES,
          bypassActors: [
            { actorId: 1, actorType: "OrganizationAdmin", bypassMode: "always" },
            { actorId: 4242, actorType: "Integration", bypassMode: "always" },
          ],
        }),
      ]),
      options: {
        ...MAIN,
        allowedBypass: [
          { actorType: "OrganizationAdmin" },
          { actorType: "Integration", actorId: 4242, bypassMode: "always" },
        ],
      },
    },
    {
      name: "enforcement evaluate: an evaluate-mode ruleset counts",
      facts: withRulesets([ruleset({ enforcement: "evaluate", rules: [{ type: "deletion" }] })]),
      options: { target: "branch", refs: ["~DEFAULT_BRANCH"], enforcement: "evaluate", deletion: true },
    },
    {
      name: "a disabled ruleset beside an active one that meets the standard is harmless",
      facts: withRulesets([
        ruleset({
          id: 2,
          name: "old",
          enforcement: "disabled",
          bypassActors: [{ actorId: 9, actorType: "Team" }],
        }),
        ruleset({ rules: FULL_RULES }),
      ]),
      options: MAIN,
    },
    {
      name: "app any accepts an unpinned check; a numeric app accepts the check pinned to it",
      facts: withRulesets([
        ruleset({ rules: [statusChecks({ context: "lint" }, { context: "test", integration_id: 15368 })] }),
      ]),
      options: {
        target: "branch",
        refs: ["~DEFAULT_BRANCH"],
        requiredStatusChecks: [{ context: "lint" }, { context: "test", app: 15368 }],
      },
    },
    {
      name: "only presence is declared: a pull_request rule with no approvals is enough",
      facts: withRulesets([ruleset({ rules: [pullRequest({ required_approving_review_count: 0 })] })]),
      options: { target: "branch", refs: ["~DEFAULT_BRANCH"], pullRequest: {} },
    },
  ],
  invalid: [
    {
      name: "no ruleset at all",
      facts: withRulesets([]),
      options: MAIN,
      findings: [
        {
          message: "no active branch ruleset covers `refs/heads/main` (~DEFAULT_BRANCH)",
          expected: "an active branch ruleset covering refs/heads/main",
          found: "no covering ruleset",
          remediation: fix("branch", "an active ruleset must cover refs/heads/main"),
        },
      ],
    },
    {
      name: "the only covering ruleset is in evaluate mode; a tag ruleset does not count for a branch",
      facts: withRulesets([
        ruleset({ enforcement: "evaluate", rules: FULL_RULES }),
        ruleset({ id: 3, name: "tags", target: "tag", conditions: { refName: { include: ["~ALL"] } } }),
      ]),
      options: MAIN,
      findings: [
        {
          message:
            'no active branch ruleset covers `refs/heads/main` (~DEFAULT_BRANCH); repository ruleset "protect-main" (id 1) covers it but its enforcement is evaluate',
          expected: "an active branch ruleset covering refs/heads/main",
          found: '"protect-main" (evaluate)',
          remediation: fix("branch", "an active ruleset must cover refs/heads/main"),
        },
      ],
    },
    {
      name: "an exclude removes the default branch from an organization ruleset on ~ALL",
      facts: withRulesets([
        ruleset({
          id: 7,
          name: "org-baseline",
          sourceType: "Organization",
          source: "acme",
          conditions: { refName: { include: ["~ALL"], exclude: ["refs/heads/ma*"] } },
          rules: FULL_RULES,
        }),
      ]),
      options: MAIN,
      findings: [
        {
          message:
            'no active branch ruleset covers `refs/heads/main` (~DEFAULT_BRANCH); organization ruleset "org-baseline" (id 7) of acme excludes it with `refs/heads/ma*`',
          expected: "an active branch ruleset covering refs/heads/main",
          found: "no covering ruleset",
          remediation: fix("branch", "an active ruleset must cover refs/heads/main"),
        },
      ],
    },
    {
      name: "tags: a ruleset that covers only some of the declared tags",
      facts: withRulesets([
        ruleset({
          target: "tag",
          name: "v1-tags",
          conditions: { refName: { include: ["refs/tags/v1.*"] } },
          rules: TAG_RULES,
        }),
      ]),
      options: TAGS,
      findings: [
        {
          message:
            'no active tag ruleset covers `refs/tags/v*`; repository ruleset "v1-tags" (id 1) includes only part of it: `refs/tags/v1.*`',
          expected: "an active tag ruleset covering refs/tags/v*",
          found: "no covering ruleset",
          remediation: fix("tag", "an active ruleset must cover refs/tags/v*"),
        },
      ],
    },
    {
      name: "a missing rule, with the evaluate-mode ruleset that has it named",
      facts: withRulesets([
        ruleset({ rules: FULL_RULES.filter((r) => r.type !== "non_fast_forward") }),
        ruleset({ id: 5, name: "strict", enforcement: "evaluate", rules: [{ type: "non_fast_forward" }] }),
      ]),
      options: MAIN,
      findings: [
        {
          message: `${COVERING_MAIN} lack the \`non_fast_forward\` rule; repository ruleset "strict" (id 5) has it but its enforcement is evaluate`,
          expected: "non_fast_forward",
          found: "deletion, pull_request, required_status_checks",
          remediation: fix("branch", "it must have the `non_fast_forward` rule"),
        },
      ],
    },
    {
      name: "pull request settings weaker than declared, each named",
      facts: withRulesets([
        ruleset({
          rules: [
            pullRequest({ required_approving_review_count: 1, dismiss_stale_reviews_on_push: false }),
            ...FULL_RULES.filter((r) => r.type !== "pull_request"),
          ],
        }),
      ]),
      options: MAIN,
      findings: [
        {
          message: `${COVERING_MAIN} do not dismiss approvals when new commits are pushed`,
          expected: "dismiss_stale_reviews_on_push: true",
          found: "dismiss_stale_reviews_on_push: false",
          remediation: fix("branch", "its pull_request rule must set dismiss_stale_reviews_on_push"),
        },
        {
          message: `${COVERING_MAIN} do not require a review from the code owners`,
          expected: "require_code_owner_review: true",
          found: "require_code_owner_review: false",
          remediation: fix("branch", "its pull_request rule must set require_code_owner_review"),
        },
        {
          message: `${COVERING_MAIN} do not require the last push to be approved by someone other than its author`,
          expected: "require_last_push_approval: true",
          found: "require_last_push_approval: false",
          remediation: fix("branch", "its pull_request rule must set require_last_push_approval"),
        },
        {
          message: `${COVERING_MAIN} require 1 approving review; the standard requires at least 2`,
          expected: "at least 2",
          found: "1",
          remediation: fix("branch", "its pull_request rule must require at least 2 approving reviews"),
        },
      ],
    },
    {
      name: "no pull_request rule at all: one finding, not one per setting",
      facts: withRulesets([ruleset({ rules: FULL_RULES.filter((r) => r.type !== "pull_request") })]),
      options: MAIN,
      findings: [
        {
          message: `${COVERING_MAIN} lack the \`pull_request\` rule`,
          expected: "pull_request",
          found: "deletion, non_fast_forward, required_status_checks",
          remediation: fix("branch", "it must have the `pull_request` rule"),
        },
      ],
    },
    {
      name: "the rulebook check is required from any app: not pinned to this app",
      facts: withRulesets([
        ruleset({
          rules: [
            ...FULL_RULES.filter((r) => r.type !== "required_status_checks"),
            statusChecks({ context: "rulebook" }),
          ],
        }),
      ]),
      options: MAIN,
      findings: [
        {
          message: `${COVERING_MAIN} require the status check \`rulebook\` from any app, not from this app (rulebook, id 4242), so another source can satisfy it`,
          expected: "rulebook from this app (rulebook, id 4242)",
          found: "rulebook from any app",
          remediation: fix(
            "branch",
            "its required_status_checks rule must pin `rulebook` to integration_id 4242",
          ),
        },
      ],
    },
    {
      name: "the rulebook check is pinned to another app, and a declared check is not required at all",
      facts: withRulesets([
        ruleset({
          rules: [
            ...FULL_RULES.filter((r) => r.type !== "required_status_checks"),
            statusChecks({ context: "rulebook", integration_id: 99 }),
          ],
        }),
      ]),
      options: {
        ...MAIN,
        requiredStatusChecks: [
          { context: "rulebook", app: "self" },
          { context: "test", app: 15368 },
        ],
      },
      findings: [
        {
          message: `${COVERING_MAIN} do not require the status check \`test\``,
          expected: "test from app 15368",
          found: "rulebook",
          remediation: fix(
            "branch",
            "its required_status_checks rule must require `test` with integration_id 15368",
          ),
        },
        {
          message: `${COVERING_MAIN} require the status check \`rulebook\` from app 99, not from this app (rulebook, id 4242), so another source can satisfy it`,
          expected: "rulebook from this app (rulebook, id 4242)",
          found: "rulebook from app 99",
          remediation: fix(
            "branch",
            "its required_status_checks rule must pin `rulebook` to integration_id 4242",
          ),
        },
      ],
    },
    {
      name: "no required status checks rule: the rule type and each declared check",
      facts: withRulesets([ruleset({ rules: [{ type: "deletion" }] })]),
      options: {
        target: "branch",
        refs: ["~DEFAULT_BRANCH"],
        requiredStatusChecks: [{ context: "rulebook" }],
      },
      findings: [
        {
          message: `${COVERING_MAIN} do not require the status check \`rulebook\``,
          expected: "rulebook",
          found: "no required status checks",
          remediation: fix("branch", "its required_status_checks rule must require `rulebook`"),
        },
        {
          message: `${COVERING_MAIN} lack the \`required_status_checks\` rule`,
          expected: "required_status_checks",
          found: "deletion",
          remediation: fix("branch", "it must have the `required_status_checks` rule"),
        },
      ],
    },
    {
      name: "bypass actors the standard does not allow, reported once across the refs they cover",
      facts: withRulesets([
        ruleset({
          conditions: { refName: { include: ["~DEFAULT_BRANCH", "refs/heads/release/*"] } },
          rules: [{ type: "deletion" }],
          bypassActors: [
            { actorId: 42, actorType: "Team", bypassMode: "always" },
            { actorId: 5, actorType: "RepositoryRole", bypassMode: "always" },
            { actorId: 1, actorType: "OrganizationAdmin", bypassMode: "pull_request" },
          ],
        }),
      ]),
      options: {
        target: "branch",
        refs: ["~DEFAULT_BRANCH", "refs/heads/release/*"],
        deletion: true,
        allowedBypass: [
          { actorType: "RepositoryRole", actorId: 5, bypassMode: "pull_request" },
          { actorType: "OrganizationAdmin" },
        ],
      },
      findings: [
        {
          message:
            'repository ruleset "protect-main" (id 1), which covers `refs/heads/main` (~DEFAULT_BRANCH), lets RepositoryRole 5 bypass it (bypass mode always)',
          expected: "only RepositoryRole 5 (pull_request), OrganizationAdmin",
          found: "RepositoryRole 5 (always)",
          remediation: fix("branch", 'remove RepositoryRole 5 from the bypass list of "protect-main"'),
        },
        {
          message:
            'repository ruleset "protect-main" (id 1), which covers `refs/heads/main` (~DEFAULT_BRANCH), lets Team 42 bypass it (bypass mode always)',
          expected: "only RepositoryRole 5 (pull_request), OrganizationAdmin",
          found: "Team 42 (always)",
          remediation: fix("branch", 'remove Team 42 from the bypass list of "protect-main"'),
        },
      ],
    },
    {
      name: "each declared ref is judged: one covered, one not",
      facts: withRulesets([
        ruleset({ rules: [{ type: "deletion" }], bypassActors: [{ actorId: null, actorType: "DeployKey" }] }),
      ]),
      options: { target: "branch", refs: ["~DEFAULT_BRANCH", "refs/heads/release/*"], deletion: true },
      findings: [
        {
          message: "no active branch ruleset covers `refs/heads/release/*`",
          expected: "an active branch ruleset covering refs/heads/release/*",
          found: "no covering ruleset",
          remediation: fix("branch", "an active ruleset must cover refs/heads/release/*"),
        },
        {
          message:
            'repository ruleset "protect-main" (id 1), which covers `refs/heads/main` (~DEFAULT_BRANCH), lets DeployKey bypass it (bypass mode always)',
          expected: "no bypass actors",
          found: "DeployKey (always)",
          remediation: fix("branch", 'remove DeployKey from the bypass list of "protect-main"'),
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "a check pinned to this app, with facts that do not know the app (the local CLI)",
      facts: repoScope(
        { rulesets: [ruleset({ rules: FULL_RULES })] },
        { unavailable: { app: "the local CLI does not run as the GitHub App" } },
      ),
      options: MAIN,
      notEvaluated:
        "requiredStatusChecks pins a check to this app (app: self), but these facts do not say which app this is (the local CLI does not run as the GitHub App)",
    },
  ],
});

describe("ruleset options", () => {
  const issues = (input: unknown) =>
    rule.options.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);

  it("fills in defaults: active enforcement, no extra rules, no bypass allowed", () => {
    expect(rule.options.parse({ target: "tag", refs: ["~ALL"] })).toEqual({
      target: "tag",
      refs: ["~ALL"],
      enforcement: "active",
      requiredStatusChecks: [],
      nonFastForward: false,
      deletion: false,
      update: false,
      creation: false,
      rules: [],
      allowedBypass: [],
    });
  });

  it("rejects refs that cannot belong to the target", () => {
    expect(issues({ target: "tag", refs: ["~DEFAULT_BRANCH", "refs/heads/main", "v*"] })).toEqual([
      "refs.0: a tag ref is ~ALL or a full ref name or pattern starting with refs/tags/",
      "refs.1: a tag ref is ~ALL or a full ref name or pattern starting with refs/tags/",
      "refs.2: a tag ref is ~ALL or a full ref name or pattern starting with refs/tags/",
    ]);
    expect(issues({ target: "branch", refs: ["main"] })).toEqual([
      "refs.0: a branch ref is ~DEFAULT_BRANCH, ~ALL or a full ref name or pattern starting with refs/heads/",
    ]);
  });

  it("rejects typos and unknown rule types", () => {
    expect(rule.options.safeParse({ target: "branch", refs: ["~ALL"], nonFastFoward: true }).success).toBe(
      false,
    );
    expect(
      rule.options.safeParse({ target: "branch", refs: ["~ALL"], rules: ["linear_history"] }).success,
    ).toBe(false);
    expect(
      rule.options.safeParse({ target: "branch", refs: ["~ALL"], pullRequest: { minApproval: 2 } }).success,
    ).toBe(false);
    expect(
      rule.options.safeParse({
        target: "branch",
        refs: ["~ALL"],
        requiredStatusChecks: [{ context: "x", app: "me" }],
      }).success,
    ).toBe(false);
  });
});
