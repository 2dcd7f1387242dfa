/** Loading the bundle a command names (`--bundle DIR`, else the default bundle shipped with Rulebook). */
import path from "node:path";
import { formatDiagnostic, sortDiagnostics } from "../bundle/diagnostics.js";
import { defaultBundleDir, loadBundleDir } from "../bundle/load.js";
import type { Bundle } from "../bundle/types.js";
import type { CliIO, OptionSpec, ParsedArgs } from "./command.js";
import { optionValue } from "./command.js";

export const BUNDLE_OPTION: OptionSpec = {
  name: "bundle",
  value: "DIR",
  description:
    "The bundle of standards (a directory with rulebook.yml); default: the one shipped with Rulebook",
};

interface CliBundleResult {
  /** Absent when the bundle is invalid. */
  bundle?: Bundle;
  dir: string;
  /** `file:line:column key: message`, in reading order. */
  errors: string[];
  warnings: string[];
}

export async function loadCliBundle(args: ParsedArgs, io: CliIO): Promise<CliBundleResult> {
  const given = optionValue(args, "bundle");
  const dir = given === undefined ? defaultBundleDir() : path.resolve(io.cwd, given);
  const result = await loadBundleDir(dir, { now: io.now() });
  const warnings = sortDiagnostics(result.warnings).map(formatDiagnostic);
  if (result.ok) return { bundle: result.bundle, dir, errors: [], warnings };
  return { dir, errors: sortDiagnostics(result.errors).map(formatDiagnostic), warnings };
}

/** For commands that need a valid bundle: warnings and errors to stderr; the bundle, or undefined when invalid. */
export async function requireBundle(args: ParsedArgs, io: CliIO): Promise<Bundle | undefined> {
  const loaded = await loadCliBundle(args, io);
  for (const line of [...loaded.warnings, ...loaded.errors]) io.stderr(`${line}\n`);
  if (!loaded.bundle) {
    const count = loaded.errors.length;
    io.stderr(
      `rulebook: the bundle in ${loaded.dir} is invalid (${count} error${count === 1 ? "" : "s"} above)\n`,
    );
  }
  return loaded.bundle;
}
