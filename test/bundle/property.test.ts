/** parseBundle never throws, whatever it is given: every problem is a diagnostic. */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { stringify } from "yaml";
import { parseBundle } from "../../src/bundle/parse.js";
import { fakeRules } from "./fake-rules.js";

const options = { source: "property", now: "2026-11-23T12:00:00Z", registry: fakeRules };

/** Keys the bundle format uses, so generated objects reach deep into validation, not only "unknown key". */
const KEYS = [
  "version",
  "extends",
  "settings",
  "profiles",
  "standards",
  "waivers",
  "checkName",
  "escalateAfter",
  "agents",
  "logins",
  "title",
  "rule",
  "severity",
  "options",
  "pattern",
  "types",
  "canonical",
  "path",
  "docs",
  "since",
  "expires",
  "pr-title",
  "commit-message",
  "required-file",
  "all",
];

const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(
      null,
      true,
      false,
      0,
      -1,
      3,
      2026.11,
      "",
      "error",
      "pr-title",
      "2026-02-30",
      "(?=x)",
      "*",
    ),
    fc.string(),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie("value"), { maxKeys: 5 }),
  ),
})).value;

function outcome(files: Record<string, string>): boolean {
  const result = parseBundle(files, options);
  // Whatever happens, the result is one of the two documented shapes.
  return result.ok ? Array.isArray(result.warnings) : result.errors.length > 0;
}

describe("parseBundle on arbitrary input", () => {
  it("never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) => {
        expect(() => outcome({ "rulebook.yml": text })).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it("never throws on arbitrary JSON-ish objects dumped to YAML", () => {
    fc.assert(
      fc.property(jsonish, fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), (value, files) => {
        const text = stringify(value);
        expect(outcome({ ...files, "rulebook.yml": text })).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("never throws on YAML with anchors, aliases and tags spliced in", () => {
    const fragments = fc.constantFrom(
      "&a ",
      "*a ",
      "!!str ",
      "!tag ",
      "<<: *a\n",
      "? ",
      "- ",
      "{",
      "}",
      "[",
      "]",
      "\t",
    );
    fc.assert(
      fc.property(jsonish, fc.array(fc.tuple(fc.nat(), fragments), { maxLength: 4 }), (value, splices) => {
        let text = stringify(value);
        for (const [at, fragment] of splices) {
          const index = at % (text.length + 1);
          text = `${text.slice(0, index)}${fragment}${text.slice(index)}`;
        }
        expect(() => outcome({ "rulebook.yml": text })).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });
});
