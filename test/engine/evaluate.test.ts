import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import type { Bundle, Standard } from "../../src/bundle/types.js";
import { evaluate } from "../../src/engine/evaluate.js";
import type { StandardResult, StandardStatus, Verdict } from "../../src/engine/verdict.js";
import type { Facts } from "../../src/facts/schema.js";
import { notEvaluated, type Rule, type RuleContext, type RuleFinding } from "../../src/rules/types.js";
import { commit, prScope, pushScope, repoScope } from "../support/facts.js";
import { bundle, fakeRule, profile, registryOf, standard } from "./fixtures.js";

/** A rule that reports the given findings and remembers each context it was run with. */
function reporting(id: string, findings: RuleFinding[], overrides: Parameters<typeof fakeRule>[1] = {}) {
  const contexts: RuleContext<unknown>[] = [];
  const rule = fakeRule(id, {
    ...overrides,
    check: (ctx) => {
      contexts.push(ctx);
      return findings;
    },
  });
  return { rule, contexts };
}

function run(
  standards: Standard[],
  rules: Rule[],
  facts: Facts = prScope(),
  overrides: Partial<Bundle> = {},
): Promise<Verdict> {
  return evaluate(bundle(standards, overrides), facts, registryOf(...rules));
}

function statusOf(verdict: Verdict, id: string): StandardResult | undefined {
  return verdict.standards.find((s) => s.standard === id);
}

/** What a verdict says of the standard `s` (built by `standard("s", …)`): its status and why. */
function resultOfS(status: StandardStatus, reason?: string): StandardResult {
  return { standard: "s", title: "Title of s", status, ...(reason === undefined ? {} : { reason }) };
}

describe("evaluate", () => {
  it("returns the whole verdict for a failing and a passing standard", async () => {
    const failing = reporting("fails", [
      {
        message: "subject is too long",
        path: "src/a.ts",
        line: 3,
        endLine: 4,
        expected: "<= 72",
        found: "80",
      },
    ]);
    const passing = reporting("passes", []);
    const verdict = await run(
      [standard("long-lines", "fails"), standard("quiet", "passes", { severity: "warning" })],
      [failing.rule, passing.rule],
    );
    expect(verdict).toEqual({
      schema: "rulebook.findings/v1",
      bundle: { source: "test", version: "2026.11.0" },
      findings: [
        {
          standard: "long-lines",
          rule: "fails",
          severity: "error",
          message: "subject is too long",
          path: "src/a.ts",
          line: 3,
          endLine: 4,
          expected: "<= 72",
          found: "80",
          remediation: "Fix long-lines.",
          docs: "docs/long-lines.md",
        },
      ],
      notEvaluated: [],
      standards: [
        { standard: "long-lines", title: "Title of long-lines", status: "fail" },
        { standard: "quiet", title: "Title of quiet", status: "pass" },
      ],
      waivers: [],
    });
  });

  describe("selection", () => {
    it("leaves out a standard whose rule judges a scope the facts do not cover, without running it", async () => {
      const { rule, contexts } = reporting("on-push", [{ message: "x" }], { scope: "push" });
      const verdict = await run([standard("s", "on-push")], [rule], prScope());
      expect(verdict.standards).toEqual([
        resultOfS("not-applicable", "judged on pushes to the default branch, not on a pull request"),
      ]);
      expect(verdict.findings).toEqual([]);
      expect(contexts).toHaveLength(0);
    });

    it("runs a standard when any of the facts' scopes is the rule's", async () => {
      const { rule } = reporting("repo-rule", [{ message: "missing file" }], { scope: "repo" });
      const facts = prScope({}, { scopes: ["pr", "repo"] });
      const verdict = await run([standard("s", "repo-rule")], [rule], facts);
      expect(statusOf(verdict, "s")).toEqual(resultOfS("fail"));
    });

    it("reports a standard whose rule this version does not know as not evaluated (fail closed)", async () => {
      const verdict = await run([standard("s", "ghost-rule")], []);
      expect(verdict.notEvaluated).toEqual([
        {
          standard: "s",
          reason: "rule ghost-rule is not known to this version of Rulebook",
          severity: "error",
        },
      ]);
      expect(statusOf(verdict, "s")?.status).toBe("not-evaluated");
    });

    /** The profiles of the next two tests: TypeScript repositories, and repositories named web-*. */
    const TYPESCRIPT_AND_WEB: Partial<Bundle> = {
      profiles: {
        typescript: profile("typescript", { languages: ["TypeScript"] }),
        web: profile("web", { repositories: ["web-*"] }),
      },
    };

    /** A pull request on acme/api, a repository whose primary language is `language`. */
    function onApiIn(language: string): Facts {
      return prScope({}, { repo: { owner: "acme", name: "api", defaultBranch: "main", language } });
    }

    it("leaves out a repository none of the standard's profiles selects, saying why for each", async () => {
      const { rule, contexts } = reporting("r", [{ message: "x" }]);
      const s = standard("s", "r", { profiles: ["typescript", "web"] });
      const verdict = await run([s], [rule], onApiIn("Go"), TYPESCRIPT_AND_WEB);
      expect(statusOf(verdict, "s")).toEqual(
        resultOfS(
          "not-applicable",
          "profile typescript needs one of the languages TypeScript; the repository has primary language Go; " +
            "profile web does not select the name api (repositories: web-*)",
        ),
      );
      expect(contexts).toHaveLength(0);
    });

    it("applies a standard when one of its profiles selects the repository", async () => {
      const { rule } = reporting("r", []);
      const s = standard("s", "r", { profiles: ["web", "typescript"] });
      const verdict = await run([s], [rule], onApiIn("typescript"), TYPESCRIPT_AND_WEB);
      expect(statusOf(verdict, "s")?.status).toBe("pass");
    });

    it("leaves out archived repositories and forks under the default profile", async () => {
      const { rule } = reporting("r", [], { scope: "repo" });
      const archived = await run([standard("s", "r")], [rule], repoScope({ archived: true }));
      const fork = await run([standard("s", "r")], [rule], repoScope({ fork: true }));
      expect(statusOf(archived, "s")?.reason).toBe("profile all leaves archived repositories out");
      expect(statusOf(fork, "s")?.reason).toBe("profile all leaves forks out");
    });

    it("does not evaluate a standard whose profile needs metadata the gatherer could not provide", async () => {
      const { rule, contexts } = reporting("r", []);
      const facts = prScope({}, { unavailable: { "repo.metadata": "a local checkout knows no topics" } });
      const verdict = await run([standard("s", "r", { profiles: ["services"] })], [rule], facts, {
        profiles: { services: profile("services", { topics: ["service"] }) },
      });
      expect(verdict.notEvaluated).toEqual([
        {
          standard: "s",
          reason:
            "profile services selects on repository metadata, which is unavailable: a local checkout knows no topics",
          severity: "error",
        },
      ]);
      expect(contexts).toHaveLength(0);
    });

    it("still runs a standard whose profile selects by name only when metadata is unavailable", async () => {
      const { rule } = reporting("r", []);
      const facts = prScope({}, { unavailable: { "repo.metadata": "a local checkout knows no topics" } });
      const verdict = await run([standard("s", "r", { profiles: ["named"] })], [rule], facts, {
        profiles: {
          named: profile("named", { repositories: ["api"], visibility: ["public", "private", "internal"] }),
        },
      });
      expect(statusOf(verdict, "s")?.status).toBe("pass");
    });

    it("does not evaluate a standard that names a profile the bundle lacks", async () => {
      const verdict = await run([standard("s", "r", { profiles: ["ghost"] })], [fakeRule("r")]);
      expect(verdict.notEvaluated).toEqual([
        { standard: "s", reason: "profile ghost is not defined in the bundle", severity: "error" },
      ]);
    });
  });

  describe("exemptions", () => {
    const exempting = standard("s", "r", {
      exemptions: { actors: ["release-please[bot]", "renovate*"], branches: ["release-please--**"] },
    });

    it("exempts a pull request by an exempt actor, case-insensitively and with literal brackets", async () => {
      const { rule, contexts } = reporting("r", [{ message: "x" }]);
      const verdict = await run(
        [exempting],
        [rule],
        prScope({ author: { login: "Release-Please[bot]", type: "Bot" } }),
      );
      expect(statusOf(verdict, "s")).toEqual(
        resultOfS(
          "exempt",
          "the pull request by Release-Please[bot] is exempt (exemptions.actors: release-please[bot])",
        ),
      );
      expect(verdict.findings).toEqual([]);
      expect(contexts).toHaveLength(0);
    });

    it("exempts a pull request from an exempt head branch", async () => {
      const { rule } = reporting("r", [{ message: "x" }]);
      const facts = prScope({ head: { ref: "release-please--branches--main", sha: "1".repeat(40) } });
      const verdict = await run([exempting], [rule], facts);
      expect(statusOf(verdict, "s")?.reason).toBe(
        "the pull request on branch release-please--branches--main is exempt (exemptions.branches: release-please--**)",
      );
    });

    it("exempts a push by its pusher and its branch, but never a tag by a branch glob", async () => {
      const { rule } = reporting("r", [{ message: "x" }], { scope: "push" });
      const byActor = await run(
        [exempting],
        [rule],
        pushScope({ pusher: { login: "renovate-bot", type: "User" } }),
      );
      const byBranch = await run([exempting], [rule], pushScope({ ref: "refs/heads/release-please--x" }));
      const tag = await run([exempting], [rule], pushScope({ ref: "refs/tags/release-please--x" }));
      expect(statusOf(byActor, "s")?.reason).toBe(
        "the push by renovate-bot is exempt (exemptions.actors: renovate*)",
      );
      expect(statusOf(byBranch, "s")?.reason).toBe(
        "the push on branch release-please--x is exempt (exemptions.branches: release-please--**)",
      );
      expect(statusOf(tag, "s")?.status).toBe("fail");
    });

    it("judges everyone else", async () => {
      const { rule } = reporting("r", [{ message: "x" }]);
      const verdict = await run([exempting], [rule], prScope());
      expect(statusOf(verdict, "s")?.status).toBe("fail");
    });
  });

  describe("required facts", () => {
    it("reports the gatherer's reason for a missing fact", async () => {
      const { rule, contexts } = reporting("r", [], { requires: ["pr", "pr.reviews"] });
      const facts = prScope(
        { reviews: undefined },
        { unavailable: { "pr.reviews": "a local checkout has no reviews" } },
      );
      const verdict = await run([standard("s", "r")], [rule], facts);
      expect(verdict.notEvaluated).toEqual([
        { standard: "s", reason: "a local checkout has no reviews", severity: "error" },
      ]);
      expect(statusOf(verdict, "s")).toEqual(resultOfS("not-evaluated", "a local checkout has no reviews"));
      expect(contexts).toHaveLength(0);
    });

    it("says which fact was not gathered when the gatherer gave no reason", async () => {
      const { rule } = reporting("r", [], { scope: "repo", requires: ["repo.rulesets"] });
      const verdict = await run([standard("s", "r")], [rule], repoScope());
      expect(verdict.notEvaluated).toEqual([
        { standard: "s", reason: "fact repo.rulesets was not gathered", severity: "error" },
      ]);
    });
  });

  describe("running rules", () => {
    it("re-parses options so the rule sees their defaults", async () => {
      const { rule, contexts } = reporting("r", [], {
        options: z.object({ maxLength: z.number().default(72), types: z.array(z.string()) }),
      });
      await run([standard("s", "r", { options: { types: ["feat"] } })], [rule]);
      expect(contexts.map((c) => c.options)).toEqual([{ maxLength: 72, types: ["feat"] }]);
    });

    it("does not evaluate a standard whose options do not fit its rule", async () => {
      const { rule } = reporting("r", [], { options: z.object({ maxLength: z.number() }) });
      const verdict = await run([standard("s", "r", { options: { maxLength: "long" } })], [rule]);
      expect(verdict.notEvaluated).toEqual([
        {
          standard: "s",
          reason:
            "options do not fit rule r: options.maxLength: Invalid input: expected number, received string",
          severity: "error",
        },
      ]);
    });

    it("gives the rule bundle files, agent detection and the check name", async () => {
      const { rule, contexts } = reporting("r", []);
      const facts = prScope({ author: { login: "devin-agent", type: "User" } });
      await run([standard("s", "r")], [rule], facts, {
        files: { "templates/pull_request_template.md": "## Summary\n" },
        settings: {
          checkName: "rulebook/standards",
          escalateAfter: 3,
          agents: { logins: ["*-agent"], coAuthors: [] },
        },
      });
      const [context] = contexts;
      expect(context?.bundleFile("templates/pull_request_template.md")).toBe("## Summary\n");
      expect(context?.bundleFile("templates/missing.md")).toBeUndefined();
      expect(context?.bundleFile("constructor")).toBeUndefined();
      expect(context?.checkName).toBe("rulebook/standards");
      expect(context?.authorIsAgent).toBe(true);
      expect(context?.isAgent({ login: "alice", type: "User" })).toBe(false);
      expect(context?.isAgent({ login: "dependabot[bot]", type: "Bot" })).toBe(true);
      expect(context?.facts).toBe(facts);
    });

    it.each([
      ["a human author with human commits", prScope({ commits: [commit("feat: a")] }), false],
      ["an author of type Bot", prScope({ author: { login: "helper", type: "Bot" } }), true],
      [
        "a co-author trailer that names an agent",
        prScope({
          commits: [commit("feat: a", { coAuthors: [{ name: "Claude", email: "noreply@anthropic.com" }] })],
        }),
        true,
      ],
      [
        "a commit authored by an agent login",
        prScope({
          commits: [commit("feat: a", { author: { name: "D", email: "d@x.io", login: "devin-agent" } })],
        }),
        true,
      ],
      [
        "a push by a human of commits co-authored by an agent",
        pushScope({
          commits: [commit("feat: a", { coAuthors: [{ name: "Claude", email: "noreply@anthropic.com" }] })],
        }),
        true,
      ],
    ])("tells the rule whether an agent wrote the change: %s", async (_name, facts, expected) => {
      const { rule, contexts } = reporting("r", [], { scope: facts.scopes[0] });
      await run([standard("s", "r")], [rule], facts);
      expect(contexts.map((c) => c.authorIsAgent)).toEqual([expected]);
    });

    it("fails closed when a rule throws, synchronously or not, whatever it throws", async () => {
      const verdict = await run(
        [standard("a", "sync"), standard("b", "async"), standard("c", "odd")],
        [
          fakeRule("sync", {
            check: () => {
              throw new Error("cannot read properties of undefined");
            },
          }),
          fakeRule("async", { check: async () => Promise.reject(new TypeError("boom")) }),
          fakeRule("odd", {
            check: () => {
              throw "a string";
            },
          }),
        ],
      );
      expect(verdict.notEvaluated).toEqual([
        { standard: "a", reason: "rule sync failed: cannot read properties of undefined", severity: "error" },
        { standard: "b", reason: "rule async failed: boom", severity: "error" },
        { standard: "c", reason: "rule odd failed: a string", severity: "error" },
      ]);
      expect(verdict.standards.map((s) => s.status)).toEqual([
        "not-evaluated",
        "not-evaluated",
        "not-evaluated",
      ]);
      expect(verdict.findings).toEqual([]);
    });

    it("reports a rule's own reason when it cannot judge", async () => {
      const verdict = await run(
        [standard("s", "r", { severity: "notice" })],
        [fakeRule("r", { check: () => notEvaluated("no CI configuration to read") })],
      );
      expect(verdict.notEvaluated).toEqual([
        { standard: "s", reason: "no CI configuration to read", severity: "notice" },
      ]);
    });

    it("fails closed on a malformed result instead of passing it on", async () => {
      const verdict = await run(
        [standard("a", "zero-line"), standard("b", "nothing")],
        [
          fakeRule("zero-line", { check: () => [{ message: "x", line: 0 }] }),
          fakeRule("nothing", { check: () => undefined as unknown as RuleFinding[] }),
        ],
      );
      expect(verdict.notEvaluated).toEqual([
        {
          standard: "a",
          reason:
            "rule zero-line returned a malformed finding: findings.0.line: Too small: expected number to be >=1",
          severity: "error",
        },
        {
          standard: "b",
          reason: "rule nothing returned neither findings nor a reason it could not judge",
          severity: "error",
        },
      ]);
    });

    it("keeps only the finding fields that say something, and the finding's own remediation", async () => {
      const extra = { message: "x", remediation: "Rename the file.", pending: true, score: 3 } as RuleFinding;
      const verdict = await run(
        [standard("s", "r")],
        [fakeRule("r", { check: () => [extra, { message: "y", pending: false, path: "" }] })],
      );
      expect(verdict.findings).toStrictEqual([
        {
          standard: "s",
          rule: "r",
          severity: "error",
          message: "x",
          remediation: "Rename the file.",
          docs: "docs/s.md",
          pending: true,
        },
        {
          standard: "s",
          rule: "r",
          severity: "error",
          message: "y",
          remediation: "Fix s.",
          docs: "docs/s.md",
        },
      ]);
    });

    it("marks a standard whose findings are all pending", async () => {
      const verdict = await run(
        [standard("s", "r")],
        [fakeRule("r", { check: () => [{ message: "ci is running", pending: true }] })],
      );
      expect(statusOf(verdict, "s")).toEqual(
        resultOfS("fail", "pending: waiting on something that has not finished"),
      );
    });
  });

  describe("effective dates", () => {
    const rule = fakeRule("r", { check: () => [{ message: "subject is too long" }] });

    it("reports an error standard's findings as warnings before its date, naming the date", async () => {
      const verdict = await run([standard("s", "r", { since: "2027-01-01" })], [rule]);
      expect(verdict.findings).toEqual([
        {
          standard: "s",
          rule: "r",
          severity: "warning",
          message:
            "subject is too long (a warning until 2027-01-01; from that day this standard blocks merges)",
          remediation: "Fix s.",
          docs: "docs/s.md",
        },
      ]);
      expect(statusOf(verdict, "s")?.reason).toBe(
        "in effect from 2027-01-01; until then its errors are reported as warnings",
      );
    });

    it("blocks from the effective day itself", async () => {
      const verdict = await run([standard("s", "r", { since: "2026-11-23" })], [rule]);
      expect(verdict.findings.map((f) => [f.severity, f.message])).toEqual([
        ["error", "subject is too long"],
      ]);
      expect(statusOf(verdict, "s")).toEqual(resultOfS("fail"));
    });

    it("leaves warnings and notices as they are", async () => {
      const verdict = await run([standard("s", "r", { since: "2027-01-01", severity: "notice" })], [rule]);
      expect(verdict.findings.map((f) => [f.severity, f.message])).toEqual([
        ["notice", "subject is too long"],
      ]);
    });

    it("records a standard not evaluated before its date as a warning", async () => {
      const verdict = await run([standard("s", "ghost", { since: "2027-01-01" })], []);
      expect(verdict.notEvaluated[0]?.severity).toBe("warning");
    });

    it("does not evaluate applicable standards when facts.now is not a timestamp", async () => {
      const verdict = await run([standard("s", "r")], [rule], prScope({}, { now: "yesterday" }), {
        waivers: [{ repository: "acme/api", standard: "s", owner: "@a", reason: "r", expires: "2030-01-01" }],
      });
      expect(verdict.notEvaluated).toEqual([
        {
          standard: "s",
          reason:
            "facts.now (yesterday) is not an ISO 8601 timestamp, so effective dates and waivers cannot be applied",
          severity: "error",
        },
      ]);
      expect(verdict.waivers).toEqual([]);
    });
  });

  describe("waivers", () => {
    const rule = fakeRule("r", { check: () => [{ message: "no CODEOWNERS" }] });
    const waiver = {
      repository: "acme/api",
      standard: "codeowners",
      owner: "@alice",
      reason: "Ownership is being reorganised.",
    };

    it("sets a standard aside while its waiver is active and lists the waiver", async () => {
      const verdict = await run([standard("codeowners", "r")], [rule], prScope(), {
        waivers: [{ ...waiver, expires: "2027-01-31" }],
      });
      expect(verdict.findings).toEqual([]);
      expect(verdict.standards).toEqual([
        {
          standard: "codeowners",
          title: "Title of codeowners",
          status: "waived",
          reason: "waived until 2027-01-31 by @alice: Ownership is being reorganised.",
        },
      ]);
      expect(verdict.waivers).toEqual([{ ...waiver, expires: "2027-01-31", status: "active" }]);
    });

    it("still applies a waiver on its expiry day, in UTC", async () => {
      const lastDay = { waivers: [{ ...waiver, expires: "2026-11-23" }] };
      const utc = await run([standard("codeowners", "r")], [rule], prScope(), lastDay);
      const ahead = await run(
        [standard("codeowners", "r")],
        [rule],
        prScope({}, { now: "2026-11-24T01:00:00+05:00" }),
        lastDay,
      );
      expect(statusOf(utc, "codeowners")?.status).toBe("waived");
      expect(statusOf(ahead, "codeowners")?.status).toBe("waived");
    });

    it("no longer applies the day after it expires, and lists it as expired", async () => {
      const verdict = await run([standard("codeowners", "r")], [rule], prScope(), {
        waivers: [{ ...waiver, expires: "2026-11-22" }],
      });
      expect(verdict.findings.map((f) => f.message)).toEqual(["no CODEOWNERS"]);
      expect(statusOf(verdict, "codeowners")?.status).toBe("fail");
      expect(verdict.waivers).toEqual([{ ...waiver, expires: "2026-11-22", status: "expired" }]);
    });

    it("matches repositories by glob, case-insensitively, and lists only this repository's waivers", async () => {
      const verdict = await run([standard("codeowners", "r")], [rule], prScope(), {
        waivers: [
          { ...waiver, repository: "other/*", expires: "2030-01-01" },
          { ...waiver, repository: "ACME/*", expires: "2026-12-01" },
          { ...waiver, repository: "acme/api", expires: "2026-01-01" },
        ],
      });
      expect(statusOf(verdict, "codeowners")?.reason).toBe(
        "waived until 2026-12-01 by @alice: Ownership is being reorganised.",
      );
      expect(verdict.waivers).toEqual([
        { ...waiver, repository: "ACME/*", expires: "2026-12-01", status: "active" },
        { ...waiver, repository: "acme/api", expires: "2026-01-01", status: "expired" },
      ]);
    });

    it("waives only the standard it names", async () => {
      const verdict = await run([standard("codeowners", "r"), standard("other", "r")], [rule], prScope(), {
        waivers: [{ ...waiver, expires: "2027-01-31" }],
      });
      expect(verdict.findings.map((f) => f.standard)).toEqual(["other"]);
    });
  });

  describe("docs links", () => {
    const rule = fakeRule("r", { check: () => [{ message: "x" }] });

    it.each([
      [undefined, "docs/s.md"],
      [
        "https://github.com/acme/.github/blob/main/standards/",
        "https://github.com/acme/.github/blob/main/standards/docs/s.md",
      ],
      [
        "https://github.com/acme/.github/blob/main/standards",
        "https://github.com/acme/.github/blob/main/standards/docs/s.md",
      ],
    ])("with docsUrl %s links to %s", async (docsUrl, expected) => {
      const settings = { ...bundle([]).settings, ...(docsUrl === undefined ? {} : { docsUrl }) };
      const verdict = await run([standard("s", "r")], [rule], prScope(), { settings });
      expect(verdict.findings.map((f) => f.docs)).toEqual([expected]);
    });

    it("uses the standard's own docs path", async () => {
      const verdict = await run([standard("s", "r", { docs: "./docs/commits.md" })], [rule], prScope(), {
        settings: { ...bundle([]).settings, docsUrl: "https://example.org/manual" },
      });
      expect(verdict.findings.map((f) => f.docs)).toEqual(["https://example.org/manual/docs/commits.md"]);
    });
  });

  describe("ordering", () => {
    it("orders findings by severity, standard, path, line and message; the rest by standard", async () => {
      const many = fakeRule("many", {
        check: () => [
          { message: "b", path: "src/b.ts", line: 2 },
          { message: "a", path: "src/b.ts", line: 2 },
          { message: "z", path: "src/b.ts", line: 10 },
          { message: "whole change" },
          { message: "c", path: "src/a.ts" },
        ],
      });
      const one = fakeRule("one", { check: () => [{ message: "w" }] });
      const verdict = await run(
        [
          standard("zeta", "many"),
          standard("alpha", "many", { severity: "notice" }),
          standard("mid", "one", { severity: "warning" }),
          standard("beta", "ghost"),
          standard("aardvark", "ghost"),
        ],
        [many, one],
      );
      expect(
        verdict.findings.map((f) => [f.severity, f.standard, f.path ?? "-", f.line ?? 0, f.message]),
      ).toEqual([
        ["error", "zeta", "-", 0, "whole change"],
        ["error", "zeta", "src/a.ts", 0, "c"],
        ["error", "zeta", "src/b.ts", 2, "a"],
        ["error", "zeta", "src/b.ts", 2, "b"],
        ["error", "zeta", "src/b.ts", 10, "z"],
        ["warning", "mid", "-", 0, "w"],
        ["notice", "alpha", "-", 0, "whole change"],
        ["notice", "alpha", "src/a.ts", 0, "c"],
        ["notice", "alpha", "src/b.ts", 2, "a"],
        ["notice", "alpha", "src/b.ts", 2, "b"],
        ["notice", "alpha", "src/b.ts", 10, "z"],
      ]);
      expect(verdict.notEvaluated.map((n) => n.standard)).toEqual(["aardvark", "beta"]);
      expect(verdict.standards.map((s) => s.standard)).toEqual(["aardvark", "alpha", "beta", "mid", "zeta"]);
    });
  });
});
