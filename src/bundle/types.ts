/**
 * A resolved bundle: what the loader produces after parsing, validating and applying `extends`.
 * The engine only ever sees this shape; it never reads YAML or files.
 */
export type Severity = "error" | "warning" | "notice";

/**
 * How a standard is rolled out: `observe` judges and reports (neutral checks, the dashboard) without
 * blocking a merge or opening an RTFM issue; `enforce` blocks and opens issues.
 */
export type Mode = "observe" | "enforce";

export interface Profile {
  id: string;
  description?: string;
  /** Repository name globs (picomatch); a leading `!` excludes. Empty means every name. */
  repositories: string[];
  languages: string[];
  topics: string[];
  /** Custom property name -> accepted values. */
  properties: Record<string, string[]>;
  visibility: Array<"public" | "private" | "internal">;
  includeArchived: boolean;
  includeForks: boolean;
  /** Whom RTFM issues about the profile's repositories name (`@alice`, `@acme/platform`). */
  owners: string[];
}

interface Exemptions {
  /** Logins (globs) whose pull requests or pushes the standard does not judge, such as release bots. */
  actors: string[];
  /** Head branch globs the standard does not judge, such as `release-please--**`. */
  branches: string[];
}

export interface Standard {
  id: string;
  title: string;
  rule: string;
  severity: Severity;
  options: unknown;
  rationale: string;
  /** Bundle-relative path of the standard's manual page. */
  docs: string;
  remediation: string;
  /** Profile ids; the standard applies when any matches. */
  profiles: string[];
  /** Effective date (YYYY-MM-DD): before it, findings are reported as warnings. */
  since?: string;
  exemptions: Exemptions;
  /** This standard's rollout mode, over the bundle's `settings.mode`. */
  mode?: Mode;
}

export interface Waiver {
  /** `owner/name` or a glob over it. */
  repository: string;
  standard: string;
  owner: string;
  reason: string;
  /** YYYY-MM-DD; the waiver applies up to and including that day. */
  expires: string;
}

export interface AgentSettings {
  /** Logins (globs) of accounts that are AI agents, beyond accounts of type Bot. */
  logins: string[];
  /** Co-author trailers that mark a commit as written by an agent (globs over `Name <email>`). */
  coAuthors: string[];
}

export interface BundleSettings {
  /**
   * The rollout mode of every standard that sets none; absent when no bundle of the chain sets one,
   * and the app's default mode applies (`RULEBOOK_DEFAULT_MODE`, observe unless set).
   */
  mode?: Mode;
  /** The check run's name; rules never wait on it. */
  checkName: string;
  agents: AgentSettings;
  /** Consecutive failing head SHAs of one pull request before a human is asked in. */
  escalateAfter: number;
  /** Base URL of the manual pages; a standard's docs link is this plus its `docs` path. */
  docsUrl?: string;
  /**
   * The organization's repository (a name, without the owner) the dashboard is written to instead of the
   * central repository, filtered by that repository's own visibility.
   */
  dashboardRepository?: string;
}

export interface Bundle {
  /** Where the bundle came from, such as `default` or `acme/.github:standards`. */
  source: string;
  /** The bundle's version: its `version` key, or the commit it was read at. */
  version: string;
  settings: BundleSettings;
  profiles: Record<string, Profile>;
  standards: Standard[];
  waivers: Waiver[];
  /** Every file of the bundle by relative path (docs pages and canonical templates). */
  files: Record<string, string>;
  /**
   * Where a file of the bundle can be read on the web, by relative path, for the files whose home is known:
   * the org's `.github` repository at the bundle's commit, or the shipped default at this Rulebook's tag.
   */
  links: Record<string, string>;
}
