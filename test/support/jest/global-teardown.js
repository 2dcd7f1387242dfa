/**
 * Jest's global teardown: ends every child process still recorded for this run, such as one started by
 * a test file whose worker was killed before the file's own teardown, so that Jest exits and leaves
 * nothing running.
 */
import { killRecordedChildren, PID_DIR_VARIABLE } from "../child-records.js";

export default async function globalTeardown() {
  const runDir = process.env[PID_DIR_VARIABLE];
  if (!runDir) return;
  const killed = await killRecordedChildren(runDir);
  if (killed.length > 0) console.error(`Killed what tests left running: ${killed.join(", ")}`);
}
