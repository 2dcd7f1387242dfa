/**
 * A file exists at one of the places GitHub itself looks for it, and optionally matches canonical content
 * from the bundle: exactly, by its markdown sections, or by patterns (an SPDX licence id).
 */
import { z } from "zod";
import { INPUT_LIMITS, tooLarge } from "../util/input-limits.js";
import { compilePattern, zPattern } from "../util/pattern.js";
import { matchSequences } from "../util/text-diff.js";
import { canonicalDifference, copyFromBundle } from "./support/canonical-diff.js";
import { compareRuleFindings } from "./support/finding-order.js";
import {
  headingKey,
  headingLine,
  type MarkdownHeading,
  markdownHeadings,
} from "./support/markdown-headings.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

/** Where GitHub looks for community files such as CODEOWNERS, in its own search order. */
const DEFAULT_LOCATIONS = [".github", "", "docs"] as const;

/**
 * Names GitHub accepts for one file. The pull request template's name is not case sensitive on GitHub; the
 * two customary spellings are accepted (a candidate is one path the gatherer fetches, so every spelling
 * would be dozens). GitHub detects a licence only at the root, under these names among others.
 */
const NAME_FAMILIES: ReadonlyArray<{ names: readonly string[]; locations?: readonly string[] }> = [
  { names: ["pull_request_template.md", "PULL_REQUEST_TEMPLATE.md"] },
  { names: ["LICENSE", "LICENSE.md", "LICENSE.txt", "COPYING"], locations: [""] },
];

const MATCHES = ["exists", "exact", "sections", "contains"] as const;

const requirementShape = {
  /** A file name (`CODEOWNERS`), looked up in each of `locations`, with the name's accepted variants. */
  file: z.string().min(1).optional(),
  /** Directories to look in, in order; `""` is the root. */
  locations: z.array(z.string()).min(1).optional(),
  /** Explicit alternative paths, in order of preference; instead of `file`. */
  paths: z.array(z.string().min(1)).min(1).optional(),
  /** Bundle-relative path of the canonical content. */
  canonical: z.string().min(1).optional(),
  match: z.enum(MATCHES).optional(),
  /** With `match: contains`: regular expressions (RE2) that must each match somewhere in the file. */
  contains: z.array(zPattern).min(1).optional(),
};

const RequirementSchema = z.object(requirementShape).strict();
type RequirementOptions = z.infer<typeof RequirementSchema>;

const options = z
  .object({
    ...requirementShape,
    /** Several requirements that must each hold (issue forms); each inherits `locations` and `match`. */
    all: z.array(RequirementSchema).min(1).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.all !== undefined) {
      for (const key of ["file", "paths", "canonical", "contains"] as const) {
        if (o[key] !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `with "all", give ${key} on each entry of "all"`,
          });
        }
      }
      o.all.forEach((entry, index) => {
        checkRequirement(resolveEntry(entry, o), (path, message) =>
          ctx.addIssue({ code: "custom", path: ["all", index, ...path], message }),
        );
      });
      return;
    }
    checkRequirement(o, (path, message) => ctx.addIssue({ code: "custom", path, message }));
  });

type Options = z.infer<typeof options>;

function resolveEntry(entry: RequirementOptions, parent: Options): RequirementOptions {
  return {
    ...entry,
    ...(entry.locations === undefined && parent.locations !== undefined
      ? { locations: parent.locations }
      : {}),
    ...(entry.match === undefined && parent.match !== undefined ? { match: parent.match } : {}),
  };
}

function checkRequirement(r: RequirementOptions, issue: (path: string[], message: string) => void): void {
  if ((r.file === undefined) === (r.paths === undefined)) {
    issue(
      [],
      'give exactly one of "file" (a name looked up in locations) or "paths" (explicit alternatives)',
    );
  }
  if (r.paths !== undefined && r.locations !== undefined) {
    issue(["locations"], '"locations" applies to "file" only; list every path in "paths"');
  }
  const match = r.match ?? "exists";
  if ((match === "exact" || match === "sections") && r.canonical === undefined) {
    issue(["canonical"], `match: ${match} compares with canonical content; name it with "canonical"`);
  }
  if (match === "contains" && r.contains === undefined) {
    issue(["contains"], 'match: contains needs "contains", the patterns the file must match');
  }
  if (match !== "contains" && r.contains !== undefined) {
    issue(["contains"], '"contains" applies only with match: contains');
  }
}

interface Requirement {
  /** Every path that counts, in GitHub's order of preference. */
  candidates: string[];
  /** Where a missing file should be created. */
  preferred: string;
  canonical?: string;
  match: (typeof MATCHES)[number];
  contains: string[];
}

function joinPath(location: string, name: string): string {
  const directory = location.replace(/^\/+|\/+$/g, "");
  return directory === "" || directory === "." ? name : `${directory}/${name}`;
}

function toRequirement(r: RequirementOptions): Requirement {
  let candidates: string[];
  if (r.paths !== undefined) candidates = [...new Set(r.paths)];
  else {
    const file = r.file ?? "";
    const family = NAME_FAMILIES.find((f) => f.names.includes(file));
    const names = [file, ...(family?.names ?? []).filter((name) => name !== file)];
    const locations = r.locations ?? family?.locations ?? DEFAULT_LOCATIONS;
    candidates = [...new Set(locations.flatMap((location) => names.map((name) => joinPath(location, name))))];
  }
  return {
    candidates,
    preferred: candidates[0] ?? "",
    ...(r.canonical !== undefined ? { canonical: r.canonical } : {}),
    match: r.match ?? "exists",
    contains: r.contains ?? [],
  };
}

function requirementsOf(o: Options): Requirement[] {
  return o.all !== undefined
    ? o.all.map((entry) => toRequirement(resolveEntry(entry, o)))
    : [toRequirement(o)];
}

function quoteList(paths: readonly string[]): string {
  return paths.map((p) => `\`${p}\``).join(", ");
}

function missingFinding(r: Requirement): RuleFinding {
  const others = r.candidates.slice(1);
  const copy =
    r.match === "sections"
      ? "and keep every heading it has"
      : r.match === "contains"
        ? "and complete it"
        : "unchanged";
  return {
    message:
      others.length === 0
        ? `\`${r.preferred}\` is missing`
        : `\`${r.preferred}\` is missing, and so is every other accepted path: ${quoteList(others)}`,
    path: r.preferred,
    expected: r.preferred,
    found: "no such file",
    ...(r.canonical !== undefined ? { remediation: copyFromBundle(r.canonical, r.preferred, copy) } : {}),
  };
}

function sectionFindings(
  path: string,
  content: string,
  canonicalPath: string,
  canonical: string,
): RuleFinding[] {
  const wanted = markdownHeadings(canonical);
  const present = markdownHeadings(content);
  // The canonical headings the file has in the canonical order: a longest common subsequence. Of equally
  // long ones, this argument order keeps the earlier canonical sections in place.
  const pairs = matchSequences(present.map(headingLine), wanted.map(headingLine)).map(
    ([p, w]): [number, number] => [w, p],
  );
  const matchedWanted = new Set(pairs.map(([w]) => w));
  const matchedPresent = new Set(pairs.map(([, p]) => p));
  const lastLine = content.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n").length;
  const findings: RuleFinding[] = [];
  wanted.forEach((heading, w) => {
    if (matchedWanted.has(w)) return;
    const expected = headingLine(heading);
    const before = pairs.filter(([pw]) => pw < w).at(-1);
    const after = pairs.find(([pw]) => pw > w);
    const previousHeading = before ? headingLine(wanted[before[0]] as MarkdownHeading) : undefined;
    const placement = previousHeading
      ? `after \`${previousHeading}\``
      : after
        ? `before \`${headingLine(wanted[after[0]] as MarkdownHeading)}\``
        : "";
    // Where the heading belongs: just before the next canonical section the file has, else at its end.
    const insertAt = after ? (present[after[1]] as MarkdownHeading).line : lastLine;
    const elsewhere = present.find((p, i) => !matchedPresent.has(i) && headingLine(p) === expected);
    // A near miss differs only in case, spacing or a trailing colon.
    const key = headingKey(heading.text);
    const nearMiss = present.find(
      (p, i) => !matchedPresent.has(i) && p.level === heading.level && headingKey(p.text) === key,
    );
    const otherLevel = present.find((p, i) => !matchedPresent.has(i) && headingKey(p.text) === key);
    if (elsewhere) {
      findings.push({
        message: `\`${path}\` has the section \`${expected}\` out of order: the canonical \`${canonicalPath}\` has it ${placement}`,
        path,
        line: elsewhere.line,
        expected: `${expected} ${placement.replaceAll("`", "")}`,
        found: `${expected} at line ${elsewhere.line}`,
        remediation: `Move the section \`${expected}\` (line ${elsewhere.line} of \`${path}\`) ${placement}, the order of \`${canonicalPath}\` in the standards bundle.`,
      });
      return;
    }
    const misspelled = nearMiss ?? otherLevel;
    if (misspelled) {
      findings.push({
        message: `\`${path}\` writes the section \`${expected}\` of the canonical \`${canonicalPath}\` as \`${headingLine(misspelled)}\``,
        path,
        line: misspelled.line,
        expected,
        found: headingLine(misspelled),
        remediation: `Change line ${misspelled.line} of \`${path}\` to \`${expected}\`, as in \`${canonicalPath}\` in the standards bundle.`,
      });
      return;
    }
    findings.push({
      message: `\`${path}\` lacks the section \`${expected}\` of the canonical \`${canonicalPath}\``,
      path,
      line: insertAt,
      expected,
      found: "no such heading",
      remediation: `Add the heading \`${expected}\` to \`${path}\`${placement ? ` ${placement}` : ""}, with its content from \`${canonicalPath}\` in the standards bundle.`,
    });
  });
  return findings;
}

function containsFindings(path: string, content: string, patterns: string[]): RuleFinding[] {
  return patterns
    .filter((source) => !compilePattern(source).test(content))
    .map((source) => ({
      message: `\`${path}\` has no text matching \`${source}\``,
      path,
      expected: `text matching ${source}`,
      found: "no match",
    }));
}

export default defineRule({
  id: "required-file",
  scope: "repo",
  description: "A file exists where GitHub looks for it and matches the bundle's canonical content",
  options,
  requires: ["repo.files"],
  files: (o) => requirementsOf(o).flatMap((r) => r.candidates),
  bundleFiles: (o) => requirementsOf(o).flatMap((r) => (r.canonical !== undefined ? [r.canonical] : [])),
  check({ facts, options, bundleFile }) {
    const files = facts.repo.files;
    const findings: RuleFinding[] = [];
    const notLookedUp: string[] = [];
    const notInBundle: string[] = [];
    for (const requirement of requirementsOf(options)) {
      // GitHub uses the first candidate that exists; one not looked up before it leaves that unknown.
      let found: { path: string; content: string } | undefined;
      let unknown = false;
      for (const path of requirement.candidates) {
        const content = Object.hasOwn(files, path) ? files[path] : undefined;
        if (content === undefined) {
          notLookedUp.push(path);
          unknown = true;
          break;
        }
        if (content !== null) {
          found = { path, content };
          break;
        }
      }
      if (unknown) continue;
      const canonical = requirement.canonical === undefined ? undefined : bundleFile(requirement.canonical);
      if (requirement.canonical !== undefined && canonical === undefined) {
        notInBundle.push(requirement.canonical);
        continue;
      }
      if (!found) {
        findings.push(missingFinding(requirement));
        continue;
      }
      const canonicalPath = requirement.canonical ?? "";
      const large =
        requirement.match === "exists"
          ? undefined
          : tooLarge(`\`${found.path}\``, found.content, { chars: INPUT_LIMITS.fileChars });
      if (large) return notEvaluated(`${large}, so its content was not checked`);
      switch (requirement.match) {
        case "exists":
          break;
        case "exact": {
          const difference = canonicalDifference(
            found.path,
            found.content,
            canonicalPath,
            canonical ?? "",
            "trailing",
          );
          if (difference) findings.push(difference);
          break;
        }
        case "sections":
          if (markdownHeadings(canonical ?? "").length === 0) {
            return notEvaluated(
              `the canonical \`${canonicalPath}\` has no markdown heading, so match: sections has nothing to compare`,
            );
          }
          findings.push(...sectionFindings(found.path, found.content, canonicalPath, canonical ?? ""));
          break;
        case "contains":
          findings.push(...containsFindings(found.path, found.content, requirement.contains));
          break;
      }
    }
    if (notInBundle.length > 0) {
      return notEvaluated(`the bundle has no canonical file ${quoteList(notInBundle)}`);
    }
    if (notLookedUp.length > 0) {
      return notEvaluated(
        `the repository's ${quoteList(notLookedUp)} ${notLookedUp.length === 1 ? "was" : "were"} not looked up, so which file GitHub uses is unknown`,
      );
    }
    return findings.sort(compareRuleFindings);
  },
});
