/**
 * A repository's facts from GitHub: its metadata (the payload, completed with custom properties when
 * profiles select on them), the files standards read (`contents.ts`) and its rulesets (`rulesets.ts`).
 * It fetches only the facts the applicable standards require.
 */
import type { FactKey, Facts, RepoFacts } from "../facts/schema.js";
import { readFiles } from "./contents.js";
import { attempt, type Octokit, type RepositoryPayload } from "./github.js";
import { listRulesets } from "./rulesets.js";

export function repoFactsFromPayload(repo: RepositoryPayload, files: RepoFacts["files"] = {}): RepoFacts {
  const visibility =
    repo.visibility === "public" || repo.visibility === "private" || repo.visibility === "internal"
      ? repo.visibility
      : repo.private
        ? "private"
        : "public";
  const customProperties: RepoFacts["customProperties"] = {};
  for (const [key, value] of Object.entries(repo.custom_properties ?? {})) {
    if (typeof value === "string" || value === null) customProperties[key] = value;
    else if (Array.isArray(value)) customProperties[key] = value.map(String);
  }
  return {
    owner: repo.owner.login,
    name: repo.name,
    defaultBranch: repo.default_branch ?? "main",
    language: repo.language ?? null,
    topics: repo.topics ?? [],
    customProperties,
    visibility,
    archived: repo.archived ?? false,
    fork: repo.fork ?? false,
    files,
  };
}

/**
 * The repository's metadata, completed with its custom properties when profiles select on them and the
 * payload lacks them (repository listings carry no custom properties; webhook payloads usually do).
 */
export async function repositoryMetadata(
  octokit: Octokit,
  repository: RepositoryPayload,
  needs: ReadonlySet<FactKey>,
  unavailable: Facts["unavailable"],
): Promise<RepoFacts> {
  const repo = repoFactsFromPayload(repository);
  if (!needs.has("repo.metadata") || repository.custom_properties != null) return repo;
  const values = await attempt(
    unavailable,
    "repo.metadata",
    "the repository's custom properties",
    async () => {
      const { data } = await octokit.rest.repos.customPropertiesForReposGetRepositoryValues({
        owner: repo.owner,
        repo: repo.name,
      });
      return data;
    },
  );
  if (!values) return repo;
  return repoFactsFromPayload({
    ...repository,
    custom_properties: Object.fromEntries(values.map((v) => [v.property_name, v.value])),
  });
}

export async function gatherRepository(
  octokit: Octokit,
  input: {
    repository: RepositoryPayload;
    needs: ReadonlySet<FactKey>;
    paths: readonly string[];
    now: string;
    app?: { id: number; slug: string };
  },
): Promise<Facts> {
  const unavailable: Facts["unavailable"] = {};
  const repo = await repositoryMetadata(octokit, input.repository, input.needs, unavailable);
  const files = input.needs.has("repo.files")
    ? await attempt(unavailable, "repo.files", `the files standards read on ${repo.defaultBranch}`, () =>
        readFiles(octokit, repo, input.paths),
      )
    : undefined;
  const rulesets = input.needs.has("repo.rulesets")
    ? await attempt(unavailable, "repo.rulesets", "the repository's rulesets", () =>
        listRulesets(octokit, repo.owner, repo.name),
      )
    : undefined;
  return {
    scopes: ["repo"],
    now: input.now,
    repo: { ...repo, files: files ?? {}, ...(rulesets ? { rulesets } : {}) },
    ...(input.app ? { app: input.app } : {}),
    unavailable,
  };
}
