/**
 * A test table for the exclusion detectors: each case is a file's path and text and the exclusions found
 * in it, as `[line, runner, setting, excluded, effect]` rows (effect `exclude` when left out).
 */
import { describe, expect, it } from "@jest/globals";
import { detectExclusions } from "../../src/rules/support/exclusions/detect.js";
import type { ExclusionEffect } from "../../src/rules/support/exclusions/types.js";

export type ExclusionRow = [
  line: number,
  runner: string,
  setting: string,
  excluded: string,
  effect?: ExclusionEffect,
];

export interface ExclusionCase {
  name: string;
  path: string;
  source: string;
  /** The rows found, or the start of the reason a file could not be read. */
  found: ExclusionRow[] | { unparsed: string };
}

export function exclusionTable(title: string, cases: readonly ExclusionCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        const scan = detectExclusions(c.path, c.source);
        if (!Array.isArray(c.found)) {
          expect(scan && "unparsed" in scan ? scan.unparsed : scan).toContain(c.found.unparsed);
          return;
        }
        if (!scan || "unparsed" in scan) throw new Error(`not read: ${JSON.stringify(scan)}`);
        expect(
          scan.exclusions.map((e): ExclusionRow => [e.line, e.runner, e.setting, e.excluded, e.effect]),
        ).toEqual(
          c.found.map(([line, runner, setting, excluded, effect]) => [
            line,
            runner,
            setting,
            excluded,
            effect ?? "exclude",
          ]),
        );
      });
    }
  });
}
