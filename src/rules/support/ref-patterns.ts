/**
 * Ruleset ref patterns as GitHub reads them: Ruby's `File.fnmatch` with `FNM_PATHNAME` over full ref names
 * (`refs/heads/main`), so `*` and `?` stop at `/`, a `**\/` segment spans directories, `[...]` is a set (`[!...]`
 * negated); no escapes, no braces. Beyond matching one ref, a standard asks whether a pattern it declares
 * (`refs/tags/v*`) is covered by a ruleset's includes and untouched by its excludes: questions about every
 * ref a pattern matches, answered exactly on small automata.
 */

/** One step of a compiled pattern. */
type Token =
  | { kind: "char"; char: number }
  | { kind: "one" }
  | { kind: "star" }
  | { kind: "dirs" }
  | { kind: "set"; ranges: Array<[number, number]>; negated: boolean };

const SLASH = "/".codePointAt(0) as number;

export interface RefContext {
  target: "branch" | "tag";
  defaultBranch: string;
}

const BRANCH_PREFIX = "refs/heads/";

/** The branch a full ref names (`refs/heads/release/1` is `release/1`); undefined for tags and other refs. */
export function branchOfRef(ref: string): string | undefined {
  return ref.startsWith(BRANCH_PREFIX) ? ref.slice(BRANCH_PREFIX.length) : undefined;
}

/** The fnmatch pattern for GitHub's `~ALL` and `~DEFAULT_BRANCH`; other patterns are returned as given. */
export function expandRefPattern(pattern: string, context: RefContext): string {
  if (pattern === "~ALL") return context.target === "branch" ? "refs/heads/**/*" : "refs/tags/**/*";
  if (pattern === "~DEFAULT_BRANCH") return `refs/heads/${context.defaultBranch}`;
  return pattern;
}

function tokenize(pattern: string): Token[] {
  const chars = [...pattern].map((c) => c.codePointAt(0) as number);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = String.fromCodePoint(chars[i] as number);
    if (c === "?") tokens.push({ kind: "one" });
    else if (c === "*") {
      // `**/` spans directories only as a whole path segment; elsewhere `**` is a plain `*`.
      const segmentStart = i === 0 || chars[i - 1] === SLASH;
      if (segmentStart && chars[i + 1] === chars[i] && chars[i + 2] === SLASH) {
        tokens.push({ kind: "dirs" });
        i += 2;
      } else {
        while (chars[i + 1] === chars[i]) i++;
        tokens.push({ kind: "star" });
      }
    } else if (c === "[") {
      const set = parseSet(chars, i + 1);
      if (set) {
        tokens.push(set.token);
        i = set.end;
      } else tokens.push({ kind: "char", char: chars[i] as number });
    } else tokens.push({ kind: "char", char: chars[i] as number });
  }
  return tokens;
}

/** A `[...]` set starting after the `[`; undefined when unclosed, and then the `[` is literal. */
function parseSet(chars: number[], start: number): { token: Token; end: number } | undefined {
  let i = start;
  const negated = chars[i] === 0x21 || chars[i] === 0x5e; // ! or ^
  if (negated) i++;
  const ranges: Array<[number, number]> = [];
  let first = true;
  for (; i < chars.length; i++) {
    const c = chars[i] as number;
    if (c === 0x5d && !first) return { token: { kind: "set", ranges, negated }, end: i }; // ]
    first = false;
    const next = chars[i + 2];
    if (chars[i + 1] === 0x2d && next !== undefined && next !== 0x5d) {
      // a-z
      ranges.push([Math.min(c, next), Math.max(c, next)]);
      i += 2;
    } else ranges.push([c, c]);
  }
  return undefined;
}

/** A nondeterministic automaton; transitions test one code point. */
interface Automaton {
  starts: number[];
  accepting: Set<number>;
  epsilon: Map<number, number[]>;
  moves: Map<number, Array<{ to: number; test: (c: number) => boolean }>>;
  /** Code points where some test changes its answer: one representative per region of equal behaviour. */
  breakpoints: number[];
}

function build(patterns: readonly string[]): Automaton {
  const automaton: Automaton = {
    starts: [],
    accepting: new Set(),
    epsilon: new Map(),
    moves: new Map(),
    breakpoints: [SLASH, SLASH + 1],
  };
  let next = 0;
  const fresh = () => next++;
  const addEpsilon = (from: number, to: number) =>
    automaton.epsilon.set(from, [...(automaton.epsilon.get(from) ?? []), to]);
  const addMove = (from: number, to: number, test: (c: number) => boolean) =>
    automaton.moves.set(from, [...(automaton.moves.get(from) ?? []), { to, test }]);
  const notSlash = (c: number) => c !== SLASH;
  const anything = () => true;
  for (const pattern of patterns) {
    let state = fresh();
    automaton.starts.push(state);
    for (const token of tokenize(pattern)) {
      const to = fresh();
      switch (token.kind) {
        case "char":
          automaton.breakpoints.push(token.char, token.char + 1);
          addMove(state, to, (c) => c === token.char);
          break;
        case "one":
          addMove(state, to, notSlash);
          break;
        case "set": {
          for (const [low, high] of token.ranges) automaton.breakpoints.push(low, high + 1);
          const inSet = (c: number) => token.ranges.some(([low, high]) => c >= low && c <= high);
          addMove(state, to, (c) => c !== SLASH && inSet(c) !== token.negated);
          break;
        }
        case "star":
          addEpsilon(state, to);
          addMove(state, state, notSlash);
          break;
        case "dirs": {
          // Zero or more whole directories: the empty string, or any string that ends with `/`.
          const inside = fresh();
          addEpsilon(state, to);
          addMove(state, inside, anything);
          addMove(inside, inside, anything);
          addMove(state, to, (c) => c === SLASH);
          addMove(inside, to, (c) => c === SLASH);
          break;
        }
      }
      state = to;
    }
    automaton.accepting.add(state);
  }
  return automaton;
}

function closure(automaton: Automaton, states: Iterable<number>): number[] {
  const seen = new Set(states);
  const stack = [...seen];
  while (stack.length > 0) {
    const state = stack.pop() as number;
    for (const to of automaton.epsilon.get(state) ?? []) {
      if (!seen.has(to)) {
        seen.add(to);
        stack.push(to);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

function step(automaton: Automaton, states: number[], c: number): number[] {
  const to = new Set<number>();
  for (const state of states) {
    for (const move of automaton.moves.get(state) ?? []) if (move.test(c)) to.add(move.to);
  }
  return closure(automaton, to);
}

/**
 * Explores both automata in lockstep over every ref either could read, and reports whether some ref
 * reaches a pair of state sets for which `stop` holds.
 */
function someRef(left: Automaton, right: Automaton, stop: (l: boolean, r: boolean) => boolean): boolean {
  const alphabet = [...new Set([0, ...left.breakpoints, ...right.breakpoints])].filter((c) => c <= 0x10ffff);
  const accepts = (a: Automaton, states: number[]) => states.some((s) => a.accepting.has(s));
  const start: [number[], number[]] = [closure(left, left.starts), closure(right, right.starts)];
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const [l, r] = queue.shift() as [number[], number[]];
    const key = `${l.join(",")}|${r.join(",")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (stop(accepts(left, l), accepts(right, r))) return true;
    if (l.length === 0) continue;
    for (const c of alphabet) queue.push([step(left, l, c), step(right, r, c)]);
  }
  return false;
}

/** Whether every ref `pattern` matches is matched by at least one of `patterns` (all already expanded). */
export function patternsCover(patterns: readonly string[], pattern: string): boolean {
  return !someRef(build([pattern]), build(patterns), (declared, covered) => declared && !covered);
}

/** Whether some ref is matched by both patterns (both already expanded). */
export function patternsOverlap(a: string, b: string): boolean {
  return someRef(build([a]), build([b]), (left, right) => left && right);
}
