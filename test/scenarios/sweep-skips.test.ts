/**
 * The sweep inventories the skipped tests already on each default branch: the dashboard counts them per
 * repository and names a skipped test found in several repositories, which is how a skip copied across
 * ports shows itself. Test files are read in batched queries, and only when a default branch moved.
 */
import { describe, expect, it } from "@jest/globals";
import { installationCreatedEvent } from "../fake-github/push.js";
import { compliantRepoFiles } from "../support/compliant-repo.js";
import type { AppHarness } from "../support/github.js";
import { startConfiguredApp } from "../support/scenario.js";

const SKIPPED = [
  "describe('refunds', () => {",
  "  // known limitation",
  "  it.skip('refunds a card payment', () => {});",
  "  it('refunds cash', () => {});",
  "});",
  "",
].join("\n");

async function sweep(gh: AppHarness) {
  gh.fake.requests.reset();
  await gh.deliver(
    "installation",
    installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), "octo-admin"),
  );
}

function dashboard(gh: AppHarness): string {
  const central = gh.fake.repo("acme/.github");
  const [issue] = [...central.issues.values()].filter((i) => i.labels.includes("rulebook-dashboard"));
  return issue?.body ?? "";
}

/** The queries that walked a tree or read a test file for the inventory. */
function inventoryReads(gh: AppHarness): string[] {
  return gh.fake.requests.all.flatMap((r) =>
    [...(r.query ?? "").matchAll(/[tf]\d+: object\(expression: "[0-9a-f]+:([^"]*)"\)/g)].map(
      (m) => m[1] ?? "",
    ),
  );
}

describe("the skipped tests on default branches", () => {
  it("shows a skip copied across three repositories as one shared name, read once", async () => {
    const gh = await startConfiguredApp();
    const files = compliantRepoFiles();
    gh.fake.seedRepo({ owner: "acme", name: ".github", files });
    for (const [name, path] of [
      ["payments", "src/refund.test.ts"],
      ["billing", "test/refund.test.ts"],
      ["checkout", "packages/core/src/__tests__/refund.test.ts"],
    ] as const) {
      gh.fake.seedRepo({ owner: "acme", name, files: { ...files, [path]: SKIPPED } });
    }
    const web = gh.fake.seedRepo({
      owner: "acme",
      name: "web",
      files: {
        ...files,
        "tests/test_login.py": "import pytest\n\n@pytest.mark.skip\ndef test_login():\n    pass\n",
      },
    });

    await sweep(gh);
    const body = dashboard(gh);
    expect(body).toContain(
      [
        "## Skipped tests on default branches",
        "",
        "| Repository | Skipped | Focused | Expected to fail / todo | Excluded by configuration | Citing no issue |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        "| acme/billing | 1 | 0 | 0 | 0 | 1 |",
        "| acme/checkout | 1 | 0 | 0 | 0 | 1 |",
        "| acme/payments | 1 | 0 | 0 | 0 | 1 |",
        "| acme/web | 1 | 0 | 0 | 0 | 1 |",
        "",
        "### The same skipped test in several repositories",
        "",
        // Paths in code spans: `__tests__` would otherwise render as bold "tests".
        "- `refunds a card payment`: acme/billing (`test/refund.test.ts:3`), acme/checkout (`packages/core/src/__tests__/refund.test.ts:3`), acme/payments (`src/refund.test.ts:3`)",
        "",
      ].join("\n"),
    );
    // The trees came with the facts; the directories deeper than they hold and the four test files
    // were read in batched queries, never through REST.
    expect(inventoryReads(gh).sort()).toEqual([
      "packages/core/src/__tests__",
      "packages/core/src/__tests__/refund.test.ts",
      "src/refund.test.ts",
      "test/refund.test.ts",
      "tests/test_login.py",
    ]);
    expect(gh.fake.requests.all.filter((r) => /\/git\/|\/contents\//.test(r.path))).toEqual([]);

    // Nothing moved: nothing is read again, and the section stays.
    await sweep(gh);
    expect(inventoryReads(gh)).toEqual([]);
    expect(dashboard(gh)).toContain("- `refunds a card payment`: acme/billing");

    // web un-skips its test: its new head is walked with its facts and the changed file alone read.
    gh.fake.seedCommit(web, {
      files: { "tests/test_login.py": "def test_login():\n    pass\n" },
    });
    await sweep(gh);
    expect(inventoryReads(gh)).toEqual(["tests/test_login.py"]);
    expect(dashboard(gh)).not.toContain("| acme/web | 1 | 0 | 0 | 0 | 1 |");
    expect(dashboard(gh)).toContain("| acme/payments | 1 | 0 | 0 | 0 | 1 |");
  });
});
