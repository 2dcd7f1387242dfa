/**
 * The exclusion detectors by file: which configuration, build or script file is read by which detector.
 * Pure: a file's path and text in, the exclusions it sets (or why it could not be read) out.
 */
import { matchesGlobs } from "../../../util/pattern.js";
import { jsRunnerOf } from "./config-keys.js";
import { gradleExclusions } from "./gradle.js";
import { javascriptConfigExclusions } from "./javascript.js";
import { nextestExclusions } from "./nextest.js";
import { conftestExclusions, iniExclusions, noxfileExclusions, pyprojectExclusions } from "./python.js";
import {
  makefileExclusions,
  rspecOptionsExclusions,
  shellScriptExclusions,
  workflowExclusions,
} from "./scripts.js";
import { dataConfigExclusions, packageJsonExclusions } from "./structured.js";
import type { DetectedExclusion, ExclusionScan } from "./types.js";
import { mavenExclusions, phpunitExclusions } from "./xml.js";

type Detector = (path: string, source: string) => DetectedExclusion[] | { unparsed: string };

/** Detectors by glob, first match wins; `commentable: false` for formats without comments. */
const DETECTORS: Array<{ globs: string[]; detect: Detector; commentable: boolean }> = [
  { globs: ["**/package.json"], detect: (_, s) => packageJsonExclusions(s), commentable: false },
  {
    globs: ["**/jest.config.json"],
    detect: (_, s) => dataConfigExclusions("Jest", s, false),
    commentable: false,
  },
  {
    globs: ["**/.mocharc.json", "**/.mocharc.jsonc"],
    detect: (_, s) => dataConfigExclusions("Mocha", s, false),
    commentable: false,
  },
  {
    globs: ["**/.mocharc.yml", "**/.mocharc.yaml"],
    detect: (_, s) => dataConfigExclusions("Mocha", s, true),
    commentable: true,
  },
  {
    globs: [
      "**/{jest,vitest,vite,playwright,playwright-ct}.{config,workspace}.{js,cjs,mjs,ts,cts,mts}",
      "**/vitest.projects.{js,ts,mjs,mts}",
      "**/.mocharc.{js,cjs,mjs}",
    ],
    detect: (path, s) => javascriptConfigExclusions(jsRunnerOf(path) ?? "Jest", s),
    commentable: true,
  },
  {
    globs: ["**/pytest.ini", "**/tox.ini", "**/setup.cfg"],
    detect: (_, s) => iniExclusions(s),
    commentable: true,
  },
  { globs: ["**/pyproject.toml"], detect: (_, s) => pyprojectExclusions(s), commentable: true },
  { globs: ["**/conftest.py"], detect: (_, s) => conftestExclusions(s), commentable: true },
  { globs: ["**/noxfile.py"], detect: (_, s) => noxfileExclusions(s), commentable: true },
  {
    globs: ["**/Makefile", "**/makefile", "**/GNUmakefile", "**/*.mk"],
    detect: (_, s) => makefileExclusions(s),
    commentable: true,
  },
  { globs: ["**/*.sh", "**/*.bash"], detect: (_, s) => shellScriptExclusions(s), commentable: true },
  { globs: [".github/workflows/*.{yml,yaml}"], detect: (_, s) => workflowExclusions(s), commentable: true },
  { globs: ["**/pom.xml"], detect: (_, s) => mavenExclusions(s), commentable: true },
  { globs: ["**/*.gradle", "**/*.gradle.kts"], detect: (_, s) => gradleExclusions(s), commentable: true },
  { globs: ["**/.rspec", "**/.rspec-local"], detect: (_, s) => rspecOptionsExclusions(s), commentable: true },
  {
    globs: ["**/phpunit.xml", "**/phpunit.xml.dist", "**/phpunit.dist.xml"],
    detect: (_, s) => phpunitExclusions(s),
    commentable: true,
  },
  { globs: ["**/.config/nextest.toml"], detect: (_, s) => nextestExclusions(s), commentable: true },
];

function detectorOf(path: string) {
  return DETECTORS.find((d) => matchesGlobs(path, d.globs));
}

/** Whether a file is one the detectors read. */
export function readsExclusions(path: string): boolean {
  return detectorOf(path) !== undefined;
}

/** The exclusions a file sets, in line order; undefined for a file no detector reads. */
export function detectExclusions(path: string, source: string): ExclusionScan | undefined {
  const detector = detectorOf(path);
  if (!detector) return undefined;
  let result: ReturnType<Detector>;
  try {
    result = detector.detect(path, source.replaceAll("\r\n", "\n"));
  } catch (error) {
    // A reader's failure is an unread file, never a file without exclusions.
    return { unparsed: `it could not be read: ${(error as Error).message}` };
  }
  if (!Array.isArray(result)) return result;
  return { exclusions: [...result].sort((a, b) => a.line - b.line), commentable: detector.commentable };
}
