/** Command lines in remediations, which agents run as given: arguments quoted for a POSIX shell. */

/** The argument as is when it holds only characters no shell treats specially, else single-quoted. */
export function shellArg(text: string): string {
  return /^[A-Za-z0-9._/@%+=:,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** What a local checkout's facts name the head when no branch is checked out: no branch can be named so. */
export const DETACHED_HEAD = "HEAD";

/**
 * How `gh pr` commands in remediations select a pull request: by its head branch, which a local checkout
 * knows as well as GitHub does (a number exists only once the pull request is opened), so the CLI and the
 * check run print the same command. A detached checkout has no branch: then the number, once there is one,
 * else a placeholder for it (remediations put this inside a code span).
 */
export function pullRequestArg(pr: { number: number; head: { ref: string } }): string {
  if (pr.head.ref !== DETACHED_HEAD) return shellArg(pr.head.ref);
  return pr.number > 0 ? String(pr.number) : "<pull-request-number>";
}
