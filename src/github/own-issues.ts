/**
 * Which issues are Rulebook's own. The app finds its issues again by label and hidden marker, and both
 * can be copied by anyone who can open or label an issue; only the author cannot. An issue counts as the
 * app's when its author is the app's bot (`<slug>[bot]`, a login no person can take) and, where GitHub
 * says through which app it was made, that app is this one. Anything else is treated as absent, so a
 * forged marker never suppresses an incident nor alters the state the app keeps in its issues.
 *
 * Who wrote a body last is known only through GraphQL (`editor`); an issue of the app's whose body
 * someone else edited stays the app's, but the state in its marker is not trusted.
 */
import type { Octokit } from "../gather/github.js";

export interface AppIdentity {
  id: number;
  slug: string;
}

/** An account as REST names it: bots by `<slug>[bot]`. */
export interface IssueActor {
  login: string;
  type?: string;
}

/** What an issue says about who wrote it, as the issue listings give it. */
export interface Authorship {
  user?: IssueActor | null;
  performed_via_github_app?: { id: number } | null;
  /** Who last edited the body; absent when the listing cannot tell (REST), null when nobody did. */
  editor?: IssueActor | null;
}

type IdentitySource = () => Promise<AppIdentity | undefined>;

const identities = new WeakMap<object, IdentitySource>();

/** Records whose identity a client writes as (the app's, for an installation's client). */
export function writesAs(octokit: Octokit, identity: AppIdentity | IdentitySource): void {
  identities.set(octokit, typeof identity === "function" ? identity : () => Promise.resolve(identity));
}

/**
 * The app a client writes as. Without it, the app's issues cannot be told from forged ones, so this
 * throws rather than trust every issue with the right label.
 */
export async function identityOf(octokit: Octokit): Promise<AppIdentity> {
  const identity = await identities.get(octokit)?.();
  if (!identity) {
    throw new Error("this app's identity is unknown, so its own issues cannot be told from forged ones");
  }
  return identity;
}

function isAppBot(actor: IssueActor | null | undefined, app: AppIdentity): boolean {
  return actor?.type === "Bot" && actor.login.toLowerCase() === `${app.slug}[bot]`.toLowerCase();
}

/** Why an issue is not the app's own; undefined when it is. */
export function notWrittenByApp(issue: Authorship, app: AppIdentity): string | undefined {
  if (!isAppBot(issue.user, app)) {
    return `it was opened by ${issue.user ? `@${issue.user.login}` : "an unknown account"}, not by ${app.slug}[bot]`;
  }
  const via = issue.performed_via_github_app;
  if (via && via.id !== app.id) return `it was opened through another GitHub App (id ${via.id})`;
  return undefined;
}

/** Who else last edited the body of one of the app's issues; undefined when nobody else did (or GitHub does not say). */
export function editedByOthers(issue: Authorship, app: AppIdentity): string | undefined {
  return issue.editor && !isAppBot(issue.editor, app) ? issue.editor.login : undefined;
}

/** The reporting of issues left aside: a process warning, which the app logs, as for damaged markers. */
export function warnIgnoredIssue(message: string): void {
  process.emitWarning(message, { code: "RULEBOOK_FOREIGN_ISSUE" });
}

/** The app's own issues among `issues` (the same objects), after logging each one left out and why. */
export function ownIssues<T extends Authorship & { number: number }>(
  issues: readonly T[],
  app: AppIdentity,
  repository: string,
  warn: (message: string) => void = warnIgnoredIssue,
): T[] {
  return issues.filter((issue) => {
    const why = notWrittenByApp(issue, app);
    if (why) warn(`ignoring ${repository}#${issue.number}, which carries Rulebook's label: ${why}`);
    return why === undefined;
  });
}

/** Logs that the state in an edited issue's marker is not used, and says whether it may be. */
export function trustsMarker(
  issue: Authorship & { number: number },
  app: AppIdentity,
  repository: string,
): boolean {
  const editor = editedByOthers(issue, app);
  if (editor) {
    warnIgnoredIssue(
      `not trusting the hidden state of ${repository}#${issue.number}: @${editor} edited its body since the app wrote it; it will be rewritten`,
    );
  }
  return editor === undefined;
}
