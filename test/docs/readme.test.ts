/**
 * The README is the first thing an admin follows: its bundle example must load, and its configuration table
 * (like .env.example) must name every variable the code, Probot and compose.yaml read.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { formatDiagnostic, sortDiagnostics } from "../../src/bundle/diagnostics.js";
import { loadBundleDir } from "../../src/bundle/load.js";
import { NOW } from "../support/facts.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The fenced block whose first line names the file it is, such as `# .github repository: standards/rulebook.yml`. */
function bundleExample(): string {
  const match = /^```yaml\n(# \.github repository: standards\/rulebook\.yml\n[\s\S]*?)^```$/m.exec(README);
  if (!match?.[1]) throw new Error("README.md has no ```yaml block for standards/rulebook.yml");
  return match[1];
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function load(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "rulebook-readme-"));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const result = await loadBundleDir(dir, { now: NOW });
  return result.ok
    ? []
    : sortDiagnostics(result.errors).map((e) => formatDiagnostic(e).replace(`${dir}/`, ""));
}

describe("README's bundle example", () => {
  it("loads with the real bundle loader once the folder holds the pages and templates it names", async () => {
    const yml = bundleExample();
    // The README says a bundle folder holds a docs/ page per standard and its canonical files: the example
    // needs exactly these two, and nothing else is wrong with it.
    expect((await load({ "rulebook.yml": yml })).map((line) => line.replace(/:\d+:\d+ /, " "))).toEqual([
      'rulebook.yml standards.eslint-config.docs: manual page "docs/eslint-config.md" is missing from the bundle; add it, or point docs at the standard\'s page',
      'rulebook.yml standards.eslint-config.options.canonical: bundle file "templates/eslint.config.js" is missing; add it to the bundle or correct the path',
    ]);
    expect(
      await load({
        "rulebook.yml": yml,
        "docs/eslint-config.md": "# Services share one ESLint config\n",
        "templates/eslint.config.js": "export default [];\n",
      }),
    ).toEqual([]);
  });
});

/** Source files under `dir`, recursively, without tests. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Variables the code reads: `env.NAME`, `env?.NAME`, `env["NAME"]` and readConfig's `number(env, "NAME", ...)`. */
function variablesReadBy(files: string[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(
      /\benv\??\.([A-Z][A-Z0-9_]+)|\benv\[\s*"([A-Z][A-Z0-9_]+)"\s*\]|\benv, "([A-Z][A-Z0-9_]+)"/g,
    )) {
      names.add((m[1] ?? m[2] ?? m[3]) as string);
    }
  }
  return [...names].sort();
}

/**
 * What Probot 14 reads when the app runs (`run`, its server, logger and setup flow); GITHUB_EVENT_* and its
 * GITHUB_TOKEN serve only its GitHub Actions adapter, which Rulebook does not use.
 */
const PROBOT_VARIABLES = [
  "APP_ID",
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "WEBHOOK_PATH",
  "WEBHOOK_PROXY_URL",
  "PORT",
  "HOST",
  "LOG_LEVEL",
  "LOG_FORMAT",
  "LOG_LEVEL_IN_STRING",
  "LOG_MESSAGE_KEY",
  "SENTRY_DSN",
  "NODE_ENV",
  "REDIS_URL",
  "GHE_HOST",
  "GHE_PROTOCOL",
  "GH_ORG",
  "PROJECT_DOMAIN",
  "NO_SMEE_SETUP",
];

/** Variables compose.yaml takes from .env for itself (`${NAME...}`), such as its Redis's password. */
function composeVariables(): string[] {
  const text = readFileSync(join(ROOT, "compose.yaml"), "utf8");
  return [...new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]+)/g)].map((m) => m[1] as string))];
}

/** The variables in the README's configuration table: the first cell of each row under its header. */
function readmeTable(): string[] {
  const section = README.slice(README.indexOf("### Configuration"));
  const table = section.slice(
    section.indexOf("| Variable |"),
    section.indexOf("\n\n", section.indexOf("| Variable |")),
  );
  return table
    .split("\n")
    .slice(2)
    .map((row) => /^\| `([A-Z][A-Z0-9_]+)` \|/.exec(row)?.[1] ?? `unparsed row: ${row}`);
}

/** The variables .env.example sets or shows commented out. */
function envExample(): string[] {
  const text = readFileSync(join(ROOT, ".env.example"), "utf8");
  return [...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] as string);
}

describe("configuration docs", () => {
  const code = variablesReadBy(sources(join(ROOT, "src")));

  it("finds what the code reads", () => {
    // Rulebook's own settings and the CLI's token are read through `env`; if this list shrinks, the
    // pattern above stopped matching how the code reads variables.
    expect(code).toEqual(
      expect.arrayContaining([
        "GITHUB_API_URL",
        "GITHUB_TOKEN",
        "RULEBOOK_BUNDLE_PATH",
        "RULEBOOK_BUNDLE_REPO",
        "RULEBOOK_BUNDLE_TTL_SECONDS",
        "RULEBOOK_ESCALATION_TEAM",
        "RULEBOOK_SWEEP_CONCURRENCY",
        "RULEBOOK_SWEEP_INTERVAL_HOURS",
      ]),
    );
  });

  it("the README's table and .env.example each list every variable, once", () => {
    const every = [...new Set([...PROBOT_VARIABLES, ...code, ...composeVariables()])].sort();
    const table = readmeTable();
    expect([...table].sort()).toEqual(every);
    expect(new Set(table).size).toBe(table.length);
    const example = envExample();
    expect([...example].sort()).toEqual(every);
    expect(new Set(example).size).toBe(example.length);
  });
});
