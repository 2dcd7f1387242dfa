/**
 * Scenarios the fake GitHub process seeds for the scale tests and the scale benchmark (run through its
 * control API: `github.scenario("org", { repositories: 6 })`). Each returns plain JSON: the pull
 * requests it opened and the deliveries GitHub would send, as exact bodies (installation included)
 * ready to be signed and posted.
 */
import type { FakeGitHub } from "../fake-github/index.js";
import { deliveryBody } from "../support/app-identity.js";
import { seedCompliantOrg, seedCompliantPullRequest } from "../support/compliant-repo.js";

export interface SeededPullRequest {
  repo: string;
  number: number;
  headSha: string;
}

export interface ScenarioDelivery {
  name: string;
  body: string;
}

export interface OrgScenario {
  installationId: number;
  repositories: string[];
  pullRequests: SeededPullRequest[];
  /** `pull_request.opened` for each pull request. */
  opened: ScenarioDelivery[];
}

function count(params: Record<string, unknown>, name: string, fallback: number): number {
  const value = params[name] ?? fallback;
  if (!Number.isInteger(value) || (value as number) < 0) throw new Error(`${name} must be a whole number`);
  return value as number;
}

/**
 * acme with the app installed on all its repositories: a compliant `.github` and `repositories`
 * service repositories, the first `drifted` lacking their security policy (so a sweep opens one RTFM
 * issue each), and one open, compliant pull request in each of the first `pullRequests`.
 */
export function org(fake: FakeGitHub, params: Record<string, unknown>): OrgScenario {
  const repositories = count(params, "repositories", 3);
  const pullRequests = Math.min(count(params, "pullRequests", repositories), repositories);
  const repos = seedCompliantOrg(fake, repositories, { drifted: count(params, "drifted", 0) });
  const installation = fake.installationFor("acme");
  const opened = repos.slice(1, 1 + pullRequests).map((repo, i) => {
    const pr = seedCompliantPullRequest(fake, repo, {
      head: `feat/login-${i}`,
      files: { [`src/login-${i}.ts`]: "export {};\n" },
    });
    return { repo, pr };
  });
  return {
    installationId: installation.id,
    repositories: repos.map((repo) => `${repo.owner}/${repo.name}`),
    pullRequests: opened.map(({ repo, pr }) => ({
      repo: `${repo.owner}/${repo.name}`,
      number: pr.number,
      headSha: pr.head.sha,
    })),
    opened: opened.map(({ repo, pr }) => ({
      name: "pull_request",
      body: deliveryBody(fake, "pull_request", fake.pullRequestEvent(repo, pr.number, "opened")),
    })),
  };
}

/**
 * Pushes one more commit onto each pull request named and returns the `pull_request.synchronize`
 * GitHub sends for it (with `before` and `after`), and the pull requests' new heads.
 */
export function synchronize(
  fake: FakeGitHub,
  params: Record<string, unknown>,
): { pullRequests: SeededPullRequest[]; synchronized: ScenarioDelivery[] } {
  const targets = params.pullRequests as SeededPullRequest[];
  const round = count(params, "round", 1);
  const pushed = targets.map((target) => {
    const repo = fake.repo(target.repo);
    const before = (repo.pulls.get(target.number) ?? { head: { sha: "" } }).head.sha;
    const pr = fake.pushToPullRequest(repo, target.number, [
      {
        message: `fix: handle an empty login, round ${round}`,
        author: "alice",
        files: { [`src/login-${target.number}-${round}.ts`]: "export {};\n" },
      },
    ]);
    const event = { ...fake.pullRequestEvent(repo, pr.number, "synchronize"), before, after: pr.head.sha };
    return {
      pullRequest: { repo: target.repo, number: pr.number, headSha: pr.head.sha },
      delivery: { name: "pull_request", body: deliveryBody(fake, "pull_request", event) },
    };
  });
  return {
    pullRequests: pushed.map((p) => p.pullRequest),
    synchronized: pushed.map((p) => p.delivery),
  };
}
