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
type Warn = (message: string) => void;

/** The reporting of issues left aside by default: a process warning, as for damaged markers. */
function warnProcess(message: string): void {
  process.emitWarning(message, { code: "RULEBOOK_FOREIGN_ISSUE" });
}

const writers = new WeakMap<object, { identity: IdentitySource; warn: Warn }>();

/** Records whose identity a client writes as (the app's, for an installation's client), and where to log. */
export function writesAs(
  octokit: Octokit,
  identity: AppIdentity | IdentitySource,
  warn: Warn = warnProcess,
): void {
  const source = typeof identity === "function" ? identity : () => Promise.resolve(identity);
  writers.set(octokit, { identity: source, warn });
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

/** Who else last edited the body of one of the app's issues; undefined when nobody did (or GitHub does not say). */
export function editedByOthers(issue: Authorship, app: AppIdentity): string | undefined {
  return issue.editor && !isAppBot(issue.editor, app) ? issue.editor.login : undefined;
}

type Numbered = Authorship & { number: number };

/** What the app may believe of the issues it reads: which are its own, and whose markers hold its state. */
export interface IssueTrust {
  /** The app's own issues among `issues` (the same objects), after logging each one left out and why. */
  own<T extends Numbered>(issues: readonly T[], repository: string): T[];
  /** Whether the state in the marker of one of the app's issues may be used; logs when it may not. */
  trustsMarker(issue: Numbered, repository: string): boolean;
}

/** The trust of a client whose app is known; it logs where the client was told to. */
export function trustFor(octokit: Octokit, app: AppIdentity): IssueTrust {
  const warn = writers.get(octokit)?.warn ?? warnProcess;
  return {
    own: (issues, repository) =>
      issues.filter((issue) => {
        const why = notWrittenByApp(issue, app);
        if (why) warn(`ignoring ${repository}#${issue.number}, which carries Rulebook's label: ${why}`);
        return why === undefined;
      }),
    trustsMarker: (issue, repository) => {
      const editor = editedByOthers(issue, app);
      if (editor) {
        warn(
          `not trusting the hidden state of ${repository}#${issue.number}: @${editor} edited its body after the app; it will be rewritten`,
        );
      }
      return editor === undefined;
    },
  };
}

/**
 * The trust of the app a client writes as. Without its identity, the app's issues cannot be told from
 * forged ones, so this throws rather than trust every issue with the right label.
 */
export async function issueTrust(octokit: Octokit): Promise<IssueTrust> {
  const app = await writers.get(octokit)?.identity();
  if (!app) {
    throw new Error("this app's identity is unknown, so its own issues cannot be told from forged ones");
  }
  return trustFor(octokit, app);
}
