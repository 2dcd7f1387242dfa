/**
 * Standards for every rule of the real registry, configured with the options the default bundle gives
 * them (read from standards/rulebook.yml without the loader, so these tests do not depend on it), and a
 * standard with default options for any rule the default bundle does not use.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { Standard } from "../../src/bundle/types.js";
import { rules } from "../../src/rules/registry.js";
import { standard } from "./fixtures.js";

const STANDARDS_DIR = fileURLToPath(new URL("../../standards/", import.meta.url));

interface StandardYaml {
  rule?: unknown;
  options?: unknown;
}

function defaultBundleStandards(): Record<string, StandardYaml> {
  try {
    const document = parse(readFileSync(join(STANDARDS_DIR, "rulebook.yml"), "utf8")) as {
      standards?: Record<string, StandardYaml>;
    };
    return document.standards ?? {};
  } catch {
    return {};
  }
}

export function realRuleStandards(): Standard[] {
  const configured = Object.entries(defaultBundleStandards()).flatMap(([id, entry]) =>
    typeof entry.rule === "string" && rules.has(entry.rule)
      ? [standard(id, entry.rule, { options: entry.options ?? {} })]
      : [],
  );
  const used = new Set(configured.map((s) => s.rule));
  const unconfigured = [...rules.keys()]
    .filter((id) => !used.has(id))
    .map((id) => standard(`rule-${id}`, id));
  return [...configured, ...unconfigured];
}

/** The default bundle's files (templates and docs) by bundle-relative path, for rules that compare with them. */
export function defaultBundleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[relative(STANDARDS_DIR, full).split("\\").join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(STANDARDS_DIR);
  return files;
}
