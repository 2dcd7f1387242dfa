/** The published JSON Schema of `rulebook.findings/v1`, compiled strictly, so tests check verdicts against it. */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Verdict } from "../../src/engine/verdict.js";

/** schema/rulebook.findings.v1.json, as published. */
export const VERDICT_JSON_SCHEMA: { $id: string; properties: { schema: { const: string } } } = JSON.parse(
  readFileSync(new URL("../../schema/rulebook.findings.v1.json", import.meta.url), "utf8"),
);

/** Whether a document is a valid verdict; every error is kept in `validateVerdict.errors`. */
export const validateVerdict = new Ajv2020({ allErrors: true, strict: true }).compile<Verdict>(
  VERDICT_JSON_SCHEMA,
);
