/**
 * What a repository carries to meet the default bundle's repository standards: the canonical templates
 * (`standards/templates/`) at the paths the standards ask for, and the rules of the branch and tag
 * rulesets. Free of Jest, so that scripts (`npm run demo`) seed the same org as the scenario tests.
 */
import { readFileSync } from "node:fs";
import type { RulesetRule } from "../fake-github/state.js";
import { APP_ID } from "./app-harness.js";

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
