/**
 * The local gatherer: Facts from a git checkout, so an agent can run before pushing the very check that will
 * judge its pull request. I/O lives here and only here; parsing git's output is done by pure functions below.
 *
 * It runs few git processes (about six, most of them in parallel): file contents come from one
 * `git cat-file --batch`, commits from one `git log`, changed files and patches from one `git diff`.
 */
import { spawn } from "node:child_process";
import { basename } from "node:path";
import type { ChangedFile, Commit, Facts, FactsInput } from "../facts/schema.js";
import { FactsSchema } from "../facts/schema.js";
import { parseCoAuthors } from "../facts/trailers.js";
import { DETACHED_HEAD, shellArg } from "../rules/support/shell.js";

interface LocalGatherOptions {
  /** Any directory inside the checkout. */
  dir: string;
  /** The ref the pull request will target; by default the upstream default branch (see `resolveBase`). */
  base?: string;
  /**
   * The branch the pull request targets on GitHub (its base, or the repository's default branch): judged from
   * `origin/<branch>`, else the local branch. Ignored when `base` is given.
   */
  baseBranch?: string;
  /** Repository paths the bundle's rules read; each becomes its content at HEAD, or null when absent. */
  paths: readonly string[];
  /** Changed files whose whole new content rules read (see `factNeeds`); read from HEAD in one batch. */
  contents?: (path: string) => boolean;
  /** The moment of evaluation (ISO 8601). */
  now: string;
  /** The pull request's title; without it its title and body are not evaluated. */
  title?: string;
  body?: string;
}

/** The checkout cannot be read as asked (not a repository, no commits, unknown base). */
export class GitError extends Error {
  override name = "GitError";
}

/** Why facts that live only on GitHub are absent from a local snapshot; agents read these in the verdict. */
const LOCAL_UNAVAILABLE = {
  "repo.rulesets": "rulesets live on GitHub; the rulebook check run evaluates them",
  "repo.metadata": "a local checkout does not know the repository's language, topics or custom properties",
  "pr.reviews": "reviews live on GitHub; the rulebook check run evaluates them",
  "pr.checkRuns": "other check runs live on GitHub; the rulebook check run evaluates them",
  "pr.baseCheckRuns":
    "the checks that ran on the base branch live on GitHub; the rulebook check run evaluates them",
  app: "the app's identity is known only on GitHub; the rulebook check run evaluates this",
  "pr.description":
    "a local checkout has no pull request title or body; pass them with `rulebook check --title T --body-file F`",
} as const;

const EMPTY_TREE = {
  sha1: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  sha256: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
};

export async function gatherLocal(options: LocalGatherOptions): Promise<Facts> {
  const [head, config, refs] = await Promise.all([
    git(options.dir, ["rev-parse", "--show-toplevel", "HEAD", "--symbolic-full-name", "HEAD"]).catch(
      (error) => {
        throw new GitError(
          `${options.dir} is not a git checkout with at least one commit (${firstLine(error)}); commit your work first`,
        );
      },
    ),
    git(options.dir, ["config", "-z", "--list"]).catch(() => ""),
    git(options.dir, [
      "for-each-ref",
      "--format=%(refname)%00%(objectname)%00%(symref)",
      "refs/remotes/origin/",
      "refs/heads/",
    ]).catch(() => ""),
  ]);
  const [top = "", headSha = "", headName = "HEAD"] = head.split("\n");
  const settings = parseConfigList(config);
  const refMap = parseRefs(refs);
  const defaultBranch = resolveDefaultBranch(refMap);
  const headRef = headName.startsWith("refs/heads/") ? headName.slice("refs/heads/".length) : DETACHED_HEAD;
  const base =
    options.base === undefined && options.baseBranch !== undefined
      ? branchBase(options.baseBranch, refMap)
      : await resolveBase(top, options.base, refMap, defaultBranch, headRef, headSha);
  // From the root there is no base commit: the diff starts at the empty tree and the log at the root.
  const baseCommit = base.sha === emptyTree(headSha) ? undefined : base.sha;

  const [log, diff, files] = await Promise.all([
    git(top, [
      "log",
      "-z",
      "--reverse",
      "--no-show-signature",
      "--format=%H%x00%an%x00%ae%x00%B",
      baseCommit ? `${baseCommit}..${headSha}` : headSha,
    ]),
    gitBuffer(top, [
      "diff",
      "--patch-with-raw",
      "-z",
      "--find-renames",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      "--submodule=short",
      ...(baseCommit ? [`${baseCommit}...${headSha}`] : [emptyTree(headSha), headSha]),
    ]).catch((error: Error) => {
      throw new GitError(
        `${error.message}; if the base's history is missing (a shallow clone), run \`git fetch --unshallow\` or pass --base`,
      );
    }),
    readFilesAt(top, headSha, options.paths),
  ]);

  const changed = parseDiff(diff);
  const wanted = changed.filter((f) => f.status !== "removed" && !f.binary && options.contents?.(f.path));
  if (wanted.length > 0) {
    const contents = await readFilesAt(
      top,
      headSha,
      wanted.map((f) => f.path),
    );
    for (const file of wanted) {
      const content = contents[file.path];
      if (content !== null && content !== undefined) file.content = content;
    }
  }
  const { owner, name } = parseRemote(settings.get("remote.origin.url"), basename(top));
  const { "pr.description": noDescription, ...githubOnly } = LOCAL_UNAVAILABLE;
  const input: FactsInput = {
    scopes: ["pr", "repo"],
    now: options.now,
    repo: { owner, name, defaultBranch, files },
    pullRequest: {
      number: 0,
      title: options.title ?? "",
      body: options.body ?? "",
      author: { login: settings.get("user.name") ?? "unknown", type: "Unknown" },
      draft: false,
      base: { ref: base.ref, sha: base.sha },
      head: { ref: headRef, sha: headSha },
      labels: [],
      commits: parseLog(log),
      files: changed,
    },
    unavailable: {
      ...githubOnly,
      ...(options.title === undefined ? { "pr.description": noDescription } : {}),
    },
  };
  return FactsSchema.parse(input);
}

/** Paths with uncommitted changes (tracked or untracked): a pull request will not contain them. */
export async function uncommittedPaths(dir: string): Promise<string[]> {
  const status = await git(dir, ["status", "--porcelain=v1", "-z"]);
  const paths: string[] = [];
  const entries = status.split("\0");
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? "";
    if (entry.length < 4) continue;
    paths.push(entry.slice(3));
    // A rename or copy is followed by its original path, which is not a change of its own.
    if (entry[0] === "R" || entry[0] === "C") i++;
  }
  return paths;
}

interface Base {
  ref: string;
  sha: string;
}

/** What a checkout is: its GitHub repository (from origin's URL), its branch (none when detached) and HEAD. */
export async function describeCheckout(
  dir: string,
): Promise<{ owner: string; name: string; branch?: string; headSha: string }> {
  const [head, url] = await Promise.all([
    git(dir, ["rev-parse", "--show-toplevel", "HEAD", "--symbolic-full-name", "HEAD"]).catch((error) => {
      throw new GitError(
        `${dir} is not a git checkout with at least one commit (${firstLine(error)}); commit your work first`,
      );
    }),
    git(dir, ["config", "--get", "remote.origin.url"]).catch(() => ""),
  ]);
  const [top = "", headSha = "", headName = ""] = head.split("\n");
  const { owner, name } = parseRemote(url.trim() || undefined, basename(top));
  const branch = headName.startsWith("refs/heads/") ? headName.slice("refs/heads/".length) : undefined;
  return { owner, name, headSha, ...(branch ? { branch } : {}) };
}

/** The commit `git merge-base` finds for a range, which is where a pull request's diff starts. */
export async function mergeBase(dir: string, base: string, head: string): Promise<string | undefined> {
  const out = await git(dir, ["merge-base", base, head]).catch(() => "");
  return out.trim() || undefined;
}

/** A branch the pull request targets on GitHub, as this checkout knows it: `origin/<branch>`, else local. */
function branchBase(branch: string, refs: Map<string, RefInfo>): Base {
  const known = refs.get(`refs/remotes/origin/${branch}`) ?? refs.get(`refs/heads/${branch}`);
  if (!known) {
    throw new GitError(
      `the pull request's base branch ${branch} is not in this checkout; run \`git fetch origin ${shellArg(branch)}\` and check again`,
    );
  }
  return { ref: branch, sha: known.sha };
}

/**
 * The base of the range: the given ref; else the upstream default branch (`origin/<default>`); else the local
 * default branch when HEAD is on another branch; else the root (the empty tree, so the root commit counts).
 * `git log base..HEAD` and `git diff base...HEAD` then start at the merge base, as GitHub's pull requests do.
 */
async function resolveBase(
  top: string,
  given: string | undefined,
  refs: Map<string, RefInfo>,
  defaultBranch: string,
  headRef: string,
  headSha: string,
): Promise<Base> {
  if (given !== undefined) {
    const sha = await git(top, [
      "rev-parse",
      "--verify",
      "--quiet",
      "--end-of-options",
      `${given}^{commit}`,
    ]).catch(() => {
      throw new GitError(
        `base ${JSON.stringify(given)} is not a commit in this checkout; fetch it or pass another --base`,
      );
    });
    return {
      ref: given.replace(/^(refs\/remotes\/)?origin\//, "").replace(/^refs\/heads\//, ""),
      sha: sha.trim(),
    };
  }
  const upstream = refs.get(`refs/remotes/origin/${defaultBranch}`);
  if (upstream) return { ref: defaultBranch, sha: upstream.sha };
  const local = refs.get(`refs/heads/${defaultBranch}`);
  if (local && headRef !== defaultBranch) return { ref: defaultBranch, sha: local.sha };
  return { ref: defaultBranch, sha: emptyTree(headSha) };
}

function emptyTree(headSha: string): string {
  return headSha.length === 64 ? EMPTY_TREE.sha256 : EMPTY_TREE.sha1;
}

interface RefInfo {
  sha: string;
  symref: string;
}

function parseRefs(output: string): Map<string, RefInfo> {
  const refs = new Map<string, RefInfo>();
  for (const line of output.split("\n")) {
    const [ref, sha, symref = ""] = line.split("\0");
    if (ref && sha) refs.set(ref, { sha, symref });
  }
  return refs;
}

/** `origin/HEAD`'s target; else `main` or `master`, whichever exists (upstream first); else `main`. */
function resolveDefaultBranch(refs: Map<string, RefInfo>): string {
  const originHead = refs.get("refs/remotes/origin/HEAD")?.symref;
  if (originHead?.startsWith("refs/remotes/origin/")) return originHead.slice("refs/remotes/origin/".length);
  for (const prefix of ["refs/remotes/origin/", "refs/heads/"]) {
    for (const branch of ["main", "master"]) if (refs.has(prefix + branch)) return branch;
  }
  return "main";
}

/** `git config -z --list`: later entries win, as they do for git. */
function parseConfigList(output: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const entry of output.split("\0")) {
    const newline = entry.indexOf("\n");
    if (newline > 0) settings.set(entry.slice(0, newline).toLowerCase(), entry.slice(newline + 1));
  }
  return settings;
}

/**
 * Owner and name from a remote URL: `https://host/owner/name(.git)`, `git@host:owner/name(.git)` or
 * `ssh://git@host[:port]/owner/name`. Without a usable remote the name is the checkout's directory name.
 */
export function parseRemote(url: string | undefined, directoryName: string): { owner: string; name: string } {
  const fallback = { owner: "local", name: directoryName };
  if (!url) return fallback;
  const withoutScheme = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*\//i, "");
  const path = withoutScheme === url.trim() ? withoutScheme.replace(/^[^/:]*@?[^/:]*:/, "") : withoutScheme;
  const segments = path
    .replace(/\/+$/, "")
    .replace(/\.git$/, "")
    .split("/")
    .filter(Boolean);
  const name = segments.at(-1);
  const owner = segments.at(-2);
  return name && owner ? { owner, name } : fallback;
}

/** `git log -z --format=%H%x00%an%x00%ae%x00%B`: four NUL-separated fields per commit. */
export function parseLog(output: string): Commit[] {
  const fields = output.split("\0");
  const commits: Commit[] = [];
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [sha = "", name = "", email = "", raw = ""] = fields.slice(i, i + 4);
    const message = raw.replace(/\n+$/, "");
    const login = loginFromNoreplyEmail(email);
    commits.push({
      sha,
      message,
      author: { name, email, ...(login ? { login } : {}) },
      coAuthors: parseCoAuthors(message),
    });
  }
  return commits;
}

/** GitHub's noreply addresses (`12345+login@users.noreply.github.com`) name the account. */
function loginFromNoreplyEmail(email: string): string | undefined {
  return /^(?:\d+\+)?([^@+]+)@users\.noreply\.github\.com$/i.exec(email)?.[1];
}

const STATUS: Record<string, ChangedFile["status"]> = {
  A: "added",
  M: "modified",
  D: "removed",
  R: "renamed",
  C: "copied",
  T: "changed",
};

/**
 * `git diff --patch-with-raw -z`: NUL-separated raw entries (exact paths, status), an empty field, then the
 * patch text whose `diff --git` sections come in the same order (a type change has two: delete, then add).
 * Each patch is reduced to GitHub's format: the hunks from the first `@@`, without a trailing newline.
 */
export function parseDiff(output: Buffer): ChangedFile[] {
  const entries: Array<{ status: string; path: string; previousPath?: string }> = [];
  let pos = 0;
  const readField = (): string => {
    const end = output.indexOf(0, pos);
    const field = output.toString("utf8", pos, end === -1 ? output.length : end);
    pos = end === -1 ? output.length : end + 1;
    return field;
  };
  while (pos < output.length && output[pos] === 0x3a /* ":" */) {
    const status = readField().split(" ").at(-1)?.[0] ?? "M";
    const first = readField();
    if (status === "R" || status === "C") entries.push({ status, previousPath: first, path: readField() });
    else entries.push({ status, path: first });
  }
  if (output[pos] === 0) pos++;

  const sections = output
    .toString("utf8", pos)
    .split(/^(?=diff --git )/m)
    .filter((s) => s.startsWith("diff --git "));
  const expected = entries.reduce((count, entry) => count + (entry.status === "T" ? 2 : 1), 0);
  if (sections.length !== expected) {
    throw new GitError(
      `git diff printed ${sections.length} patches where ${expected} were expected; cannot match them to the changed files`,
    );
  }
  let next = 0;
  return entries.map((entry) => {
    const count = entry.status === "T" ? 2 : 1;
    const own = sections.slice(next, next + count);
    next += count;
    const hunks = own.map(hunksOf).filter((h) => h !== "");
    const binary = own.some((section) =>
      /^(Binary files .* differ|GIT binary patch)$/m.test(headerOf(section)),
    );
    const file: ChangedFile = { path: entry.path, status: STATUS[entry.status] ?? "changed", binary };
    if (entry.previousPath !== undefined) file.previousPath = entry.previousPath;
    // git prints every hunk, so a text file without one (a pure rename, an empty file) has an empty patch,
    // not a missing one: only GitHub leaves patches out.
    if (!binary) file.patch = hunks.join("\n");
    return file;
  });
}

function headerOf(section: string): string {
  const hunk = section.search(/^@@ /m);
  return hunk === -1 ? section : section.slice(0, hunk);
}

function hunksOf(section: string): string {
  const hunk = section.search(/^@@ /m);
  return hunk === -1 ? "" : section.slice(hunk).replace(/\n$/, "");
}

/** Contents at `rev` through one `git cat-file --batch`; null when absent or not a file. */
async function readFilesAt(
  top: string,
  rev: string,
  paths: readonly string[],
): Promise<Record<string, string | null>> {
  const files: Record<string, string | null> = {};
  const wanted = [...new Set(paths)].filter((path) => !path.includes("\n"));
  for (const path of paths) files[path] = null;
  if (wanted.length === 0) return files;
  const output = await gitBuffer(
    top,
    ["cat-file", "--batch"],
    wanted.map((path) => `${rev}:${path}\n`).join(""),
  );
  let pos = 0;
  for (const path of wanted) {
    const newline = output.indexOf(0x0a, pos);
    if (newline === -1) break;
    const header = /^[0-9a-f]+ (\w+) (\d+)$/.exec(output.toString("utf8", pos, newline));
    pos = newline + 1;
    if (!header) continue; // `<object> missing`: no content follows
    const size = Number(header[2]);
    if (header[1] === "blob") files[path] = output.toString("utf8", pos, pos + size);
    pos += size + 1;
  }
  return files;
}

async function git(cwd: string, args: string[], input?: string): Promise<string> {
  return (await gitBuffer(cwd, args, input)).toString("utf8");
}

function gitBuffer(cwd: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      // Never prompt, never take the index lock, never let a user's pager in.
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0", GIT_PAGER: "cat" },
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error) => reject(new GitError(`cannot run git in ${cwd}: ${error.message}`)));
    child.on("close", (code) => {
      const message = Buffer.concat(stderr).toString("utf8").trim();
      if (code === 0) resolve(Buffer.concat(stdout));
      else reject(new GitError(`git ${args[0]} failed: ${message || `exit code ${code}`}`));
    });
    if (input !== undefined && child.stdin) {
      // git may exit early (a failure it reports on stderr); the close handler reports that, not EPIPE.
      child.stdin.on("error", () => {});
      child.stdin.end(input);
    }
  });
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
