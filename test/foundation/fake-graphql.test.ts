/** The fake's GraphQL endpoint: schema validation, resolvers over the REST state, and GitHub's cost. */
import { describe, expect, it } from "@jest/globals";
import { Kind, parse } from "graphql";
import { githubSchema, queryCost } from "../fake-github/graphql.js";
import { GRAPHQL_ROUTE } from "../fake-github/index.js";
import { createFakeGitHub } from "../support/github.js";

function setup() {
  const fake = createFakeGitHub();
  const repo = fake.seedRepo({
    owner: "acme",
    name: "api",
    files: { "README.md": "# api\n", ".github/pull_request_template.md": "## Why\n" },
  });
  fake.seedRepo({ owner: "acme", name: "web", defaultBranch: "trunk", files: { LICENSE: "MIT\n" } });
  const octokit = fake.octokit(fake.seedInstallation({ account: "acme" }).id);
  return { fake, repo, octokit };
}

/** Answers are read field by field; their shape is what each test asserts. */
// biome-ignore lint/suspicious/noExplicitAny: a GraphQL answer's shape is the query's, checked by the assertions
type Data = Record<string, any>;

function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error("no operation");
  return queryCost(githubSchema(), document, operation, variables);
}

describe("GraphQL reads over the fake's state", () => {
  it("reads default branch heads and files by expression, as REST sees them, many repositories per query", async () => {
    const { octokit } = setup();
    const data = await octokit.graphql<Data>(`
      query {
        a: repository(owner: "acme", name: "api") {
          defaultBranchRef { name target { oid } }
          readme: object(expression: "HEAD:README.md") { ... on Blob { oid text isTruncated } }
          missing: object(expression: "HEAD:SECURITY.md") { ... on Blob { oid } }
          github: object(expression: "HEAD:.github") { ... on Tree { entries { name path type oid } } }
        }
        b: repository(owner: "acme", name: "web") {
          defaultBranchRef { name target { oid } }
          license: object(expression: "trunk:LICENSE") { ... on Blob { text } }
        }
      }`);
    const { data: branch } = await octokit.rest.repos.getBranch({
      owner: "acme",
      repo: "api",
      branch: "main",
    });
    const { data: readme } = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "api",
      path: "README.md",
    });
    const { data: template } = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "api",
      path: ".github/pull_request_template.md",
    });
    expect(data.a.defaultBranchRef).toEqual({ name: "main", target: { oid: branch.commit.sha } });
    expect(data.a.readme).toEqual({
      oid: (readme as { sha: string }).sha,
      text: "# api\n",
      isTruncated: false,
    });
    expect(data.a.missing).toBeNull();
    expect(data.a.github.entries).toEqual([
      {
        name: "pull_request_template.md",
        path: ".github/pull_request_template.md",
        type: "blob",
        oid: (template as { sha: string }).sha,
      },
    ]);
    expect(data.b).toEqual({
      defaultBranchRef: { name: "trunk", target: { oid: expect.any(String) } },
      license: { text: "MIT\n" },
    });
  });

  it("reads rulesets with their rules, parameters and bypass actors, organization ones included", async () => {
    const { fake, octokit } = setup();
    fake.seedRuleset({
      repo: "acme/api",
      name: "main",
      rules: [
        { type: "deletion" },
        {
          type: "pull_request",
          parameters: {
            required_approving_review_count: 2,
            dismiss_stale_reviews_on_push: true,
            require_code_owner_review: false,
            require_last_push_approval: false,
            required_review_thread_resolution: true,
            allowed_merge_methods: ["squash"],
          },
        },
      ],
      bypassActors: [{ actor_id: 7, actor_type: "Integration", bypass_mode: "always" }],
    });
    fake.seedRuleset({
      org: "acme",
      name: "org checks",
      enforcement: "evaluate",
      rules: [
        {
          type: "required_status_checks",
          parameters: {
            strict_required_status_checks_policy: false,
            required_status_checks: [{ context: "rulebook", integration_id: 1 }],
          },
        },
      ],
    });
    const data = await octokit.graphql<Data>(`
      query {
        repository(owner: "acme", name: "api") {
          rulesets(first: 10, includeParents: true) {
            nodes {
              databaseId name target enforcement
              source { __typename ... on Organization { login } ... on Repository { nameWithOwner } }
              conditions { refName { include exclude } }
              rules(first: 50) {
                nodes {
                  type
                  parameters {
                    ... on PullRequestParameters { requiredApprovingReviewCount dismissStaleReviewsOnPush }
                    ... on RequiredStatusChecksParameters {
                      requiredStatusChecks { context integrationId }
                      strictRequiredStatusChecksPolicy
                    }
                  }
                }
              }
              bypassActors(first: 20) { nodes { bypassMode organizationAdmin actor { ... on App { databaseId } } } }
            }
          }
        }
      }`);
    const [own, org] = data.repository.rulesets.nodes;
    expect(own).toMatchObject({
      name: "main",
      target: "BRANCH",
      enforcement: "ACTIVE",
      source: { __typename: "Repository", nameWithOwner: "acme/api" },
      conditions: { refName: { include: ["~DEFAULT_BRANCH"], exclude: [] } },
      rules: {
        nodes: [
          { type: "DELETION", parameters: null },
          {
            type: "PULL_REQUEST",
            parameters: {
              requiredApprovingReviewCount: 2,
              dismissStaleReviewsOnPush: true,
            },
          },
        ],
      },
      bypassActors: { nodes: [{ bypassMode: "ALWAYS", organizationAdmin: false, actor: { databaseId: 7 } }] },
    });
    expect(org).toMatchObject({
      enforcement: "EVALUATE",
      source: { __typename: "Organization", login: "acme" },
      rules: {
        nodes: [
          {
            type: "REQUIRED_STATUS_CHECKS",
            parameters: {
              requiredStatusChecks: [{ context: "rulebook", integrationId: 1 }],
              strictRequiredStatusChecksPolicy: false,
            },
          },
        ],
      },
    });
  });

  it("finds issues by label and state, and by number", async () => {
    const { fake, octokit } = setup();
    fake.seedIssue("acme/api", { title: "drift", labels: ["rtfm"] });
    fake.seedIssue("acme/api", { title: "old drift", labels: ["rtfm"], state: "closed" });
    fake.seedIssue("acme/api", { title: "bug", labels: ["bug"] });
    const pull = fake.seedPullRequest("acme/api", {
      head: "feat/x",
      commits: [{ files: { "x.ts": "x\n" } }],
    });
    const data = await octokit.graphql<Data>(`
      query {
        repository(owner: "acme", name: "api") {
          issues(first: 20, labels: ["rtfm"], states: [OPEN]) { totalCount nodes { number title state } }
          bug: issue(number: 3) { title state }
          pullRequests(first: 10, states: [OPEN]) { nodes { number headRefOid headRefName isDraft } }
        }
      }`);
    expect(data.repository.issues).toEqual({
      totalCount: 1,
      nodes: [{ number: 1, title: "drift", state: "OPEN" }],
    });
    expect(data.repository.bug).toEqual({ title: "bug", state: "OPEN" });
    expect(data.repository.pullRequests.nodes).toEqual([
      { number: pull.number, headRefOid: pull.head.sha, headRefName: "feat/x", isDraft: false },
    ]);
  });

  it("pages a connection with first and after", async () => {
    const { fake, octokit } = setup();
    for (let i = 0; i < 3; i++) fake.seedIssue("acme/api", { title: `issue ${i}` });
    const query = `query($after: String) {
      repository(owner: "acme", name: "api") {
        issues(first: 2, after: $after) { nodes { title } pageInfo { hasNextPage endCursor } }
      }
    }`;
    const first = await octokit.graphql<Data>(query);
    const second = await octokit.graphql<Data>(query, {
      after: first.repository.issues.pageInfo.endCursor,
    });
    expect(first.repository.issues.nodes.map((n: { title: string }) => n.title)).toEqual([
      "issue 0",
      "issue 1",
    ]);
    expect(second.repository.issues).toEqual({
      nodes: [{ title: "issue 2" }],
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    });
  });

  it("answers NOT_FOUND for a repository the installation cannot reach, as GitHub does", async () => {
    const { fake, octokit } = setup();
    fake.seedRepo({ owner: "other", name: "secret" });
    await expect(
      octokit.graphql(`query { repository(owner: "other", name: "secret") { name } }`),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: "NOT_FOUND" })] });
    expect(fake.takeViolations()).toEqual([]);
  });
});

describe("GraphQL the fake refuses", () => {
  it("fails a query with a field or argument GitHub's schema lacks", async () => {
    const { fake, octokit } = setup();
    await expect(
      octokit.graphql(`query { repository(owner: "acme", name: "api") { madeUp } }`),
    ).rejects.toThrow(/Cannot query field "madeUp"/);
    await expect(
      octokit.graphql(`query { repository(owner: "acme", name: "api", madeUp: 1) { name } }`),
    ).rejects.toThrow(/Unknown argument "madeUp"/);
    expect(fake.takeViolations().map((v) => [v.kind, v.route])).toEqual([
      ["invalid-request", GRAPHQL_ROUTE],
      ["invalid-request", GRAPHQL_ROUTE],
    ]);
  });

  it("fails loudly on a field the schema has and the fake does not implement", async () => {
    const { fake, octokit } = setup();
    await expect(
      octokit.graphql(`query { repository(owner: "acme", name: "api") { stargazerCount } }`),
    ).rejects.toThrow(/Repository.stargazerCount is not implemented by the fake/);
    expect(fake.takeViolations().map((v) => v.kind)).toEqual(["not-implemented"]);
  });

  it("enforces GitHub's pagination bounds", async () => {
    const { fake, octokit } = setup();
    await expect(
      octokit.graphql(`query { repository(owner: "acme", name: "api") { issues { totalCount } } }`),
    ).rejects.toThrow(/You must provide a `first` or `last` value/);
    await expect(
      octokit.graphql(
        `query { repository(owner: "acme", name: "api") { issues(first: 101) { totalCount } } }`,
      ),
    ).rejects.toThrow(/exceeds the `first`\/`last` limit of 100/);
    expect(fake.takeViolations().map((v) => v.kind)).toEqual(["invalid-request", "invalid-request"]);
  });

  it("implements no mutation", async () => {
    const { fake, octokit } = setup();
    await expect(
      octokit.graphql(`mutation { addStar(input: { starrableId: "x" }) { clientMutationId } }`),
    ).rejects.toThrow(/not implemented by the fake/);
    expect(fake.takeViolations().map((v) => v.kind)).toEqual(["invalid-request"]);
  });
});

describe("GraphQL cost", () => {
  it("follows GitHub's documented example: 5,101 requests cost 51 points", () => {
    // https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
    expect(
      cost(`query {
        viewer {
          login
          repositories(first: 100) {
            edges { node { id
              issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } }
            } }
          }
        }
      }`),
    ).toEqual({ requests: 5101, nodes: 100 + 100 * 50 + 5000 * 60, points: 51 });
  });

  it("counts connections in fragments and aliases, takes sizes from variables, and charges at least 1", () => {
    const query = `query($n: Int!) {
      a: repository(owner: "acme", name: "api") { ...sets }
      b: repository(owner: "acme", name: "web") { ...sets issues(last: 5) { totalCount } }
    }
    fragment sets on Repository { rulesets(first: $n) { nodes { rules(first: 100) { totalCount } } } }`;
    expect(cost(query, { n: 10 })).toEqual({
      requests: 2 * (1 + 10) + 1,
      nodes: 2 * (10 + 1000) + 5,
      points: 1,
    });
    expect(cost(query, { n: 100 }).points).toBe(2);
    expect(cost(`query { rateLimit { remaining } }`)).toEqual({ requests: 0, nodes: 0, points: 1 });
  });

  it("answers rateLimit with the query's cost and what remains, and logs points per budget", async () => {
    const { fake, octokit } = setup();
    const first = await octokit.graphql<{ rateLimit: { cost: number; remaining: number } }>(
      `query { rateLimit { cost remaining } }`,
    );
    const second = await octokit.graphql<{ rateLimit: { cost: number; remaining: number } }>(
      `query { repository(owner: "acme", name: "api") { issues(first: 100) { nodes { rulesets: number } } } rateLimit { cost remaining } }`,
    );
    expect(first.rateLimit).toEqual({ cost: 1, remaining: 4999 });
    expect(second.rateLimit).toEqual({ cost: 1, remaining: 4998 });
    await octokit.rest.repos.get({ owner: "acme", repo: "api" });
    expect(fake.requests.units()).toEqual({ core: 1, graphql: 2 });
    expect(fake.requests.count(GRAPHQL_ROUTE)).toBe(2);
  });
});
