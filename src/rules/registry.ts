/** Every rule the engine knows, by id. A bundle's standards refer to these ids. */
import type { Rule } from "./types.js";

const all: Rule[] = [
  // rules: one import per rule, kept in alphabetical order
];

export const rules: ReadonlyMap<string, Rule> = new Map(all.map((rule) => [rule.id, rule]));
