/** readBundleDir: a bundle directory read within limits, the same files on every machine. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { formatDiagnostics } from "../../src/bundle/diagnostics.js";
import { BUNDLE_LIMITS } from "../../src/bundle/limits.js";
import { defaultBundleDir, loadBundleDir, readBundleDir } from "../../src/bundle/load.js";
import { docsLink } from "../../src/engine/evaluate.js";
import { RULEBOOK_REPOSITORY, RULEBOOK_VERSION } from "../../src/util/version.js";
import { NOW } from "../support/facts.js";

describe("readBundleDir", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rulebook-read-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(file: string, content: string | Buffer): Promise<void> {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }

  it("reads every file by its relative path, skipping node_modules, .git and symbolic links", async () => {
    await write("rulebook.yml", "standards: {}\n");
    await write("docs/pr-title.md", "# PR titles\n");
    await write("templates/ISSUE_TEMPLATE/bug.yml", "name: Bug\n");
    await write("node_modules/pkg/index.js", "module.exports = 1;\n");
    await write(".git/HEAD", "ref: refs/heads/main\n");
    await write("docs/node_modules/x.md", "skipped too\n");
    await symlink("/etc/hostname", path.join(dir, "docs/linked.md"));
    expect(await readBundleDir(dir)).toEqual({
      ok: true,
      files: {
        "rulebook.yml": "standards: {}\n",
        "docs/pr-title.md": "# PR titles\n",
        "templates/ISSUE_TEMPLATE/bug.yml": "name: Bug\n",
      },
    });
  });

  it("names a file over the size limit without reading it", async () => {
    await write("rulebook.yml", "standards: {}\n");
    await write("docs/huge.md", Buffer.alloc(BUNDLE_LIMITS.maxFileBytes + 1, 0x61));
    const result = await readBundleDir(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatDiagnostics(result.errors)).toBe(
      `${dir}/docs/huge.md:1:1 file is ${BUNDLE_LIMITS.maxFileBytes + 1} bytes; a bundle file may be at most ${BUNDLE_LIMITS.maxFileBytes} bytes`,
    );
  });

  it("names the file and line of the first byte that is not UTF-8, instead of replacing it", async () => {
    await write("rulebook.yml", "standards: {}\n");
    await write(
      "docs/cafe.md",
      Buffer.concat([Buffer.from("# Caf\u00e9\n\nCaf"), Buffer.from([0xe9, 0x0a])]),
    );
    const result = await readBundleDir(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatDiagnostics(result.errors)).toBe(
      `${dir}/docs/cafe.md:3:4 byte 13 is not valid UTF-8; save the file as UTF-8`,
    );
  });

  it("names the file that takes the bundle over the total size", async () => {
    const chunk = Buffer.alloc(BUNDLE_LIMITS.maxFileBytes, 0x61);
    for (let i = 0; i < 11; i++) await write(`templates/t${String(i).padStart(2, "0")}.md`, chunk);
    const result = await readBundleDir(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatDiagnostics(result.errors)).toBe(
      `${dir}/templates/t10.md:1:1 with this file the bundle reaches ${11 * BUNDLE_LIMITS.maxFileBytes} bytes; a bundle may total at most ${BUNDLE_LIMITS.maxTotalBytes} bytes`,
    );
  });

  it("names the first file over the file count", async () => {
    await mkdir(path.join(dir, "docs"));
    const names = Array.from(
      { length: BUNDLE_LIMITS.maxFiles + 1 },
      (_, i) => `p${String(i).padStart(3, "0")}.md`,
    );
    await Promise.all(names.map((name) => writeFile(path.join(dir, "docs", name), "")));
    const result = await readBundleDir(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatDiagnostics(result.errors)).toBe(
      `${dir}/docs/p500.md:1:1 the bundle has more than ${BUNDLE_LIMITS.maxFiles} files; this file is over the limit (move large or unrelated files out of the bundle)`,
    );
  });

  it("says when the directory is missing or is a file", async () => {
    await write("rulebook.yml", "");
    expect(await readBundleDir(path.join(dir, "missing"))).toEqual({
      ok: false,
      errors: [
        {
          file: `${dir}/missing`,
          line: 1,
          column: 1,
          key: "",
          message: "bundle directory not found",
          severity: "error",
        },
      ],
    });
    const result = await readBundleDir(path.join(dir, "rulebook.yml"));
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      "not a directory; a bundle is a directory with a rulebook.yml",
    ]);
  });
});

describe("where a loaded bundle's pages are read", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rulebook-links-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("links the shipped bundle's pages to this Rulebook version's tag, and leaves a local bundle's own pages as paths", async () => {
    expect(RULEBOOK_REPOSITORY).toBe("https://github.com/rulebook-app/rulebook");
    const tagged = `${RULEBOOK_REPOSITORY}/blob/v${RULEBOOK_VERSION}/standards/`;
    const shipped = await loadBundleDir(defaultBundleDir(), { now: NOW });
    if (!shipped.ok) throw new Error("the shipped bundle is invalid");
    expect(docsLink(shipped.bundle, "docs/pr-title.md")).toBe(`${tagged}docs/pr-title.md`);

    await mkdir(path.join(dir, "docs"));
    await writeFile(
      path.join(dir, "rulebook.yml"),
      [
        "extends: default",
        "standards:",
        "  readme:",
        "    title: Repositories explain themselves",
        "    rule: required-file",
        "    severity: warning",
        "    options: { file: README.md }",
        "    rationale: A repository without a README is a puzzle.",
        "    remediation: Add a README.md.",
        "",
      ].join("\n"),
    );
    await writeFile(path.join(dir, "docs/readme.md"), "# readme\n");
    const local = await loadBundleDir(dir, { now: NOW });
    if (!local.ok) throw new Error(formatDiagnostics(local.errors));
    expect(docsLink(local.bundle, "docs/readme.md")).toBe("docs/readme.md");
    expect(docsLink(local.bundle, "docs/pr-title.md")).toBe(`${tagged}docs/pr-title.md`);
  });
});
