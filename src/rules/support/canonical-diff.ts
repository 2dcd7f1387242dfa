/**
 * Findings about a repository file that must equal its canonical copy in the bundle, shared by
 * `required-file` (match: exact) and `consistent-file`: where it first differs and the diff that fixes it.
 */
import { diffText, summarizeDiff, type WhitespaceMode } from "../../util/text-diff.js";
import type { RuleFinding } from "../types.js";

const TOLERANCE: Record<WhitespaceMode, string> = {
  "line-endings": "line endings aside",
  trailing: "line endings and trailing whitespace aside",
  all: "whitespace and line endings aside",
};

/** How to create a missing file from the bundle; `how` says what may change in the copy. */
export function copyFromBundle(canonicalPath: string, path: string, how = "unchanged"): string {
  return `Copy \`${canonicalPath}\` from the standards bundle to \`${path}\` ${how}, and commit it.`;
}

/** The finding for `content` at `path` when it differs from `canonical`, or undefined when it does not. */
export function canonicalDifference(
  path: string,
  content: string,
  canonicalPath: string,
  canonical: string,
  whitespace: WhitespaceMode,
): RuleFinding | undefined {
  const diff = diffText(content, canonical, {
    whitespace,
    fileLabel: `a/${path}`,
    canonicalLabel: `b/${path} (bundle: ${canonicalPath})`,
  });
  if (!diff) return undefined;
  return {
    message: `\`${path}\` differs from the canonical \`${canonicalPath}\`: ${diff.description} (${summarizeDiff(diff)})`,
    path,
    line: diff.line,
    ...(diff.expected !== undefined ? { expected: diff.expected } : {}),
    ...(diff.found !== undefined ? { found: diff.found } : {}),
    remediation: `Replace \`${path}\` with an unchanged copy of \`${canonicalPath}\` from the standards bundle (${TOLERANCE[whitespace]}, it must be identical); if every repository needs the change, propose it to the bundle's owners, who decide whether the canonical copy changes. This diff turns the file into the canonical copy:\n\n\`\`\`diff\n${diff.unified}\n\`\`\``,
  };
}
