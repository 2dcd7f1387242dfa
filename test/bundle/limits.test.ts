import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { type BundleDiagnostic, formatDiagnostic } from "../../src/bundle/diagnostics.js";
import { BUNDLE_LIMITS, decodeBundleFile } from "../../src/bundle/limits.js";
import { type BundleResult, parseBundle } from "../../src/bundle/parse.js";
import { readYaml } from "../../src/bundle/yaml-source.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { rules } from "../../src/rules/registry.js";
import { compilePattern, PATTERN_LIMITS } from "../../src/util/pattern.js";
import { repoScope } from "../support/facts.js";

describe("decodeBundleFile", () => {
  it("reads UTF-8, a byte-order mark aside, and names the first bad byte of anything else", () => {
    expect(decodeBundleFile("a.md", Buffer.from("h\u00e9 \u{1f600}\n"))).toEqual({
      text: "h\u00e9 \u{1f600}\n",
    });
    expect(decodeBundleFile("a.md", Buffer.from([0x61, 0x0a, 0x62, 0xc3]))).toMatchObject({
      error: {
        file: "a.md",
        line: 2,
        column: 2,
        message: "byte 4 is not valid UTF-8; save the file as UTF-8",
      },
    });
  });

  it("accepts exactly what a strict decoder accepts, never throwing, with the bad byte inside the file", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const decoded = decodeBundleFile("f", bytes);
        let strict: string | undefined;
        try {
          strict = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        } catch {}
        if (strict !== undefined) return "text" in decoded && decoded.text === strict;
        return "error" in decoded && decoded.error.line >= 1 && /^byte (\d+) /.test(decoded.error.message);
      }),
    );
  });
});

describe("readYaml limits", () => {
  it("reports 10,000 levels of nesting as too deep, at the line it starts, in any notation", () => {
    const cases = {
      flow: `a: 1\nb: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`,
      map: `a: 1\nb: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n`,
      compact: `a: 1\nb:\n  ${"- ".repeat(10_000)}x\n`,
      unclosed: `a: 1\nb: ${"[".repeat(10_000)}\n`,
    };
    for (const text of Object.values(cases)) {
      const result = readYaml("rulebook.yml", text);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({
        line: expect.any(Number),
        message: "nested more than 32 levels deep; a bundle never needs this much nesting",
      });
      expect(result.errors[0]?.line).toBeGreaterThanOrEqual(2);
    }
  });

  it("accepts nesting up to the limit", () => {
    expect(readYaml("rulebook.yml", `a: ${"[".repeat(31)}${"]".repeat(31)}\n`).ok).toBe(true);
  });

  it("makes an unknown tag an error at its line and key", () => {
    const result = readYaml("rulebook.yml", "a: 1\nb:\n  c: !vault secret\n");
    expect(result).toMatchObject({
      ok: false,
      errors: [{ file: "rulebook.yml", line: 3, column: 6, key: "b.c" }],
      warnings: [],
    });
  });

  it("never throws on deeply nested or tagged text, whatever the brackets", () => {
    const piece = fc.constantFrom("[", "]", "{", "}", "- ", "a: ", "\n  ", "!t ", "&x ", "*x ", ", ", "? ");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), fc.nat(60), (pieces, depth) => {
        const text = `${"[".repeat(depth)}${pieces.join("")}`;
        expect(() => readYaml("rulebook.yml", text)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe("what one bundle may ask of every repository", () => {
  const NOW = "2026-11-23T12:00:00Z";
  /** The worst pattern within the limits (see scripts/bench-patterns.ts). */
  const WORST = "(?s)(.*a.{30}|.*b.{30})[\\x01\\x02]";

  /** `count` standards (`s-0`, ...) requiring `config/prod.env`, to match `patterns` when there are any. */
  function bundleWith(count: number, patterns: string[]): BundleResult {
    const standards = Array.from({ length: count }, (_, i) =>
      [
        `  s-${i}:`,
        "    title: A secret is set",
        "    rule: required-file",
        "    severity: error",
        "    options:",
        "      paths: [config/prod.env]",
        ...(patterns.length
          ? [
              "      match: contains",
              "      contains:",
              ...patterns.map((p) => `        - ${JSON.stringify(p)}`),
            ]
          : []),
        "    rationale: r",
        "    remediation: r",
      ].join("\n"),
    );
    const yaml = ['version: "1"', "standards:", ...standards, ""].join("\n");
    const docs = Object.fromEntries(standards.map((_, i) => [`docs/s-${i}.md`, "# s\n"]));
    return parseBundle({ "rulebook.yml": yaml, ...docs }, { source: "test", now: NOW, registry: rules });
  }
  const errorsOf = (result: BundleResult) => (result.ok ? [] : result.errors.map(formatDiagnostic));

  it("accepts a bundle at every limit", () => {
    expect(errorsOf(bundleWith(BUNDLE_LIMITS.maxStandards, []))).toEqual([]);
    expect(errorsOf(bundleWith(BUNDLE_LIMITS.maxPatterns, ["(?m)^AWS_SECRET_ACCESS_KEY=[A-M]"]))).toEqual([]);
    expect(errorsOf(bundleWith(1, [WORST, "[a-z]{1,32}", "(ab){16}", "\\x{41}{32}"]))).toEqual([]);
  });

  it("refuses more standards than the limit, at the standards key", () => {
    expect(errorsOf(bundleWith(BUNDLE_LIMITS.maxStandards + 1, []))).toEqual([
      `rulebook.yml:2:1 standards: the bundle has ${BUNDLE_LIMITS.maxStandards + 1} standards, with those of the bundle it extends; at most ${BUNDLE_LIMITS.maxStandards} are allowed`,
    ]);
  });

  it("refuses more patterns than the limit, at the standard that goes over", () => {
    const over = BUNDLE_LIMITS.maxPatterns + 1;
    // Each standard takes 11 lines after the first two; its options start on its fifth.
    expect(errorsOf(bundleWith(over, ["(?m)^AWS_SECRET_ACCESS_KEY=[A-M]"]))).toEqual([
      `rulebook.yml:${3 + (over - 1) * 11 + 4}:5 standards.s-${over - 1}.options: the bundle's standards have ${over} regular expressions in their options by this one; at most ${BUNDLE_LIMITS.maxPatterns} are allowed`,
    ]);
  });

  it("refuses a pattern over each limit, at its line", () => {
    const cases: Array<[string, string]> = [
      ["a".repeat(PATTERN_LIMITS.maxLength + 1), "pattern is 1001 characters long; at most 1000 are allowed"],
      ["[a-z]{1,1000}[0-9]", "`{1,1000}` repeats up to 1000 times; at most 32 are allowed"],
      ["[a-z]{33,}", "`{33,}` repeats up to 33 times; at most 32 are allowed"],
      [
        "([a-z]{1,8}){1,5}",
        "`{1,5}` repeats up to 40 times (nested repetitions multiply); at most 32 are allowed",
      ],
      [
        "(?s)(.*a.{31}|.*b.{31})",
        "pattern compiles to 73 RE2 instructions; at most 72 are allowed (split it into several simpler patterns)",
      ],
    ];
    for (const [pattern, message] of cases) {
      expect(errorsOf(bundleWith(1, [pattern]))).toEqual([
        `rulebook.yml:11:11 standards.s-0.options.contains.0: not a safe regular expression (RE2 syntax, linear time): ${message}`,
      ]);
    }
  });

  it("does not evaluate a text over the limit: the standard is not evaluated, never passed", () => {
    const pattern = compilePattern("^AWS_SECRET_ACCESS_KEY=");
    const bytes = PATTERN_LIMITS.maxInputBytes + 1;
    expect(() => pattern.test(`AWS_SECRET_ACCESS_KEY=${"x".repeat(bytes - 22)}`)).toThrow(
      `too large: the text is ${bytes} bytes and a bundle pattern reads at most ${PATTERN_LIMITS.maxInputBytes}`,
    );
    // Counted in UTF-8 bytes, not characters.
    expect(() => pattern.test("é".repeat(PATTERN_LIMITS.maxInputBytes / 2 + 1))).toThrow("too large");
    expect(pattern.test("é".repeat(PATTERN_LIMITS.maxInputBytes / 2))).toBe(false);
  });

  it("reports a standard whose file is over the limit as not evaluated, with the reason", async () => {
    const result = bundleWith(1, ["(?m)^AWS_SECRET_ACCESS_KEY=[A-M]"]);
    if (!result.ok) throw new Error(formatDiagnostic(result.errors[0] as BundleDiagnostic));
    const large = `AWS_SECRET_ACCESS_KEY=K\n${"#".repeat(PATTERN_LIMITS.maxInputBytes)}\n`;
    const verdict = await evaluate(result.bundle, repoScope({ files: { "config/prod.env": large } }));
    expect(verdict.standards.map((s) => [s.standard, s.status])).toEqual([["s-0", "not-evaluated"]]);
    expect(verdict.notEvaluated).toEqual([
      {
        standard: "s-0",
        severity: "error",
        reason: `rule required-file failed: too large: the text is ${PATTERN_LIMITS.maxInputBytes + 25} bytes and a bundle pattern reads at most ${PATTERN_LIMITS.maxInputBytes}`,
      },
    ]);
  });
});
