/**
 * The dashboard's section on skipped tests already merged (pure): how many each repository's default
 * branch holds, and the same skipped test found in several repositories, which is how a skip copied
 * across ports shows itself.
 */
import type { SkipInventory } from "../gather/skip-inventory.js";
import { plural } from "../util/plural.js";
import { code, inline } from "./markdown.js";

/** Rows and names shown at most, so the section stays a small part of the dashboard. */
const MAX_REPOSITORIES = 50;
const MAX_SHARED = 20;

/** Where a skipped test is, in one repository. */
interface SkipPlace {
  repository: string;
  path: string;
  line: number;
}

/** Skipped test names found in two or more repositories, most widespread first. */
export function sharedSkips(
  inventories: readonly SkipInventory[],
): Array<{ name: string; places: SkipPlace[] }> {
  const byName = new Map<string, Map<string, SkipPlace>>();
  for (const inventory of inventories) {
    for (const skip of inventory.skips) {
      if (!skip.testName || skip.effect === "focus") continue;
      const places = byName.get(skip.testName) ?? new Map<string, SkipPlace>();
      if (!places.has(inventory.repository))
        places.set(inventory.repository, {
          repository: inventory.repository,
          path: skip.path,
          line: skip.line,
        });
      byName.set(skip.testName, places);
    }
  }
  return [...byName]
    .filter(([, places]) => places.size > 1)
    .map(([name, places]) => ({
      name,
      places: [...places.values()].sort((a, b) => a.repository.localeCompare(b.repository)),
    }))
    .sort((a, b) => b.places.length - a.places.length || a.name.localeCompare(b.name));
}

const HEADING = "## Skipped tests on default branches";

/**
 * The section for `inventories`; `leftOut` counts the repositories (with their skips) of a dashboard's
 * view that its readers may not see named.
 */
export function renderSkipInventory(
  inventories: readonly SkipInventory[],
  leftOut: { repositories: number; skips: number } = { repositories: 0, skips: 0 },
): string[] {
  const withSkips = inventories
    .filter((i) => i.skips.length > 0 || i.incomplete)
    .sort((a, b) => b.skips.length - a.skips.length || a.repository.localeCompare(b.repository));
  const count = (i: SkipInventory, test: (s: SkipInventory["skips"][number]) => boolean) =>
    i.skips.filter(test).length;
  const lines = [HEADING, ""];
  const leftOutLine =
    leftOut.repositories > 0
      ? [
          `Not named here: ${plural(leftOut.skips, "skipped, focused or expected-to-fail test")} in ${leftOut.repositories} more ${leftOut.repositories === 1 ? "repository" : "repositories"}.`,
          "",
        ]
      : [];
  if (withSkips.length === 0) {
    lines.push(
      `No skipped, focused or expected-to-fail tests in the test files of ${inventories.length} repositories.`,
      "",
      ...leftOutLine,
    );
    return lines;
  }
  lines.push(
    "| Repository | Skipped | Focused | Expected to fail / todo | Citing no issue |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...withSkips
      .slice(0, MAX_REPOSITORIES)
      .map(
        (i) =>
          `| ${i.repository}${i.incomplete ? " ⚠️" : ""} | ${count(i, (s) => s.effect === "skip")} | ${count(i, (s) => s.effect === "focus")} | ${count(i, (s) => s.effect === "xfail" || s.effect === "todo")} | ${count(i, (s) => !s.cited)} |`,
      ),
  );
  if (withSkips.length > MAX_REPOSITORIES)
    lines.push("", `… and ${withSkips.length - MAX_REPOSITORIES} more repositories.`);
  const incomplete = withSkips.filter((i) => i.incomplete);
  if (incomplete.length > 0)
    lines.push(
      "",
      `⚠️ Incomplete: ${incomplete.map((i) => `${i.repository} (${inline(i.incomplete ?? "")})`).join("; ")}.`,
    );
  const shared = sharedSkips(inventories);
  lines.push("", "### The same skipped test in several repositories", "");
  if (shared.length === 0) lines.push("None.");
  for (const { name, places } of shared.slice(0, MAX_SHARED)) {
    lines.push(
      `- ${code(name)}: ${places.map((p) => `${p.repository} (${code(`${p.path}:${p.line}`)})`).join(", ")}`,
    );
  }
  if (shared.length > MAX_SHARED) lines.push(`- … and ${shared.length - MAX_SHARED} more names.`);
  lines.push("", ...leftOutLine);
  return lines;
}
