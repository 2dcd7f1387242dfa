/** Commit SHAs as findings show them: seven characters, as GitHub and `git log --oneline` do. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
