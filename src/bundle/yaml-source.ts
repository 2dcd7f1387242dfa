/**
 * Reads `rulebook.yml` with the `yaml` package, within limits (size, nesting depth, alias expansion),
 * and keeps the parsed document and its line counter so that any YAML path can be mapped back to a
 * line and column.
 */
import {
  CST,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  parseDocument,
  type Document as YamlDocument,
} from "yaml";
import { type BundleDiagnostic, fileDiagnostic } from "./diagnostics.js";
import { BUNDLE_LIMITS, byteLength } from "./limits.js";

export type YamlPath = ReadonlyArray<string | number>;

interface Position {
  line: number;
  column: number;
}

/** A parsed YAML file that can say where any path of its data is written. */
export class YamlSource {
  constructor(
    readonly file: string,
    readonly value: unknown,
    private readonly document: YamlDocument,
    private readonly lines: LineCounter,
  ) {}

  /**
   * Where `path` is written: the key of a mapping entry, or the item of a list. When the path does not
   * exist (a required key that is missing), the nearest enclosing entry that does.
   */
  position(path: YamlPath): Position {
    let node: unknown = this.document.contents;
    let offset = rangeStart(node) ?? 0;
    for (const segment of path) {
      node = this.resolve(node);
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
        node = node.items[segment];
        offset = rangeStart(node) ?? offset;
      } else {
        break;
      }
    }
    return this.at(offset);
  }

  /** The path of the first scalar under `path` whose value is `text` (to locate a file name inside rule options). */
  findScalar(path: YamlPath, text: string): YamlPath | undefined {
    const search = (node: unknown, at: YamlPath, depth: number): YamlPath | undefined => {
      if (depth > BUNDLE_LIMITS.maxDepth) return undefined;
      if (isScalar(node)) return node.value === text ? at : undefined;
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const found = search(pair.value, [...at, String(pair.key.value)], depth + 1);
          if (found) return found;
        }
      }
      if (isSeq(node)) {
        for (const [index, item] of node.items.entries()) {
          const found = search(item, [...at, index], depth + 1);
          if (found) return found;
        }
      }
      return undefined;
    };
    return search(this.document.getIn(path, true), path, 0);
  }

  /** A diagnostic located at `path`. */
  diagnostic(
    path: YamlPath,
    message: string,
    severity: BundleDiagnostic["severity"] = "error",
  ): BundleDiagnostic {
    return { file: this.file, ...this.position(path), key: path.join("."), message, severity };
  }

  private at(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.document) : node;
  }
}

type ReadYamlResult =
  | { ok: true; source: YamlSource; warnings: BundleDiagnostic[] }
  | { ok: false; errors: BundleDiagnostic[]; warnings: BundleDiagnostic[] };

/** Parses one YAML document; every syntax error, duplicate key, excess and bad alias becomes a diagnostic. */
export function readYaml(file: string, text: string): ReadYamlResult {
  const bytes = byteLength(text);
  if (bytes > BUNDLE_LIMITS.maxYamlBytes) {
    return {
      ok: false,
      errors: [
        fileDiagnostic(
          file,
          `file is ${bytes} bytes; rulebook.yml may be at most ${BUNDLE_LIMITS.maxYamlBytes} bytes`,
        ),
      ],
      warnings: [],
    };
  }
  const lines = new LineCounter();
  // The composer recurses once per level, so a deep enough file would exhaust the stack: measure first.
  const tooDeep = firstTooDeep(text);
  if (tooDeep !== undefined) {
    const { line, column } = positionOf(text, tooDeep.offset);
    const key = tooDeep.path.join(".");
    return {
      ok: false,
      errors: [{ file, line, column, key, message: tooDeepMessage(), severity: "error" }],
      warnings: [],
    };
  }
  let document: YamlDocument;
  try {
    document = parseDocument(text, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: false,
      version: "1.2",
      schema: "core",
      merge: false,
    });
  } catch (error) {
    return {
      ok: false,
      errors: [fileDiagnostic(file, `cannot parse YAML: ${(error as Error).message}`)],
      warnings: [],
    };
  }
  const located = (
    offset: number,
    path: YamlPath,
    message: string,
    severity: BundleDiagnostic["severity"] = "error",
  ): BundleDiagnostic => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col, key: path.join("."), message, severity };
  };
  // An unknown tag would be read as a plain string, which is never what its author meant.
  const unknownTags = document.warnings.filter((w) => w.code === "TAG_RESOLVE_FAILED");
  const warnings = document.warnings
    .filter((w) => w.code !== "TAG_RESOLVE_FAILED")
    .map((w) =>
      located(
        w.pos[0],
        keyAt(document, w.pos[0], document.errors.length > 0),
        yamlMessage(w.message),
        "warning",
      ),
    );
  const errors = [
    ...document.errors.map((e) =>
      e.code === "MULTIPLE_DOCS"
        ? located(e.pos[0], [], 'a bundle is one YAML document; remove the "---" that starts a second one')
        : located(e.pos[0], keyAt(document, e.pos[0], true), yamlMessage(e.message)),
    ),
    ...unknownTags.map((w) =>
      located(
        w.pos[0],
        keyAt(document, w.pos[0], false),
        `${yamlMessage(w.message)}; a bundle uses no custom tags (remove the tag, or quote the value if the "!" is part of it)`,
      ),
    ),
  ];
  if (errors.length > 0) return { ok: false, errors, warnings };

  const structure = checkStructure(document, lines);
  const problems = structure.problems.map((p) => located(p.offset, p.path, p.message));
  if (problems.length > 0) return { ok: false, errors: problems, warnings };
  const source = (value: unknown) => new YamlSource(file, value, document, lines);

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: BUNDLE_LIMITS.maxAliasCount });
  } catch (error) {
    const path = structure.firstAlias ?? [];
    const message = /alias count/i.test((error as Error).message)
      ? `anchors and aliases expand to too much data (more than ${BUNDLE_LIMITS.maxAliasCount} alias expansions); write the values out or use fewer aliases`
      : `cannot read YAML: ${(error as Error).message}`;
    return { ok: false, errors: [source(undefined).diagnostic(path, message)], warnings };
  }
  return { ok: true, source: source(value), warnings };
}

/** The `yaml` package's message without its position suffix (the diagnostic carries the position). */
function yamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+[\s\S]*$/, "").trim();
}

interface StructureCheck {
  problems: Array<{ offset: number; path: YamlPath; message: string }>;
  firstAlias?: YamlPath;
}

/**
 * Walks the document without expanding aliases: nesting depth, duplicate or non-scalar keys, and
 * aliases without an anchor. Stops descending at the depth limit, so it is linear in the file's size.
 */
function checkStructure(document: YamlDocument, lines: LineCounter): StructureCheck {
  const result: StructureCheck = { problems: [] };
  const walk = (node: unknown, path: YamlPath, depth: number): void => {
    if (isAlias(node)) {
      result.firstAlias ??= path;
      if (!node.resolve(document)) {
        result.problems.push({
          offset: rangeStart(node) ?? 0,
          path,
          message: `alias *${node.source} has no anchor &${node.source} before it`,
        });
      }
      return;
    }
    if (!isCollection(node)) return;
    if (depth >= BUNDLE_LIMITS.maxDepth) {
      result.problems.push({
        offset: rangeStart(node) ?? 0,
        path,
        message: tooDeepMessage(),
      });
      return;
    }
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (!isScalar(pair.key)) {
          result.problems.push({
            offset: rangeStart(pair.key) ?? rangeStart(node) ?? 0,
            path,
            message: "keys must be plain scalars, not lists, mappings or aliases",
          });
          continue;
        }
        const key = String(pair.key.value);
        const entry = [...path, key];
        const firstLine = seen.get(key);
        if (firstLine !== undefined) {
          result.problems.push({
            offset: rangeStart(pair.key) ?? 0,
            path: entry,
            message: `duplicate key "${key}" (first defined at line ${firstLine})`,
          });
        } else {
          seen.set(key, lines.linePos(rangeStart(pair.key) ?? 0).line);
        }
        walk(pair.value, entry, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) walk(item, [...path, index], depth + 1);
    }
  };
  walk(document.contents, [], 0);
  return result;
}

function tooDeepMessage(): string {
  return `nested more than ${BUNDLE_LIMITS.maxDepth} levels deep; a bundle never needs this much nesting`;
}

const CST_COLLECTIONS = new Set(["block-map", "block-seq", "flow-collection"]);

interface CstNode {
  type?: string;
  offset?: number;
  start?: { source?: string };
  value?: CstNode;
  items?: Array<{ key?: CstNode | null; value?: CstNode | null }>;
}

/**
 * Where the first collection nested deeper than the limit starts, and its path, read from the `yaml`
 * package's concrete syntax tree (built without recursion) with an explicit stack, for the same reason.
 */
function firstTooDeep(text: string): { offset: number; path: YamlPath } | undefined {
  for (const token of new Parser().parse(text) as Iterable<CstNode>) {
    const stack: Array<{ node: CstNode | null | undefined; depth: number; path: YamlPath }> = [
      { node: token.value, depth: 0, path: [] },
    ];
    while (stack.length > 0) {
      const { node, depth, path } = stack.pop() as (typeof stack)[number];
      if (!node?.type || !CST_COLLECTIONS.has(node.type)) continue;
      if (depth >= BUNDLE_LIMITS.maxDepth) return { offset: node.offset ?? 0, path };
      const isSeq =
        node.type === "block-seq" || (node.type === "flow-collection" && node.start?.source === "[");
      (node.items ?? []).forEach((item, index) => {
        const at = [...path, isSeq ? index : keyText(item.key)];
        stack.push(
          { node: item.value, depth: depth + 1, path: at },
          { node: item.key, depth: depth + 1, path },
        );
      });
    }
  }
  return undefined;
}

function keyText(key: CstNode | null | undefined): string {
  const scalar = key
    ? CST.resolveAsScalar(key as Parameters<typeof CST.resolveAsScalar>[0], false, () => {})
    : null;
  return scalar?.value ?? "";
}

/** 1-based line and column of an offset. */
function positionOf(text: string, offset: number): Position {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let at = text.indexOf("\n"); at !== -1 && at < offset; at = text.indexOf("\n", at + 1))
    lines.addNewLine(at + 1);
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
}

function rangeEnd(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range?.[2];
}

function contains(start: unknown, end: unknown, offset: number): boolean {
  const from = rangeStart(start);
  const to = rangeEnd(end);
  return from !== undefined && from <= offset && (to === undefined || offset <= to);
}

/**
 * The YAML path of the deepest entry that contains `offset`, to name the key of a syntax error or warning.
 * In a broken document it stops at flow collections (`{…}`, `[…]`) and at keys with spaces: a syntax
 * error turns the lines after it into such odd entries, which would mislead.
 */
function keyAt(document: YamlDocument, offset: number, broken: boolean): YamlPath {
  const path: Array<string | number> = [];
  let node: unknown = document.contents;
  for (let depth = 0; depth < BUNDLE_LIMITS.maxDepth; depth++) {
    if (broken && isCollection(node) && node.flow) break;
    if (isMap(node)) {
      const pair = node.items.find((item) => contains(item.key, item.value, offset));
      if (!pair || !isScalar(pair.key) || (broken && /\s/.test(String(pair.key.value)))) break;
      path.push(String(pair.key.value));
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item, item, offset));
      if (index < 0) break;
      path.push(index);
      node = node.items[index];
    } else {
      break;
    }
  }
  return path;
}
