/**
 * Scenarios the fake GitHub process seeds for the scale tests and the scale benchmark (run through its
 * control API: `github.scenario("org", { repositories: 6 })`). Each returns plain JSON: the pull
 * requests it opened and the deliveries GitHub would send, as exact bodies (installation included)
 * ready to be signed and posted.
 */
import type { FakeGitHub, RepoState } from "../fake-github/index.js";
import { deliveryBody } from "../support/app-identity.js";
import {
  compliantRepoFiles,
  protectRepo,
  seedCompliantOrg,
  seedCompliantPullRequest,
} from "../support/compliant-repo.js";

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

/** Opens `count` compliant pull requests, spread over `repos` in turn, numbered from `first`. */
function openPullRequests(fake: FakeGitHub, repos: RepoState[], count: number, first = 0) {
  return Array.from({ length: repos.length ? count : 0 }, (_, n) => {
    const i = first + n;
    const repo = repos[n % repos.length] as RepoState;
    const pr = seedCompliantPullRequest(fake, repo, {
      head: `feat/login-${i}`,
      files: { [`src/login-${i}.ts`]: "export {};\n" },
    });
    return { repo, pr };
  });
}

function describeOpened(fake: FakeGitHub, opened: ReturnType<typeof openPullRequests>) {
  return {
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
 * acme with the app installed on all its repositories: a compliant `.github` and `repositories`
 * service repositories, the first `drifted` lacking their security policy (so a sweep opens one RTFM
 * issue each), and `pullRequests` open, compliant pull requests spread over the service repositories.
 */
export function org(fake: FakeGitHub, params: Record<string, unknown>): OrgScenario {
  const repos = seedCompliantOrg(fake, count(params, "repositories", 3), {
    drifted: count(params, "drifted", 0),
  });
  const services = repos.slice(1);
  const opened = openPullRequests(fake, services, count(params, "pullRequests", services.length));
  return {
    installationId: fake.installationFor("acme").id,
    repositories: repos.map((repo) => `${repo.owner}/${repo.name}`),
    ...describeOpened(fake, opened),
  };
}

/**
 * More of acme, as if its webhooks were lost: `repositories` new service repositories (`extra-0`, ...,
 * or named from `prefix`),
 * the first `drifted` lacking their security policy, with `pullRequests` open pull requests spread over
 * them; only a sweep can find them.
 */
export function grow(fake: FakeGitHub, params: Record<string, unknown>): Omit<OrgScenario, "installationId"> {
  const files = compliantRepoFiles();
  const drifted = count(params, "drifted", 0);
  const prefix = typeof params.prefix === "string" ? params.prefix : "extra";
  const repos = Array.from({ length: count(params, "repositories", 1) }, (_, i) => {
    const own = Object.fromEntries(
      Object.entries(files).filter(([path]) => i >= drifted || path !== "SECURITY.md"),
    );
    const repo = fake.seedRepo({ owner: "acme", name: `${prefix}-${i}`, visibility: "public", files: own });
    protectRepo(fake, repo);
    return repo;
  });
  const opened = openPullRequests(fake, repos, count(params, "pullRequests", repos.length), 1_000);
  return { repositories: repos.map((repo) => `${repo.owner}/${repo.name}`), ...describeOpened(fake, opened) };
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
