/**
 * Who is an AI agent or automation. Most pull requests Rulebook judges are written by agents, and some
 * standards (no self-merge, escalation) and the check's wording depend on knowing it.
 */
import type { AgentSettings } from "../bundle/types.js";
import type { Actor, Commit, Facts, Person } from "../facts/schema.js";
import { matchesGlobs } from "../util/pattern.js";

/**
 * Whether a login is selected by globs such as `release-please[bot]` or `*-agent`. GitHub logins are
 * case-insensitive, so both sides are lowercased; an exact login matches even where its brackets would
 * read as a glob character class.
 */
export function loginMatches(login: string, globs: readonly string[]): boolean {
  return matchesGlobs(
    login.toLowerCase(),
    globs.map((g) => g.toLowerCase()),
  );
}

/** A person as a commit trailer writes them: `Name <email>`. */
export function formatPerson(person: Person): string {
  return `${person.name} <${person.email}>`;
}

export interface AgentDetector {
  /** An account of type Bot, a GitHub App login (`…[bot]`), or a login the bundle lists as an agent. */
  isAgent(actor: Actor): boolean;
  /**
   * Whether an agent wrote a change: its author (pull request author or pusher) is an agent, or a commit's
   * author login is, or a commit's author or `Co-authored-by` trailer matches the bundle's co-author globs.
   */
  wroteChange(author: Actor, commits: readonly Commit[]): boolean;
}

export function createAgentDetector(settings: AgentSettings): AgentDetector {
  const coAuthorGlobs = settings.coAuthors.map((g) => g.toLowerCase());
  const isAgentIdentity = (person: Person) =>
    coAuthorGlobs.length > 0 && matchesGlobs(formatPerson(person).toLowerCase(), coAuthorGlobs);
  const isAgent = (actor: Actor) =>
    actor.type === "Bot" ||
    actor.login.toLowerCase().endsWith("[bot]") ||
    loginMatches(actor.login, settings.logins);
  return {
    isAgent,
    wroteChange(author, commits) {
      if (isAgent(author)) return true;
      return commits.some(
        (commit) =>
          (commit.author.login !== undefined && isAgent({ login: commit.author.login, type: "User" })) ||
          isAgentIdentity(commit.author) ||
          commit.coAuthors.some(isAgentIdentity),
      );
    },
  };
}

/** Whether an AI agent wrote the pull request in these facts (false when there is none). */
export function pullRequestByAgent(settings: AgentSettings, facts: Facts): boolean {
  const pr = facts.pullRequest;
  return pr !== undefined && createAgentDetector(settings).wroteChange(pr.author, pr.commits ?? []);
}
