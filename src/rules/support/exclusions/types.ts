/**
 * What the exclusion detectors report: a setting in a runner's configuration, a build file or a command
 * line that takes tests out of the run. Pure types.
 */

/** `exclude`: named tests, files or tags leave the run; `narrow`: only what a filter names runs. */
export type ExclusionEffect = "exclude" | "narrow";

export interface DetectedExclusion {
  /** 1-based line of the setting in its file. */
  line: number;
  /** The last line, when the setting spans several (a command continued with `\`). */
  endLine?: number;
  /** The test runner or build tool that reads it: `Jest`, `pytest`, `Maven Surefire`, … */
  runner: string;
  /** The setting or flag as written: `testPathIgnorePatterns`, `--deselect`, `<excludedGroups>`. */
  setting: string;
  /** What leaves the run: a path pattern, a test id, a tag or a filter expression. */
  excluded: string;
  effect: ExclusionEffect;
  /** Comment text on the setting's line and in the comment-only lines just above it. */
  comments: string[];
}

/** A file the detectors read: what they found, or why the file could not be read. */
export type ExclusionScan =
  | {
      exclusions: DetectedExclusion[];
      /** False for formats without comments (JSON): a tracking reference goes in the commit message. */
      commentable: boolean;
    }
  | { unparsed: string };

/** An exclusion before its comments are attached. */
export type Found = Omit<DetectedExclusion, "comments" | "line" | "endLine">;
