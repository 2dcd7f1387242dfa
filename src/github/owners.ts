/**
 * Who owns what an RTFM issue is about: the CODEOWNERS owners of the affected paths (of `*` when the
 * incident names no path), and the owners the bundle's profiles name. Users who can be assigned in the
 * repository are assigned; everyone is mentioned, teams included (GitHub assigns users only).
 */
import picomatch from "picomatch";
import { readFile } from "../gather/contents.js";
import type { Octokit } from "../gather/github.js";

/** Where GitHub looks for CODEOWNERS, in its order. */
const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];
/** GitHub takes at most this many assignees on an issue. */
const MAX_ASSIGNEES = 10;

/** The repository's CODEOWNERS on its default branch, or null when it has none. */
export async function readCodeowners(octokit: Octokit, owner: string, repo: string, ref?: string) {
  for (const path of CODEOWNERS_PATHS) {
    const text = await readFile(octokit, owner, repo, path, ref);
    if (text !== null) return text;
  }
  return null;
}

/** A CODEOWNERS pattern as a matcher over repository paths (gitignore rules, as GitHub applies them). */
function codeownersMatcher(pattern: string): (path: string) => boolean {
  const directory = pattern.endsWith("/");
  let glob = pattern.replace(/\/+$/, "");
  // A slash at the start or in the middle anchors the pattern at the root; otherwise it matches at any depth.
  const anchored = glob.startsWith("/") || glob.includes("/");
  glob = glob.replace(/^\/+/, "");
  if (!anchored) glob = `**/${glob}`;
  const self = picomatch(glob, { dot: true });
  const below = picomatch(`${glob}/**`, { dot: true });
  return (path) => (!directory && self(path)) || below(path);
}

/** The owners (`@user`, `@org/team`, emails left out) of `path`: the last matching rule wins. */
export function ownersOfPath(codeowners: string, path: string): string[] {
  let owners: string[] = [];
  for (const line of codeowners.split("\n")) {
    const [pattern, ...rest] = line
      .replace(/(^|\s)#.*/, "")
      .trim()
      .split(/\s+/);
    if (!pattern) continue;
    if (codeownersMatcher(pattern)(path)) owners = rest.filter((o) => o.startsWith("@"));
  }
  return owners;
}

/** The owners of the catch-all `*` rule: `@user` and `@org/team`. */
function catchAllMentions(codeowners: string): string[] {
  let owners: string[] = [];
  for (const line of codeowners.split("\n")) {
    const [pattern, ...rest] = line.replace(/#.*/, "").trim().split(/\s+/);
    // The last matching rule wins in CODEOWNERS, so a later `*` line replaces an earlier one.
    if (pattern === "*") owners = rest.filter((o) => o.startsWith("@"));
  }
  return owners;
}

/** The owners of the catch-all `*` rule of a CODEOWNERS file: users and team slugs. */
export function catchAllOwners(codeowners: string): { users: string[]; teams: string[] } {
  const owners = catchAllMentions(codeowners).map((o) => o.slice(1));
  return {
    users: owners.filter((o) => !o.includes("/")),
    teams: owners.filter((o) => o.includes("/")).map((o) => o.split("/")[1] as string),
  };
}

interface IssueOwners {
  /** Everyone to name in the issue: `@user` and `@org/team`, without duplicates. */
  mentions: string[];
  /** The users among them who can be assigned in the repository. */
  assignees: string[];
}

/**
 * The repository's CODEOWNERS among files already read (GitHub's precedence), null when every place was
 * looked up and none has one, undefined when they were not all looked up.
 */
export function knownCodeowners(files: Readonly<Record<string, string | null>>): string | null | undefined {
  for (const path of CODEOWNERS_PATHS) {
    const text = files[path];
    if (text === undefined) return undefined;
    if (text !== null) return text;
  }
  return null;
}

/**
 * The owners of an incident in `owner/repo`: CODEOWNERS owners of each path (of `*` without paths)
 * plus the bundle's profile owners. A failure to read CODEOWNERS leaves the profile owners.
 */
export async function resolveOwners(
  octokit: Octokit,
  owner: string,
  repo: string,
  input: { paths: readonly string[]; profileOwners: readonly string[]; codeowners?: string | null },
): Promise<IssueOwners> {
  // Owners are named on a best-effort basis: a CODEOWNERS that cannot be read never loses the incident.
  const codeowners =
    input.codeowners !== undefined
      ? input.codeowners
      : await readCodeowners(octokit, owner, repo).catch(() => null);
  const paths = input.paths.length > 0 ? input.paths : ["*"];
  const fromCodeowners = codeowners
    ? paths.flatMap((path) => (path === "*" ? catchAllMentions(codeowners) : ownersOfPath(codeowners, path)))
    : [];
  const mentions = dedupe([...fromCodeowners, ...input.profileOwners]);
  const assignees: string[] = [];
  for (const mention of mentions) {
    if (mention.includes("/") || assignees.length >= MAX_ASSIGNEES) continue;
    const login = mention.slice(1);
    if (await canBeAssigned(octokit, owner, repo, login)) assignees.push(login);
  }
  return { mentions, assignees };
}

function dedupe(mentions: string[]): string[] {
  const seen = new Set<string>();
  return mentions.filter((m) => {
    const key = m.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether `login` can be assigned issues in the repository (it has access); when unsure, not: it is still mentioned. */
async function canBeAssigned(octokit: Octokit, owner: string, repo: string, login: string) {
  try {
    await octokit.rest.issues.checkUserCanBeAssigned({ owner, repo, assignee: login });
    return true;
  } catch {
    return false;
  }
}
