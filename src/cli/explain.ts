/**
 * `rulebook explain <standard-id>`: the manual an agent must read before it retries. Prints the standard's
 * title, why it exists, exactly how to fix it, its exemptions and waivers, and its full docs page.
 */

import { closest } from "../bundle/issues.js";
import type { Bundle, Standard } from "../bundle/types.js";
import { docsLink } from "../engine/evaluate.js";
import { BUNDLE_OPTION, requireBundle } from "./bundle.js";
import { type CliIO, type Command, EXIT, type ParsedArgs } from "./command.js";

export const explain: Command = {
  name: "explain",
  summary: "Print a standard's rationale, remediation and manual page",
  details: "Read this before retrying a change that a standard rejected: fix the cause, not the symptom.",
  options: [BUNDLE_OPTION],
  positionals: [{ name: "standard-id", description: "The id of the standard, as findings name it" }],
  run: runExplain,
};

async function runExplain(args: ParsedArgs, io: CliIO): Promise<number> {
  const bundle = await requireBundle(args, io);
  if (!bundle) return EXIT.error;
  const ids = bundle.standards.map((s) => s.id).sort();
  const id = args.positionals[0];
  if (id === undefined) {
    io.stderr(`rulebook explain: name a standard; known standards: ${ids.join(", ")}\n`);
    return EXIT.error;
  }
  const standard = bundle.standards.find((s) => s.id === id);
  if (!standard) {
    const near = closest(id, ids);
    io.stderr(
      `rulebook explain: unknown standard "${id}"${near ? ` (did you mean "${near}"?)` : ""}; ` +
        `known standards: ${ids.join(", ")}\n`,
    );
    return EXIT.error;
  }
  io.stdout(renderExplanation(bundle, standard));
  return EXIT.ok;
}

/** The explanation as plain text, manual page last and whole. */
function renderExplanation(bundle: Bundle, standard: Standard): string {
  const facts = [
    `severity: ${standard.severity}`,
    `rule: ${standard.rule}`,
    `profiles: ${standard.profiles.join(", ")}`,
  ];
  if (standard.since) facts.push(`in effect from ${standard.since} (a warning before)`);
  const lines = [`${standard.id}: ${standard.title}`, facts.join(" · ")];
  const { actors, branches } = standard.exemptions;
  if (actors.length > 0) lines.push(`exempt actors: ${actors.join(", ")}`);
  if (branches.length > 0) lines.push(`exempt branches: ${branches.join(", ")}`);
  for (const waiver of bundle.waivers.filter((w) => w.standard === standard.id)) {
    lines.push(
      `waived for ${waiver.repository} until ${waiver.expires} by ${waiver.owner}: ${waiver.reason}`,
    );
  }
  const link = docsLink(bundle, standard.docs);
  const page = Object.hasOwn(bundle.files, standard.docs) ? bundle.files[standard.docs] : undefined;
  const sections = [
    lines.join("\n"),
    `Why it exists\n\n${standard.rationale.trim()}`,
    `How to fix it\n\n${standard.remediation.trim()}`,
    `Manual: ${link}`,
    page === undefined ? `(the manual page ${standard.docs} is missing from the bundle)` : page.trim(),
  ];
  return `${sections.join("\n\n")}\n`;
}
