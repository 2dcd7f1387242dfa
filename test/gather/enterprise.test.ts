/**
 * On a GitHub Enterprise Server release that lacks a feature (rulesets before 3.11), the facts that
 * need it are unavailable, naming the release, so their standards are not evaluated: never a crash,
 * never a pass.
 */
import { describe, expect, it } from "@jest/globals";
import { gatherRepository } from "../../src/gather/repository.js";
import { GitHubError } from "../fake-github/http.js";
import * as render from "../fake-github/render.js";
import { createFakeGitHub } from "../support/github.js";

describe("gathering from GitHub Enterprise Server", () => {
  it("names the release whose API lacks rulesets, for the standards that need them", async () => {
    const fake = createFakeGitHub({ enterprise: { version: "3.17" } });
    const repo = fake.seedRepo({ owner: "acme", name: "api", files: { "README.md": "# api\n" } });
    const installation = fake.seedInstallation({ account: "acme" });
    // What a release without rulesets answers: its API has no such path.
    fake.router.on("GET /repos/{owner}/{repo}/rulesets", { permission: "metadata:read" }, () => {
      throw GitHubError.notFound();
    });
    const facts = await gatherRepository(fake.octokit(installation.id), {
      repository: render.repository(fake.state, repo),
      needs: new Set(["repo.files", "repo.rulesets"]),
      paths: ["README.md"],
      now: "2026-11-23T12:00:00.000Z",
    });
    expect(facts.unavailable).toEqual({
      "repo.rulesets":
        "GitHub Enterprise Server 3.17.0 answered the repository's rulesets with 404 Not Found: that release may lack the feature",
    });
    expect(facts.repo?.files["README.md"]).toBeDefined();
  });
});
