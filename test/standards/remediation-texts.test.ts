/**
 * Fix texts are for agents, who do what they read. No shipped fix text may suggest getting past a finding
 * by editing the check, the bundle, the test or a ruleset oneself, or by rewriting history to hide it; and
 * on an agent's change, a fix that needs authority the agent lacks says to stop and whom to ask.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { defaultBundleDir } from "../../src/bundle/load.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { prScope } from "../support/facts.js";
import { defaultBundle, ruleTexts } from "../support/shipped-texts.js";

const STANDARD_DOCS_DIR = join(defaultBundleDir(), "docs");

/** A clause that says not to do something is a warning, not a suggestion. */
const NEGATED = /\b(do not|don't|never|not|nor|no longer|instead of|without)\b/i;
/** Someone with authority does it: a ruleset or waiver change attributed to them is how it should go. */
const AUTHORITY = /\b(administrators?|admins?|maintainers?|owners?)\b/i;
const DETERMINER = String.raw`(?:(?:the|this|its|a|any|every)\s+)?`;

/** Suggestions no fix text may make, each with why. */
const FORBIDDEN: Array<{ why: string; pattern: RegExp; unlessAuthority?: boolean }> = [
  {
    why: "edits the test, the check or the bundle",
    pattern: new RegExp(
      String.raw`\b(edit|change|modify|fix|relax|loosen|weaken|disable|remove|delete|drop|rename)\s+(?:\S+\s+){0,2}?${DETERMINER}(tests?|checks?|workflows?|jobs?|bundle|canonical copy|requirement|lint rules?)\b`,
      "i",
    ),
  },
  { why: "edits the test", pattern: /\b(fix|edit|change|modify)\b[^.;,]*\bor\s+(the\s+)?tests?\b/i },
  {
    why: "lets a check fail",
    pattern: /continue-on-error|\|\|\s*true|--no-verify|allowed to fail|allow_failure/i,
  },
  {
    why: "rewrites history",
    pattern:
      /\bforce-push\b|push\s+(--force(?!-with-lease)|-f\b)|rewrite (the )?history|reset --hard|filter-(branch|repo)/i,
  },
  {
    why: "changes a ruleset without someone with authority",
    pattern: /\b(add|create|fix|edit|change|make|update|apply|remove|delete)\b[^.]*\brulesets?\b/i,
    unlessAuthority: true,
  },
  {
    why: "grants a waiver without its owners",
    pattern: /\b(add|write|grant)\b[^,]*\bwaiver/i,
    unlessAuthority: true,
  },
];

/** Clauses: sentences split further at semicolons, so a warning in one clause covers no other. */
function clauses(text: string): string[] {
  return text
    .split(/(?<=[.;!?])\s+|\n+|;\s*/)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/**
 * The suggestions a fix text makes that it must not. A ruleset or waiver change passes when the text
 * says who with authority makes it (the whole text: one remediation, or one section of a manual).
 */
function violations(source: string, text: string): string[] {
  const attributed = AUTHORITY.test(text);
  return clauses(text).flatMap((clause) =>
    FORBIDDEN.filter(
      ({ pattern, unlessAuthority }) =>
        pattern.test(clause) && !NEGATED.test(clause) && !(unlessAuthority && attributed),
    ).map(({ why }) => `${source}: ${why}: "${clause}"`),
  );
}

/** The "How to fix it" section of every manual page of the default bundle. */
function manualFixTexts(): Array<[string, string]> {
  return readdirSync(STANDARD_DOCS_DIR).flatMap((file) => {
    const page = readFileSync(join(STANDARD_DOCS_DIR, file), "utf8");
    const section = /^## How to fix it\n([\s\S]*?)(?=^## )/m.exec(page)?.[1];
    // Commands in code blocks carry out the prose around them; the prose is what is judged.
    const prose = section?.replace(/^```[\s\S]*?^```/gm, "");
    return prose ? [[`standards/docs/${file}`, prose] as [string, string]] : [];
  });
}

describe("shipped fix texts", () => {
  it("suggest no edit to the check, the bundle, the test or a ruleset, and no rewritten history", async () => {
    const bundle = await defaultBundle();
    const texts: Array<[string, string]> = [
      ...bundle.standards.map((s): [string, string] => [`standards/rulebook.yml ${s.id}`, s.remediation]),
      ...ruleTexts(),
      ...manualFixTexts(),
    ];
    expect(texts.length).toBeGreaterThan(60);
    expect(texts.flatMap(([source, text]) => violations(source, text))).toEqual([]);
  });

  it("the scan catches each kind of suggestion it forbids, and lets warnings and owners' work through", () => {
    expect(
      [
        "Fix the test so it passes.",
        "Fix the code or the test so it passes.",
        "Change the canonical copy in the bundle instead.",
        "Add continue-on-error: true to the job.",
        "Then git push --force to main.",
        "Add the branch ruleset on main so rule pull_request applies.",
        "Add a waiver for this repository to the bundle.",
      ].flatMap((text) => violations("case", text)),
    ).toHaveLength(7);
    expect(
      [
        "Do not edit the test to make it pass.",
        "Never mark a check allowed to fail.",
        "Have an administrator fix the branch ruleset.",
        "Ask the bundle's owners to add a waiver.",
        'Reword it, then "git push --force-with-lease".',
        "Fix the code so the test passes and remove the skip.",
      ].flatMap((text) => violations("case", text)),
    ).toEqual([]);
  });
});

describe("stop and ask on an agent's change", () => {
  const workflowChange = (author: { login: string; type: "User" | "Bot" }) =>
    prScope({
      author,
      files: [
        {
          path: ".github/workflows/ci.yml",
          status: "modified",
          patch: "@@ -1 +1 @@\n-on: pull_request\n+on: push",
          binary: false,
        },
      ],
    });

  it("says to stop and whom to ask when the fix needs a human's approval", async () => {
    const verdict = await evaluate(
      await defaultBundle(),
      workflowChange({ login: "coder-agent[bot]", type: "Bot" }),
    );
    const [finding] = verdict.findings.filter((f) => f.standard === "guarded-paths");
    expect(finding?.remediation).toMatch(
      /^Stop and ask: a change to the files that define the gates needs the approval of a human who did not write it, and you, an agent, cannot do that yourself\. Do not work around it: ask the code owners of the affected files \(CODEOWNERS\), report this finding to whoever gave you the task, and wait for them\. Then: Ask a maintainer/,
    );
  });

  it("leaves the other findings of the agent's change as they were", async () => {
    const agent = await evaluate(
      await defaultBundle(),
      workflowChange({ login: "coder-agent[bot]", type: "Bot" }),
    );
    const others = agent.findings.filter((f) => f.standard !== "guarded-paths");
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((f) => f.remediation.startsWith("Stop and ask"))).toEqual([]);
  });
});
