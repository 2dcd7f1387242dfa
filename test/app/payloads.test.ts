/**
 * Reading webhook payloads: every example payload of GitHub's catalogue for the events the app handles
 * is read; a payload missing what a pipeline needs is refused naming the field; and no input, however
 * broken, makes the reader throw (fast-check).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { type EventName, PAYLOADS, readPayload } from "../../src/app/payloads.js";
import { ROUTES } from "../../src/index.js";

interface ExampleEvent {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}

const catalogue = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve("@octokit/webhooks-examples"), "utf8"),
) as ExampleEvent[];

const events = Object.keys(PAYLOADS) as EventName[];
const handled = new Set(ROUTES.flatMap((route) => route.names));

/** The catalogue's examples of the actions the app handles, with the `installation` GitHub adds. */
function examples(event: EventName) {
  const catalogued = catalogue.find((entry) => entry.name === event)?.examples ?? [];
  return catalogued
    .filter((example) => handled.has(example.action ? `${event}.${example.action}` : event))
    .map((example) => ({ ...example, installation: { id: 42, ...(example.installation as object) } }));
}

describe("readPayload", () => {
  it.each(events.filter((event) => event !== "repository_ruleset"))(
    "reads every catalogued `%s` payload the app handles",
    (event) => {
      const payloads = examples(event);
      expect(payloads.length).toBeGreaterThan(0);
      for (const payload of payloads) {
        const reading = readPayload(event, payload);
        expect(reading.ok ? "read" : reading).toBe("read");
      }
    },
  );

  it("keeps only the fields the pipelines use", () => {
    const [payload] = examples("pull_request");
    const reading = readPayload("pull_request", payload);
    if (!reading.ok) throw new Error(reading.field);
    expect(Object.keys(reading.payload).sort()).toEqual(["installation", "pull_request", "repository"]);
    expect(Object.keys(reading.payload.pull_request)).toEqual(["number"]);
  });

  type Corrupt = (payload: Record<string, unknown>) => Record<string, unknown>;
  it.each<{ event: EventName; corrupt: Corrupt; field: string; problem: string }>([
    {
      event: "pull_request",
      corrupt: (p) => ({ ...p, installation: undefined }),
      field: "installation",
      problem: "Invalid input: expected object, received undefined",
    },
    {
      event: "pull_request",
      corrupt: (p) => ({ ...p, pull_request: { number: "1" } }),
      field: "pull_request.number",
      problem: "Invalid input: expected number, received string",
    },
    {
      event: "push",
      corrupt: (p) => ({ ...p, after: "not-a-sha" }),
      field: "after",
      problem: "expected a 40-character commit SHA",
    },
    {
      event: "check_run",
      corrupt: (p) => ({ ...p, check_run: { ...(p.check_run as object), pull_requests: null } }),
      field: "check_run.pull_requests",
      problem: "Invalid input: expected array, received null",
    },
  ])(
    "refuses a `$event` payload whose $field is wrong, naming the field",
    ({ event, corrupt, field, problem }) => {
      const [example] = examples(event);
      expect(readPayload(event, corrupt(example as Record<string, unknown>))).toEqual({
        ok: false,
        field,
        problem,
      });
    },
  );

  it("never throws, whatever the payload, and names a field when it refuses", () => {
    fc.assert(
      fc.property(fc.constantFrom(...events), fc.jsonValue(), (event, payload) => {
        const reading = readPayload(event, payload);
        return reading.ok || (typeof reading.field === "string" && reading.field.length > 0);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on a catalogued payload with one field removed or replaced", () => {
    const valid = events.flatMap((event) => examples(event).map((payload) => ({ event, payload })));
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.option(fc.jsonValue(), { nil: undefined }),
        ({ event, payload }, steps, replacement) => {
          const copy = structuredClone(payload) as Record<string, unknown>;
          // Walks down `steps` (each an index into the keys of the object reached), then replaces or deletes.
          let parent: Record<string, unknown> = copy;
          let key: string | undefined;
          for (const step of steps) {
            const keys = Object.keys(parent);
            if (keys.length === 0) break;
            key = keys[step % keys.length] as string;
            const child = parent[key];
            if (!child || typeof child !== "object" || step === steps.at(-1)) break;
            parent = child as Record<string, unknown>;
          }
          if (key === undefined) return true;
          if (replacement === undefined) delete parent[key];
          else parent[key] = replacement;
          const reading = readPayload(event, copy);
          return reading.ok || reading.field.length > 0;
        },
      ),
      { numRuns: 500 },
    );
  });
});
