/**
 * Everything users read, rendered as GitHub would (marked, GFM): the shipped standards' texts and the
 * rules' messages and fixes, and a pull request whose title, branch, commits, paths and body are hostile,
 * through the check run's summary, the RTFM issue and the dashboard. No placeholder or text may be lost,
 * and no mention, HTML, entity or code-fence escape may get through.
 */
import { describe, expect, it } from "@jest/globals";
import { incidentsFromVerdict } from "../../src/app/incidents.js";
import { evaluate } from "../../src/engine/evaluate.js";
import type { Verdict } from "../../src/engine/verdict.js";
import { FULL_VIEW, renderDashboard } from "../../src/publish/dashboard.js";
import { inline } from "../../src/publish/markdown.js";
import { renderJson, renderMarkdown } from "../../src/publish/render.js";
import { renderRtfmBody } from "../../src/publish/rtfm.js";
import { commit, NOW, prScope } from "../support/facts.js";
import { HOSTILE, inspectMarkdown, normalizeText, type RenderedMarkdown } from "../support/markdown.js";
import { defaultBundle, ruleTexts } from "../support/shipped-texts.js";

/** What a reader should see of a text: backticks that pair into code spans are markup, not text. */
function seen(text: string): string {
  return normalizeText(text.replaceAll("`", ""));
}

/** The only HTML allowed is the app's own: collapsed sections, small print and its hidden markers. */
const OWN_HTML =
  /^(?:<details><summary>[^<>]*<\/summary>|<\/details>|<\/?sub>|<!-- rulebook:[a-z-]+ [^\n]*-->)$/;

function expectInert(rendered: RenderedMarkdown, allowedMentions: string[] = []) {
  expect(rendered.html.filter((html) => !OWN_HTML.test(html))).toEqual([]);
  expect(rendered.mentions).toEqual(allowedMentions);
  expect(rendered.entities).toEqual([]);
}

function expectShown(rendered: RenderedMarkdown, texts: Array<string | undefined>) {
  const shown = seen(rendered.text);
  for (const text of texts) if (text !== undefined) expect(shown).toContain(seen(text));
}

describe("the shipped texts", () => {
  it("render as the very text they are: titles, rationales, fixes and every prose literal of the rules", async () => {
    const bundle = await defaultBundle();
    const texts = [
      ...bundle.standards.flatMap((s) => [s.title, s.rationale, s.remediation]),
      // The literal scan cuts a template at a nested template; such a fragment (an odd number of
      // backticks, or code between two literals) is no text anybody reads.
      ...ruleTexts()
        .map(([, text]) => text)
        .filter((text) => (text.match(/`/g) ?? []).length % 2 === 0 && !/\bconst\b/.test(text)),
    ];
    expect(texts.length).toBeGreaterThan(100);
    // Placeholders the fixes rely on are among them.
    expect(texts.join("\n")).toMatch(/<org>\/<team>/);
    expect(texts.join("\n")).toMatch(/<issue>/);
    for (const text of texts) {
      const rendered = inspectMarkdown(inline(text));
      expectInert(rendered);
      expect(seen(rendered.text)).toBe(seen(text));
    }
  });
});

const TITLE = "Fix `parser` for @acme/platform <img src=x onerror=alert(1)> </details> <!-- x -->";
const BRANCH = "wip/<new-name>`x`@acme/platform";
const SUBJECT = "Update @acme/platform: ``` </details> <b>bold</b> &lt;";
const PATH = "src/<weird>@acme`x`.test.ts";
const SKIP = 'it.skip("@acme/team </details> `x` <img src=x>", () => {});';

async function hostileVerdict(): Promise<Verdict> {
  const facts = prScope({
    title: TITLE,
    body: "## Summary\n\n@acme/platform <img src=x> see <issue>\n",
    author: { login: "copilot-swe-agent[bot]", type: "Bot" },
    head: { ref: BRANCH, sha: "h".repeat(40) },
    commits: [commit(`${SUBJECT}\n\n${"<img src=x> @acme/platform ".repeat(5)}`, { sha: "1".repeat(40) })],
    files: [{ path: PATH, status: "added", patch: `@@ -0,0 +1 @@\n+${SKIP}`, binary: false }],
  });
  return evaluate(await defaultBundle(), facts);
}

describe("a pull request with hostile text", () => {
  it("gives findings that carry the hostile text", async () => {
    const verdict = await hostileVerdict();
    expect(verdict.findings.map((f) => f.standard)).toEqual(
      expect.arrayContaining(["branch-name", "conventional-commits", "no-hidden-test-skips", "pr-title"]),
    );
    const all = JSON.stringify(verdict.findings);
    for (const part of [
      "@acme/platform <img src=x onerror=alert(1)>",
      "wip/<new-name>",
      "<b>bold</b>",
      "<weird>",
    ]) {
      expect(all).toContain(part);
    }
  });

  it("renders the check run's summary with every finding's text and nothing live", async () => {
    const bundle = await defaultBundle();
    const verdict = await hostileVerdict();
    const rendered = inspectMarkdown(renderMarkdown(verdict, { agentAuthor: true, bundle }));
    expectInert(rendered);
    for (const f of verdict.findings) expectShown(rendered, [f.message, f.expected, f.found, f.remediation]);
    // The JSON block is one block, whole: no value broke out of its fence.
    const json = rendered.codeBlocks.filter((block) => block.startsWith("{"));
    expect(json.map((block) => JSON.parse(block))).toEqual([JSON.parse(renderJson(verdict))]);
  });

  it("renders the RTFM issue with every finding's text, pinging only the owners it names", async () => {
    const bundle = await defaultBundle();
    const verdict = await hostileVerdict();
    const [incident] = incidentsFromVerdict(bundle, verdict, {
      repository: "acme/api",
      kind: "event",
      key: "push:1",
      event: "push",
      time: NOW,
      actor: { login: "copilot-swe-agent[bot]", type: "Bot" },
      sha: "1".repeat(40),
    });
    if (!incident) throw new Error("no incident");
    const rendered = inspectMarkdown(renderRtfmBody({ ...incident, owners: ["@acme/platform", "@x<img>"] }));
    expectInert(rendered, ["@acme/platform"]);
    for (const f of incident.findings) expectShown(rendered, [f.message, f.expected, f.found]);
    expectShown(rendered, [
      incident.standard.title,
      incident.standard.remediation,
      "@copilot-swe-agent[bot]",
    ]);
  });

  it("renders the dashboard's own user text inert too", async () => {
    const bundle = await defaultBundle();
    const body = renderDashboard({
      bundle: { ...bundle, standards: bundle.standards.filter((s) => s.id === "codeowners") },
      bundleProblem: `standards/rulebook.yml:3:1 settings.mode: expected "observe" or "enforce", got ${TITLE}`,
      results: [],
      openIssues: [],
      remembered: {
        standards: ["codeowners"],
        repositories: {
          "acme/api": {
            s: "W",
            w: [
              {
                standard: "codeowners",
                repository: "acme/api",
                owner: "@acme/platform",
                reason: HOSTILE.join(" | "),
                expires: "2027-01-31",
                status: "active",
              },
            ],
          },
          "acme/web": { s: "E", e: `HTTP 502: ${SUBJECT}` },
        },
      },
      rulesetChanges: [
        {
          repository: "acme/api",
          ruleset: TITLE,
          action: "edited",
          actor: "eve",
          time: NOW,
          change: SUBJECT,
        },
      ],
      audience: FULL_VIEW,
      time: NOW,
    });
    const rendered = inspectMarkdown(body);
    expectInert(rendered);
    expectShown(rendered, [...HOSTILE, TITLE, SUBJECT, "@eve"]);
  });
});
