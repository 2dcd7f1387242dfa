/** Builders for facts in tests: sensible defaults, overridden by what a case cares about. */
import { type Facts, type FactsInput, FactsSchema, type PullRequestFacts } from "../../src/facts/schema.js";

export const NOW = "2026-11-23T12:00:00Z";

export function repoFacts(overrides: Partial<FactsInput["repo"]> = {}): FactsInput["repo"] {
  return { owner: "acme", name: "api", defaultBranch: "main", ...overrides };
}

/** Facts for a repository sweep. */
export function repoScope(repo: Partial<FactsInput["repo"]> = {}, extra: Partial<FactsInput> = {}): Facts {
  return FactsSchema.parse({ scopes: ["repo"], now: NOW, repo: repoFacts(repo), ...extra });
}

/** Facts for a pull request check; commits, files, reviews and check runs default to empty. */
export function prScope(pr: Partial<PullRequestFacts> = {}, extra: Partial<FactsInput> = {}): Facts {
  return FactsSchema.parse({
    scopes: ["pr"],
    now: NOW,
    repo: repoFacts(),
    pullRequest: {
      number: 7,
      title: "feat: add login",
      body: "",
      author: { login: "alice", type: "User" },
      base: { ref: "main", sha: "b".repeat(40) },
      head: { ref: "feat/login", sha: "h".repeat(40) },
      commits: [],
      files: [],
      reviews: [],
      checkRuns: [],
      ...pr,
    },
    ...extra,
  });
}

/** Facts for a push to the default branch. */
export function pushScope(
  push: Partial<NonNullable<FactsInput["push"]>> = {},
  extra: Partial<FactsInput> = {},
): Facts {
  return FactsSchema.parse({
    scopes: ["push"],
    now: NOW,
    repo: repoFacts(),
    push: {
      ref: "refs/heads/main",
      before: "a".repeat(40),
      after: "c".repeat(40),
      forced: false,
      pusher: { login: "alice", type: "User" },
      commits: [],
      pullRequest: null,
      ...push,
    },
    ...extra,
  });
}

export function commit(
  message: string,
  extra: Partial<NonNullable<PullRequestFacts["commits"]>[number]> = {},
) {
  return {
    sha: `${message.length.toString(16).padStart(4, "0")}${"0".repeat(36)}`,
    message,
    author: { name: "Alice", email: "alice@example.com", login: "alice" },
    coAuthors: [],
    ...extra,
  };
}
