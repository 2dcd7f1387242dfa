/**
 * The skip inventory of a default branch, read through the fake GitHub: test files and the configuration
 * that can exclude tests only, each blob read once (the store remembers it by SHA), and the dashboard's section built from several repositories.
 */
import { describe, expect, it } from "@jest/globals";
import type { Octokit } from "../../src/gather/github.js";
import { inventorySkips } from "../../src/gather/skip-inventory.js";
import { renderSkipInventory, sharedExclusions, sharedSkips } from "../../src/publish/skip-inventory.js";
import { MemoryStore } from "../../src/state/store.js";
import { createFakeGitHub } from "../support/github.js";

const SKIPPED = "it.skip('refunds a card payment', () => {});\nit('charges', () => {});\n";
const JEST_CONFIG =
  "module.exports = {\n  // quarantined, acme/api#9\n  testPathIgnorePatterns: ['/payments/'],\n};\n";

describe("the skip inventory", () => {
  it("reads test and configuration files only, in batched queries, and again only what changed", async () => {
    const fake = createFakeGitHub();
    const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id) as unknown as Octokit;
    const api = fake.seedRepo({
      owner: "acme",
      name: "api",
      files: {
        "src/refund.test.ts": SKIPPED,
        "src/refund.ts": "export const skip = () => it.skip('not a test file', () => {});\n",
        "tests/test_db.py": "import pytest\n\n@pytest.mark.skip  # acme/api#4\ndef test_db():\n    pass\n",
        "packages/a/b/c/d/e/deep.test.js": "describe.skip('deep', () => {});\n",
        "README.md": "it.skip\n",
        "jest.config.js": JEST_CONFIG,
      },
    });
    const web = fake.seedRepo({ owner: "acme", name: "web", files: { "web.test.ts": SKIPPED } });
    const store = new MemoryStore();
    const targets = () =>
      [api, web].map((repo) => ({
        owner: "acme",
        name: repo.name,
        headOid: repo.branches.get(repo.defaultBranch) ?? "",
      }));

    const first = await inventorySkips(octokit, store, targets());
    const apiFirst = first.get("acme/api");
    expect(apiFirst?.skips.map((s) => [s.path, s.line, s.label, s.testName, s.cited])).toEqual([
      ["packages/a/b/c/d/e/deep.test.js", 1, "describe.skip", "deep", false],
      ["src/refund.test.ts", 1, "it.skip", "refunds a card payment", false],
      ["tests/test_db.py", 3, "@pytest.mark.skip", "test_db", true],
    ]);
    expect(apiFirst?.exclusions).toEqual([
      {
        path: "jest.config.js",
        line: 3,
        runner: "Jest",
        setting: "testPathIgnorePatterns",
        excluded: "/payments/",
        effect: "exclude",
        cited: true,
      },
    ]);
    expect([apiFirst?.files, apiFirst?.fetched, apiFirst?.incomplete]).toEqual([4, 4, undefined]);
    expect(first.get("acme/web")?.skips.map((s) => s.testName)).toEqual(["refunds a card payment"]);
    // Both repositories' trees in one query, a second for the directories deeper than it reads, and
    // every test file of both in one more; no REST request.
    expect(fake.requests.counts()).toEqual({ "POST /graphql": 3 });

    fake.requests.reset();
    const unchanged = await inventorySkips(octokit, store, targets());
    expect(unchanged.get("acme/api")?.skips).toEqual(apiFirst?.skips);
    expect(unchanged.get("acme/api")?.exclusions).toEqual(apiFirst?.exclusions);
    expect(fake.requests.count()).toBe(0);

    // A push that changes one test file: the tree is walked again and that file alone is read.
    fake.seedCommit(api, { files: { "src/refund.test.ts": "it('refunds a card payment', () => {});\n" } });
    fake.requests.reset();
    const moved = await inventorySkips(octokit, store, targets());
    expect(moved.get("acme/api")?.skips.map((s) => s.path)).toEqual([
      "packages/a/b/c/d/e/deep.test.js",
      "tests/test_db.py",
    ]);
    expect(moved.get("acme/api")?.fetched).toBe(1);
    expect(moved.get("acme/api")?.exclusions).toEqual(apiFirst?.exclusions);
    const reads = fake.requests.all.map((r) => r.query?.match(/f0: object\(expression: "[^"]+"/g));
    expect(reads.filter(Boolean)).toEqual([
      [`f0: object(expression: "${targets()[0]?.headOid}:src/refund.test.ts"`],
    ]);
  });

  it("says a test file past the limits of a code read was not read, never that it has no skips", async () => {
    const fake = createFakeGitHub();
    const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id) as unknown as Octokit;
    const repo = fake.seedRepo({
      owner: "acme",
      name: "api",
      files: {
        "src/refund.test.ts": SKIPPED,
        "src/minified.test.js": `it.skip('hidden', () => {});${" ".repeat(25_000)}\n`,
      },
    });
    const target = { owner: "acme", name: "api", headOid: repo.branches.get(repo.defaultBranch) ?? "" };

    const inventory = (await inventorySkips(octokit, new MemoryStore(), [target])).get("acme/api");
    expect(inventory?.skips.map((s) => s.path)).toEqual(["src/refund.test.ts"]);
    expect(inventory?.incomplete).toBe(
      "too large: line 1 of src/minified.test.js has 25028 characters, more than the 20000 read, so it was not read for skipped tests",
    );
  });

  it("names the same skipped test and the same exclusion found in several repositories, once each", () => {
    const skip = { line: 1, label: "it.skip", effect: "skip" as const, conditional: false, cited: false };
    const exclusion = {
      path: "pytest.ini",
      line: 2,
      runner: "pytest",
      setting: "--deselect",
      excluded: "tests/test_refund.py::test_card",
      effect: "exclude" as const,
      cited: false,
    };
    const inventories = ["acme/api", "acme/web", "acme/admin"].map((repository, i) => ({
      repository,
      files: 1,
      fetched: 0,
      skips: [{ ...skip, path: "src/refund.test.ts", testName: i < 2 ? "refunds a card payment" : "other" }],
      exclusions: i === 1 ? [] : [exclusion, { ...exclusion, line: 3 }],
    }));
    expect(sharedExclusions(inventories)).toEqual([
      {
        name: "pytest --deselect tests/test_refund.py::test_card",
        places: [
          { repository: "acme/admin", path: "pytest.ini", line: 2 },
          { repository: "acme/api", path: "pytest.ini", line: 2 },
        ],
      },
    ]);
    expect(sharedSkips(inventories)).toEqual([
      {
        name: "refunds a card payment",
        places: [
          { repository: "acme/api", path: "src/refund.test.ts", line: 1 },
          { repository: "acme/web", path: "src/refund.test.ts", line: 1 },
        ],
      },
    ]);
    expect(renderSkipInventory(inventories)).toEqual([
      "## Skipped tests on default branches",
      "",
      "| Repository | Skipped | Focused | Expected to fail / todo | Excluded by configuration | Citing no issue |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      "| acme/admin | 1 | 0 | 0 | 2 | 3 |",
      "| acme/api | 1 | 0 | 0 | 2 | 3 |",
      "| acme/web | 1 | 0 | 0 | 0 | 1 |",
      "",
      "### The same skipped test in several repositories",
      "",
      "- `refunds a card payment`: acme/api (`src/refund.test.ts:1`), acme/web (`src/refund.test.ts:1`)",
      "",
      "### The same exclusion in several repositories",
      "",
      "- `pytest --deselect tests/test_refund.py::test_card`: acme/admin (`pytest.ini:2`), acme/api (`pytest.ini:2`)",
      "",
    ]);
  });
});
