/**
 * What a repository carries to meet the default bundle's repository standards: the canonical templates
 * (`standards/templates/`) at the paths the standards ask for, and the rules of the branch and tag
 * rulesets. Free of Jest, so that scripts (`npm run demo`) seed the same org as the scenario tests.
 */
import { readFileSync } from "node:fs";
import type { FakeGitHub, RepoState } from "../fake-github/index.js";
import type { RulesetRule, RulesetState } from "../fake-github/state.js";
import { APP_ID } from "./app-identity.js";

/** A canonical file of the default bundle, by its path under `standards/templates/`. */
export function readTemplate(path: string): string {
  return readFileSync(new URL(`../../standards/templates/${path}`, import.meta.url), "utf8");
}

/** The pull request template and the issue forms, where `pr-template` and `issue-templates` look. */
export function templateFiles(): Record<string, string> {
  return {
    ".github/pull_request_template.md": readTemplate("pull_request_template.md"),
    ".github/ISSUE_TEMPLATE/bug_report.yml": readTemplate("ISSUE_TEMPLATE/bug_report.yml"),
    ".github/ISSUE_TEMPLATE/feature_request.yml": readTemplate("ISSUE_TEMPLATE/feature_request.yml"),
    ".github/ISSUE_TEMPLATE/config.yml": readTemplate("ISSUE_TEMPLATE/config.yml"),
  };
}

/** The rules `branch-protection` asks of the default branch's ruleset: reviews, the rulebook check, no rewrites. */
export const DEFAULT_BRANCH_RULES: RulesetRule[] = [
  {
    type: "pull_request",
    parameters: {
      required_approving_review_count: 1,
      dismiss_stale_reviews_on_push: true,
      require_code_owner_review: false,
      require_last_push_approval: true,
      required_review_thread_resolution: false,
    },
  },
  {
    type: "required_status_checks",
    parameters: {
      strict_required_status_checks_policy: false,
      required_status_checks: [{ context: "rulebook", integration_id: APP_ID }],
    },
  },
  { type: "non_fast_forward" },
  { type: "deletion" },
];

/** The rules `release-tag-protection` asks of the ruleset on `refs/tags/v*`: tags are neither moved nor deleted. */
export const RELEASE_TAG_RULES: RulesetRule[] = [{ type: "update" }, { type: "deletion" }];

/** Every file the default bundle's repository standards ask for, as the bundle's templates have them. */
export function compliantRepoFiles(): Record<string, string> {
  return {
    ...templateFiles(),
    ".github/CODEOWNERS": "* @acme/maintainers\n",
    "SECURITY.md": readTemplate("SECURITY.md"),
    LICENSE: "MIT License\n\nCopyright (c) 2026 Acme\n",
  };
}

/**
 * The branch and tag rulesets the default bundle declares, as a repository would carry them; returns
 * the branch ruleset.
 */
export function protectRepo(fake: FakeGitHub, repo: RepoState): RulesetState {
  const branch = fake.seedRuleset({ repo, name: "default branch", rules: DEFAULT_BRANCH_RULES });
  fake.seedRuleset({
    repo,
    name: "release tags",
    target: "tag",
    conditions: { ref_name: { include: ["refs/tags/v*"], exclude: [] } },
    rules: RELEASE_TAG_RULES,
  });
  return branch;
}

/**
 * An org of `count` repositories (`service-0`, ...) besides its central `.github`, each with the files
 * the default bundle asks for and protected by rulesets of its own or, with `orgRulesets`, by the
 * organization's; the first `drifted` lack their security policy.
 */
export function seedCompliantOrg(
  fake: FakeGitHub,
  count: number,
  options: { drifted?: number; orgRulesets?: boolean } = {},
): RepoState[] {
  const files = compliantRepoFiles();
  const protect = (repo: RepoState) => (options.orgRulesets ? undefined : protectRepo(fake, repo));
  if (options.orgRulesets) {
    fake.seedRuleset({ org: "acme", name: "default branch", rules: DEFAULT_BRANCH_RULES });
    fake.seedRuleset({
      org: "acme",
      name: "release tags",
      target: "tag",
      conditions: {
        ref_name: { include: ["refs/tags/v*"], exclude: [] },
        repository_name: { include: ["~ALL"], exclude: [] },
      },
      rules: RELEASE_TAG_RULES,
    });
  }
  const central = fake.seedRepo({ owner: "acme", name: ".github", visibility: "public", files });
  protect(central);
  const repos = [central];
  const drifted = Object.fromEntries(Object.entries(files).filter(([path]) => path !== "SECURITY.md"));
  for (let i = 0; i < count; i++) {
    const own = i < (options.drifted ?? 0) ? drifted : files;
    const repo = fake.seedRepo({ owner: "acme", name: `service-${i}`, visibility: "public", files: own });
    protect(repo);
    repos.push(repo);
  }
  return repos;
}

/** A pull request description that fills every section of the default bundle's template. */
export const PR_BODY = [
  "## Summary",
  "Adds the login form.",
  "## Linked issue",
  "Closes #12",
  "## Validation",
  "- `npm test`: ran, passed",
  "## Risks and rollback",
  "Revert this pull request.",
].join("\n");

export interface PullRequestStory {
  /** alice unless told. */
  author?: string;
  /** A conventional title unless told. */
  title?: string;
  head?: string;
  /** What the one commit changes. */
  files?: Record<string, string>;
  /** Whether CI's `test` check passed on the head (it did unless told); false seeds no check at all. */
  ci?: boolean;
}

/**
 * A pull request that breaks no standard of the default bundle unless its story says so: titled
 * `title`, filling the template, one conventional commit by `author` changing `files` on `head`.
 */
export function seedCompliantPullRequest(fake: FakeGitHub, repo: RepoState, story: PullRequestStory = {}) {
  const {
    author = "alice",
    title = "feat: add login",
    head = "feat/login",
    files = { "src/login.ts": "export {};\n" },
    ci = true,
  } = story;
  const pr = fake.seedPullRequest(repo, {
    title,
    body: PR_BODY,
    author,
    head,
    commits: [{ message: "feat: add login form", author, files }],
  });
  if (ci) fake.seedCheckRun(repo, { name: "test", headSha: pr.head.sha, conclusion: "success" });
  return pr;
}
