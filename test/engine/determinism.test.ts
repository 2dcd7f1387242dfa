import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import type { Bundle } from "../../src/bundle/types.js";
import { evaluate } from "../../src/engine/evaluate.js";
import {
  type Facts,
  FactsSchema,
  PullRequestFactsSchema,
  PushFactsSchema,
  RepoFactsSchema,
} from "../../src/facts/schema.js";
import { rules } from "../../src/rules/registry.js";
import { notEvaluated, type Rule } from "../../src/rules/types.js";
import { commit, prScope } from "../support/facts.js";
import { validateVerdict } from "../support/verdict-schema.js";
import { factsArbitrary } from "./facts-arbitraries.js";
import { bundle, fakeRule, profile, standard } from "./fixtures.js";
import { defaultBundleFiles, realRuleStandards } from "./real-rules.js";

/** Fake rules that report from the facts, in the order the facts give them, and fail in every way. */
const fakeRules: Rule[] = [
  fakeRule("per-file", {
    check: ({ facts }) =>
      (facts.pullRequest?.files ?? []).map((file) => ({
        message: `${file.status} file`,
        path: file.path || "unnamed",
        line: (file.path.length % 3) + 1,
      })),
  }),
  fakeRule("per-commit", {
    scope: "push",
    check: async ({ facts, authorIsAgent }) =>
      (facts.push?.commits ?? []).map((c) => ({ message: `commit ${c.sha}`, found: String(authorIsAgent) })),
  }),
  fakeRule("topics", {
    scope: "repo",
    requires: ["repo.metadata"],
    check: ({ facts }) =>
      facts.repo.topics.map((topic) => ({ message: `topic ${topic}`, pending: topic.length > 3 })),
  }),
  fakeRule("throws", {
    check: () => {
      throw new Error("rule bug");
    },
  }),
  fakeRule("cannot", { scope: "repo", check: () => notEvaluated("no configuration found") }),
];

const realAndFake: ReadonlyMap<string, Rule> = new Map([
  ...rules,
  ...fakeRules.map((r) => [r.id, r] as const),
]);

function richBundle(): Bundle {
  return bundle(
    [
      ...realRuleStandards(),
      standard("per-file", "per-file", { since: "2027-06-01" }),
      standard("per-commit", "per-commit", { exemptions: { actors: ["release-please[bot]"], branches: [] } }),
      standard("topics", "topics", { profiles: ["services", "all"], severity: "notice" }),
      standard("throws", "throws", { severity: "warning" }),
      standard("cannot", "cannot"),
      standard("waived", "per-file", { profiles: ["typescript"] }),
    ],
    {
      profiles: {
        all: profile("all"),
        services: profile("services", { topics: ["service"], includeForks: true }),
        typescript: profile("typescript", { languages: ["TypeScript"], repositories: ["*", "!legacy-*"] }),
      },
      waivers: [
        {
          repository: "acme/*",
          standard: "waived",
          owner: "@alice",
          reason: "Moving.",
          expires: "2027-01-31",
        },
        { repository: "acme/api", standard: "throws", owner: "@bob", reason: "Old.", expires: "2026-01-31" },
        {
          repository: "acme/web",
          standard: "cannot",
          owner: "@carol",
          reason: "Soon.",
          expires: "2026-12-31",
        },
      ],
      files: defaultBundleFiles(),
      settings: {
        checkName: "rulebook",
        escalateAfter: 3,
        agents: { logins: ["*-agent"], coAuthors: ["*<noreply@anthropic.com>"] },
        docsUrl: "https://github.com/acme/.github/blob/main/standards/",
      },
    },
  );
}

function richFacts(): Facts {
  return prScope(
    {
      labels: ["b", "a", "c"],
      commits: [
        commit("feat: add login"),
        commit("Added stuff", { coAuthors: [{ name: "Claude", email: "noreply@anthropic.com" }] }),
      ],
      files: [
        {
          path: "src/login.ts",
          status: "added",
          patch: "@@ -0,0 +1,2 @@\n+export const a = 1;\n+export const b = 2;",
          binary: false,
        },
        {
          path: "src/login.test.ts",
          status: "added",
          patch: "@@ -0,0 +1 @@\n+it.skip('logs in', () => {});",
          binary: false,
        },
        { path: "README.md", status: "modified", patch: "@@ -1 +1 @@\n-old\n+new", binary: false },
        { path: "logo.png", status: "added", binary: true },
      ],
    },
    {
      scopes: ["pr", "repo"],
      repo: {
        owner: "acme",
        name: "api",
        defaultBranch: "main",
        language: "TypeScript",
        topics: ["service", "api", "payments"],
        files: {
          "README.md": "# api\n",
          CODEOWNERS: null,
          ".github/pull_request_template.md": "## Summary\n",
        },
      },
    },
  );
}

function shuffled<T>(values: readonly T[], order: readonly number[]): T[] {
  return order.map((i) => values[i] as T);
}

function shuffledRecord<T>(record: Record<string, T>, order: readonly number[]): Record<string, T> {
  return Object.fromEntries(shuffled(Object.entries(record), order));
}

/** An arbitrary permutation of the indexes 0..length-1. */
function permutation(length: number): fc.Arbitrary<number[]> {
  const indexes = Array.from({ length }, (_, i) => i);
  return fc.shuffledSubarray(indexes, { minLength: length, maxLength: length });
}

describe("determinism", () => {
  it("gives byte-identical JSON when run twice on the same input", async () => {
    const first = JSON.stringify(await evaluate(richBundle(), richFacts(), realAndFake));
    const second = JSON.stringify(await evaluate(richBundle(), richFacts(), realAndFake));
    expect(second).toBe(first);
    expect(JSON.parse(first).findings.length).toBeGreaterThan(0);
  });

  it("gives byte-identical JSON whatever the order of standards, waivers, profiles, files, topics and labels", async () => {
    const theBundle = richBundle();
    const facts = richFacts();
    const expected = JSON.stringify(await evaluate(theBundle, facts, realAndFake));
    const pr = facts.pullRequest;
    if (!pr?.files) throw new Error("richFacts has pull request files");
    const fileKeys = Object.keys(theBundle.files).length;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          standards: permutation(theBundle.standards.length),
          waivers: permutation(theBundle.waivers.length),
          profiles: permutation(Object.keys(theBundle.profiles).length),
          bundleFiles: permutation(fileKeys),
          topics: permutation(facts.repo.topics.length),
          repoFiles: permutation(Object.keys(facts.repo.files).length),
          labels: permutation(pr.labels.length),
          prFiles: permutation(pr.files.length),
        }),
        async (order) => {
          const reordered: Bundle = {
            ...theBundle,
            standards: shuffled(theBundle.standards, order.standards),
            waivers: shuffled(theBundle.waivers, order.waivers),
            profiles: shuffledRecord(theBundle.profiles, order.profiles),
            files: shuffledRecord(theBundle.files, order.bundleFiles),
          };
          const refacts: Facts = {
            ...facts,
            repo: {
              ...facts.repo,
              topics: shuffled(facts.repo.topics, order.topics),
              files: shuffledRecord(facts.repo.files, order.repoFiles),
            },
            pullRequest: {
              ...pr,
              labels: shuffled(pr.labels, order.labels),
              files: shuffled(pr.files ?? [], order.prFiles),
            },
          };
          expect(JSON.stringify(await evaluate(reordered, refacts, realAndFake))).toBe(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("draws facts that use every field of the Facts schemas", () => {
    const sample = fc.sample(factsArbitrary, { numRuns: 300, seed: 42 });
    const keysOf = (values: Array<object | null | undefined>) =>
      [...new Set(values.flatMap((value) => (value ? Object.keys(value) : [])))].sort();
    expect(keysOf(sample)).toEqual(Object.keys(FactsSchema.shape).sort());
    expect(keysOf(sample.map((f) => f.repo))).toEqual(Object.keys(RepoFactsSchema.shape).sort());
    expect(keysOf(sample.map((f) => f.pullRequest))).toEqual(
      Object.keys(PullRequestFactsSchema.shape).sort(),
    );
    expect(keysOf(sample.map((f) => f.push))).toEqual(Object.keys(PushFactsSchema.shape).sort());
  });

  it("resolves for arbitrary facts with the real rules and fake ones, to a valid and stable verdict", async () => {
    const theBundle = richBundle();
    const ids = theBundle.standards.map((s) => s.id).sort();
    await fc.assert(
      fc.asyncProperty(factsArbitrary, async (facts) => {
        const verdict = await evaluate(theBundle, facts, realAndFake);
        const json = JSON.stringify(verdict);
        const valid = validateVerdict(JSON.parse(json));
        expect(validateVerdict.errors ?? []).toEqual([]);
        expect(valid).toBe(true);
        expect(verdict.standards.map((s) => s.standard)).toEqual(ids);
        expect(JSON.stringify(await evaluate(theBundle, facts, realAndFake))).toBe(json);
      }),
      { numRuns: 150 },
    );
  });
});
