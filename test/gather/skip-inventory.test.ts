/**
 * The skip inventory of a default branch, read through the fake GitHub: test files only, each blob read
 * once (the store remembers it by SHA), and the dashboard's section built from several repositories.
 */
import { describe, expect, it } from "@jest/globals";
import type { Octokit } from "../../src/gather/github.js";
import { inventorySkips } from "../../src/gather/skip-inventory.js";
import { renderSkipInventory, sharedSkips } from "../../src/publish/skip-inventory.js";
import { MemoryStore } from "../../src/state/store.js";
import { createFakeGitHub } from "../support/github.js";

const SKIPPED = "it.skip('refunds a card payment', () => {});\nit('charges', () => {});\n";

describe("the skip inventory", () => {
  it("reads each test file's blob once and counts the skips in test files only", async () => {
    const fake = createFakeGitHub();
    const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id) as unknown as Octokit;
    fake.seedRepo({
      owner: "acme",
      name: "api",
      files: {
        "src/refund.test.ts": SKIPPED,
        "src/refund.ts": "export const skip = () => it.skip('not a test file', () => {});\n",
        "tests/test_db.py": "import pytest\n\n@pytest.mark.skip  # acme/api#4\ndef test_db():\n    pass\n",
        "README.md": "it.skip\n",
      },
    });
    const store = new MemoryStore();
    const repository = { owner: "acme", name: "api", defaultBranch: "main" };

    const first = await inventorySkips(octokit, store, repository);
    expect(first.skips.map((s) => [s.path, s.line, s.label, s.testName, s.cited])).toEqual([
      ["src/refund.test.ts", 1, "it.skip", "refunds a card payment", false],
      ["tests/test_db.py", 3, "@pytest.mark.skip", "test_db", true],
    ]);
    expect([first.files, first.fetched]).toEqual([2, 2]);

    fake.requests.reset();
    const second = await inventorySkips(octokit, store, repository);
    expect(second.skips).toEqual(first.skips);
    expect([second.files, second.fetched]).toEqual([2, 0]);
    expect(fake.requests.counts()).toEqual({ "GET /repos/{owner}/{repo}/git/trees/{tree_sha}": 1 });
  });

  it("names the same skipped test found in several repositories", () => {
    const skip = { line: 1, label: "it.skip", effect: "skip" as const, conditional: false, cited: false };
    const inventories = ["acme/api", "acme/web", "acme/admin"].map((repository, i) => ({
      repository,
      files: 1,
      fetched: 0,
      skips: [{ ...skip, path: "src/refund.test.ts", testName: i < 2 ? "refunds a card payment" : "other" }],
    }));
    expect(sharedSkips(inventories)).toEqual([
      {
        name: "refunds a card payment",
        places: ["acme/api (src/refund.test.ts:1)", "acme/web (src/refund.test.ts:1)"],
      },
    ]);
    expect(renderSkipInventory(inventories)).toEqual([
      "## Skipped tests on default branches",
      "",
      "| Repository | Skipped | Focused | Expected to fail / todo | Citing no issue |",
      "| --- | ---: | ---: | ---: | ---: |",
      "| acme/admin | 1 | 0 | 0 | 1 |",
      "| acme/api | 1 | 0 | 0 | 1 |",
      "| acme/web | 1 | 0 | 0 | 1 |",
      "",
      "### The same skipped test in several repositories",
      "",
      "- `refunds a card payment`: acme/api (src/refund.test.ts:1), acme/web (src/refund.test.ts:1)",
      "",
    ]);
  });
});
