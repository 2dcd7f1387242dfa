/**
 * A pull request to the org's bundle is previewed before it is merged: the `rulebook/bundle` check fails
 * with annotations at the broken lines, or passes and says which repositories would newly fail.
 */
import { describe, expect, it } from "@jest/globals";
import type { RepoState } from "../fake-github/index.js";
import type { AppHarness } from "../support/github.js";
import { seedCentralRepo, startConfiguredApp } from "../support/scenario.js";

const BUNDLE = 'version: "acme-1"\nextends: default\n';

/**
 * The bundle's files as a pull request proposes them: version acme-2, adding a `readme` standard of
 * `rule` (named on line 6 of rulebook.yml) with `options` lines, and the standard's manual.
 */
function withReadmeStandard(rule: string, options: string[] = []): Record<string, string> {
  return {
    "standards/rulebook.yml": [
      'version: "acme-2"',
      "extends: default",
      "standards:",
      "  readme:",
      "    title: Repositories have a README",
      `    rule: ${rule}`,
      "    severity: error",
      ...options,
      "    rationale: People and agents start from the README.",
      "    remediation: Add README.md.",
      "",
    ].join("\n"),
    "standards/docs/readme.md": "# readme\n",
  };
}

/** A pull request to acme/.github changing the bundle's files; returns its `rulebook/bundle` run. */
async function proposeBundle(gh: AppHarness, central: RepoState, files: Record<string, string>) {
  const pr = gh.fake.seedPullRequest(central, {
    title: "feat(standards): require a readme",
    author: "octo-admin",
    head: "feat/readme-standard",
    commits: [{ message: "feat(standards): require a readme", author: "octo-admin", files }],
  });
  await gh.deliver("pull_request", gh.fake.pullRequestEvent(central, pr.number, "opened"));
  const runs = gh.fake.checkRuns(central, { headSha: pr.head.sha, name: "rulebook/bundle" });
  expect(runs).toHaveLength(1);
  return runs[0];
}

describe("previewing a change to the bundle", () => {
  it("fails a change that breaks the bundle, with an annotation at each broken line", async () => {
    const gh = await startConfiguredApp();
    const central = seedCentralRepo(gh, { "standards/rulebook.yml": BUNDLE, "README.md": "# acme\n" });

    const run = await proposeBundle(gh, central, withReadmeStandard("required-fil"));

    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toBe("The proposed bundle is invalid: 1 error(s)");
    expect(run?.output.summary).toBe(
      [
        "The proposed bundle cannot be applied. Fix every error:",
        "",
        '- standards/rulebook.yml:6:5 standards.readme.rule: unknown rule "required-fil" (did you mean "required-file"?)',
      ].join("\n"),
    );
    // An edit of the pull request (or the same webhook again) judges the same commit: nothing is added twice.
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(central, 1, "edited"));
    expect(gh.fake.checkRuns(central, { name: "rulebook/bundle" })).toEqual([run]);
    expect(run?.output.annotations).toEqual([
      {
        path: "standards/rulebook.yml",
        start_line: 6,
        end_line: 6,
        annotation_level: "failure",
        title: "standards.readme.rule",
        message: 'unknown rule "required-fil" (did you mean "required-file"?)',
      },
    ]);
  });

  it("passes a valid change and names the repository the new standard would newly fail", async () => {
    const gh = await startConfiguredApp();
    const central = seedCentralRepo(gh, { "standards/rulebook.yml": BUNDLE, "README.md": "# acme\n" });
    gh.fake.seedRepo({ owner: "acme", name: "web", files: { "README.md": "# web\n" } });
    gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/index.ts": "export {};\n" } });

    const run = await proposeBundle(
      gh,
      central,
      withReadmeStandard("required-file", ["    options:", "      file: README.md"]),
    );

    expect(run?.conclusion).toBe("success");
    expect(run?.output.title).toBe("Valid; changes results in 1 standard(s)");
    expect(run?.output.summary).toBe(
      [
        "The proposed bundle is valid. If merged, across 3 repositories:",
        "",
        "| Standard | Newly failing | Newly passing |",
        "| --- | --- | --- |",
        "| `readme` | `acme/api` | — |",
      ].join("\n"),
    );
  });

  it("reads no unchanged repository again when the same bundle commit is previewed again", async () => {
    const gh = await startConfiguredApp();
    const central = seedCentralRepo(gh, { "standards/rulebook.yml": BUNDLE, "README.md": "# acme\n" });
    gh.fake.seedRepo({ owner: "acme", name: "web", files: { "README.md": "# web\n" } });
    const api = gh.fake.seedRepo({ owner: "acme", name: "api", files: { "src/index.ts": "export {};\n" } });
    const files = withReadmeStandard("required-file", ["    options:", "      file: README.md"]);
    await proposeBundle(gh, central, files);
    const [pr] = [...central.pulls.values()];
    const fullReads = () =>
      gh.fake.requests.all.flatMap((r) =>
        r.query?.includes("object(expression:")
          ? [...r.query.matchAll(/name: "([^"]+)"\)/g)].map((m) => m[1])
          : [],
      );

    const [before] = gh.fake.checkRuns(central, { headSha: pr?.head.sha ?? "", name: "rulebook/bundle" });
    gh.fake.requests.reset();
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(central, pr?.number ?? 0, "edited"));
    expect(fullReads()).toEqual([]);
    expect(gh.fake.requests.all.filter((r) => /^\/repos\/acme\/(web|api)\//.test(r.path))).toEqual([]);
    // The proposed bundle is not read again, the repository list costs nothing (304), one probe tells
    // that nothing changed, and the preview, the same, is not written again.
    expect(gh.fake.requests.all.filter((r) => r.path.includes("/git/"))).toEqual([]);
    expect(
      gh.fake.requests.all
        .filter((r) => r.route === "GET /installation/repositories")
        .map((r) => [r.status, r.units]),
    ).toEqual([[304, 0]]);
    expect(gh.fake.requests.count("POST /graphql")).toBe(1);
    expect(gh.fake.requests.all.filter((r) => r.path.endsWith(`/check-runs/${before?.id}`))).toEqual([]);

    // A repository that changed is read again, and only it.
    gh.fake.seedCommit(api, { files: { "README.md": "# api\n" } });
    gh.fake.requests.reset();
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(central, pr?.number ?? 0, "edited"));
    expect(fullReads()).toEqual(["api"]);
    const [run] = gh.fake.checkRuns(central, { headSha: pr?.head.sha ?? "", name: "rulebook/bundle" });
    expect(run?.output.title).toBe("Valid; no result changes");
  });
});
