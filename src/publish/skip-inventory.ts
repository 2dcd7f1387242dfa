/**
 * The dashboard's section on skipped tests already merged (pure): how many each repository's default
 * branch holds, skipped in code or excluded by configuration, and the same skipped test or exclusion found
 * in several repositories, which is how a skip copied across ports shows itself.
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

/** Items found under the same name in two or more repositories, most widespread first. */
function sharedAcross<T extends { path: string; line: number }>(
  inventories: readonly SkipInventory[],
  itemsOf: (inventory: SkipInventory) => readonly T[],
  nameOf: (item: T) => string | undefined,
): Array<{ name: string; places: SkipPlace[] }> {
  const byName = new Map<string, Map<string, SkipPlace>>();
  for (const inventory of inventories) {
    for (const item of itemsOf(inventory)) {
      const name = nameOf(item);
      if (name === undefined) continue;
      const places = byName.get(name) ?? new Map<string, SkipPlace>();
      if (!places.has(inventory.repository))
        places.set(inventory.repository, {
          repository: inventory.repository,
          path: item.path,
          line: item.line,
        });
      byName.set(name, places);
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

/** Skipped test names found in two or more repositories, most widespread first. */
export function sharedSkips(
  inventories: readonly SkipInventory[],
): Array<{ name: string; places: SkipPlace[] }> {
  return sharedAcross(
    inventories,
    (i) => i.skips,
    (skip) => (skip.effect === "focus" ? undefined : skip.testName),
  );
}

/** The same exclusion (runner, setting, what it excludes) found in two or more repositories. */
export function sharedExclusions(
  inventories: readonly SkipInventory[],
): Array<{ name: string; places: SkipPlace[] }> {
  return sharedAcross(
    inventories,
    (i) => i.exclusions,
    (e) => `${e.runner} ${e.setting} ${e.excluded}`,
  );
}

const HEADING = "## Skipped tests on default branches";

function sharedLines(title: string, shared: ReturnType<typeof sharedSkips>, what: string): string[] {
  const lines = ["", title, ""];
  if (shared.length === 0) lines.push("None.");
  for (const { name, places } of shared.slice(0, MAX_SHARED)) {
    lines.push(
      `- ${code(name)}: ${places.map((p) => `${p.repository} (${code(`${p.path}:${p.line}`)})`).join(", ")}`,
    );
  }
  if (shared.length > MAX_SHARED) lines.push(`- … and ${shared.length - MAX_SHARED} more ${what}.`);
  return lines;
}

/**
 * The section for `inventories`; `leftOut` counts the repositories (with their skips and exclusions) of a
 * dashboard's view that its readers may not see named.
 */
export function renderSkipInventory(
  inventories: readonly SkipInventory[],
  leftOut: { repositories: number; skips: number } = { repositories: 0, skips: 0 },
): string[] {
  const total = (i: SkipInventory) => i.skips.length + i.exclusions.length;
  const withSkips = inventories
    .filter((i) => total(i) > 0 || i.incomplete)
    .sort((a, b) => total(b) - total(a) || a.repository.localeCompare(b.repository));
  const count = (i: SkipInventory, test: (s: SkipInventory["skips"][number]) => boolean) =>
    i.skips.filter(test).length;
  const lines = [HEADING, ""];
  const leftOutLine =
    leftOut.repositories > 0
      ? [
          `Not named here: ${plural(leftOut.skips, "skipped, focused, expected-to-fail or excluded test")} in ${leftOut.repositories} more ${leftOut.repositories === 1 ? "repository" : "repositories"}.`,
          "",
        ]
      : [];
  if (withSkips.length === 0) {
    lines.push(
      `No skipped, focused, expected-to-fail or excluded tests in the test files and configuration of ${inventories.length} repositories.`,
      "",
      ...leftOutLine,
    );
    return lines;
  }
  lines.push(
    "| Repository | Skipped | Focused | Expected to fail / todo | Excluded by configuration | Citing no issue |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...withSkips
      .slice(0, MAX_REPOSITORIES)
      .map(
        (i) =>
          `| ${i.repository}${i.incomplete ? " ⚠️" : ""} | ${count(i, (s) => s.effect === "skip")} | ${count(i, (s) => s.effect === "focus")} | ${count(i, (s) => s.effect === "xfail" || s.effect === "todo")} | ${i.exclusions.length} | ${count(i, (s) => !s.cited) + i.exclusions.filter((e) => !e.cited).length} |`,
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
  lines.push(
    ...sharedLines("### The same skipped test in several repositories", sharedSkips(inventories), "names"),
  );
  const exclusions = sharedExclusions(inventories);
  if (exclusions.length > 0)
    lines.push(...sharedLines("### The same exclusion in several repositories", exclusions, "exclusions"));
  lines.push("", ...leftOutLine);
  return lines;
}
