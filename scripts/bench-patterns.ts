/**
 * Benchmark of bundle regular expressions at the limits (`PATTERN_LIMITS`): each pattern is matched
 * against the most text one match reads, chosen to be its worst case. The patterns that keep many RE2
 * states alive and never match are the slow ones; a counted repetition over the limit is shown for
 * comparison, compiled directly since the app refuses it. Each match is a first one, on a freshly
 * compiled pattern. Prints the median per pattern and text, then one JSON line. Target: every pattern
 * within the limits well under 1 s.
 *
 *   npx tsx scripts/bench-patterns.ts [runs]
 */
import { performance } from "node:perf_hooks";
import { RE2JS } from "re2js";
import { compilePattern, PATTERN_LIMITS } from "../src/util/pattern.js";

const RUNS = Number(process.argv[2] ?? 5);
const BYTES = PATTERN_LIMITS.maxInputBytes;

/** `BYTES` characters drawn from `alphabet` by a fixed generator, so every run reads the same text. */
function text(alphabet: string): string {
  let seed = 12345;
  let out = "";
  for (let i = 0; i < BYTES; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    out += alphabet[(seed >> 8) % alphabet.length];
  }
  return out;
}

const TEXTS = {
  "a...": "a".repeat(BYTES),
  "random ab": text("ab"),
  "random a-z": text("abcdefghijklmnopqrstuvwxyz"),
  "random ascii": text("abcdefghijklmnopqrstuvwxyz0123456789 \n-_.ABCXYZ/"),
};

/** Within the limits: each ends in a class absent from the texts, so none matches early. */
const WITHIN = [
  "(?s)(.*a.{30}|.*b.{30})[\\x01\\x02]",
  "(?s)(.{0,15}a.{15}|b.{15})[\\x01\\x02]",
  "(?s)(a.{20}|b.{20}|c.{20})[\\x01\\x02]",
  "[a-z]{1,32}[\\x01\\x02]",
  "([a-z]{1,4}){1,6}[\\x01\\x02]",
  "^(feat|fix|docs|chore|refactor|test|ci|build|perf|style|revert)/[a-z0-9._-]+$",
];
/** Refused by the limits, timed on RE2 itself. */
const REFUSED = ["[a-z]{1,1000}[0-9]"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The median time of a first match: compiled afresh each run, since RE2's DFA cache warms up. */
function time(source: string, input: string): number {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const re = RE2JS.compile(source);
    const started = performance.now();
    re.test(input);
    runs.push(performance.now() - started);
  }
  return median(runs);
}

const results: Array<{ pattern: string; within: boolean; size: number; worstMs: number }> = [];
for (const [within, patterns] of [
  [true, WITHIN],
  [false, REFUSED],
] as const) {
  for (const source of patterns) {
    // The app matches as compilePattern does (RE2JS `test`), once the pattern is within the limits.
    if (within) compilePattern(source);
    const re = RE2JS.compile(source);
    const times = Object.entries(TEXTS).map(([name, input]) => [name, time(source, input)] as const);
    const worstMs = Math.max(...times.map(([, ms]) => ms));
    results.push({ pattern: source, within, size: re.programSize(), worstMs: Math.round(worstMs) });
    console.log(`${within ? "within " : "refused"} ${String(re.programSize()).padStart(5)} ${source}`);
    for (const [name, ms] of times) console.log(`        ${name.padEnd(14)} ${ms.toFixed(1).padStart(8)} ms`);
  }
}
const worstWithin = Math.max(...results.filter((r) => r.within).map((r) => r.worstMs));
console.log(JSON.stringify({ bytes: BYTES, runs: RUNS, worstWithinMs: worstWithin, results }));
