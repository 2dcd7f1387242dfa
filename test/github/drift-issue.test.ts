/**
 * A repository's drift issue on the fake GitHub: one issue, a task per failing standard, rewritten only
 * when its body changes, ticked as standards are fixed, closed when all are, reopened when drift returns.
 */
import { describe, expect, it } from "@jest/globals";
import type { Standard } from "../../src/bundle/types.js";
import type { Finding } from "../../src/engine/verdict.js";
import { type DriftInput, reconcileDrift } from "../../src/github/drift-issue.js";
import { type IssueRecord, listLabelledIssues } from "../../src/github/issues.js";
import { writesAs } from "../../src/github/own-issues.js";
import { type FailingStandard, readDriftState } from "../../src/publish/drift.js";
import { createFakeGitHub } from "../support/github.js";

const WRITES = (route: string) => !route.startsWith("GET ");

function failing(id: string, path?: string): FailingStandard {
  const standard: Pick<Standard, "id" | "title" | "severity" | "rationale" | "remediation"> = {
    id,
    title: `Title of ${id}`,
    severity: "error",
    rationale: `Why ${id} exists.`,
    remediation: `Fix ${id}.`,
  };
  const finding: Finding = {
    standard: id,
    rule: "required-file",
    severity: "error",
    message: `${id} is missing`,
    ...(path ? { path } : {}),
    remediation: `Fix ${id}.`,
    docs: `docs/${id}.md`,
  };
  return { standard, docs: `docs/${id}.md`, findings: [finding], gate: "Nothing blocked it." };
}

function setup() {
  const fake = createFakeGitHub();
  const repo = fake.seedRepo({ owner: "acme", name: "api", files: { CODEOWNERS: "* @acme/maintainers\n" } });
  const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id);
  writesAs(octokit, fake.state.app());
  const sweep = async (time: string, fails: FailingStandard[], extra: Partial<DriftInput> = {}) => {
    const issues: IssueRecord[] = await listLabelledIssues(octokit, "acme", "api", "rtfm");
    return reconcileDrift(
      octokit,
      {
        repository: "acme/api",
        time,
        bundleVersion: "7",
        failing: fails,
        report: () => true,
        resolution: () => "met",
        profileOwners: () => [],
        ...extra,
      },
      issues,
    );
  };
  const writes = () => fake.requests.all.filter((r) => WRITES(r.route ?? "")).map((r) => r.route);
  return { fake, repo, sweep, writes };
}

describe("a repository's drift issue", () => {
  it("is opened once, with a task per failing standard, and not written again while nothing changes", async () => {
    const { repo, sweep, writes, fake } = setup();
    const first = await sweep("T1", [failing("codeowners", ".github/CODEOWNERS"), failing("license")]);
    expect(writes()).toEqual(["POST /repos/{owner}/{repo}/issues"]);
    const issue = repo.issues.get(first.number ?? 0);
    expect(issue?.body).toMatch(/^- \[ \] `codeowners` Title of codeowners$/m);
    expect(issue?.body).toMatch(/^- \[ \] `license` Title of license$/m);
    expect(issue?.body).toContain("Owners: @acme/maintainers");

    fake.requests.reset();
    expect(await sweep("T2", [failing("codeowners", ".github/CODEOWNERS"), failing("license")])).toEqual(
      first,
    );
    expect(writes()).toEqual([]);
  });

  it("adds a standard that starts failing with one comment, and ticks one that is fixed without any", async () => {
    const { repo, sweep, writes, fake } = setup();
    const { number } = await sweep("T1", [failing("codeowners")]);
    fake.requests.reset();

    await sweep("T2", [failing("license")]);

    const body = repo.issues.get(number ?? 0)?.body ?? "";
    expect(body).toMatch(/^- \[x\] `codeowners` Title of codeowners \(met\)$/m);
    expect(body).toMatch(/^- \[ \] `license` Title of license$/m);
    expect(writes()).toEqual([
      "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
    expect(readDriftState(body)?.items).toEqual([
      { standard: "codeowners", title: "Title of codeowners", since: "T1", fixed: { at: "T2", how: "met" } },
      { standard: "license", title: "Title of license", since: "T2" },
    ]);
  });

  it("closes when every task is ticked, and reopens with a fresh list when drift returns", async () => {
    const { repo, sweep } = setup();
    const { number } = await sweep("T1", [failing("codeowners")]);
    expect(await sweep("T2", [])).toEqual({ unreported: [] });
    expect(repo.issues.get(number ?? 0)?.state).toBe("closed");

    expect(await sweep("T3", [failing("license")])).toEqual({ number, unreported: [] });
    const issue = repo.issues.get(number ?? 0);
    expect(issue?.state).toBe("open");
    expect(readDriftState(issue?.body)?.items.map((item) => item.standard)).toEqual(["license"]);
    expect(repo.issues.size).toBe(1);
  });

  it("leaves out what is only observed, but keeps listing what it already lists until it is fixed", async () => {
    const { sweep } = setup();
    const enforced = (id: string) => id === "codeowners";
    expect(await sweep("T1", [failing("license")], { report: enforced })).toEqual({
      unreported: ["license"],
    });
    const { number } = await sweep("T2", [failing("codeowners"), failing("license")], { report: enforced });
    expect(number).toBeDefined();
    // The bundle now only observes codeowners too: the issue still tracks it until it is fixed.
    expect(await sweep("T3", [failing("codeowners"), failing("license")], { report: () => false })).toEqual({
      number,
      unreported: ["license"],
    });
  });
});
