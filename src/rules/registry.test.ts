/**
 * Every registered rule has what the style asks of it: its docs page and its test table beside it, and
 * docs whose example configurations its options schema accepts.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { rules } from "./registry.js";

const here = new URL(".", import.meta.url);

/** The fenced yaml blocks of a markdown page. */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? "");
}

/** The standards a docs example configures: `standards: { id: { rule, options } }`. */
function examples(block: string): Array<{ id: string; rule: unknown; options: unknown }> {
  const document = parse(block) as { standards?: Record<string, { rule?: unknown; options?: unknown }> };
  return Object.entries(document?.standards ?? {}).map(([id, standard]) => ({
    id,
    rule: standard?.rule,
    options: standard?.options,
  }));
}

describe.each([...rules.keys()])("rule %s", (id) => {
  const rule = rules.get(id);
  const docs = new URL(`${id}.md`, here);

  it("has its docs page and its test table beside it", () => {
    expect(existsSync(docs)).toBe(true);
    expect(existsSync(new URL(`${id}.test.ts`, here))).toBe(true);
  });

  it("documents at least one example whose options its schema accepts", () => {
    const configured = yamlBlocks(readFileSync(docs, "utf8")).flatMap(examples);
    const own = configured.filter((example) => example.rule === id);
    expect(own.length).toBeGreaterThan(0);
    for (const example of configured) {
      const schema = rules.get(String(example.rule))?.options;
      expect({ standard: example.id, known: schema !== undefined }).toEqual({
        standard: example.id,
        known: true,
      });
      const parsed = schema?.safeParse(example.options ?? {});
      expect({ standard: example.id, issues: parsed?.success ? [] : parsed?.error.issues }).toEqual({
        standard: example.id,
        issues: [],
      });
    }
    expect(rule?.id).toBe(id);
  });
});

describe("yamlBlocks", () => {
  it("finds every fenced yaml block and nothing else", () => {
    expect(yamlBlocks("a\n```yaml\nx: 1\n```\n```json\n{}\n```\n```yml\ny: 2\n```\n")).toEqual([
      "x: 1\n",
      "y: 2\n",
    ]);
  });
});
