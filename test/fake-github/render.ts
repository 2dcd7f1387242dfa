/**
 * The fake's state rendered as GitHub's JSON. Each function returns the documented schema's type,
 * so `tsc` checks the shape and the fake's response validation checks the formats.
 */
import type { components } from "@octokit/openapi-types";
import { blobSha, type ChangedFile, commitChanges, compare, treeSha } from "./git.js";
import type {
  AccountState,
  AppState,
  CheckRunState,
  CommitState,
  CommitStatusState,
  FakeState,
  InstallationState,
  IssueCommentState,
  IssueState,
  LabelState,
  PullRequestState,
  RepoState,
  ReviewState,
  RulesetState,
} from "./state.js";

type Schema<N extends keyof components["schemas"]> = components["schemas"][N];

export const API_URL = "https://api.github.com";
export const WEB_URL = "https://github.com";

/** GitHub's global node ids are opaque; these are stable and unique per kind and id. */
function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}:${id}`).toString("base64url");
}

export function user(state: FakeState, login: string): Schema<"simple-user"> {
  const account: AccountState = state.account(login);
  // Bot logins ("rulebook[bot]") are percent-encoded in URLs, as on GitHub.
  const api = `${API_URL}/users/${encodeURIComponent(account.login)}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type, account.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: `${WEB_URL}/${encodeURIComponent(account.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: account.type,
    site_admin: false,
  };
}

export function organization(state: FakeState, login: string): Schema<"organization-simple"> {
  const account = state.account(login, "Organization");
  const api = `${API_URL}/orgs/${account.login}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId("Organization", account.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    description: null,
  };
}

export function repoApiUrl(repo: RepoState): string {
  return `${API_URL}/repos/${repo.owner}/${repo.name}`;
}

export function repoWebUrl(repo: RepoState): string {
  return `${WEB_URL}/${repo.owner}/${repo.name}`;
}

/** A repository with every field `full-repository`, `repository` and `minimal-repository` require. */
export function repository(
  state: FakeState,
  repo: RepoState,
): Schema<"full-repository"> & Schema<"repository"> {
  const api = repoApiUrl(repo);
  const web = repoWebUrl(repo);
  const openIssues = [...repo.issues.values()].filter((issue) => issue.state === "open").length;
  const ownerAccount = state.account(repo.owner);
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: user(state, repo.owner),
    private: repo.visibility !== "public",
    visibility: repo.visibility,
    html_url: web,
    description: repo.description,
    fork: repo.fork,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://github.com/${repo.owner}/${repo.name}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@github.com:${repo.owner}/${repo.name}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${web}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: web,
    homepage: null,
    language: repo.language,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: repo.isTemplate,
    topics: repo.topics,
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: repo.archived,
    disabled: false,
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    allow_forking: true,
    web_commit_signoff_required: false,
    subscribers_count: 0,
    network_count: 0,
    license: null,
    ...(ownerAccount.type === "Organization" ? { organization: user(state, repo.owner) } : {}),
    custom_properties: Object.fromEntries(
      Object.entries(repo.customProperties).filter(([, value]) => value !== null),
    ),
  };
}

export function app(state: FakeState, appState: AppState): Schema<"integration"> {
  return {
    id: appState.id,
    slug: appState.slug,
    node_id: nodeId("Integration", appState.id),
    client_id: `Iv1.${appState.id.toString(16).padStart(16, "0")}`,
    owner: user(state, appState.owner),
    name: appState.name,
    description: appState.description,
    external_url: `${WEB_URL}/apps/${appState.slug}`,
    html_url: `${WEB_URL}/apps/${appState.slug}`,
    created_at: appState.createdAt,
    updated_at: appState.createdAt,
    permissions: appState.permissions,
    events: appState.events,
  };
}

export function installation(state: FakeState, installationState: InstallationState): Schema<"installation"> {
  const account = state.account(installationState.account);
  const appState = state.apps.get(installationState.appId);
  return {
    id: installationState.id,
    // `GET /app/installations` documents the account as allOf [simple-user, enterprise] (anyOf is
    // meant); the enterprise fields it then requires are filled so the answer matches the schema.
    account: {
      ...user(state, account.login),
      name: account.login,
      slug: account.login.toLowerCase(),
      created_at: installationState.createdAt,
      updated_at: installationState.createdAt,
    },
    repository_selection: installationState.repositorySelection,
    access_tokens_url: `${API_URL}/app/installations/${installationState.id}/access_tokens`,
    repositories_url: `${API_URL}/installation/repositories`,
    html_url: `${WEB_URL}/organizations/${account.login}/settings/installations/${installationState.id}`,
    app_id: installationState.appId,
    app_slug: appState?.slug ?? "app",
    target_id: account.id,
    target_type: account.type,
    permissions: installationState.permissions,
    events: installationState.events,
    created_at: installationState.createdAt,
    updated_at: installationState.createdAt,
    single_file_name: null,
    suspended_by: null,
    suspended_at: installationState.suspendedAt,
  };
}

export function label(repo: RepoState, labelState: LabelState): Schema<"label"> {
  return {
    id: labelState.id,
    node_id: nodeId("Label", labelState.id),
    url: `${repoApiUrl(repo)}/labels/${encodeURIComponent(labelState.name)}`,
    name: labelState.name,
    description: labelState.description,
    color: labelState.color,
    default: labelState.default,
  };
}

function issueLabels(repo: RepoState, issue: IssueState): Schema<"label">[] {
  return issue.labels.flatMap((name) => {
    const known = repo.labels.get(name.toLowerCase());
    return known ? [label(repo, known)] : [];
  });
}

export function issue(state: FakeState, repo: RepoState, issueState: IssueState): Schema<"issue"> {
  const api = `${repoApiUrl(repo)}/issues/${issueState.number}`;
  const web = `${repoWebUrl(repo)}/${issueState.isPullRequest ? "pull" : "issues"}/${issueState.number}`;
  const assignees = issueState.assignees.map((login) => user(state, login));
  const comments = [...state.issueComments.values()].filter(
    (comment) =>
      comment.repo === `${repo.owner}/${repo.name}`.toLowerCase() &&
      comment.issueNumber === issueState.number,
  ).length;
  return {
    id: issueState.id,
    node_id: nodeId(issueState.isPullRequest ? "PullRequestIssue" : "Issue", issueState.id),
    url: api,
    repository_url: repoApiUrl(repo),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: web,
    number: issueState.number,
    state: issueState.state,
    state_reason: issueState.stateReason,
    title: issueState.title,
    body: issueState.body,
    user: user(state, issueState.user),
    labels: issueLabels(repo, issueState),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: issueState.locked,
    comments,
    created_at: issueState.createdAt,
    updated_at: issueState.updatedAt,
    closed_at: issueState.closedAt,
    author_association: authorAssociation(repo, issueState.user),
    performed_via_github_app: viaApp(state, issueState.viaApp),
    ...(issueState.isPullRequest
      ? {
          pull_request: {
            url: `${repoApiUrl(repo)}/pulls/${issueState.number}`,
            html_url: web,
            diff_url: `${web}.diff`,
            patch_url: `${web}.patch`,
            merged_at: repo.pulls.get(issueState.number)?.mergedAt ?? null,
          },
        }
      : {}),
  };
}

/** A user's permission on a repository, as `GET .../collaborators/{username}/permission` reports it. */
export function collaboratorPermission(
  state: FakeState,
  repo: RepoState,
  login: string,
): Schema<"repository-collaborator-permission"> {
  const role = repo.roles.get(login.toLowerCase());
  // GitHub reports maintain as write and triage as read in `permission`; `role_name` tells them apart.
  const permission =
    role === "admin"
      ? "admin"
      : role === "write" || role === "maintain"
        ? "write"
        : role || repo.visibility === "public"
          ? "read"
          : "none";
  return {
    permission,
    role_name: role ?? permission,
    user: {
      ...user(state, login),
      permissions: {
        pull: permission !== "none",
        triage: role === "triage" || permission === "write" || permission === "admin",
        push: permission === "write" || permission === "admin",
        maintain: role === "maintain" || role === "admin",
        admin: role === "admin",
      },
      role_name: role ?? permission,
    },
  };
}

/** The app an installation acted as, or null for a person's issue. */
function viaApp(state: FakeState, appId: number | null): Schema<"integration"> | null {
  const appState = appId === null ? undefined : state.apps.get(appId);
  return appState ? app(state, appState) : null;
}

function authorAssociation(repo: RepoState, login: string): Schema<"author-association"> {
  return login.toLowerCase() === repo.owner.toLowerCase() ? "OWNER" : "CONTRIBUTOR";
}

export function issueComment(
  state: FakeState,
  repo: RepoState,
  comment: IssueCommentState,
): Schema<"issue-comment"> {
  const issueApi = `${repoApiUrl(repo)}/issues/${comment.issueNumber}`;
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: `${repoApiUrl(repo)}/issues/comments/${comment.id}`,
    html_url: `${repoWebUrl(repo)}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: issueApi,
    body: comment.body,
    user: user(state, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: authorAssociation(repo, comment.user),
  };
}

function pullLinks(repo: RepoState, number: number, headSha: string) {
  const api = `${repoApiUrl(repo)}/pulls/${number}`;
  const issueApi = `${repoApiUrl(repo)}/issues/${number}`;
  return {
    self: { href: api },
    html: { href: `${repoWebUrl(repo)}/pull/${number}` },
    issue: { href: issueApi },
    comments: { href: `${issueApi}/comments` },
    review_comments: { href: `${api}/comments` },
    review_comment: { href: `${repoApiUrl(repo)}/pulls/comments{/number}` },
    commits: { href: `${api}/commits` },
    statuses: { href: `${repoApiUrl(repo)}/statuses/${headSha}` },
  };
}

/** The fields `pull-request-simple` and `pull-request` share. */
function pullRequestCommon(state: FakeState, repo: RepoState, pr: PullRequestState) {
  const issueState = repo.issues.get(pr.number);
  if (!issueState) throw new Error(`pull request #${pr.number} has no issue record`);
  const api = `${repoApiUrl(repo)}/pulls/${pr.number}`;
  const web = `${repoWebUrl(repo)}/pull/${pr.number}`;
  const branch = (ref: string, sha: string, holder: RepoState = repo) => ({
    label: `${holder.owner}:${ref}`,
    ref,
    sha,
    user: user(state, holder.owner),
    repo: repository(state, holder),
  });
  const fork = pr.head.repo === undefined ? undefined : state.repos.get(pr.head.repo);
  const assignees = issueState.assignees.map((login) => user(state, login));
  return {
    url: api,
    id: pr.id,
    node_id: nodeId("PullRequest", pr.id),
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: `${repoApiUrl(repo)}/issues/${pr.number}`,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApiUrl(repo)}/pulls/comments{/number}`,
    comments_url: `${repoApiUrl(repo)}/issues/${pr.number}/comments`,
    statuses_url: `${repoApiUrl(repo)}/statuses/${pr.head.sha}`,
    number: pr.number,
    state: issueState.state,
    locked: issueState.locked,
    title: issueState.title,
    user: user(state, issueState.user),
    body: issueState.body,
    milestone: null,
    created_at: issueState.createdAt,
    updated_at: issueState.updatedAt,
    closed_at: issueState.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: pr.requestedReviewers.map((login) => user(state, login)),
    requested_teams: [],
    head: branch(pr.head.ref, pr.head.sha, fork),
    base: branch(pr.base.ref, pr.base.sha),
    _links: pullLinks(repo, pr.number, pr.head.sha),
    author_association: authorAssociation(repo, issueState.user),
    auto_merge: null,
    draft: pr.draft,
    issue: issueState,
  };
}

export function pullRequestSimple(
  state: FakeState,
  repo: RepoState,
  pr: PullRequestState,
): Schema<"pull-request-simple"> {
  const { issue: issueState, ...common } = pullRequestCommon(state, repo, pr);
  return {
    ...common,
    // This schema, unlike the others, documents a label's description as never null.
    labels: issueLabels(repo, issueState).map((item) => ({ ...item, description: item.description ?? "" })),
  };
}

export function pullRequest(state: FakeState, repo: RepoState, pr: PullRequestState): Schema<"pull-request"> {
  const { issue: issueState, ...common } = pullRequestCommon(state, repo, pr);
  const { commits, files } = compare(repo, pr.base.sha, pr.head.sha);
  return {
    ...common,
    labels: issueLabels(repo, issueState),
    merged: pr.merged,
    mergeable: pr.merged ? null : true,
    rebaseable: pr.merged ? null : true,
    mergeable_state: pr.merged ? "unknown" : "clean",
    merged_by: pr.mergedBy ? user(state, pr.mergedBy) : null,
    comments: [...state.issueComments.values()].filter(
      (comment) =>
        comment.repo === `${repo.owner}/${repo.name}`.toLowerCase() && comment.issueNumber === pr.number,
    ).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: commits.length,
    additions: files.reduce((sum, file) => sum + file.additions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
    changed_files: files.length,
  };
}

export function review(state: FakeState, repo: RepoState, pr: PullRequestState, reviewState: ReviewState) {
  const web = `${repoWebUrl(repo)}/pull/${pr.number}`;
  const result: Schema<"pull-request-review"> = {
    id: reviewState.id,
    node_id: nodeId("PullRequestReview", reviewState.id),
    user: user(state, reviewState.user),
    body: reviewState.body,
    state: reviewState.state,
    html_url: `${web}#pullrequestreview-${reviewState.id}`,
    pull_request_url: `${repoApiUrl(repo)}/pulls/${pr.number}`,
    _links: {
      html: { href: `${web}#pullrequestreview-${reviewState.id}` },
      pull_request: { href: `${repoApiUrl(repo)}/pulls/${pr.number}` },
    },
    submitted_at: reviewState.submittedAt,
    commit_id: reviewState.commitId,
    author_association: authorAssociation(repo, reviewState.user),
  };
  return result;
}

function gitUser(state: FakeState, login: string | null): Schema<"simple-user"> | Record<string, never> {
  return login ? user(state, login) : {};
}

export function diffEntry(repo: RepoState, file: ChangedFile, ref: string): Schema<"diff-entry"> {
  const path = file.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${repoWebUrl(repo)}/blob/${ref}/${path}`,
    raw_url: `${repoWebUrl(repo)}/raw/${ref}/${path}`,
    contents_url: `${repoApiUrl(repo)}/contents/${path}?ref=${ref}`,
    ...(file.patch ? { patch: file.patch } : {}),
  };
}

/** A commit; with `files`, the files it changed against its first parent (as `GET commits/{ref}`). */
export function commit(
  state: FakeState,
  repo: RepoState,
  commitState: CommitState,
  options: { files?: boolean } = {},
): Schema<"commit"> {
  const api = `${repoApiUrl(repo)}/commits/${commitState.sha}`;
  const changes = options.files ? commitChanges(repo, commitState) : [];
  const additions = changes.reduce((sum, file) => sum + file.additions, 0);
  const deletions = changes.reduce((sum, file) => sum + file.deletions, 0);
  return {
    url: api,
    sha: commitState.sha,
    node_id: nodeId("Commit", Number.parseInt(commitState.sha.slice(0, 8), 16)),
    html_url: `${repoWebUrl(repo)}/commit/${commitState.sha}`,
    comments_url: `${api}/comments`,
    commit: {
      url: `${repoApiUrl(repo)}/git/commits/${commitState.sha}`,
      author: commitState.author,
      committer: commitState.committer,
      message: commitState.message,
      comment_count: 0,
      tree: {
        sha: treeSha(commitState.files),
        url: `${repoApiUrl(repo)}/git/trees/${treeSha(commitState.files)}`,
      },
      verification: {
        verified: false,
        reason: "unsigned",
        payload: null,
        signature: null,
        verified_at: null,
      },
    },
    author: gitUser(state, commitState.authorLogin),
    committer: gitUser(state, commitState.committerLogin),
    parents: commitState.parents.map((sha) => ({
      sha,
      url: `${repoApiUrl(repo)}/commits/${sha}`,
      html_url: `${repoWebUrl(repo)}/commit/${sha}`,
    })),
    ...(options.files
      ? {
          stats: { additions, deletions, total: additions + deletions },
          files: changes.map((file) => diffEntry(repo, file, commitState.sha)),
        }
      : {}),
  };
}

export function checkRun(state: FakeState, run: CheckRunState): Schema<"check-run"> {
  const repo = state.repos.get(run.repo);
  if (!repo) throw new Error(`check run ${run.id} belongs to an unknown repository ${run.repo}`);
  const appState = state.apps.get(run.appId);
  const api = `${repoApiUrl(repo)}/check-runs/${run.id}`;
  const pulls = [...repo.pulls.values()].filter(
    (pr) => pr.head.sha === run.headSha && repo.issues.get(pr.number)?.state === "open",
  );
  const minimal = (ref: string, sha: string) => ({
    ref,
    sha,
    repo: { id: repo.id, url: repoApiUrl(repo), name: repo.name },
  });
  return {
    id: run.id,
    node_id: nodeId("CheckRun", run.id),
    head_sha: run.headSha,
    external_id: run.externalId,
    url: api,
    html_url: `${repoWebUrl(repo)}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${api}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.checkSuiteId },
    app: appState ? app(state, appState) : null,
    pull_requests: pulls.map((pr) => ({
      id: pr.id,
      number: pr.number,
      url: `${repoApiUrl(repo)}/pulls/${pr.number}`,
      head: minimal(pr.head.ref, pr.head.sha),
      base: minimal(pr.base.ref, pr.base.sha),
    })),
  };
}

export function commitStatus(
  state: FakeState,
  repo: RepoState,
  status: CommitStatusState,
): Schema<"simple-commit-status"> {
  const creator = state.account(status.creator);
  return {
    id: status.id,
    node_id: nodeId("StatusContext", status.id),
    url: `${repoApiUrl(repo)}/statuses/${status.sha}`,
    state: status.state,
    context: status.context,
    description: status.description,
    target_url: status.targetUrl,
    avatar_url: `https://avatars.githubusercontent.com/u/${creator.id}?v=4`,
    created_at: status.createdAt,
    updated_at: status.updatedAt,
  };
}

export function ruleset(rulesetState: RulesetState): Schema<"repository-ruleset"> {
  const api =
    rulesetState.sourceType === "Organization"
      ? `${API_URL}/orgs/${rulesetState.source}/rulesets/${rulesetState.id}`
      : `${API_URL}/repos/${rulesetState.source}/rulesets/${rulesetState.id}`;
  const web =
    rulesetState.sourceType === "Organization"
      ? `${WEB_URL}/organizations/${rulesetState.source}/settings/rules/${rulesetState.id}`
      : `${WEB_URL}/${rulesetState.source}/rules/${rulesetState.id}`;
  return {
    id: rulesetState.id,
    name: rulesetState.name,
    target: rulesetState.target,
    source_type: rulesetState.sourceType,
    source: rulesetState.source,
    enforcement: rulesetState.enforcement,
    bypass_actors: rulesetState.bypassActors,
    current_user_can_bypass: "never",
    node_id: nodeId("RepositoryRuleset", rulesetState.id),
    _links: { self: { href: api }, html: { href: web } },
    conditions: rulesetState.conditions,
    rules: rulesetState.rules,
    created_at: rulesetState.createdAt,
    updated_at: rulesetState.updatedAt,
  };
}

export function contentFile(
  repo: RepoState,
  path: string,
  content: string,
  ref: string,
): Schema<"content-file"> {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  const sha = blobSha(content);
  const self = `${repoApiUrl(repo)}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
  const git = `${repoApiUrl(repo)}/git/blobs/${sha}`;
  const html = `${repoWebUrl(repo)}/blob/${ref}/${encoded}`;
  return {
    type: "file",
    encoding: "base64",
    size: Buffer.byteLength(content),
    name: path.split("/").pop() as string,
    path,
    // GitHub wraps base64 content at 60 characters.
    content: (
      Buffer.from(content)
        .toString("base64")
        .match(/.{1,60}/g) ?? []
    ).join("\n"),
    sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: `https://raw.githubusercontent.com/${repo.owner}/${repo.name}/${ref}/${encoded}`,
    _links: { self, git, html },
  };
}

/** One entry of a directory listing: a file, or a directory (with a tree id of its contents). */
export function contentEntry(
  repo: RepoState,
  path: string,
  entry: { type: "file"; content: string } | { type: "dir"; files: ReadonlyMap<string, string> },
  ref: string,
): Schema<"content-directory">[number] {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  const sha = entry.type === "file" ? blobSha(entry.content) : treeSha(entry.files);
  const self = `${repoApiUrl(repo)}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
  const git = `${repoApiUrl(repo)}/git/${entry.type === "file" ? "blobs" : "trees"}/${sha}`;
  const html = `${repoWebUrl(repo)}/${entry.type === "file" ? "blob" : "tree"}/${ref}/${encoded}`;
  return {
    type: entry.type,
    size: entry.type === "file" ? Buffer.byteLength(entry.content) : 0,
    name: path.split("/").pop() as string,
    path,
    sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url:
      entry.type === "file"
        ? `https://raw.githubusercontent.com/${repo.owner}/${repo.name}/${ref}/${encoded}`
        : null,
    _links: { self, git, html },
  };
}
