/**
 * What a rule returns is checked before it reaches the verdict: a rule is code that others write, and a
 * malformed result (no message, a line 0, a stray field) must neither break the check run nor pass.
 */
import { z } from "zod";
import type { RuleFinding } from "../rules/types.js";

const RuleFindingSchema = z.object({
  message: z.string().min(1),
  // A finding about a file with no name (a gatherer's oddity) is kept, as a finding about no file.
  path: z
    .string()
    .optional()
    .transform((path) => path || undefined),
  line: z.number().int().min(1).optional(),
  endLine: z.number().int().min(1).optional(),
  expected: z.string().optional(),
  found: z.string().optional(),
  remediation: z.string().min(1).optional(),
  pending: z.boolean().optional(),
}) satisfies z.ZodType<RuleFinding>;

const NotEvaluatedSchema = z.object({ notEvaluated: z.string().min(1) });

/** Drops keys whose value is undefined, so the verdict holds only fields that say something. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Zod issues as one line: `options.paths: Too small: expected array to have >=1 items; …`. */
export function describeIssues(error: z.ZodError, root: string): string {
  return error.issues
    .map((issue) => `${[root, ...issue.path.map(String)].join(".")}: ${issue.message}`)
    .join("; ");
}

/** The rule's findings with unknown fields dropped, or why the result cannot be used. */
export function validateRuleResult(
  ruleId: string,
  result: unknown,
): { findings: RuleFinding[] } | { notEvaluated: string } {
  if (Array.isArray(result)) {
    const parsed = z.array(RuleFindingSchema).safeParse(result);
    if (parsed.success) return { findings: parsed.data.map(withoutUndefined) };
    return {
      notEvaluated: `rule ${ruleId} returned a malformed finding: ${describeIssues(parsed.error, "findings")}`,
    };
  }
  const parsed = NotEvaluatedSchema.safeParse(result);
  if (parsed.success) return parsed.data;
  return { notEvaluated: `rule ${ruleId} returned neither findings nor a reason it could not judge` };
}
