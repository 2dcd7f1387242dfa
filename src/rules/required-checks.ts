/**
 * Every required check ran on the pull request's head and concluded `success`: all or nothing, because
 * validation declared passed after two of four tools ran (the others never installed) is no validation.
 */
import { z } from "zod";
import type { CheckRunFact, Facts } from "../facts/schema.js";
import { matchesGlobs } from "../util/pattern.js";
import { type CannotFail, cannotFailInPullRequest, WORKFLOW_PATHS } from "./support/cannot-fail.js";
import { checkRunOutcome, checkRunState, describeCheckRun } from "./support/check-runs.js";
import { compareRuleFindings } from "./support/finding-order.js";
import { zReferenceForms } from "./support/issue-references.js";
import { shortSha } from "./support/sha.js";
import { defineRule, notEvaluated, type RuleFinding } from "./types.js";

const RequiredCheckSchema = z.union([
  z.string().min(1),
  z
    .object({
      name: z.string().min(1),
      /** Slug of the app that must report it (`github-actions`); any app when absent. */
      app: z.string().min(1).optional(),
    })
    .strict(),
]);

const options = z
  .object({
    /**
     * Check names (or `{ name, app }` pinned to a reporting app). Empty means the checks that ran on the
     * base branch's head commit, plus every other check that ran on the pull request.
     */
    checks: z.array(RequiredCheckSchema).default([]),
    /** With no `checks` named: how many check runs other than this app's must exist at least. */
    minimum: z.number().int().min(0).default(1),
    /**
     * With no `checks` named: globs over names of checks that run only on the base branch (deployments,
     * releases) and so are not expected on pull requests.
     */
    baseOnly: z.array(z.string().min(1)).default([]),
  })
  .strict();

interface RequiredCheck {
  name: string;
  app?: string;
}

export default defineRule({
  id: "required-checks",
  scope: "pr",
  description: "Every required check ran on the pull request's head commit and concluded success",
  options,
  requires: ["pr.checkRuns", "pr.baseCheckRuns", "pr.files"],
  // A changed workflow is read whole, to tell whether the change made a job unable to fail.
  changedFileContents: () => (path) => matchesGlobs(path, WORKFLOW_PATHS),
  check({ facts, options, checkName }) {
    const pr = facts.pullRequest;
    const runs = pr?.checkRuns;
    if (!pr || !runs) return notEvaluated("the check runs of the pull request's head were not gathered");
    const head = shortSha(pr.head.sha);
    const findings: RuleFinding[] = [];
    const { unableToFail, unreadable } = jobsUnableToFail(facts);
    const judgeRun = (run: CheckRunFact) => judgeRunOf(run, head, unableToFail);
    if (options.checks.length === 0) {
      const base = pr.baseCheckRuns;
      if (!base) return notEvaluated(`the check runs of ${pr.base.ref}'s head commit were not gathered`);
      const own = facts.app?.id;
      const isOther = (run: CheckRunFact) =>
        run.name !== checkName && (own === undefined || run.app?.id !== own);
      const others = runs.filter(isOther);
      if (others.length < options.minimum) {
        findings.push({
          message: `Only ${others.length} check run(s) other than "${checkName}" ran on ${head}; at least ${options.minimum} must run and succeed: is CI installed and does it run on pull requests to ${pr.base.ref}?`,
          expected: `at least ${options.minimum} check run(s)`,
          found: others.length === 0 ? "none" : others.map((run) => run.name).join(", "),
          remediation: `Install CI for this repository and make its workflows run on pull requests to ${pr.base.ref} (check their \`on:\` triggers and path filters), then push a commit so they run on the head.`,
        });
      }
      const usual = usualChecks(base.runs.filter(isOther), options.baseOnly);
      const where = `${pr.base.ref}'s head commit${base.sha ? ` ${shortSha(base.sha)}` : ""}`;
      for (const expected of usual) {
        if (others.some((run) => sameCheck(run, expected))) continue;
        findings.push(missingUsual(expected, where, head, pr.base.ref));
      }
      for (const run of others) findings.push(...judgeRun(run));
    } else {
      for (const required of options.checks.map(normalize)) {
        if (required.name === checkName) continue; // never wait on our own check
        findings.push(...judgeRequired(required, runs, head, pr.base.ref, judgeRun));
      }
    }
    if (findings.length === 0 && unreadable.length > 0)
      return notEvaluated(
        `changed workflows could not be read, so a passing check may come from a job this pull request made unable to fail: ${unreadable.join("; ")}`,
      );
    return findings.sort(compareRuleFindings);
  },
});

/**
 * The checks that usually run: those on the base branch's head, one per name and app, leaving out the
 * ones skipped there (they validated nothing there either) and those that run only on the base branch.
 */
function usualChecks(runs: CheckRunFact[], baseOnly: readonly string[]): CheckRunFact[] {
  const usual: CheckRunFact[] = [];
  for (const run of runs) {
    if (run.conclusion === "skipped" || matchesGlobs(run.name, baseOnly)) continue;
    if (!usual.some((seen) => sameCheck(seen, run))) usual.push(run);
  }
  return usual;
}

function sameCheck(a: CheckRunFact, b: CheckRunFact): boolean {
  return a.name === b.name && a.app?.slug === b.app?.slug;
}

function missingUsual(expected: CheckRunFact, where: string, head: string, base: string): RuleFinding {
  const check = describeCheckRun(expected);
  return {
    message: `Check ${check} ran on ${where} but never ran on ${head}: validation that skips a usual check is incomplete; was the tool installed and the job started?`,
    expected: "success",
    found: "missing",
    remediation: `Make ${check} run on pull requests to ${base} as it runs on ${base} (check the workflow's \`on:\` triggers, path filters and job name), then push a commit so it runs on ${head} and concludes success.`,
  };
}

function normalize(check: z.infer<typeof RequiredCheckSchema>): RequiredCheck {
  return typeof check === "string" ? { name: check } : check;
}

function judgeRequired(
  required: RequiredCheck,
  runs: CheckRunFact[],
  head: string,
  base: string,
  judgeRun: (run: CheckRunFact) => RuleFinding[],
): RuleFinding[] {
  const named = runs.filter((run) => run.name === required.name);
  const pinned = required.app === undefined ? named : named.filter((run) => run.app?.slug === required.app);
  if (pinned.length > 0) return pinned.flatMap(judgeRun);
  const label = required.app === undefined ? `"${required.name}"` : `"${required.name}" (${required.app})`;
  const elsewhere = named.map((run) => run.app?.slug ?? "an unknown app");
  const from =
    elsewhere.length > 0 ? ` (it ran only from ${elsewhere.join(", ")}, which is not the pinned app)` : "";
  return [
    {
      message: `Required check ${label} never ran on ${head}${from}: was the tool installed and the job started?`,
      expected: "success",
      found: "missing",
      remediation: `Install or enable the tool that reports ${label} and make it run on pull requests to ${base} (check the workflow's \`on:\` triggers, path filters and job name), then push a commit so it runs on ${head}. Do not remove the requirement.`,
    },
  ];
}

/**
 * The jobs the pull request made unable to fail while their check still concludes success (see
 * support/cannot-fail.ts), less those a comment allows with an open tracking issue, as tests-can-fail does.
 */
function jobsUnableToFail(facts: Facts): { unableToFail: CannotFail[]; unreadable: string[] } {
  const { found, unreadable } = cannotFailInPullRequest(facts, {
    paths: WORKFLOW_PATHS,
    references: zReferenceForms.parse(undefined),
  });
  const tracked = (item: CannotFail) => item.references.some((ref) => facts.issues?.[ref] === "open");
  return { unableToFail: found.filter((item) => item.passesAnyway && !tracked(item)), unreadable };
}

/** Whether a check run is one of the job's: its name, a matrix run `name (…)`, or a called workflow's `caller / name`. */
function isRunOf(run: CheckRunFact, item: CannotFail): boolean {
  if (run.app !== undefined && run.app.slug !== "github-actions") return false;
  const name = item.checkName;
  // A name built from an expression (`Test (${{ matrix.os }})`) is known up to the expression.
  const literal = name.split("${{")[0] ?? "";
  if (literal !== name) return literal.trim() !== "" && run.name.startsWith(literal);
  return run.name === name || run.name.startsWith(`${name} (`) || run.name.endsWith(` / ${name}`);
}

function judgeRunOf(run: CheckRunFact, head: string, unableToFail: readonly CannotFail[]): RuleFinding[] {
  const check = describeCheckRun(run);
  const found = checkRunOutcome(run);
  switch (checkRunState(run)) {
    case "success": {
      const cause = unableToFail.find((item) => isRunOf(run, item));
      if (!cause) return [];
      const where = cause.line === undefined ? cause.path : `${cause.path}:${cause.line}`;
      return [
        {
          message: `Required check ${check} concluded success on ${head}, but this pull request made its job unable to fail (${where}: ${cause.description}); a check that cannot fail is not validation`,
          expected: "success from a job whose tests can fail it",
          found: "success that could not have been a failure",
          remediation: `Undo the change at ${where} so that ${check} can fail again (the tests-can-fail finding says how), push, and let it conclude success on its own.`,
        },
      ];
    }
    case "pending":
      return [
        {
          message: `Required check ${check} is still ${found} on ${head}; the pull request cannot pass until it concludes success`,
          expected: "success",
          found,
          pending: true,
        },
      ];
    case "skipped":
      return [
        {
          message: `Required check ${check} was skipped on ${head}; a skipped check validates nothing`,
          expected: "success",
          found,
          remediation: `Make ${check} run on ${head} instead of being skipped (check its job's \`if:\` condition and path filters), so it can conclude success.`,
        },
      ];
    case "neutral":
      return [
        {
          message: `Required check ${check} concluded neutral on ${head}; neutral is not success`,
          expected: "success",
          found,
          remediation: `Read the output of ${check} on ${head} and fix what it reports until it concludes success.`,
        },
      ];
    case "failed":
      return [
        {
          message: `Required check ${check} concluded ${found} on ${head}${FAILURE_HINTS[found] ?? ""}`,
          expected: "success",
          found,
          remediation: `Read the log of ${check} on ${head}, fix the cause and push; re-run it only if it failed for a reason outside this change.`,
        },
      ];
  }
}

const FAILURE_HINTS: Record<string, string> = {
  cancelled: ": it was cancelled before it finished",
  timed_out: ": it ran out of time before it finished",
  action_required: ": it waits for someone to act on it",
  stale: ": GitHub marked it stale after it stayed incomplete for 14 days",
};
