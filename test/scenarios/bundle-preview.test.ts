/**
 * A pull request to the org's bundle is previewed before it is merged: the `rulebook/bundle` check fails
 * with annotations at the broken lines, or passes and says which repositories would newly fail.
 */
import { describe, expect, it } from "@jest/globals";
import type { RepoState } from "../fake-github/index.js";
import { installationCreatedEvent } from "../fake-github/push.js";
import { seedCompliantOrg } from "../support/compliant-repo.js";
import type { AppHarness } from "../support/github.js";
import { MAINTAINER, seedCentralRepo, seedPullRequest, startConfiguredApp } from "../support/scenario.js";

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

/**
 * A pull request to acme/.github changing the bundle's files, by `author` (the maintainer unless said)
 * from a branch of acme/.github or of `fromFork`; returns its `rulebook/bundle` run.
 */
async function proposeBundle(
  gh: AppHarness,
  central: RepoState,
  files: Record<string, string>,
  { author = MAINTAINER, fromFork }: { author?: string; fromFork?: RepoState } = {},
) {
  const pr = gh.fake.seedPullRequest(central, {
    title: "feat(standards): require a readme",
    author,
    head: "feat/readme-standard",
    commits: [{ message: "feat(standards): require a readme", author, files }],
    ...(fromFork ? { fromFork } : {}),
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

  describe("from someone who cannot push to the central repository", () => {
    /** The repositories the app's requests read, REST and GraphQL alike, and whether it listed them all. */
    const repositoriesRead = (gh: AppHarness) => {
      const names = new Set<string>();
      for (const request of gh.fake.requests.all) {
        const rest = /^\/repos\/([^/]+)\/([^/?]+)/.exec(request.path);
        if (rest) names.add(`${rest[1]}/${rest[2]}`);
        for (const m of request.query?.matchAll(/owner: "([^"]+)", name: "([^"]+)"/g) ?? []) {
          names.add(`${m[1]}/${m[2]}`);
        }
        for (const m of request.query?.matchAll(/repository\(owner: \$\w+, name: \$\w+\)/g) ?? []) {
          names.add(`(a repository named by variables: ${m[0]})`);
        }
      }
      return { names: [...names].sort(), listed: gh.fake.requests.count("GET /installation/repositories") };
    };
    const secretStandard = withReadmeStandard("required-file", [
      "    options:",
      "      paths: [config/prod.env]",
      "      match: contains",
      "      contains: ['(?m)^AWS_SECRET_ACCESS_KEY=[A-M]']",
    ]);
    const NOT_PREVIEWED = "Valid; not previewed: a maintainer must push this change to preview it";

    async function orgWithSecrets() {
      const gh = await startConfiguredApp();
      const central = seedCentralRepo(
        gh,
        { "standards/rulebook.yml": BUNDLE, "README.md": "# acme\n" },
        { roles: { [MAINTAINER]: "admin", "read-only-member": "read", triager: "triage" } },
      );
      gh.fake.seedRepo({
        owner: "acme",
        name: "billing",
        files: { "config/prod.env": "AWS_SECRET_ACCESS_KEY=Kx9\n" },
      });
      gh.fake.seedRepo({ owner: "acme", name: "web", files: { "README.md": "# web\n" } });
      return { gh, central };
    }

    it("gives a pull request from a fork a neutral check and reads no other repository", async () => {
      const { gh, central } = await orgWithSecrets();
      gh.fake.seedUser("mallory");
      const fork = gh.fake.seedRepo({ owner: "mallory", name: ".github", fork: true });
      gh.fake.requests.reset();

      const run = await proposeBundle(gh, central, secretStandard, { author: "mallory", fromFork: fork });

      expect(run?.conclusion).toBe("neutral");
      expect(run?.output.title).toBe(NOT_PREVIEWED);
      expect(run?.output.summary).toBe(
        [
          "The proposed bundle is valid. Its impact on the organization's repositories is not previewed: its head is not a branch of acme/.github (it comes from a fork).",
          "",
          "A preview reads every repository the app reaches, so it runs only for a pull request from a branch of `acme/.github` by someone who can write there. A maintainer must push this change to a branch of `acme/.github` to preview it.",
        ].join("\n"),
      );
      expect(repositoriesRead(gh)).toEqual({ names: ["acme/.github"], listed: 0 });
      expect(gh.fake.requests.count("GET /repos/{owner}/{repo}/collaborators/{username}/permission")).toBe(0);
    });

    it("gives a read-only member's pull request a neutral check, asking GitHub once per commit", async () => {
      for (const author of ["read-only-member", "triager", "stranger"]) {
        const { gh, central } = await orgWithSecrets();
        gh.fake.seedUser("stranger");
        gh.fake.requests.reset();

        const run = await proposeBundle(gh, central, secretStandard, { author });

        expect(run?.conclusion).toBe("neutral");
        expect(run?.output.title).toBe(NOT_PREVIEWED);
        const permission = author === "stranger" ? "none" : "read";
        expect(run?.output.summary).toContain(
          `not previewed: its author \`${author}\` has ${permission} permission on acme/.github, not write.`,
        );
        expect(repositoriesRead(gh)).toEqual({ names: ["acme/.github"], listed: 0 });

        // The same commit again: the author's permission is not asked for again, and nothing else is read.
        await gh.deliver("pull_request", gh.fake.pullRequestEvent(central, 1, "edited"));
        expect(gh.fake.requests.count("GET /repos/{owner}/{repo}/collaborators/{username}/permission")).toBe(
          1,
        );
        expect(repositoriesRead(gh)).toEqual({ names: ["acme/.github"], listed: 0 });
        expect(gh.fake.checkRuns(central, { name: "rulebook/bundle" })).toEqual([run]);
      }
    });

    it("still fails an outsider's broken bundle at its lines, reading no other repository", async () => {
      const { gh, central } = await orgWithSecrets();
      gh.fake.seedUser("mallory");
      const fork = gh.fake.seedRepo({ owner: "mallory", name: ".github", fork: true });
      gh.fake.requests.reset();

      const run = await proposeBundle(gh, central, withReadmeStandard("required-fil"), {
        author: "mallory",
        fromFork: fork,
      });

      expect(run?.conclusion).toBe("failure");
      expect(run?.output.annotations.map((a) => [a.path, a.start_line, a.title])).toEqual([
        ["standards/rulebook.yml", 6, "standards.readme.rule"],
      ]);
      expect(repositoriesRead(gh)).toEqual({ names: ["acme/.github"], listed: 0 });
    });

    it("previews the same change for a maintainer who can write", async () => {
      for (const [author, role] of [
        ["writer", "write"],
        ["maintainer", "maintain"],
      ] as const) {
        const { gh, central } = await orgWithSecrets();
        central.roles.set(author, role);
        central.collaborators.add(author);

        const run = await proposeBundle(gh, central, secretStandard, { author });

        expect(run?.conclusion).toBe("success");
        expect(repositoriesRead(gh).names).toEqual(["acme/.github", "acme/billing", "acme/web"]);
      }
    });
  });

  describe("in a public central repository", () => {
    it("names only the public repositories that would newly fail, and counts the others", async () => {
      const gh = await startConfiguredApp();
      const central = seedCentralRepo(
        gh,
        { "standards/rulebook.yml": BUNDLE, "README.md": "# acme\n" },
        { visibility: "public" },
      );
      gh.fake.seedRepo({ owner: "acme", name: "web", visibility: "public", files: { "a.ts": "\n" } });
      gh.fake.seedRepo({ owner: "acme", name: "billing", visibility: "private", files: { "a.ts": "\n" } });
      gh.fake.seedRepo({ owner: "acme", name: "tools", visibility: "internal", files: { "a.ts": "\n" } });

      const run = await proposeBundle(
        gh,
        central,
        withReadmeStandard("required-file", ["    options:", "      file: README.md"]),
      );

      expect(run?.conclusion).toBe("success");
      expect(run?.output.summary).toBe(
        [
          "The proposed bundle is valid. If merged, across 4 repositories:",
          "",
          "| Standard | Newly failing | Newly passing |",
          "| --- | --- | --- |",
          "| `readme` | `acme/web` and 2 private or internal repositories | — |",
        ].join("\n"),
      );
      expect(JSON.stringify(run)).not.toMatch(/billing|tools/);
    });

    it("names only public repositories in the rollout: drift issues and open pull requests", async () => {
      const gh = await startConfiguredApp({ RULEBOOK_DEFAULT_MODE: "observe" });
      const observed = 'version: "acme-1"\nextends: default\n';
      const central = seedCentralRepo(
        gh,
        { "standards/rulebook.yml": observed, "README.md": "# acme\n" },
        { visibility: "public" },
      );
      const web = gh.fake.seedRepo({ owner: "acme", name: "web", visibility: "public", files: {} });
      const billing = gh.fake.seedRepo({ owner: "acme", name: "billing", visibility: "private", files: {} });
      for (const repo of [web, billing]) {
        const pr = seedPullRequest(gh, repo, { title: "Add login" });
        await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
      }
      await gh.deliver(
        "installation",
        installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), MAINTAINER),
      );

      const run = await proposeBundle(gh, central, {
        "standards/rulebook.yml": `${observed}settings:\n  mode: enforce\n`,
      });

      const summary = run?.output.summary ?? "";
      expect(summary).toMatch(/^- `acme\/web`: a drift issue with the tasks /m);
      expect(summary).toContain("\n- and 1 private or internal repository: a drift issue each\n");
      expect(summary).toMatch(/^- acme\/web#1: its check would fail on `pr-title`/m);
      expect(summary).toContain(
        "\n- and 1 open pull request in private or internal repositories: their checks would fail\n",
      );
      expect(JSON.stringify(run)).not.toContain("billing");
    });
  });

  it("leaves the sweep's cache alone: the sweep after a preview costs what it would have without", async () => {
    const sweepPoints = async (gh: AppHarness) => {
      gh.fake.requests.reset();
      await gh.deliver(
        "installation",
        installationCreatedEvent(gh.fake, gh.fake.installationFor("acme"), MAINTAINER),
      );
      return gh.fake.requests.units().graphql;
    };
    /** The GraphQL points of a warm sweep, after a preview of a standard reading a new path or not. */
    const nextSweep = async (preview: boolean) => {
      const gh = await startConfiguredApp();
      const [central] = seedCompliantOrg(gh.fake, 30);
      if (!central) throw new Error("no central repository");
      central.roles.set(MAINTAINER.toLowerCase(), "admin");
      await sweepPoints(gh);
      await sweepPoints(gh);
      if (preview) {
        gh.fake.requests.reset();
        const run = await proposeBundle(
          gh,
          central,
          withReadmeStandard("required-file", ["    options:", "      file: docs/README.md"]),
        );
        expect(run?.conclusion).toBe("success");
        // The preview did read every repository for the new path.
        expect(gh.fake.requests.all.filter((r) => r.query?.includes("docs/README.md"))).not.toEqual([]);
      }
      return sweepPoints(gh);
    };

    const withoutPreview = await nextSweep(false);
    expect(await nextSweep(true)).toBe(withoutPreview);
  });
});
