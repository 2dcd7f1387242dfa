/** A small bundle for CLI tests, written to a temporary directory, so they do not depend on the default one. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const PR_TEMPLATE = "## Summary\n\n## Validation\n";

export const RULEBOOK_YML = `version: "test-1"
settings:
  checkName: rulebook
  agents:
    coAuthors: ["*<noreply@anthropic.com>"]
profiles:
  all: {}
standards:
  conventional-commits:
    title: Commit messages follow Conventional Commits
    rule: commit-message
    severity: error
    rationale: Changelogs and version bumps are computed from commit types.
    remediation: 'Reword each failing commit as "<type>: <subject>" with git rebase -i.'
  pr-template:
    title: Repositories carry the pull request template
    rule: required-file
    severity: error
    options:
      file: pull_request_template.md
      locations: [".github"]
      canonical: templates/pull_request_template.md
      match: sections
    rationale: A template missing from one repository let pull requests arrive without validation.
    remediation: Copy templates/pull_request_template.md to .github/pull_request_template.md.
  no-hidden-test-skips:
    title: Skipped tests name the issue that tracks them
    rule: test-skip
    severity: error
    rationale: A skipped failing test hides the failure from every later run.
    remediation: Fix the code under test so the test passes and remove the skip, or reference its tracking issue on the skip's line.
  validation-complete:
    title: Every check on the head commit ran and passed
    rule: required-checks
    severity: error
    rationale: Partial validation is not validation.
    remediation: Make every check run on the head commit and pass.
  pr-title:
    title: Pull request titles follow Conventional Commits
    rule: pr-title
    severity: warning
    rationale: With squash merges the title becomes the commit on the default branch.
    remediation: 'Retitle the pull request as "<type>: <subject>".'
`;

export const DOCS: Record<string, string> = {
  "docs/conventional-commits.md": "# Conventional commits\n\nWrite `feat: add x`, not `added x`.\n",
  "docs/pr-template.md": "# PR template\n\nKeep .github/pull_request_template.md.\n",
  "docs/no-hidden-test-skips.md": "# Hidden skips\n\nNever skip a failing test silently.\n",
  "docs/pr-title.md": "# PR titles\n\nTitle pull requests like commits.\n",
  "docs/validation-complete.md": "# Validation\n\nEvery check runs and passes.\n",
};

export class TempBundle {
  private constructor(readonly dir: string) {}

  static create(files: Record<string, string> = {}): TempBundle {
    const bundle = new TempBundle(mkdtempSync(join(tmpdir(), "rulebook-bundle-")));
    const all = {
      "rulebook.yml": RULEBOOK_YML,
      "templates/pull_request_template.md": PR_TEMPLATE,
      ...DOCS,
      ...files,
    };
    for (const [path, content] of Object.entries(all)) {
      mkdirSync(dirname(join(bundle.dir, path)), { recursive: true });
      writeFileSync(join(bundle.dir, path), content);
    }
    return bundle;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
