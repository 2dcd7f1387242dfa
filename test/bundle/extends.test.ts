/** `extends`: a bundle on top of the default bundle or of a relative directory, loaded from disk. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { formatDiagnostics } from "../../src/bundle/diagnostics.js";
import { defaultBundleDir, loadBundleDir } from "../../src/bundle/load.js";
import { ALL_PROFILE, type BundleResult, parseBundle } from "../../src/bundle/parse.js";
import type { Bundle } from "../../src/bundle/types.js";
import { fakeRules } from "./fake-rules.js";

const FIXTURES = "test/bundle/fixtures";
const NOW = "2026-11-23T12:00:00Z";
const options = { now: NOW, registry: fakeRules, defaultDir: `${FIXTURES}/default` };

function bundleOf(result: BundleResult): Bundle {
  if (!result.ok) throw new Error(`expected a valid bundle, got:\n${formatDiagnostics(result.errors)}`);
  return result.bundle;
}

function problems(result: BundleResult): string {
  return formatDiagnostics(result.ok ? result.warnings : [...result.errors, ...result.warnings]);
}

const conventionalCommits = {
  id: "conventional-commits",
  title: "Commit messages follow Conventional Commits",
  rule: "commit-message",
  severity: "warning",
  options: { types: ["feat", "fix"] },
  rationale: "One style of commit message makes history searchable.",
  docs: "docs/conventional-commits.md",
  remediation: "Reword the commits as a type, a colon and a subject.",
  profiles: ["all"],
  since: "2026-01-01",
  exemptions: { actors: [], branches: [] },
};

const prTemplate = {
  id: "pr-template",
  title: "Repositories carry the pull request template",
  rule: "required-file",
  severity: "error",
  options: { path: ".github/pull_request_template.md", canonical: "templates/pull_request_template.md" },
  rationale: "Reviewers rely on the same sections everywhere.",
  docs: "docs/pr-template.md",
  remediation: "Copy the canonical template into .github/.",
  profiles: ["all"],
  exemptions: { actors: ["release-please[bot]"], branches: [] },
};

const prTitle = {
  id: "pr-title",
  title: "Pull request titles follow Conventional Commits",
  rule: "pr-title",
  severity: "error",
  options: { pattern: "^(feat|fix|chore)(\\(.+\\))?: " },
  rationale: "Titles become the squash commit's message.",
  docs: "docs/pr-title.md",
  remediation: "Retitle the pull request as a type, a colon and a subject.",
  profiles: ["services"],
  exemptions: { actors: [], branches: [] },
};

const typescriptProfile = {
  id: "typescript",
  repositories: [],
  languages: ["TypeScript"],
  topics: [],
  properties: {},
  visibility: [],
  includeArchived: false,
  includeForks: false,
  owners: [],
};

const servicesProfile = {
  id: "services",
  repositories: ["*", "!legacy-*"],
  languages: [],
  topics: ["service"],
  properties: { tier: ["critical", "high"] },
  visibility: [],
  includeArchived: false,
  includeForks: false,
  owners: [],
};

describe("extends", () => {
  it("the default bundle is the standards/ directory of this package", () => {
    expect(defaultBundleDir()).toBe(path.resolve("standards"));
  });

  it("loads the default bundle under the source name default", async () => {
    const bundle = bundleOf(await loadBundleDir(`${FIXTURES}/default`, options));
    expect(bundle.source).toBe("default");
    expect(bundle.version).toBe("2026.11.0");
    expect(bundle.standards).toEqual([conventionalCommits, prTemplate]);
  });

  it("extends default: adds profiles, standards and waivers, overrides settings and fields, raises a severity", async () => {
    const result = await loadBundleDir(`${FIXTURES}/org`, { ...options, source: "acme/.github:standards" });
    expect(result).toEqual({
      ok: true,
      warnings: [],
      bundle: {
        source: "acme/.github:standards",
        version: "acme-7",
        settings: {
          checkName: "acme-rulebook",
          escalateAfter: 3,
          docsUrl: "https://github.com/acme/rulebook/blob/main/standards/",
          agents: { logins: ["*-agent"], coAuthors: ["*<noreply@anthropic.com>"] },
        },
        profiles: { all: ALL_PROFILE, typescript: typescriptProfile, services: servicesProfile },
        standards: [
          { ...conventionalCommits, severity: "error", options: { types: ["feat", "fix", "chore"] } },
          prTemplate,
          prTitle,
        ],
        waivers: [
          {
            repository: "acme/legacy-api",
            standard: "pr-template",
            owner: "@alice",
            reason: "Ownership is being reorganised.",
            expires: "2027-01-31",
          },
        ],
        files: {
          "docs/conventional-commits.md": "# Commit messages follow Conventional Commits\n",
          "docs/pr-template.md": "# Repositories carry the pull request template\n",
          "docs/pr-title.md": "# Pull request titles follow Conventional Commits\n",
          // The extending bundle's copy of a path replaces the base's.
          "templates/pull_request_template.md": "## What and why (acme)\n",
        },
        links: {},
      },
    });
  });

  it("extends a relative directory, through a chain of bundles", async () => {
    const bundle = bundleOf(await loadBundleDir(`${FIXTURES}/team`, options));
    expect(bundle.source).toBe(`${FIXTURES}/team`);
    // The version is the team bundle's own: none is written and none was given.
    expect(bundle.version).toBe("unversioned");
    expect(bundle.settings.checkName).toBe("acme-rulebook");
    expect(bundle.standards.map((s) => [s.id, s.severity, s.docs])).toEqual([
      ["conventional-commits", "error", "docs/conventional-commits.md"],
      ["pr-template", "error", "docs/team-pr-template.md"],
      ["pr-title", "error", "docs/pr-title.md"],
      ["ticket-in-title", "notice", "docs/ticket-in-title.md"],
    ]);
    // A field that is overridden is replaced as a whole.
    expect(bundle.standards[1]?.exemptions).toEqual({ actors: [], branches: ["release-please--**"] });
    expect(bundle.waivers.map((w) => w.standard)).toEqual(["pr-template"]);
    expect(Object.keys(bundle.files).sort()).toEqual([
      "docs/conventional-commits.md",
      "docs/pr-template.md",
      "docs/pr-title.md",
      "docs/team-pr-template.md",
      "docs/ticket-in-title.md",
      "templates/pull_request_template.md",
    ]);
  });

  it("checks an overridden standard's options against its rule, and a changed rule against the options it inherits", async () => {
    const base = bundleOf(await loadBundleDir(`${FIXTURES}/default`, options));
    const yaml = `extends: default
standards:
  pr-template:
    options: { path: LICENSE, canonical: templates/LICENSE }
  conventional-commits:
    rule: pr-title
`;
    const result = parseBundle(
      { "rulebook.yml": yaml },
      { source: "org", now: NOW, registry: fakeRules, base },
    );
    expect(problems(result)).toBe(
      [
        'rulebook.yml:4:31 standards.pr-template.options.canonical: bundle file "templates/LICENSE" is missing; add it to the bundle or correct the path',
        "rulebook.yml:5:3 standards.conventional-commits.options.pattern: required key is missing (expected a string)",
        'rulebook.yml:5:3 standards.conventional-commits.options.types: unknown key "types"; allowed keys: pattern',
      ].join("\n"),
    );
  });

  it("replaces a base profile of the same id, and keeps the built-in all", async () => {
    const base = bundleOf(await loadBundleDir(`${FIXTURES}/default`, options));
    const yaml = "extends: default\nprofiles:\n  typescript:\n    languages: [TypeScript, JavaScript]\n";
    const bundle = bundleOf(
      parseBundle({ "rulebook.yml": yaml }, { source: "org", now: NOW, registry: fakeRules, base }),
    );
    expect(bundle.profiles).toEqual({
      all: ALL_PROFILE,
      typescript: { ...typescriptProfile, languages: ["TypeScript", "JavaScript"] },
    });
  });

  describe("on disk", () => {
    let scratch: string;

    beforeAll(async () => {
      scratch = await mkdtemp(path.join(tmpdir(), "rulebook-extends-"));
    });

    afterAll(async () => {
      await rm(scratch, { recursive: true, force: true });
    });

    async function bundleDir(
      name: string,
      rulebook: string,
      files: Record<string, string> = {},
    ): Promise<string> {
      const dir = path.join(scratch, name);
      for (const [file, content] of Object.entries({ "rulebook.yml": rulebook, ...files })) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), content);
      }
      return dir;
    }

    it("bounds the length of an extends chain", async () => {
      for (let i = 0; i < 6; i++) await bundleDir(`chain/b${i}`, `extends: ../b${i + 1}\n`);
      const result = await loadBundleDir(path.join(scratch, "chain/b0"), options);
      expect(problems(result)).toBe(
        [
          `${scratch}/chain/b0/rulebook.yml:1:1 extends: the bundle it extends (../b1) is invalid; see its errors`,
          `${scratch}/chain/b1/rulebook.yml:1:1 extends: the bundle it extends (../b2) is invalid; see its errors`,
          `${scratch}/chain/b2/rulebook.yml:1:1 extends: the bundle it extends (../b3) is invalid; see its errors`,
          `${scratch}/chain/b3/rulebook.yml:1:1 extends: the bundle it extends (../b4) is invalid; see its errors`,
          `${scratch}/chain/b4/rulebook.yml:1:1 extends: extends "../b5" makes a chain of more than 5 bundles`,
        ].join("\n"),
      );
    });

    it("rejects an absolute or URL extends, and a base directory that does not exist", async () => {
      const absolute = await bundleDir("absolute", "extends: /etc/rulebook\n");
      expect(problems(await loadBundleDir(absolute, options))).toBe(
        `${scratch}/absolute/rulebook.yml:1:1 extends: expected "default" or a directory relative to this bundle, got "/etc/rulebook"`,
      );
      const url = await bundleDir("url", "extends: https://example.com/bundle\n");
      expect(problems(await loadBundleDir(url, options))).toBe(
        `${scratch}/url/rulebook.yml:1:1 extends: expected "default" or a directory relative to this bundle, got "https://example.com/bundle"`,
      );
      const missing = await bundleDir("orphan", "\nextends: ../nowhere\n");
      expect(problems(await loadBundleDir(missing, options))).toBe(
        [
          `${scratch}/nowhere:1:1 bundle directory not found`,
          `${scratch}/orphan/rulebook.yml:2:1 extends: the bundle it extends (../nowhere) is invalid; see its errors`,
        ].join("\n"),
      );
    });

    it("passes on the warnings of the bundles it extends", async () => {
      const waiver = `waivers:
  - repository: acme/api
    standard: conventional-commits
    owner: "@alice"
    reason: Migrating.
    expires: 2026-01-31
`;
      await bundleDir("warned/base", `extends: default\n${waiver}`);
      const top = await bundleDir("warned/top", "extends: ../base\n");
      const result = await loadBundleDir(top, options);
      expect(result.ok).toBe(true);
      expect(problems(result)).toBe(
        `${scratch}/warned/base/rulebook.yml:7:5 waivers.0.expires: warning: waiver of "conventional-commits" for acme/api (owner @alice) expired on 2026-01-31 and no longer applies; renew it with a new expiry or remove it`,
      );
      expect(bundleOf(result).waivers.map((w) => w.expires)).toEqual(["2026-01-31"]);
    });
  });
});
