/** Every rule the engine knows, by id. A bundle's standards refer to these ids. */
import consistentFile from "./consistent-file.js";
import requiredFile from "./required-file.js";
import type { Rule } from "./types.js";

const all: Rule[] = [
  // rules: one import per rule, kept in alphabetical order
  consistentFile,
  requiredFile,
];

export const rules: ReadonlyMap<string, Rule> = new Map(all.map((rule) => [rule.id, rule]));
