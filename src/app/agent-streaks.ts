/**
 * Escalation that follows the agent: how many head commits an agent's pull requests failed each error
 * standard on, per repository, within a window. A pull request's own streak (in its check run) starts
 * over when the agent closes it and opens a new one; this count does not. It lives in the shared store
 * with a TTL: the first failure opens the window, and the count is gone when the window ends. Losing the
 * store loses only the cross-pull-request part; the per-pull-request streak stays on GitHub.
 */
import { z } from "zod";
import type { Store } from "../state/store.js";

/** A count read back from the store; anything else is treated as absent. */
const CountSchema = z.coerce.number().int().positive();

interface AgentFailures {
  /** `owner/name`. */
  repository: string;
  /** The agent's login. */
  agent: string;
  /** The head commit judged: a redelivery of the same commit never counts twice. */
  headSha: string;
  /** The error standards that failed on it. */
  failing: readonly string[];
  windowSeconds: number;
}

function countKey(input: Pick<AgentFailures, "repository" | "agent">, standard: string): string {
  return `agent-failures:${input.repository.toLowerCase()}:${input.agent.toLowerCase()}:${standard}`;
}

/**
 * Records the failures of one head commit and returns, per failing standard, how many distinct head
 * commits of this agent in this repository failed it within the window (this one included).
 */
export async function countAgentFailures(
  store: Store,
  input: AgentFailures,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const standard of input.failing) {
    const key = countKey(input, standard);
    const first = await store.setIfAbsent(`${key}:${input.headSha}`, "1", input.windowSeconds);
    if (first) {
      counts[standard] = await store.increment(key, 1, input.windowSeconds);
    } else {
      const stored = CountSchema.safeParse(await store.get(key));
      counts[standard] = stored.success ? stored.data : 1;
    }
  }
  return counts;
}

/** The larger of two counts per standard: a pull request's own streak and the agent's count. */
export function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const merged: Record<string, number> = { ...a };
  for (const [id, n] of Object.entries(b)) merged[id] = Math.max(merged[id] ?? 0, n);
  return merged;
}
