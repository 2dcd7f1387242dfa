/**
 * GitHub Actions expressions (`if:`, `continue-on-error:`) judged only when they are constant: literals,
 * `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||` and parentheses. Anything that reads a context or calls
 * a function depends on the run, so it has no constant value and no rule may call it always true or false.
 */

type Literal = boolean | number | string | null;

/** The truthiness of a constant expression, or undefined when it reads anything of the run. */
export function constantTruth(expression: string): boolean | undefined {
  const inner = unwrap(expression.trim());
  if (inner === undefined) return undefined;
  const tokens = tokenize(inner);
  if (!tokens || tokens.length === 0) return undefined;
  const parser = new Parser(tokens);
  const value = parser.parseOr();
  if (value === undefined || !parser.done()) return undefined;
  return truthy(value.v);
}

/** The expression inside `${{ }}` when the whole value is one; a bare value is an expression already. */
function unwrap(text: string): string | undefined {
  if (!text.includes("${{")) return text;
  if (!text.startsWith("${{") || !text.endsWith("}}")) return undefined;
  const inner = text.slice(3, -2);
  return inner.includes("${{") ? undefined : inner;
}

type Token = { literal: Literal } | { op: string };

const OPERATORS = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")"];

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] ?? "";
    if (char === " " || char === "\t" || char === "\n") {
      at++;
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, at));
    if (op) {
      tokens.push({ op });
      at += op.length;
      continue;
    }
    if (char === "'") {
      let value = "";
      let end = at + 1;
      for (;;) {
        const quote = text.indexOf("'", end);
        if (quote < 0) return undefined;
        value += text.slice(end, quote);
        if (text[quote + 1] !== "'") {
          end = quote + 1;
          break;
        }
        value += "'";
        end = quote + 2;
      }
      tokens.push({ literal: value });
      at = end;
      continue;
    }
    let end = at;
    while (end < text.length && !" \t\n()!=<>&|'".includes(text[end] ?? " ")) end++;
    const word = text.slice(at, end);
    const literal = wordLiteral(word);
    if (literal === undefined) return undefined; // a context, a function call: not constant
    tokens.push({ literal });
    at = end;
  }
  return tokens;
}

function wordLiteral(word: string): Literal | undefined {
  if (word === "true") return true;
  if (word === "false") return false;
  if (word === "null") return null;
  if (word !== "" && Number.isFinite(Number(word))) return Number(word);
  return undefined;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  done(): boolean {
    return this.at === this.tokens.length;
  }

  private takeOp(op: string): boolean {
    const token = this.tokens[this.at];
    if (token && "op" in token && token.op === op) {
      this.at++;
      return true;
    }
    return false;
  }

  parseOr(): { v: Literal } | undefined {
    let left = this.parseAnd();
    while (left && this.takeOp("||")) {
      const right = this.parseAnd();
      if (!right) return undefined;
      left = truthy(left.v) ? left : right;
    }
    return left;
  }

  private parseAnd(): { v: Literal } | undefined {
    let left = this.parseComparison();
    while (left && this.takeOp("&&")) {
      const right = this.parseComparison();
      if (!right) return undefined;
      left = truthy(left.v) ? right : left;
    }
    return left;
  }

  private parseComparison(): { v: Literal } | undefined {
    let left = this.parseUnary();
    for (;;) {
      if (!left) return undefined;
      const op = ["==", "!=", "<=", ">=", "<", ">"].find((candidate) => this.takeOp(candidate));
      if (!op) return left;
      const right = this.parseUnary();
      if (!right) return undefined;
      left = { v: compare(op, left.v, right.v) };
    }
  }

  private parseUnary(): { v: Literal } | undefined {
    if (this.takeOp("!")) {
      const operand = this.parseUnary();
      return operand && { v: !truthy(operand.v) };
    }
    if (this.takeOp("(")) {
      const inner = this.parseOr();
      return inner && this.takeOp(")") ? inner : undefined;
    }
    const token = this.tokens[this.at];
    if (!token || !("literal" in token)) return undefined;
    this.at++;
    return { v: token.literal };
  }
}

function truthy(value: Literal): boolean {
  return !(value === false || value === null || value === 0 || value === "" || Number.isNaN(value));
}

/** GitHub's rules: strings compare without case; values of different types compare as numbers. */
function compare(op: string, a: Literal, b: Literal): boolean {
  let left: number | string | boolean | null = a;
  let right: number | string | boolean | null = b;
  if (typeof a === "string" && typeof b === "string") {
    left = a.toLowerCase();
    right = b.toLowerCase();
  } else if (typeof a !== typeof b) {
    left = toNumber(a);
    right = toNumber(b);
  }
  switch (op) {
    case "==":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return (left ?? 0) < (right ?? 0);
    case "<=":
      return (left ?? 0) <= (right ?? 0);
    case ">":
      return (left ?? 0) > (right ?? 0);
    default:
      return (left ?? 0) >= (right ?? 0);
  }
}

function toNumber(value: Literal): number {
  if (value === null) return 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  return value.trim() === "" ? 0 : Number(value);
}
