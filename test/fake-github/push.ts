/**
 * Events as GitHub reports them, built from the fake's state: the `push` webhook payload for a branch
 * that moved, the merge of a pull request (a merge commit on the base branch, which GitHub then reports
 * as a push), the `installation` event of an app being installed, and the `repository_ruleset` event of
 * a ruleset changed.
 */
import { commitChanges, commitsBetween, compare } from "./git.js";
import type { FakeGitHub } from "./index.js";
import * as render from "./render.js";
import type { RepoRef } from "./seed.js";
import type { CommitState, InstallationState, RepoState, RulesetState } from "./state.js";

const ZERO_SHA = "0".repeat(40);

export interface PushSeed {
  /** The branch that moved; the default branch when omitted. */
  branch?: string;
  /** Where the branch was before the push. */
  before: string;
  /** Where it is now; the branch's tip when omitted. */
  after?: string;
  forced?: boolean;
  /** The login of who pushed (the event's `sender`). */
  pusher: string;
}

/** A `push` webhook payload built from the fake's state, listing the commits `before..after`. */
export function pushEvent(fake: FakeGitHub, ref: RepoRef, seed: PushSeed) {
  const repo = fake.repo(ref);
  const state = fake.state;
  const branch = seed.branch ?? repo.defaultBranch;
  const after = seed.after ?? repo.branches.get(branch);
  if (!after) throw new Error(`the fake has no branch ${branch} in ${repo.owner}/${repo.name}`);
  const pusher = state.account(seed.pusher);
  const owner = state.account(repo.owner);
  const commit = (c: CommitState) => {
    const changes = commitChanges(repo, c);
    const paths = (status: string) => changes.filter((f) => f.status === status).map((f) => f.filename);
    const person = (login: string | null, actor: CommitState["author"]) => ({
      name: actor.name,
      email: actor.email,
      ...(login ? { username: login } : {}),
    });
    return {
      id: c.sha,
      tree_id: c.sha,
      distinct: true,
      message: c.message,
      timestamp: c.author.date,
      url: `${render.repoWebUrl(repo)}/commit/${c.sha}`,
      author: person(c.authorLogin, c.author),
      committer: person(c.committerLogin, c.committer),
      added: paths("added"),
      removed: paths("removed"),
      modified: paths("modified"),
    };
  };
  const commits = (seed.before === ZERO_SHA ? [] : commitsBetween(repo, seed.before, after)).map(commit);
  return {
    ref: `refs/heads/${branch}`,
    before: seed.before,
    after,
    created: seed.before === ZERO_SHA,
    deleted: false,
    forced: seed.forced ?? false,
    base_ref: null,
    compare: `${render.repoWebUrl(repo)}/compare/${seed.before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits,
    head_commit: commits[commits.length - 1] ?? null,
    repository: render.repository(state, repo),
    pusher: { name: pusher.login, email: `${pusher.login}@users.noreply.github.com` },
    ...(owner.type === "Organization" ? { organization: render.organization(state, owner.login) } : {}),
    sender: render.user(state, pusher.login),
  };
}

/**
 * Merges an open pull request as `by` would with the merge button: a merge commit on the base branch
 * holding the head's changes, the pull request closed as merged. Returns the merge commit.
 */
export function mergePullRequest(fake: FakeGitHub, ref: RepoRef, number: number, by: string): CommitState {
  const repo = fake.repo(ref);
  const pr = repo.pulls.get(number);
  const issue = repo.issues.get(number);
  if (!pr || !issue) throw new Error(`the fake has no pull request #${number} in ${repo.owner}/${repo.name}`);
  const base = repo.branches.get(pr.base.ref) as string;
  const head = repo.commits.get(pr.head.sha) as CommitState;
  const files: Record<string, string | null> = {};
  for (const file of compare(repo, base, pr.head.sha).files) {
    files[file.filename] = file.status === "removed" ? null : (head.files.get(file.filename) ?? null);
  }
  const merge = fake.seedCommit(repo, {
    message: `Merge pull request #${number} from ${repo.owner}/${pr.head.ref}\n\n${issue.title}`,
    files,
    author: by,
    parents: [base, pr.head.sha],
    branch: pr.base.ref,
  });
  const now = fake.state.clock.iso();
  Object.assign(pr, {
    merged: true,
    mergedAt: now,
    mergedBy: fake.state.account(by).login,
    mergeCommitSha: merge.sha,
  });
  Object.assign(issue, { state: "closed", stateReason: "completed", closedAt: now, updatedAt: now });
  return merge;
}

/**
 * The `installation.created` event GitHub sends when `sender` installs the app as `installation`,
 * listing the `repositories` it was installed on (none when not given).
 */
export function installationCreatedEvent(
  fake: FakeGitHub,
  installation: InstallationState,
  sender: string,
  repositories: RepoState[] = [],
) {
  return {
    action: "created",
    installation: render.installation(fake.state, installation),
    repositories: repositories.map((repo) => ({
      id: repo.id,
      node_id: render.repository(fake.state, repo).node_id,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      private: repo.visibility !== "public",
    })),
    requester: null,
    sender: render.user(fake.state, sender),
  };
}

/**
 * The `repository_ruleset` event GitHub sends when `sender` acts on a ruleset (`action`: created,
 * edited, deleted): it names the repository of a repository ruleset, and the organization.
 */
export function rulesetEvent(fake: FakeGitHub, ruleset: RulesetState, action: string, sender: string) {
  const repo = ruleset.sourceType === "Repository" ? fake.repo(ruleset.source) : undefined;
  return {
    action,
    repository_ruleset: {
      id: ruleset.id,
      name: ruleset.name,
      target: ruleset.target,
      source_type: ruleset.sourceType,
      source: ruleset.source,
      enforcement: ruleset.enforcement,
      updated_at: ruleset.updatedAt,
    },
    ...(repo ? { repository: render.repository(fake.state, repo) } : {}),
    organization: render.organization(fake.state, repo ? repo.owner : ruleset.source),
    sender: render.user(fake.state, sender),
  };
}
