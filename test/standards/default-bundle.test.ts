/**
 * The default bundle shipped in `standards/`, loaded with the real loader and the real rules: it must load
 * cleanly, every standard must have a manual page an agent can act on, and the canonical templates must be
 * what the standards that name them require.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { parse as parseYaml } from "yaml";
import { defaultBundleDir, formatDiagnostics, loadBundleDir } from "../../src/bundle/load.js";
import { WaiverSchema } from "../../src/bundle/schema.js";
import type { Bundle, Standard } from "../../src/bundle/types.js";
import { createAgentDetector } from "../../src/engine/agents.js";
import { evaluate } from "../../src/engine/evaluate.js";
import type { Verdict } from "../../src/engine/verdict.js";
import type { Facts } from "../../src/facts/schema.js";
import { toRulesetFact } from "../../src/gather/rulesets.js";
import { rules } from "../../src/rules/registry.js";
import { markdownHeadings } from "../../src/rules/support/markdown-headings.js";
import { matchesGlobs } from "../../src/util/pattern.js";
import { EXCLUSION_EVASIONS } from "../evasion/exclusion-evasion-corpus.js";
import { commit, NOW, prScope, repoScope } from "../support/facts.js";

/** Every standard of the default bundle: its rule and severity. */
const STANDARDS: Record<string, { rule: string; severity: string }> = {
  "conventional-commits": { rule: "commit-message", severity: "error" },
  "pr-title": { rule: "pr-title", severity: "error" },
  "pr-body": { rule: "pr-body", severity: "error" },
  "branch-name": { rule: "branch-name", severity: "warning" },
  "pr-template": { rule: "required-file", severity: "error" },
  "issue-templates": { rule: "required-file", severity: "error" },
  codeowners: { rule: "required-file", severity: "error" },
  license: { rule: "required-file", severity: "error" },
  "security-policy": { rule: "required-file", severity: "error" },
  "no-hidden-test-skips": { rule: "test-skip", severity: "error" },
  "no-excluded-tests": { rule: "test-exclusion", severity: "error" },
  "no-deleted-tests": { rule: "deleted-tests", severity: "error" },
  "validation-complete": { rule: "required-checks", severity: "error" },
  "tests-can-fail": { rule: "ci-steps-can-fail", severity: "error" },
  "guarded-paths": { rule: "guarded-paths", severity: "error" },
  "branch-protection": { rule: "ruleset", severity: "error" },
  "release-tag-protection": { rule: "ruleset", severity: "error" },
  "no-direct-push": { rule: "direct-push", severity: "error" },
  "no-self-merge": { rule: "self-merge", severity: "error" },
  "no-bypass": { rule: "bypassed-check", severity: "error" },
};

/** The sections of every manual page, in this order. */
const MANUAL_SECTIONS = [
  "What this standard requires",
  "Why it exists",
  "How to fix it",
  "What not to do",
  "How to ask for an exception",
];

const PR_TEMPLATE = "templates/pull_request_template.md";
const PR_SECTIONS = ["Summary", "Linked issue", "Validation", "Risks and rollback"];

const ISSUE_FORMS = ["bug_report.yml", "feature_request.yml", "config.yml"];

let bundle: Bundle;

beforeAll(async () => {
  const result = await loadBundleDir(defaultBundleDir(), { now: NOW, registry: rules });
  if (!result.ok) throw new Error(`the default bundle does not load:\n${formatDiagnostics(result.errors)}`);
  bundle = result.bundle;
});

function standard(id: string): Standard {
  const found = bundle.standards.find((s) => s.id === id);
  if (!found) throw new Error(`the default bundle has no standard ${id}`);
  return found;
}

function file(path: string): string {
  const content = bundle.files[path];
  if (content === undefined) throw new Error(`the default bundle has no file ${path}`);
  return content;
}

/** The text under a `##` heading of a markdown text, up to the next `##` heading. */
function section(markdown: string, title: string): string {
  const lines = markdown.split("\n");
  const headings = markdownHeadings(markdown).filter((h) => h.level === 2);
  const index = headings.findIndex((h) => h.text === title);
  const start = headings[index];
  if (!start) throw new Error(`no section "## ${title}"`);
  const next = headings[index + 1];
  return lines.slice(start.line, next ? next.line - 1 : undefined).join("\n");
}

/** The pull request description the pr-body manual gives as its example. */
function filledBody(): string {
  const [example] = fencedBlocks(section(file("docs/pr-body.md"), "How to fix it"), "markdown");
  if (example === undefined) throw new Error("docs/pr-body.md shows no example description");
  return example;
}

/** The contents of the fenced code blocks of one info string (`yaml`, `markdown`) in a markdown text. */
function fencedBlocks(markdown: string, info: string): string[] {
  const blocks: string[] = [];
  const pattern = new RegExp(`^\`\`\`${info}\\n([\\s\\S]*?)^\`\`\`$`, "gm");
  for (const match of markdown.matchAll(pattern)) blocks.push(match[1] ?? "");
  return blocks;
}

async function verdictFor(facts: Facts): Promise<Verdict> {
  return evaluate(bundle, facts, rules);
}

function statusOf(verdict: Verdict, id: string): string | undefined {
  return verdict.standards.find((s) => s.standard === id)?.status;
}

function messagesOf(verdict: Verdict, id: string): string[] {
  return verdict.findings.filter((f) => f.standard === id).map((f) => f.message);
}

describe("the default bundle", () => {
  it("loads with the real loader and rules without errors or warnings", async () => {
    const result = await loadBundleDir(defaultBundleDir(), { now: NOW, registry: rules });
    expect(result.ok ? "" : formatDiagnostics(result.errors)).toBe("");
    expect(formatDiagnostics(result.warnings)).toBe("");
    expect(result.ok && { source: result.bundle.source, version: result.bundle.version }).toEqual({
      source: "default",
      version: "2026.11.0",
    });
  });

  it("declares every default standard with its rule and severity", () => {
    const declared = Object.fromEntries(
      bundle.standards.map((s) => [s.id, { rule: s.rule, severity: s.severity }]),
    );
    expect(declared).toEqual(STANDARDS);
  });

  it("gives every standard a title, a rationale and a remediation of its own", () => {
    const texts = bundle.standards.flatMap((s) => [s.title, s.rationale, s.remediation]);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it("has no waivers: exceptions belong in an organization's own bundle", () => {
    expect(bundle.waivers).toEqual([]);
  });

  it("applies license and security-policy to public repositories only", () => {
    expect(bundle.profiles.public?.visibility).toEqual(["public"]);
    const profiles = Object.fromEntries(bundle.standards.map((s) => [s.id, s.profiles]));
    const { license, "security-policy": securityPolicy, ...rest } = profiles;
    expect({ license, securityPolicy }).toEqual({ license: ["public"], securityPolicy: ["public"] });
    expect(new Set(Object.values(rest).flat())).toEqual(new Set(["all"]));
  });
});

describe("manual pages", () => {
  it.each(Object.keys(STANDARDS))("docs/%s.md has the title and the five sections", (id) => {
    const s = standard(id);
    expect(s.docs).toBe(`docs/${id}.md`);
    const headings = markdownHeadings(file(s.docs));
    expect(headings.filter((h) => h.level === 1).map((h) => h.text)).toEqual([s.title]);
    expect(headings[0]).toMatchObject({ level: 1, line: 1 });
    expect(headings.filter((h) => h.level === 2).map((h) => h.text)).toEqual(MANUAL_SECTIONS);
  });

  it.each(Object.keys(STANDARDS))("docs/%s.md shows a valid waiver for a standard of the bundle", (id) => {
    const blocks = fencedBlocks(section(file(`docs/${id}.md`), "How to ask for an exception"), "yaml");
    expect(blocks).toHaveLength(1);
    const { waivers } = parseYaml(blocks[0] ?? "") as { waivers: unknown[] };
    expect(waivers).toHaveLength(1);
    const waiver = WaiverSchema.parse(waivers[0]);
    expect(Object.keys(STANDARDS)).toContain(waiver.standard);
  });

  it.each(Object.keys(STANDARDS))(
    "docs/%s.md tells agents to stop rather than write their own waiver",
    (id) => {
      const exception = section(file(`docs/${id}.md`), "How to ask for an exception").replace(/\s+/g, " ");
      expect(exception).toContain("Exceptions are never made in the product repository");
      expect(exception).toContain("If you are an AI agent, do not write the waiver yourself: stop");
    },
  );

  it("guarded-paths lists exactly the paths the standard guards", () => {
    const requires = section(file("docs/guarded-paths.md"), "What this standard requires");
    const table = requires.split("\n").filter((line) => line.startsWith("| ") && line.includes("`"));
    const listed = table.flatMap((line) =>
      [...(line.split("|")[2] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]),
    );
    expect(listed).toEqual((standard("guarded-paths").options as { paths: string[] }).paths);
  });

  it("guarded-paths covers every kind of file that can take tests out of the run", () => {
    const { paths } = standard("guarded-paths").options as { paths: string[] };
    const kinds = [...new Set(EXCLUSION_EVASIONS.map((c) => c.path))];
    expect(kinds.length).toBeGreaterThan(20);
    expect(kinds.filter((path) => !matchesGlobs(path, paths))).toEqual([]);
  });

  it("branch-name shows the pattern and every allowed tool branch of the standard", () => {
    const requires = section(file("docs/branch-name.md"), "What this standard requires");
    const { patterns, allow } = standard("branch-name").options as { patterns: string[]; allow: string[] };
    const quoted = [...requires.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(patterns.filter((p) => !quoted.includes(p))).toEqual([]);
    expect(allow.filter((glob) => !quoted.includes(glob))).toEqual([]);
  });

  it("link only to pages of the bundle", () => {
    const broken: string[] = [];
    for (const path of [...bundle.standards.map((s) => s.docs), "README.md"]) {
      const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
      for (const match of file(path).matchAll(/\]\(([^)#]+\.md)\)/g)) {
        const target = `${dir}${match[1]}`;
        if (bundle.files[target] === undefined) broken.push(`${path} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("are all listed in the README", () => {
    const readme = file("README.md");
    const missing = bundle.standards.filter((s) => !readme.includes(`[${s.id}](${s.docs})`)).map((s) => s.id);
    expect(missing).toEqual([]);
  });
});

describe("the pull request template", () => {
  it("is the file both pr-body and pr-template name", () => {
    expect(standard("pr-body").options).toMatchObject({ template: PR_TEMPLATE, requireIssueLink: true });
    expect(standard("pr-template").options).toMatchObject({ canonical: PR_TEMPLATE, match: "sections" });
  });

  it("has exactly the sections an agent must fill, and nothing but guidance under them", () => {
    const headings = markdownHeadings(file(PR_TEMPLATE));
    expect(headings.map((h) => `${"#".repeat(h.level)} ${h.text}`)).toEqual(
      PR_SECTIONS.map((s) => `## ${s}`),
    );
    const text = file(PR_TEMPLATE)
      .replace(/<!--[\s\S]*?-->/g, "")
      .split("\n")
      .filter((line) => line.trim() !== "");
    expect(text).toEqual(PR_SECTIONS.map((s) => `## ${s}`));
  });

  it("left unfilled fails pr-body once for each of its sections and once for the missing issue link", async () => {
    const verdict = await verdictFor(prScope({ body: file(PR_TEMPLATE) }));
    const messages = messagesOf(verdict, "pr-body");
    expect(messages).toHaveLength(PR_SECTIONS.length + 1);
    for (const s of PR_SECTIONS) expect(messages.filter((m) => m.includes(`"## ${s}"`))).toHaveLength(1);
  });

  it("filled as the pr-body manual shows passes pr-body", async () => {
    expect(statusOf(await verdictFor(prScope({ body: filledBody() })), "pr-body")).toBe("pass");
  });

  it.each(PR_SECTIONS)("filled but for ## %s fails pr-body on that section alone", async (emptied) => {
    const body = PR_SECTIONS.map(
      (s) => `## ${s}\n\n${s === emptied ? "" : section(filledBody(), s).trim()}`,
    ).join("\n\n");
    const messages = messagesOf(await verdictFor(prScope({ body })), "pr-body");
    // Emptying the linked issue also removes the issue link the standard asks for.
    expect(messages).toHaveLength(emptied === "Linked issue" ? 2 : 1);
    expect(messages.filter((m) => m.includes(`"## ${emptied}"`))).toHaveLength(1);
  });

  it("copied into a repository satisfies pr-template", async () => {
    const verdict = await verdictFor(
      repoScope({ files: { ".github/pull_request_template.md": file(PR_TEMPLATE) } }),
    );
    expect(statusOf(verdict, "pr-template")).toBe("pass");
  });
});

describe("the canonical repository files", () => {
  const copies = Object.fromEntries(
    ISSUE_FORMS.map((form) => [`.github/ISSUE_TEMPLATE/${form}`, `templates/ISSUE_TEMPLATE/${form}`]),
  );

  it("issue forms have GitHub's top-level keys, unique field ids and required fields", () => {
    for (const form of ["bug_report.yml", "feature_request.yml"]) {
      const parsed = parseYaml(file(`templates/ISSUE_TEMPLATE/${form}`)) as {
        name: string;
        description: string;
        body: Array<{ type: string; id?: string; validations?: { required: boolean } }>;
      };
      expect(Object.keys(parsed).sort()).toEqual(["body", "description", "labels", "name", "title"]);
      const fields = parsed.body.filter((field) => field.type !== "markdown");
      const ids = fields.map((field) => field.id);
      expect(new Set(ids).size).toBe(fields.length);
      expect(fields.every((field) => field.validations?.required !== undefined)).toBe(true);
    }
    expect(parseYaml(file("templates/ISSUE_TEMPLATE/config.yml"))).toMatchObject({
      blank_issues_enabled: false,
    });
  });

  it("issue forms copied unchanged satisfy issue-templates, and a missing one fails it", async () => {
    const all = Object.fromEntries(
      Object.entries(copies).map(([path, canonical]) => [path, file(canonical)]),
    );
    expect(statusOf(await verdictFor(repoScope({ files: all })), "issue-templates")).toBe("pass");
    const withoutConfig = { ...all, ".github/ISSUE_TEMPLATE/config.yml": null };
    const verdict = await verdictFor(repoScope({ files: withoutConfig }));
    expect(messagesOf(verdict, "issue-templates")).toEqual([
      "`.github/ISSUE_TEMPLATE/config.yml` is missing",
    ]);
  });

  it("SECURITY.md copied into a public repository satisfies security-policy; private ones are not judged", async () => {
    const files = { ".github/SECURITY.md": file("templates/SECURITY.md") };
    expect(statusOf(await verdictFor(repoScope({ files, visibility: "public" })), "security-policy")).toBe(
      "pass",
    );
    expect(statusOf(await verdictFor(repoScope({ files, visibility: "private" })), "security-policy")).toBe(
      "not-applicable",
    );
  });

  it("codeowners accepts a catch-all owner line and rejects a file without one", async () => {
    const withCatchAll = {
      ".github/CODEOWNERS": "# owners\n*       @acme/payments\n/infra/ @acme/platform\n",
    };
    expect(statusOf(await verdictFor(repoScope({ files: withCatchAll })), "codeowners")).toBe("pass");
    const withoutCatchAll = { ".github/CODEOWNERS": "/infra/ @acme/platform\n" };
    expect(statusOf(await verdictFor(repoScope({ files: withoutCatchAll })), "codeowners")).toBe("fail");
  });
});

describe("agents and exemptions", () => {
  const human = { login: "alice", type: "User" as const };

  it.each([
    ["Claude Code", "Claude <noreply@anthropic.com>"],
    ["the Copilot coding agent", "Copilot <175728472+Copilot@users.noreply.github.com>"],
    ["Cursor", "Cursor Agent <cursoragent@cursor.com>"],
    ["Devin", "devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>"],
    ["Jules", "google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>"],
  ])("a commit co-authored by %s is an agent's", (_agent, trailer) => {
    const [, name = "", email = ""] = /^(.*) <(.*)>$/.exec(trailer) ?? [];
    const agents = createAgentDetector(bundle.settings.agents);
    expect(agents.wroteChange(human, [commit("feat: x", { coAuthors: [{ name, email }] })])).toBe(true);
  });

  it.each([
    ["a person named Claude", "Claude Monet <claude@example.com>"],
    ["a person named Copilot", "Copilot Fan <copilot@example.com>"],
  ])("a commit co-authored by %s is not an agent's", (_who, trailer) => {
    const [, name = "", email = ""] = /^(.*) <(.*)>$/.exec(trailer) ?? [];
    const agents = createAgentDetector(bundle.settings.agents);
    expect(agents.wroteChange(human, [commit("feat: x", { coAuthors: [{ name, email }] })])).toBe(false);
  });

  it("treats the Copilot account as an agent", () => {
    expect(createAgentDetector(bundle.settings.agents).isAgent({ login: "Copilot", type: "User" })).toBe(
      true,
    );
  });

  it("exempts dependabot[bot] from pr-title but not a look-alike login", async () => {
    const title = "Bump lodash from 4.17.20 to 4.17.21";
    const bot = await verdictFor(prScope({ title, author: { login: "dependabot[bot]", type: "Bot" } }));
    expect(statusOf(bot, "pr-title")).toBe("exempt");
    const lookalike = await verdictFor(prScope({ title, author: { login: "dependabotb", type: "User" } }));
    expect(statusOf(lookalike, "pr-title")).toBe("fail");
  });
});

describe("branch names", () => {
  it.each([
    ["feat/cursor-pagination", "pass"],
    ["fix/1234-null-total", "pass"],
    ["docs/api/pagination", "pass"],
    ["copilot/fix-1234", "pass"],
    ["dependabot/npm_and_yarn/lodash-4.17.21", "pass"],
    ["release-please--branches--main", "pass"],
    ["patch-1", "fail"],
    ["Feature/Login", "fail"],
  ])("%s: %s", async (ref, status) => {
    const verdict = await verdictFor(prScope({ head: { ref, sha: "h".repeat(40) } }));
    expect(statusOf(verdict, "branch-name")).toBe(status);
    expect(verdict.findings.filter((f) => f.standard === "branch-name").map((f) => f.severity)).toEqual(
      status === "fail" ? ["warning"] : [],
    );
  });
});

describe("rulesets", () => {
  const app = { id: 4242, slug: "rulebook" };

  /** The organization ruleset a manual page tells administrators to create, as GitHub returns it. */
  function rulesetFromManual(id: string, bypass: unknown[] = []) {
    const [json] = fencedBlocks(file(`docs/${id}.md`), "sh")
      .map((block) => /<<'?JSON'?\n([\s\S]*?)\nJSON$/m.exec(block)?.[1])
      .filter((body) => body !== undefined);
    if (json === undefined) throw new Error(`docs/${id}.md shows no ruleset body`);
    const body = JSON.parse(json.replaceAll("$APP_ID", String(app.id)));
    return toRulesetFact({
      ...body,
      id: 1,
      source: "acme",
      source_type: "Organization",
      bypass_actors: bypass,
    });
  }

  it.each(["branch-protection", "release-tag-protection"])(
    "the ruleset in docs/%s.md satisfies it",
    async (id) => {
      const verdict = await verdictFor(repoScope({ rulesets: [rulesetFromManual(id)] }, { app }));
      expect(statusOf(verdict, id)).toBe("pass");
    },
  );

  it.each(["branch-protection", "release-tag-protection"])("%s allows no bypass actor", async (id) => {
    const admins = { actor_id: null, actor_type: "OrganizationAdmin", bypass_mode: "always" };
    const verdict = await verdictFor(repoScope({ rulesets: [rulesetFromManual(id, [admins])] }, { app }));
    expect(statusOf(verdict, id)).toBe("fail");
  });

  it("branch-protection requires the rulebook check pinned to this app", async () => {
    const ruleset = rulesetFromManual("branch-protection");
    const unpinned = {
      ...ruleset,
      rules: ruleset.rules.map((rule) =>
        rule.type === "required_status_checks"
          ? { ...rule, parameters: { required_status_checks: [{ context: "rulebook" }] } }
          : rule,
      ),
    };
    const verdict = await verdictFor(repoScope({ rulesets: [unpinned] }, { app }));
    expect(statusOf(verdict, "branch-protection")).toBe("fail");
  });
});
