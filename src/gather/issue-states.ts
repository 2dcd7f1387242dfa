/**
 * Whether referenced issues exist and are open, read in one batched GraphQL query: one aliased
 * `repository` per repository and one aliased `issue` per number, so a pull request citing ten tracking
 * issues costs one request (and one point), not ten. An issue in a repository that the readers of the
 * judged repository may not see counts as one that cannot be read: its state would reach them through
 * the check run, and what it says about that repository with it.
 */
import type { Bundle } from "../bundle/types.js";
import { issueReferencesToVerify } from "../engine/needs.js";
import type { Facts, IssueState } from "../facts/schema.js";
import { parseReferenceKey } from "../rules/support/issue-references.js";
import { mayName, type Visibility, visibilityOf } from "../util/visibility.js";
import type { Octokit } from "./github.js";

/** References per query: far below GitHub's node limit, so the query's cost stays one point. */
const REFERENCES_PER_QUERY = 100;

interface IssueStatesQuery {
  query: string;
  variables: Record<string, string | number>;
  /** Where each reference's answer is: repository alias, issue alias. */
  aliases: Map<string, { repository: string; issue: string }>;
}

/** The GraphQL query (with variables) that reads the state of every reference given. */
function issueStatesQuery(references: readonly string[]): IssueStatesQuery {
  const byRepository = new Map<string, Array<{ key: string; number: number }>>();
  for (const key of references) {
    const { owner, name, number } = parseReferenceKey(key);
    const repository = `${owner}/${name}`;
    byRepository.set(repository, [...(byRepository.get(repository) ?? []), { key, number }]);
  }
  const declarations: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string | number> = {};
  const aliases = new Map<string, { repository: string; issue: string }>();
  [...byRepository].forEach(([repository, issues], r) => {
    const [owner = "", name = ""] = repository.split("/");
    declarations.push(`$owner${r}: String!`, `$name${r}: String!`);
    variables[`owner${r}`] = owner;
    variables[`name${r}`] = name;
    const issueFields = issues.map(({ key, number }, i) => {
      declarations.push(`$number${r}_${i}: Int!`);
      variables[`number${r}_${i}`] = number;
      aliases.set(key, { repository: `r${r}`, issue: `i${i}` });
      return `i${i}: issue(number: $number${r}_${i}) { state }`;
    });
    fields.push(
      `r${r}: repository(owner: $owner${r}, name: $name${r}) { visibility ${issueFields.join(" ")} }`,
    );
  });
  return {
    query: `query IssueStates(${declarations.join(", ")}) { ${fields.join(" ")} }`,
    variables,
    aliases,
  };
}

type Answer = Record<string, ({ visibility?: string } & Record<string, { state?: string } | null>) | null>;

/**
 * Reads a query's answer: open, closed, or missing (no such issue or repository, one the token cannot
 * see, or one in a repository the `readers` of the judged repository may not see).
 */
function issueStatesFrom(
  query: IssueStatesQuery,
  data: Answer,
  readers: Visibility,
): Record<string, IssueState> {
  const states: Record<string, IssueState> = {};
  for (const [key, { repository, issue }] of query.aliases) {
    const found = data[repository];
    const seen = found && mayName(readers, visibilityOf({ visibility: found.visibility?.toLowerCase() }));
    const state = seen ? found[issue]?.state : undefined;
    states[key] = state === "OPEN" ? "open" : state === "CLOSED" ? "closed" : "missing";
  }
  return states;
}

interface GraphqlFailure {
  name?: string;
  data?: Answer;
  errors?: Array<{ type?: string }>;
}

/**
 * The state of each referenced issue. GitHub answers a missing repository or issue with partial data and a
 * NOT_FOUND error, which is an answer ("missing"); any other error is thrown, so the caller fails closed.
 */
async function readIssueStates(
  octokit: Pick<Octokit, "graphql">,
  references: readonly string[],
  readers: Visibility,
): Promise<Record<string, IssueState>> {
  const states: Record<string, IssueState> = {};
  for (let i = 0; i < references.length; i += REFERENCES_PER_QUERY) {
    const query = issueStatesQuery(references.slice(i, i + REFERENCES_PER_QUERY));
    let data: Answer;
    try {
      data = await octokit.graphql<Answer>(query.query, query.variables);
    } catch (error) {
      const failure = error as GraphqlFailure;
      const onlyNotFound = failure.errors?.every((e) => e.type === "NOT_FOUND") ?? false;
      if (failure.name !== "GraphqlResponseError" || !onlyNotFound || !failure.data) throw error;
      data = failure.data;
    }
    Object.assign(states, issueStatesFrom(query, data, readers));
  }
  return states;
}

/**
 * Verifies the issues the bundle's standards depend on in `facts` and records their states there; when
 * GitHub does not answer, says why in `unavailable.issues` (the findings that depend on them are then not
 * evaluated, never passed).
 */
export async function verifyIssueReferences(
  octokit: Pick<Octokit, "graphql">,
  bundle: Bundle,
  facts: Facts,
): Promise<void> {
  const references = issueReferencesToVerify(bundle, facts);
  if (references.length === 0) return;
  try {
    facts.issues = await readIssueStates(octokit, references, facts.repo.visibility);
  } catch (error) {
    const status = (error as { status?: number }).status;
    facts.unavailable.issues = `GitHub did not answer the query for the cited issues${status ? ` (HTTP ${status})` : ""}: ${(error as Error).message}`;
  }
}
