/**
 * Jest's global setup: a directory for this run where every child process a test starts is recorded (a
 * pid file each, see ../child-records.js), so that whatever a test leaves running is ended. Workers
 * inherit the variable.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PID_DIR_VARIABLE } from "../child-records.js";

export default function globalSetup() {
  process.env[PID_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), "rulebook-test-run-"));
}
