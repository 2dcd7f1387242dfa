/**
 * Exclusions in cargo-nextest's configuration (`.config/nextest.toml`): a profile's `default-filter` that
 * negates leaves tests out of every run of that profile. Read with smol-toml. Pure.
 */
import { parse as parseToml } from "smol-toml";
import { negates } from "./command-line.js";
import { commentsOf } from "./comments.js";
import type { DetectedExclusion } from "./types.js";

export function nextestExclusions(source: string): DetectedExclusion[] | { unparsed: string } {
  let document: Record<string, unknown>;
  try {
    document = parseToml(source);
  } catch (error) {
    return { unparsed: (error as Error).message.split("\n")[0] ?? "invalid TOML" };
  }
  const lines = source.split("\n");
  const profiles = (document.profile ?? {}) as Record<string, { "default-filter"?: unknown }>;
  const found: DetectedExclusion[] = [];
  for (const profile of Object.values(profiles)) {
    const filter = profile["default-filter"];
    if (typeof filter !== "string" || !negates(filter)) continue;
    const index = lines.findIndex((l) => l.trimStart().startsWith("default-filter") && l.includes(filter));
    const line = index + 1 || 1;
    found.push({
      runner: "cargo-nextest",
      setting: "default-filter",
      excluded: filter,
      effect: "exclude",
      line,
      comments: commentsOf(lines, line, ["#"]),
    });
  }
  return found;
}
