/** `rulebook validate`: checks a bundle and prints each problem as `file:line:column key: message`. */
import { plural } from "../util/plural.js";
import { BUNDLE_OPTION, loadCliBundle } from "./bundle.js";
import { type CliIO, type Command, EXIT, type ParsedArgs } from "./command.js";

export const validate: Command = {
  name: "validate",
  summary: "Validate a bundle of standards",
  details: "Exit status: 0 when the bundle is valid (warnings are printed), 2 when it is not.",
  options: [BUNDLE_OPTION],
  run: runValidate,
};

async function runValidate(args: ParsedArgs, io: CliIO): Promise<number> {
  const loaded = await loadCliBundle(args, io);
  for (const line of [...loaded.errors, ...loaded.warnings]) io.stdout(`${line}\n`);
  const warnings = plural(loaded.warnings.length, "warning");
  if (!loaded.bundle) {
    io.stdout(`${loaded.dir}: invalid (${plural(loaded.errors.length, "error")}, ${warnings})\n`);
    return EXIT.error;
  }
  const { bundle } = loaded;
  io.stdout(
    `${loaded.dir}: valid, bundle ${bundle.source} ${bundle.version}: ${plural(bundle.standards.length, "standard")}, ` +
      `${plural(Object.keys(bundle.profiles).length, "profile")}, ${plural(bundle.waivers.length, "waiver")} (${warnings})\n`,
  );
  return EXIT.ok;
}
