/** The texts Rulebook ships: the default bundle's standards and the prose literals of the rules' sources. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultBundleDir, loadBundleDir } from "../../src/bundle/load.js";
import type { Bundle } from "../../src/bundle/types.js";

const RULES_DIR = fileURLToPath(new URL("../../src/rules/", import.meta.url));

/** Every prose literal in the rules' sources, placeholders read as X: messages and fixes alike. */
export function ruleTexts(): Array<[string, string]> {
  return readdirSync(RULES_DIR)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .flatMap((file) => {
      const source = readFileSync(join(RULES_DIR, file), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/^\s*\/\/.*$/gm, "");
      const literals = source.match(/`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g) ?? [];
      return literals
        .map((literal) =>
          literal
            .slice(1, -1)
            .replace(/\$\{[^}]*\}/g, "X")
            // The string the literal stands for: escapes undone.
            .replace(/\\n/g, "\n")
            .replace(/\\(.)/g, "$1"),
        )
        .filter((text) => text.length > 40 && text.includes(" "))
        .map((text): [string, string] => [`src/rules/${file}`, text]);
    });
}

/** The shipped default bundle; it must load. */
export async function defaultBundle(): Promise<Bundle> {
  const result = await loadBundleDir(defaultBundleDir(), { now: "2026-11-23T12:00:00Z" });
  if (!result.ok) throw new Error("the default bundle does not load");
  return result.bundle;
}
