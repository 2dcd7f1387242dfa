/**
 * "Stop and ask": an agent told to fix what only a person with authority can fix (approve a guarded
 * change, change a ruleset or the bundle, grant a waiver) works around the gate instead. On a change
 * written by an agent, such a finding's fix says so first, names whom to ask, and says to stop.
 */
import type { Authority } from "../rules/types.js";

const WHOM: Record<Authority, string> = {
  "code-owners": "the code owners of the affected files (CODEOWNERS)",
  "bundle-owners":
    "the owners of the organization's standards bundle (the maintainers of its central repository)",
  "escalation-team": "the organization's escalation team",
};

/** The remediation an agent reads: stop, why, whom to ask, then what they will do. */
export function stopAndAsk(authority: { ask: Authority; because: string }, remediation: string): string {
  return `Stop and ask: ${authority.because}, and you, an agent, cannot do that yourself. Do not work around it: ask ${WHOM[authority.ask]}, report this finding to whoever gave you the task, and wait for them. Then: ${remediation}`;
}
