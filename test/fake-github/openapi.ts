/**
 * GitHub's official OpenAPI description, read once per process, used to match every request the
 * fake receives to a documented operation and to validate its parameters, its body and the fake's
 * own responses. Validators are compiled lazily, per operation, and cached.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from "ajv";
import ajvFormats from "ajv-formats";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** An operation's key: method and path template, as Octokit and `@octokit/types` spell it. */
export type RouteKey = `${HttpMethod} /${string}`;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface ParameterSpec {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: JsonObject;
  "x-multi-segment"?: boolean;
}

interface OperationSpec {
  operationId: string;
  parameters?: (ParameterSpec | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonObject }> };
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: JsonObject }> }>;
}

interface OpenApiSpec {
  paths: Record<string, Partial<Record<Lowercase<HttpMethod>, OperationSpec>>>;
  components: { schemas: Record<string, JsonObject>; parameters: Record<string, ParameterSpec> };
}

/**
 * A description `@octokit/openapi` ships: github.com's, or a GitHub Enterprise Server release's
 * (`ghes-3.17`), whose API lacks what that release lacks.
 */
export type DescriptionName = "api.github.com" | `ghes-${number}.${number}`;

const packageFile = createRequire(import.meta.url).resolve;

const METHODS: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** How specific a template segment is: a literal beats a mixed segment beats a parameter. */
enum SegmentKind {
  Static = 0,
  Mixed = 1,
  Param = 2,
  MultiSegment = 3,
}

interface Template {
  template: string;
  regex: RegExp;
  multiSegmentRegex: RegExp | undefined;
  paramNames: string[];
  kinds: SegmentKind[];
  methods: Partial<Record<HttpMethod, OperationSpec>>;
}

export interface MatchedOperation {
  route: RouteKey;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
}

export type PathMatch =
  | { kind: "operation"; operation: MatchedOperation }
  /** The path is documented, but not for this method. */
  | { kind: "method-not-documented"; template: string; methods: HttpMethod[] }
  | { kind: "unknown-path" };

export interface Problem {
  where: "path" | "query" | "body" | "response";
  message: string;
}

/** Matching and validation against one description, each read and compiled on first use. */
function openDescription(file: string) {
  let loaded: { spec: OpenApiSpec; templates: Template[] } | undefined;

  /** Reads and indexes the description, once per test file (about a third of a second). */
  function load() {
    if (loaded) return loaded;
    const spec = JSON.parse(readFileSync(file, "utf8")) as OpenApiSpec;
    const templates = Object.entries(spec.paths).map(([template, item]) =>
      compileTemplate(spec, template, item),
    );
    templates.sort((a, b) => compareKinds(a.kinds, b.kinds));
    loaded = { spec, templates };
    return loaded;
  }

  function compareKinds(a: SegmentKind[], b: SegmentKind[]): number {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const diff = (a[i] as SegmentKind) - (b[i] as SegmentKind);
      if (diff !== 0) return diff;
    }
    return b.length - a.length;
  }

  function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function compileTemplate(
    spec: OpenApiSpec,
    template: string,
    item: OpenApiSpec["paths"][string],
  ): Template {
    const methods: Template["methods"] = {};
    const multiSegment = new Set<string>();
    for (const method of METHODS) {
      const operation = item[method.toLowerCase() as Lowercase<HttpMethod>];
      if (!operation) continue;
      methods[method] = operation;
      for (const parameter of resolveParameters(spec, operation)) {
        if (parameter.in === "path" && parameter["x-multi-segment"]) multiSegment.add(parameter.name);
      }
    }
    const segments = template.split("/").slice(1);
    const paramNames: string[] = [];
    const kinds: SegmentKind[] = [];
    // Two patterns: one where every parameter is one segment (Octokit encodes "/" as %2F), and one
    // where multi-segment parameters (`contents/{path}`) may span several, tried only when the first fails.
    const single: string[] = [];
    const multi: string[] = [];
    segments.forEach((segment, index) => {
      const whole = /^\{([^}]+)\}$/.exec(segment);
      if (whole) {
        const name = whole[1] as string;
        paramNames.push(name);
        single.push("/([^/]+)");
        if (!multiSegment.has(name)) {
          kinds.push(SegmentKind.Param);
          multi.push("/([^/]+)");
          return;
        }
        kinds.push(SegmentKind.MultiSegment);
        // A trailing multi-segment parameter may be absent: `contents` lists the repository root.
        multi.push(index === segments.length - 1 ? "(?:/(.*))?" : "/(.+)");
        return;
      }
      if (segment.includes("{")) {
        kinds.push(SegmentKind.Mixed);
        const mixed = segment
          .split(/(\{[^}]+\})/)
          .map((part) => {
            const param = /^\{([^}]+)\}$/.exec(part);
            if (!param) return escapeRegex(part);
            paramNames.push(param[1] as string);
            return "([^/]+?)";
          })
          .join("");
        single.push(`/${mixed}`);
        multi.push(`/${mixed}`);
        return;
      }
      kinds.push(SegmentKind.Static);
      single.push(`/${escapeRegex(segment)}`);
      multi.push(`/${escapeRegex(segment)}`);
    });
    return {
      template,
      regex: new RegExp(`^${single.join("")}$`),
      multiSegmentRegex: kinds.includes(SegmentKind.MultiSegment)
        ? new RegExp(`^${multi.join("")}$`)
        : undefined,
      paramNames,
      kinds,
      methods,
    };
  }

  function resolveParameters(spec: OpenApiSpec, operation: OperationSpec): ParameterSpec[] {
    return (operation.parameters ?? []).map((parameter) => {
      if (!("$ref" in parameter)) return parameter;
      const name = parameter.$ref.replace("#/components/parameters/", "");
      const resolved = spec.components.parameters[name];
      if (!resolved) throw new Error(`unresolvable parameter ${parameter.$ref}`);
      return resolved;
    });
  }

  /** Finds the documented operation for a request path (still percent-encoded, without query). */
  function matchPath(method: string, pathname: string): PathMatch {
    const upper = method.toUpperCase() as HttpMethod;
    const { templates } = load();
    let pathOnly: { template: string; methods: HttpMethod[] } | undefined;
    for (const pass of ["regex", "multiSegmentRegex"] as const) {
      for (const template of templates) {
        const match = template[pass]?.exec(pathname);
        if (!match) continue;
        const operation = template.methods[upper];
        if (!operation) {
          pathOnly ??= {
            template: template.template,
            methods: Object.keys(template.methods) as HttpMethod[],
          };
          continue;
        }
        const params: Record<string, string> = {};
        template.paramNames.forEach((name, index) => {
          params[name] = decodeURIComponent(match[index + 1] ?? "");
        });
        const route = `${upper} ${template.template}` as RouteKey;
        return { kind: "operation", operation: { route, params } };
      }
    }
    return pathOnly ? { kind: "method-not-documented", ...pathOnly } : { kind: "unknown-path" };
  }

  /** Whether `route` ("GET /repos/{owner}/{repo}") is a documented operation. */
  function isDocumentedRoute(route: string): boolean {
    return operationFor(route) !== undefined;
  }

  function operationFor(route: string): OperationSpec | undefined {
    const [method, template] = route.split(" ") as [string, string | undefined];
    if (!template) return undefined;
    return load().spec.paths[template]?.[method.toLowerCase() as Lowercase<HttpMethod>];
  }

  // ---------------------------------------------------------------------------------------------
  // Schemas: OpenAPI 3.0 -> JSON Schema for Ajv, component by component, on demand.

  const COMPONENT_BASE = "https://fake-github.test/components/schemas/";
  /** Keywords that only document; dropped so Ajv neither checks nor stores them. */
  const ANNOTATIONS = new Set([
    "description",
    "example",
    "examples",
    "title",
    "externalDocs",
    "discriminator",
  ]);

  /**
   * Bodies and responses: Ajv with formats, strict mode off because GitHub's schemas carry
   * vendor keywords. Parameters: a second Ajv that coerces query strings and fills defaults, so
   * handlers receive `per_page: 30` as a number.
   */
  let ajvs: { body: Ajv; params: Ajv; added: Set<string> } | undefined;

  function getAjvs() {
    if (ajvs) return ajvs;
    const make = (options: ConstructorParameters<typeof Ajv>[0]) => {
      const ajv = new Ajv({
        strict: false,
        validateSchema: false,
        allErrors: false,
        inlineRefs: false,
        ...options,
      });
      ajvFormats.default(ajv);
      // A repository's "owner/name"; GitHub's only vendor format.
      ajv.addFormat("repo.nwo", /^[^/\s]+\/[^/\s]+$/);
      return ajv;
    };
    ajvs = { body: make({}), params: make({ coerceTypes: true, useDefaults: true }), added: new Set() };
    return ajvs;
  }

  /** Translates OpenAPI 3.0 into JSON Schema: `nullable`, component `$ref`s, annotations dropped. */
  function toJsonSchema(node: Json, refs: Set<string>): Json {
    if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, refs));
    if (node === null || typeof node !== "object") return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (ANNOTATIONS.has(key) || key.startsWith("x-") || key === "nullable") continue;
      if (key === "$ref" && typeof value === "string") {
        const name = value.replace("#/components/schemas/", "");
        refs.add(name);
        out.$ref = COMPONENT_BASE + name;
      } else if (key === "properties" && value && typeof value === "object" && !Array.isArray(value)) {
        // Property names are data, not keywords: keep every one, even "description" or "title".
        out.properties = Object.fromEntries(
          Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema, refs)]),
        );
      } else {
        out[key] = toJsonSchema(value, refs);
      }
    }
    if (node.nullable !== true) return out;
    if (typeof out.type === "string") {
      out.type = [out.type, "null"];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: "null" }] };
  }

  /** Converts a schema and registers the components it reaches with both Ajv instances. */
  function prepare(schema: JsonObject): SchemaObject {
    const { body, params, added } = getAjvs();
    const components = load().spec.components.schemas;
    const refs = new Set<string>();
    const converted = toJsonSchema(schema, refs) as SchemaObject;
    const pending = [...refs];
    while (pending.length > 0) {
      const name = pending.pop() as string;
      if (added.has(name)) continue;
      added.add(name);
      const component = components[name];
      if (!component) throw new Error(`unresolvable schema #/components/schemas/${name}`);
      const nested = new Set<string>();
      const componentSchema = {
        ...(toJsonSchema(component, nested) as JsonObject),
        $id: COMPONENT_BASE + name,
      };
      body.addSchema(componentSchema);
      params.addSchema(componentSchema);
      pending.push(...nested);
    }
    return converted;
  }

  function describeErrors(errors: ErrorObject[] | null | undefined): string {
    return (errors ?? [])
      .slice(0, 5)
      .map((error) => {
        const at = error.instancePath || "(root)";
        const detail =
          error.keyword === "additionalProperties"
            ? ` (${String((error.params as { additionalProperty: string }).additionalProperty)})`
            : error.keyword === "enum"
              ? ` (${JSON.stringify((error.params as { allowedValues: unknown }).allowedValues)})`
              : "";
        return `${at} ${error.message ?? error.keyword}${detail}`;
      })
      .join("; ");
  }

  interface OperationValidators {
    /** Validates, coerces and fills defaults in place; returns the problems found. */
    parameters(path: Record<string, unknown>, query: Record<string, unknown>): Problem[];
    body(body: unknown): Problem[];
    hasBody: boolean;
    response(status: number, body: unknown): Problem[];
  }

  const validators = new Map<string, OperationValidators>();

  /** The validators of one documented operation, compiled the first time it is used. */
  function validatorsFor(route: RouteKey): OperationValidators {
    const known = validators.get(route);
    if (known) return known;
    const operation = operationFor(route);
    if (!operation) throw new Error(`${route} is not in GitHub's OpenAPI description`);
    const { body: bodyAjv, params: paramsAjv } = getAjvs();
    const parameters = resolveParameters(load().spec, operation);

    const objectSchema = (where: "path" | "query"): SchemaObject => {
      const own = parameters.filter((parameter) => parameter.in === where);
      return {
        type: "object",
        properties: Object.fromEntries(
          own.map((parameter) => [parameter.name, prepare(parameter.schema ?? {})]),
        ),
        required: own.filter((parameter) => parameter.required).map((parameter) => parameter.name),
        additionalProperties: false,
      };
    };
    let paramValidators: { path: ValidateFunction; query: ValidateFunction } | undefined;
    const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
    let bodyValidator: ValidateFunction | undefined;
    const responseValidators = new Map<number, ValidateFunction | null>();

    const compiled: OperationValidators = {
      hasBody: bodySchema !== undefined,
      parameters(path, query) {
        paramValidators ??= {
          path: paramsAjv.compile(objectSchema("path")),
          query: paramsAjv.compile(objectSchema("query")),
        };
        const problems: Problem[] = [];
        if (!paramValidators.path(path)) {
          problems.push({ where: "path", message: describeErrors(paramValidators.path.errors) });
        }
        if (!paramValidators.query(query)) {
          problems.push({ where: "query", message: describeErrors(paramValidators.query.errors) });
        }
        return problems;
      },
      body(body) {
        if (!bodySchema) return [];
        if (body === undefined) {
          return operation.requestBody?.required
            ? [{ where: "body", message: "a JSON body is required" }]
            : [];
        }
        bodyValidator ??= bodyAjv.compile(prepare(bodySchema));
        return bodyValidator(body) ? [] : [{ where: "body", message: describeErrors(bodyValidator.errors) }];
      },
      response(status, body) {
        const response = operation.responses?.[String(status)];
        if (!response) return [{ where: "response", message: `status ${status} is not documented` }];
        let validate = responseValidators.get(status);
        if (validate === undefined) {
          const schema = response?.content?.["application/json"]?.schema;
          validate = schema ? bodyAjv.compile(prepare(schema)) : null;
          responseValidators.set(status, validate);
        }
        if (validate === null || validate(body)) return [];
        return [{ where: "response", message: describeErrors(validate.errors) }];
      },
    };
    validators.set(route, compiled);
    return compiled;
  }

  return { matchPath, isDocumentedRoute, validatorsFor };
}

const descriptions = new Map<DescriptionName, ReturnType<typeof openDescription>>();

/** The description `name`, read once per process (about a third of a second) when first used. */
export function apiDescription(name: DescriptionName = "api.github.com"): ReturnType<typeof openDescription> {
  let description = descriptions.get(name);
  if (!description) {
    description = openDescription(packageFile(`@octokit/openapi/generated/${name}.json`));
    descriptions.set(name, description);
  }
  return description;
}

/** github.com's: what the fake serves unless it plays a GitHub Enterprise Server. */
export const { matchPath, isDocumentedRoute, validatorsFor } = apiDescription();
