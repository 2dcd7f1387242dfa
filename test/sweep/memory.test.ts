/**
 * The sweep's facts cache keeps each repository small: file contents, the map of paths to them and
 * rulesets are stored once under their digest however many repositories hold them, and an entry whose shared value is gone is read
 * again from GitHub, never judged from half a snapshot.
 */
import { describe, expect, it } from "@jest/globals";
import type { FactKey } from "../../src/facts/schema.js";
import type { Octokit, RepositoryPayload } from "../../src/gather/github.js";
import { MemoryStore } from "../../src/state/store.js";
import { gatherWithCache } from "../../src/sweep/memory.js";
import { compliantRepoFiles, seedCompliantOrg } from "../support/compliant-repo.js";
import { createFakeGitHub } from "../support/github.js";

const NOW = "2026-11-23T12:00:00Z";

/** A store that remembers what was written, to measure it. */
class RecordingStore extends MemoryStore {
  readonly written = new Map<string, string>();
  override async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.written.set(key, value);
    return super.set(key, value, ttlSeconds);
  }
}

function setUp(repositories: number) {
  const fake = createFakeGitHub();
  const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id) as unknown as Octokit;
  seedCompliantOrg(fake, repositories - 1, { orgRulesets: true });
  const listed: RepositoryPayload[] = [...fake.state.repos.values()].map((repo) => ({
    name: repo.name,
    owner: { login: repo.owner },
    default_branch: repo.defaultBranch,
    visibility: repo.visibility,
  }));
  const paths = Object.keys(compliantRepoFiles());
  const input = { needs: new Set<FactKey>(["repo.files", "repo.rulesets"]), paths, now: NOW };
  return { fake, octokit, listed, input };
}

describe("the sweep's facts cache", () => {
  it("stores each file's content and the rulesets once for all repositories", async () => {
    const { octokit, listed, input } = setUp(20);
    const store = new RecordingStore();
    const cold = await gatherWithCache(octokit, store, listed, input);

    const shared = [...store.written.keys()].filter((k) => k.startsWith("shared:"));
    // The files every repository holds, the map of paths to them, and the organization's rulesets:
    // once each.
    expect(shared).toHaveLength(Object.keys(compliantRepoFiles()).length + 2);
    const entries = [...store.written].filter(([k]) => k.startsWith("facts:"));
    expect(entries).toHaveLength(20);
    for (const [, value] of entries) {
      expect(value).not.toContain("MIT License");
      expect(value.length).toBeLessThan(600);
    }

    const warm = await gatherWithCache(octokit, store, listed, input);
    for (const [name, read] of warm) {
      expect(read.fresh).toBe(false);
      expect(read.facts).toEqual(cold.get(name)?.facts);
    }
  });

  it("reads a repository again when a value its entry names is gone", async () => {
    const { fake, octokit, listed, input } = setUp(3);
    const store = new RecordingStore();
    await gatherWithCache(octokit, store, listed, input);
    const license = [...store.written].find(([k, v]) => k.startsWith("shared:") && v.startsWith("MIT"));
    await store.delete(license?.[0] ?? "");

    fake.requests.reset();
    const again = await gatherWithCache(octokit, store, listed, input);
    expect([...again.values()].map((r) => [r.fresh, r.facts.repo.files.LICENSE])).toEqual(
      listed.map(() => [true, "MIT License\n\nCopyright (c) 2026 Acme\n"]),
    );
  });
});
