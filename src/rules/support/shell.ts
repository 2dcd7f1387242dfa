/** Command lines in remediations, which agents run as given: arguments quoted for a POSIX shell. */

/** The argument as is when it holds only characters no shell treats specially, else single-quoted. */
export function shellArg(text: string): string {
  return /^[A-Za-z0-9._/@%+=:,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * How `gh pr` commands in remediations select a pull request: by its head branch, which a local checkout
 * knows as well as GitHub does (a number exists only once the pull request is opened), so the CLI and the
 * check run print the same command.
 */
export function pullRequestArg(pr: { head: { ref: string } }): string {
  return shellArg(pr.head.ref);
}
