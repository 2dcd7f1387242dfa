/** parseBundle: the pure loader, from files in memory to a resolved bundle or every problem at once. */
import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import { formatDiagnostics } from "../../src/bundle/diagnostics.js";
import { BUNDLE_LIMITS } from "../../src/bundle/limits.js";
import { ALL_PROFILE, type BundleResult, parseBundle } from "../../src/bundle/parse.js";
import type { Bundle } from "../../src/bundle/types.js";
import { defineRule, type Rule } from "../../src/rules/types.js";
import { fakeRules } from "./fake-rules.js";

const NOW = "2026-11-23T12:00:00Z";

const COMMITS = `standards:
  conventional-commits:
    title: Commit messages follow Conventional Commits
    rule: commit-message
    severity: error
    rationale: One style of commit message makes history searchable.
    remediation: Reword the commits.
`;

function parse(
  yaml: string,
  files: Record<string, string> = { "docs/conventional-commits.md": "# Manual" },
  options: Partial<Parameters<typeof parseBundle>[1]> = {},
): BundleResult {
  return parseBundle(
    { "rulebook.yml": yaml, ...files },
    { source: "test", now: NOW, registry: fakeRules, ...options },
  );
}

function bundleOf(result: BundleResult): Bundle {
  if (!result.ok) throw new Error(`expected a valid bundle, got:\n${formatDiagnostics(result.errors)}`);
  return result.bundle;
}

function problems(result: BundleResult): string {
  return formatDiagnostics(result.ok ? result.warnings : [...result.errors, ...result.warnings]);
}

describe("parseBundle", () => {
  it("fills every default and parses options with the rule's own schema", () => {
    const result = parse(COMMITS, { "docs/conventional-commits.md": "# Manual" }, { version: "abc123" });
    expect(result).toEqual({
      ok: true,
      warnings: [],
      bundle: {
        source: "test",
        version: "abc123",
        settings: { checkName: "rulebook", escalateAfter: 3, agents: { logins: [], coAuthors: [] } },
        profiles: { all: ALL_PROFILE },
        standards: [
          {
            id: "conventional-commits",
            title: "Commit messages follow Conventional Commits",
            rule: "commit-message",
            severity: "error",
            options: { types: ["feat", "fix"] },
            rationale: "One style of commit message makes history searchable.",
            docs: "docs/conventional-commits.md",
            remediation: "Reword the commits.",
            profiles: ["all"],
            exemptions: { actors: [], branches: [] },
          },
        ],
        waivers: [],
        files: { "docs/conventional-commits.md": "# Manual" },
        links: {},
      },
    });
  });

  it("takes the version from the version key, else the version option, else unversioned", () => {
    expect(
      bundleOf(parse(`version: "2026.11.0"\n${COMMITS}`, undefined, { version: "abc123" })).version,
    ).toBe("2026.11.0");
    expect(bundleOf(parse(COMMITS, undefined, { version: "abc123" })).version).toBe("abc123");
    expect(bundleOf(parse(COMMITS)).version).toBe("unversioned");
  });

  it("reads settings, profiles, exemptions, effective dates and waivers as written", () => {
    const yaml = `settings:
  checkName: acme-rulebook
  escalateAfter: 5
  docsUrl: https://github.com/acme/.github/blob/main/standards
  dashboardRepository: compliance
  agents:
    logins: ["devin-ai-integration", "*-agent"]
    coAuthors: ["*<noreply@anthropic.com>"]
profiles:
  all:
  typescript:
    description: TypeScript services
    repositories: ["*", "!legacy-*"]
    languages: [TypeScript]
    topics: [service]
    properties: { tier: [critical, high] }
    visibility: [public, private]
    includeArchived: true
${COMMITS}    profiles: [typescript]
    since: 2026-12-01
    docs: ./docs/conventional-commits.md
    options: { types: [feat] }
    exemptions: { actors: ["release-please[bot]"], branches: ["release-please--**"] }
waivers:
  - repository: acme/legacy-*
    standard: conventional-commits
    owner: "@alice"
    reason: The history is being rewritten.
    expires: 2027-01-31
`;
    const bundle = bundleOf(parse(yaml));
    expect(bundle.settings).toEqual({
      checkName: "acme-rulebook",
      escalateAfter: 5,
      docsUrl: "https://github.com/acme/.github/blob/main/standards/",
      dashboardRepository: "compliance",
      agents: { logins: ["devin-ai-integration", "*-agent"], coAuthors: ["*<noreply@anthropic.com>"] },
    });
    expect(bundle.profiles).toEqual({
      all: ALL_PROFILE,
      typescript: {
        id: "typescript",
        description: "TypeScript services",
        repositories: ["*", "!legacy-*"],
        languages: ["TypeScript"],
        topics: ["service"],
        properties: { tier: ["critical", "high"] },
        visibility: ["public", "private"],
        includeArchived: true,
        includeForks: false,
        owners: [],
      },
    });
    expect(bundle.standards[0]).toEqual({
      id: "conventional-commits",
      title: "Commit messages follow Conventional Commits",
      rule: "commit-message",
      severity: "error",
      options: { types: ["feat"] },
      rationale: "One style of commit message makes history searchable.",
      docs: "docs/conventional-commits.md",
      remediation: "Reword the commits.",
      profiles: ["typescript"],
      since: "2026-12-01",
      exemptions: { actors: ["release-please[bot]"], branches: ["release-please--**"] },
    });
    expect(bundle.waivers).toEqual([
      {
        repository: "acme/legacy-*",
        standard: "conventional-commits",
        owner: "@alice",
        reason: "The history is being rewritten.",
        expires: "2027-01-31",
      },
    ]);
  });

  it("reads the rollout mode of the bundle and of a standard, and refuses any other value at its line", () => {
    const yaml = `settings:\n  mode: observe\n${COMMITS}    mode: enforce\n`;
    const bundle = bundleOf(parse(yaml));
    expect(bundle.settings.mode).toBe("observe");
    expect(bundle.standards[0]?.mode).toBe("enforce");
    // Unset, the bundle leaves the mode to the app's default; an extending bundle keeps its base's.
    expect(bundleOf(parse(COMMITS)).settings.mode).toBeUndefined();
    const extending = bundleOf(parse("extends: base\n", {}, { base: bundle }));
    expect([extending.settings.mode, extending.standards[0]?.mode]).toEqual(["observe", "enforce"]);

    expect(problems(parse(`settings:\n  mode: block\n${COMMITS}    mode: true\n`))).toBe(
      [
        'rulebook.yml:2:3 settings.mode: expected "observe" or "enforce", got "block"',
        'rulebook.yml:10:5 standards.conventional-commits.mode: expected "observe" or "enforce", got boolean true',
      ].join("\n"),
    );
  });

  it("reads the owners a profile names, on the built-in all too, and refuses what is not a user or team", () => {
    const bundle = bundleOf(
      parse(`profiles:
  all:
    owners: ["@acme/maintainers"]
  payments:
    repositories: ["pay-*"]
    owners: ["@acme/payments", "@carol"]
${COMMITS}`),
    );
    expect(bundle.profiles.all).toEqual({ ...ALL_PROFILE, owners: ["@acme/maintainers"] });
    expect(bundle.profiles.payments?.owners).toEqual(["@acme/payments", "@carol"]);
    expect(bundleOf(parse(COMMITS)).profiles.all?.owners).toEqual([]);

    const refused = parse(`profiles:
  all:
    owners: [carol]
  payments:
    owners: ["@acme/payments team"]
${COMMITS}`);
    expect(refused.ok).toBe(false);
    expect(problems(refused)).toContain('expected a GitHub user "@login" or team "@org/team", got "carol"');
    expect(problems(refused)).toContain(
      'expected a GitHub user "@login" or team "@org/team", got "@acme/payments team"',
    );
  });

  it("names file, line, column and key in one readable line", () => {
    const yaml = `# The acme bundle.
version: "1"
standards:
  conventional-commits:
    title: Commit messages follow Conventional Commits
    rule: commit-message
    severity: error
    rationale: One style of commit message makes history searchable.
    remediation: Reword the commits.
  pr-title:
    title: Pull request titles follow Conventional Commits
    severity: fatal
    rule: pr-title
    options: { pattern: "^(feat|fix): " }
    rationale: Titles become the squash commit's message.
    remediation: Retitle the pull request.
`;
    const files = { "docs/conventional-commits.md": "", "docs/pr-title.md": "" };
    expect(problems(parse(yaml, files, { root: "standards" }))).toBe(
      'standards/rulebook.yml:12:5 standards.pr-title.severity: expected one of error, warning, notice, got "fatal"',
    );
  });

  it("refuses a dashboard repository given with its owner or as a path", () => {
    for (const [value, shown] of [
      ["acme/compliance", '"acme/compliance"'],
      ["..", '".."'],
    ]) {
      expect(problems(parse(`settings:\n  dashboardRepository: "${value}"\n`))).toBe(
        `rulebook.yml:2:3 settings.dashboardRepository: expected the name of one of the organization's repositories, such as "compliance" (no owner, no "/"), got ${shown}`,
      );
    }
  });

  it("reports every problem at once, in reading order", () => {
    const yaml = `version: 2026.11
settings:
  escalateAfter: 0
  docsUrl: ftp://example.com/
  agnets: {}
profiles:
  Services: {}
  all: { repositories: [api] }
standards:
  pr-title:
    title: ""
    rule: pr-title
    severity: error
    profiles: [all, typescirpt]
    options: { pattern: "^(?!WIP)" }
    rationale: Titles become the squash commit's message.
    remediation: Retitle the pull request.
  commits:
    rule: commit-mesage
    severity: error
  Bad_Id: {}
waivers:
  - repository: legacy-api
    standard: pr-titel
    owner: "@alice"
    reason: Being rewritten.
    expires: 2027-02-30
  - repository: acme/api
    standard: pr-titel
    owner: "@alice"
    reason: Being rewritten.
    expires: 2027-02-28
`;
    expect(problems(parse(yaml, { "docs/pr-title.md": "" }))).toBe(
      [
        "rulebook.yml:1:1 version: expected a string, got number 2026.11 (put it in quotes to make it text)",
        "rulebook.yml:3:3 settings.escalateAfter: expected a number >= 1, got number 0",
        'rulebook.yml:4:3 settings.docsUrl: expected a URL, got "ftp://example.com/"',
        'rulebook.yml:5:3 settings.agnets: unknown key "agnets" (did you mean "agents"?)',
        'rulebook.yml:7:3 profiles.Services: profile ids are kebab-case (lowercase letters, digits, single hyphens), got "Services"',
        'rulebook.yml:8:10 profiles.all.repositories: the built-in profile "all" selects every repository that is neither archived nor a fork and cannot be narrowed; declare a profile with another id',
        "rulebook.yml:11:5 standards.pr-title.title: must not be empty",
        'rulebook.yml:14:21 standards.pr-title.profiles.1: unknown profile "typescirpt"; declared profiles: all, Services',
        "rulebook.yml:15:16 standards.pr-title.options.pattern: not a safe regular expression (RE2 syntax, linear time): error parsing regexp: invalid or unsupported Perl syntax: `(?!`",
        'rulebook.yml:18:3 standards.commits.docs: manual page "docs/commits.md" is missing from the bundle; add it, or point docs at the standard\'s page',
        "rulebook.yml:18:3 standards.commits.rationale: required key is missing (expected a string)",
        "rulebook.yml:18:3 standards.commits.remediation: required key is missing (expected a string)",
        "rulebook.yml:18:3 standards.commits.title: required key is missing (expected a string)",
        'rulebook.yml:19:5 standards.commits.rule: unknown rule "commit-mesage" (did you mean "commit-message"?)',
        'rulebook.yml:21:3 standards.Bad_Id: standard ids are kebab-case (lowercase letters, digits, single hyphens), got "Bad_Id"',
        'rulebook.yml:23:5 waivers.0.repository: expected "owner/name" or a glob over it such as "acme/legacy-*", got "legacy-api"',
        'rulebook.yml:27:5 waivers.0.expires: expected a real calendar date written YYYY-MM-DD, got "2027-02-30"',
        'rulebook.yml:29:5 waivers.1.standard: unknown standard "pr-titel" (did you mean "pr-title"?); a waiver must name a standard of the bundle',
      ].join("\n"),
    );
  });

  it("reports YAML problems with their key: tabs, unknown tags, unanchored aliases, complex keys, several documents", () => {
    expect(problems(parse(`\t${COMMITS}`))).toBe("rulebook.yml:1:1 Tabs are not allowed as indentation");
    expect(problems(parse(`${COMMITS}    options: { types: !vault [feat] }\n`))).toBe(
      'rulebook.yml:8:23 standards.conventional-commits.options.types: Unresolved tag: !vault; a bundle uses no custom tags (remove the tag, or quote the value if the "!" is part of it)',
    );
    expect(problems(parse(`${COMMITS}    options: { types: *types }\n`))).toBe(
      "rulebook.yml:8:23 standards.conventional-commits.options.types: alias *types has no anchor &types before it",
    );
    expect(problems(parse(`${COMMITS}? [a, b]\n: c\n`))).toBe(
      "rulebook.yml:8:3 keys must be plain scalars, not lists, mappings or aliases",
    );
    expect(problems(parse(`${COMMITS}---\nversion: "2"\n`))).toBe(
      'rulebook.yml:8:1 a bundle is one YAML document; remove the "---" that starts a second one',
    );
  });

  it("accepts aliases that expand to little, and empty sections", () => {
    const yaml = `${COMMITS}    exemptions: &bots { actors: ["release-please[bot]"] }
  pr-title:
    title: Pull request titles follow Conventional Commits
    rule: pr-title
    severity: warning
    options: { pattern: "^(feat|fix): " }
    rationale: Titles become the squash commit's message.
    remediation: Retitle the pull request.
    exemptions: *bots
profiles:
waivers:
`;
    const bundle = bundleOf(parse(yaml, { "docs/conventional-commits.md": "", "docs/pr-title.md": "" }));
    expect(bundle.standards.map((s) => [s.id, s.exemptions])).toEqual([
      ["conventional-commits", { actors: ["release-please[bot]"], branches: [] }],
      ["pr-title", { actors: ["release-please[bot]"], branches: [] }],
    ]);
    expect(bundle.waivers).toEqual([]);
  });

  it("finds canonical files the rule's options name, and locates the option that names a missing one", () => {
    const yaml = `standards:
  pr-template:
    title: Repositories carry the pull request template
    rule: required-file
    severity: error
    options:
      path: .github/pull_request_template.md
      canonical: templates/pull_request_template.md
    rationale: Reviewers rely on the same sections everywhere.
    remediation: Copy the canonical template into .github/.
`;
    const template = { "templates/pull_request_template.md": "## What and why\n" };
    const bundle = bundleOf(parse(yaml, { "docs/pr-template.md": "", ...template }));
    expect(bundle.files["templates/pull_request_template.md"]).toBe("## What and why\n");
    expect(problems(parse(yaml, { "docs/pr-template.md": "" }))).toBe(
      'rulebook.yml:8:7 standards.pr-template.options.canonical: bundle file "templates/pull_request_template.md" is missing; add it to the bundle or correct the path',
    );
  });

  it("turns a rule that throws while reading its options into a diagnostic", () => {
    const broken: Rule = defineRule({
      id: "commit-message",
      scope: "pr",
      description: "A rule whose bundleFiles is broken",
      options: z.object({}),
      requires: [],
      bundleFiles: () => {
        throw new Error("boom");
      },
      check: () => [],
    });
    const registry = new Map([[broken.id, broken]]);
    expect(problems(parse(COMMITS, undefined, { registry }))).toBe(
      'rulebook.yml:2:3 standards.conventional-commits.options: rule "commit-message" failed to read its options: boom',
    );
  });

  it("says when no rules are registered, and warns about a bundle without standards", () => {
    expect(problems(parse(COMMITS, undefined, { registry: new Map() }))).toBe(
      'rulebook.yml:4:5 standards.conventional-commits.rule: unknown rule "commit-message"; no rules are registered',
    );
    expect(parse("settings: { checkName: rulebook }\n", {})).toEqual({
      ok: true,
      bundle: expect.objectContaining({ standards: [] }),
      warnings: [
        {
          file: "rulebook.yml",
          line: 1,
          column: 1,
          key: "",
          message: "the bundle defines no standards, so it checks nothing",
          severity: "warning",
        },
      ],
    });
  });

  it("rejects extends without a base bundle, and ignores a base bundle the file does not extend", () => {
    expect(problems(parse(`extends: default\n${COMMITS}`))).toBe(
      'rulebook.yml:1:1 extends: extends "default", but no base bundle was given to resolve it',
    );
    const base = bundleOf(parse(COMMITS));
    const alone = bundleOf(
      parse(COMMITS.replace("severity: error", "severity: notice"), undefined, { base }),
    );
    expect(alone.standards.map((s) => s.severity)).toEqual(["notice"]);
  });

  it("is bounded: rulebook.yml size, file size, file count and total size", () => {
    const padding = `# ${"x".repeat(BUNDLE_LIMITS.maxYamlBytes)}\n`;
    expect(problems(parse(`${COMMITS}${padding}`, undefined, { root: "standards" }))).toBe(
      `standards/rulebook.yml:1:1 file is ${COMMITS.length + padding.length} bytes; rulebook.yml may be at most ${BUNDLE_LIMITS.maxYamlBytes} bytes`,
    );
    const big = "x".repeat(BUNDLE_LIMITS.maxFileBytes + 1);
    expect(problems(parse(COMMITS, { "docs/conventional-commits.md": "", "templates/big.md": big }))).toBe(
      `templates/big.md:1:1 file is ${BUNDLE_LIMITS.maxFileBytes + 1} bytes; a bundle file may be at most ${BUNDLE_LIMITS.maxFileBytes} bytes`,
    );
    const many = Object.fromEntries(
      Array.from({ length: BUNDLE_LIMITS.maxFiles }, (_, i) => [
        `docs/page-${String(i).padStart(3, "0")}.md`,
        "",
      ]),
    );
    expect(problems(parse(COMMITS, many))).toBe(
      `rulebook.yml:1:1 the bundle has more than ${BUNDLE_LIMITS.maxFiles} files; this file is over the limit (move large or unrelated files out of the bundle)`,
    );
    const chunk = "x".repeat(BUNDLE_LIMITS.maxFileBytes);
    const heavy = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`templates/t${i}.md`, chunk]));
    expect(problems(parse(COMMITS, { "docs/conventional-commits.md": "", ...heavy }))).toBe(
      `templates/t9.md:1:1 with this file the bundle reaches ${10 * BUNDLE_LIMITS.maxFileBytes + COMMITS.length} bytes; a bundle may total at most ${BUNDLE_LIMITS.maxTotalBytes} bytes`,
    );
  });
});
