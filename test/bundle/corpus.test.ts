/**
 * A corpus of bad bundles, each loaded from disk exactly as the CLI and the app would, each with the
 * exact diagnostics expected (file:line:column key: message). None may throw.
 */
import { describe, expect, it } from "@jest/globals";
import { formatDiagnostic, loadBundleDir } from "../../src/bundle/load.js";
import { fakeRules } from "./fake-rules.js";

const CORPUS = "test/bundle/corpus";
const NOW = "2026-11-23T12:00:00Z";

interface CorpusCase {
  /** Directory under the corpus that is loaded. */
  dir: string;
  errors: string[];
  warnings?: string[];
}

const DOCS_MISSING = "is missing from the bundle; add it, or point docs at the standard's page";

const cases: CorpusCase[] = [
  {
    dir: "malformed-yaml",
    errors: [
      `${CORPUS}/malformed-yaml/rulebook.yml:7:5 standards.pr-title.options: Flow map in block collection must be sufficiently indented and end with a }`,
      `${CORPUS}/malformed-yaml/rulebook.yml:7:16 standards.pr-title.rationale: Implicit keys need to be on a single line`,
      `${CORPUS}/malformed-yaml/rulebook.yml:7:16 standards.pr-title.rationale: Nested mappings are not allowed in compact mappings`,
    ],
  },
  {
    dir: "wrong-types",
    errors: [
      `${CORPUS}/wrong-types/rulebook.yml:2:3 settings.escalateAfter: expected a number, got "3"`,
      `${CORPUS}/wrong-types/rulebook.yml:7:5 standards.pr-title.severity: expected one of error, warning, notice, got "fatal"`,
      `${CORPUS}/wrong-types/rulebook.yml:8:5 standards.pr-title.profiles: expected a list, got "all"`,
      `${CORPUS}/wrong-types/rulebook.yml:13:7 standards.pr-title.exemptions.actors: expected a list, got "release-please[bot]"`,
    ],
  },
  {
    dir: "unknown-key",
    errors: [
      `${CORPUS}/unknown-key/rulebook.yml:5:5 standards.pr-title.severty: unknown key "severty" (did you mean "severity"?)`,
      `${CORPUS}/unknown-key/rulebook.yml:7:5 standards.pr-title.options.pattern: required key is missing (expected a string)`,
      `${CORPUS}/unknown-key/rulebook.yml:8:7 standards.pr-title.options.patern: unknown key "patern" (did you mean "pattern"?)`,
    ],
  },
  {
    dir: "unknown-rule",
    errors: [
      `${CORPUS}/unknown-rule/rulebook.yml:4:5 standards.conventional-commits.rule: unknown rule "commit-messages" (did you mean "commit-message"?)`,
      `${CORPUS}/unknown-rule/rulebook.yml:10:5 standards.lockfile.rule: unknown rule "lockfile-present"; known rules: commit-message, pr-title, required-file`,
    ],
  },
  {
    dir: "unknown-profile",
    errors: [
      `${CORPUS}/unknown-profile/rulebook.yml:9:21 standards.conventional-commits.profiles.1: unknown profile "service" (did you mean "services"?)`,
      `${CORPUS}/unknown-profile/rulebook.yml:9:30 standards.conventional-commits.profiles.2: unknown profile "typescript"; declared profiles: all, services`,
    ],
  },
  {
    dir: "alias-bomb",
    errors: [
      `${CORPUS}/alias-bomb/rulebook.yml:10:14 standards.conventional-commits.options.b.0: anchors and aliases expand to too much data (more than 100 alias expansions); write the values out or use fewer aliases`,
    ],
  },
  {
    dir: "deep-nesting",
    errors: [
      `${CORPUS}/deep-nesting/rulebook.yml:38:65 standards.conventional-commits.options.${Array.from({ length: 29 }, (_, i) => `level${i}`).join(".")}: nested more than 32 levels deep; a bundle never needs this much nesting`,
    ],
  },
  {
    dir: "dangerous-regex",
    errors: [
      `${CORPUS}/dangerous-regex/rulebook.yml:7:7 standards.pr-title.options.pattern: not a safe regular expression (RE2 syntax, linear time): error parsing regexp: invalid or unsupported Perl syntax: \`(?=\``,
      `${CORPUS}/dangerous-regex/rulebook.yml:14:16 standards.repeated-word.options.pattern: not a safe regular expression (RE2 syntax, linear time): error parsing regexp: invalid escape sequence: \`\\1\``,
    ],
  },
  {
    dir: "severity-lowered/org",
    errors: [
      `${CORPUS}/severity-lowered/org/rulebook.yml:4:5 standards.conventional-commits.severity: may not lower the severity of standard "conventional-commits" from error (set by the bundle it extends, ${CORPUS}/severity-lowered/base) to warning; an extending bundle may keep or raise it`,
      `${CORPUS}/severity-lowered/org/rulebook.yml:6:5 standards.pr-title.severity: may not lower the severity of standard "pr-title" from warning (set by the bundle it extends, ${CORPUS}/severity-lowered/base) to notice; an extending bundle may keep or raise it`,
    ],
  },
  {
    dir: "missing-docs",
    errors: [
      `${CORPUS}/missing-docs/rulebook.yml:2:3 standards.conventional-commits.docs: manual page "docs/conventional-commits.md" ${DOCS_MISSING}`,
      `${CORPUS}/missing-docs/rulebook.yml:13:5 standards.pr-title.docs: manual page "manual/pr-title.md" ${DOCS_MISSING}`,
    ],
  },
  {
    dir: "missing-template",
    errors: [
      `${CORPUS}/missing-template/rulebook.yml:8:7 standards.pr-template.options.canonical: bundle file "templates/pull_request_template.md" is missing; add it to the bundle or correct the path`,
    ],
  },
  {
    dir: "duplicate-id",
    errors: [
      `${CORPUS}/duplicate-id/rulebook.yml:9:3 standards.pr-title: duplicate key "pr-title" (first defined at line 2)`,
    ],
  },
  {
    dir: "bad-dates",
    errors: [
      `${CORPUS}/bad-dates/rulebook.yml:6:5 standards.conventional-commits.since: expected a real calendar date written YYYY-MM-DD, got "2026-13-01"`,
      `${CORPUS}/bad-dates/rulebook.yml:14:5 waivers.0.expires: expected a real calendar date written YYYY-MM-DD, got "31.01.2027"`,
      `${CORPUS}/bad-dates/rulebook.yml:19:5 waivers.1.expires: expected a date written YYYY-MM-DD, got number 20270131`,
    ],
  },
  {
    dir: "unknown-waiver-standard",
    errors: [
      `${CORPUS}/unknown-waiver-standard/rulebook.yml:10:5 waivers.0.standard: unknown standard "codeowners"; a waiver must name a standard of the bundle`,
    ],
  },
  {
    dir: "extends-cycle/a",
    errors: [
      `${CORPUS}/extends-cycle/a/rulebook.yml:1:1 extends: the bundle it extends (../b) is invalid; see its errors`,
      `${CORPUS}/extends-cycle/b/rulebook.yml:1:1 extends: extends "../a" forms a cycle: ${CORPUS}/extends-cycle/a -> ${CORPUS}/extends-cycle/b -> ${CORPUS}/extends-cycle/a`,
    ],
  },
  {
    dir: "empty-rulebook",
    errors: [`${CORPUS}/empty-rulebook/rulebook.yml:1:1 expected a mapping, got null (an empty value)`],
  },
  {
    dir: "no-rulebook",
    errors: [
      `${CORPUS}/no-rulebook/rulebook.yml:1:1 the bundle has no rulebook.yml; every bundle keeps its settings, profiles, standards and waivers there`,
    ],
  },
];

describe("the corpus of bad bundles", () => {
  for (const c of cases) {
    it(`${c.dir} gives exactly its diagnostics`, async () => {
      const result = await loadBundleDir(`${CORPUS}/${c.dir}`, { now: NOW, registry: fakeRules });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors.map(formatDiagnostic)).toEqual(c.errors);
      expect(result.errors.every((d) => d.severity === "error")).toBe(true);
      expect(result.warnings.map(formatDiagnostic)).toEqual(c.warnings ?? []);
    });
  }

  it("an expired waiver is kept with a warning, and the bundle still loads", async () => {
    const result = await loadBundleDir(`${CORPUS}/expired-waiver`, { now: NOW, registry: fakeRules });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([
      {
        file: `${CORPUS}/expired-waiver/rulebook.yml`,
        line: 14,
        column: 5,
        key: "waivers.0.expires",
        message:
          'waiver of "conventional-commits" for acme/legacy-api (owner @alice) expired on 2026-10-31 and no longer applies; renew it with a new expiry or remove it',
        severity: "warning",
      },
    ]);
    // The waiver that expires today still applies through the end of the day, so it gives no warning.
    expect(result.bundle.waivers.map((w) => [w.repository, w.expires])).toEqual([
      ["acme/legacy-api", "2026-10-31"],
      ["acme/legacy-*", "2026-11-23"],
    ]);
  });
});
