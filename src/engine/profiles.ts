/**
 * Profiles select the repositories a standard applies to: by name, primary language, topics, custom
 * properties and visibility. Archived repositories and forks are left out unless a profile includes them.
 */
import type { Profile } from "../bundle/types.js";
import type { RepoFacts } from "../facts/schema.js";
import { matchesGlobs } from "../util/pattern.js";

type ProfileMatch =
  | { status: "match" }
  | { status: "no-match"; reason: string }
  /** The profile selects on repository metadata that could not be gathered. */
  | { status: "unknown"; reason: string };

const VISIBILITIES = ["public", "private", "internal"] as const;

/** Whether the profile filters on language, topics, custom properties or visibility. */
export function profileUsesMetadata(profile: Profile): boolean {
  return (
    profile.languages.length > 0 ||
    profile.topics.length > 0 ||
    Object.keys(profile.properties).length > 0 ||
    !VISIBILITIES.every((v) => profile.visibility.length === 0 || profile.visibility.includes(v))
  );
}

function list(values: readonly string[]): string {
  return values.join(", ");
}

function lowerAll(values: readonly string[]): string[] {
  return values.map((v) => v.toLowerCase());
}

/**
 * Matches a profile against a repository and says why not. GitHub treats names, languages and topics
 * case-insensitively, so the comparisons do too. `metadataUnavailable` is the gatherer's reason when the
 * repository's metadata is unknown (a local checkout); a profile that needs it is then `unknown`.
 */
export function matchProfile(profile: Profile, repo: RepoFacts, metadataUnavailable?: string): ProfileMatch {
  const label = `profile ${profile.id}`;
  if (repo.archived && !profile.includeArchived) {
    return { status: "no-match", reason: `${label} leaves archived repositories out` };
  }
  if (repo.fork && !profile.includeForks) {
    return { status: "no-match", reason: `${label} leaves forks out` };
  }
  if (!matchesGlobs(repo.name.toLowerCase(), lowerAll(profile.repositories), true)) {
    return {
      status: "no-match",
      reason: `${label} does not select the name ${repo.name} (repositories: ${list(profile.repositories)})`,
    };
  }
  if (metadataUnavailable !== undefined && profileUsesMetadata(profile)) {
    return {
      status: "unknown",
      reason: `${label} selects on repository metadata, which is unavailable: ${metadataUnavailable}`,
    };
  }
  if (profile.languages.length > 0) {
    const language = repo.language;
    if (language === null || !lowerAll(profile.languages).includes(language.toLowerCase())) {
      const found = language === null ? "no primary language" : `primary language ${language}`;
      return {
        status: "no-match",
        reason: `${label} needs one of the languages ${list(profile.languages)}; the repository has ${found}`,
      };
    }
  }
  if (profile.topics.length > 0) {
    const wanted = lowerAll(profile.topics);
    if (!repo.topics.some((topic) => wanted.includes(topic.toLowerCase()))) {
      const found = repo.topics.length === 0 ? "no topics" : `the topics ${list(repo.topics)}`;
      return {
        status: "no-match",
        reason: `${label} needs one of the topics ${list(profile.topics)}; the repository has ${found}`,
      };
    }
  }
  for (const name of Object.keys(profile.properties).sort()) {
    const accepted = profile.properties[name] ?? [];
    if (accepted.length === 0) continue;
    const value = Object.hasOwn(repo.customProperties, name) ? repo.customProperties[name] : null;
    const values = value === null || value === undefined ? [] : typeof value === "string" ? [value] : value;
    if (!values.some((v) => accepted.includes(v))) {
      const found = values.length === 0 ? "is not set" : `is ${list(values)}`;
      return {
        status: "no-match",
        reason: `${label} needs the custom property ${name} to be one of ${list(accepted)}; it ${found}`,
      };
    }
  }
  if (profile.visibility.length > 0 && !profile.visibility.includes(repo.visibility)) {
    return {
      status: "no-match",
      reason: `${label} needs visibility ${list(profile.visibility)}; the repository is ${repo.visibility}`,
    };
  }
  return { status: "match" };
}

/** Whether a profile selects a repository whose metadata is known. */
export function profileMatches(profile: Profile, repo: RepoFacts): boolean {
  return matchProfile(profile, repo).status === "match";
}
