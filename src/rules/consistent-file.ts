/**
 * A configuration file that must be identical in every repository of a profile (lint configs, CI
 * templates, editorconfig): compared with its canonical copy in the bundle, reporting where and how it
 * differs so the drift can be undone in one step.
 */
import { z } from "zod";
import { INPUT_LIMITS, tooLarge } from "../util/input-limits.js";
import { canonicalDifference, copyFromBundle } from "./support/canonical-diff.js";
import { defineRule, notEvaluated } from "./types.js";

const options = z
  .object({
    /** The file's path in the repository. */
    path: z
      .string()
      .min(1)
      .refine((p) => !p.startsWith("/") && !p.endsWith("/"), "a file path relative to the repository root"),
    /** Bundle-relative path of the canonical copy. */
    canonical: z.string().min(1),
    /** A missing file is a finding; with false, the file is compared only when present. */
    required: z.boolean().default(true),
    /** Ignore whitespace inside lines and blank lines; line endings never count. */
    ignoreWhitespace: z.boolean().default(false),
  })
  .strict();

export default defineRule({
  id: "consistent-file",
  scope: "repo",
  description: "A configuration file is identical to its canonical copy in the bundle",
  options,
  requires: ["repo.files"],
  files: (o) => [o.path],
  bundleFiles: (o) => [o.canonical],
  check({ facts, options, bundleFile }) {
    const { path, canonical: canonicalPath } = options;
    const files = facts.repo.files;
    const content = Object.hasOwn(files, path) ? files[path] : undefined;
    if (content === undefined) {
      return notEvaluated(`the repository's \`${path}\` was not looked up`);
    }
    const canonical = bundleFile(canonicalPath);
    if (canonical === undefined) return notEvaluated(`the bundle has no canonical file \`${canonicalPath}\``);
    if (content === null) {
      if (!options.required) return [];
      return [
        {
          message: `\`${path}\` is missing; it must be an unchanged copy of the canonical \`${canonicalPath}\``,
          path,
          expected: path,
          found: "no such file",
          remediation: copyFromBundle(canonicalPath, path),
        },
      ];
    }
    const large = tooLarge(`\`${path}\``, content, { chars: INPUT_LIMITS.fileChars });
    if (large) return notEvaluated(`${large}, so it was not compared with \`${canonicalPath}\``);
    const difference = canonicalDifference(
      path,
      content,
      canonicalPath,
      canonical,
      options.ignoreWhitespace ? "all" : "line-endings",
    );
    return difference ? [difference] : [];
  },
});
