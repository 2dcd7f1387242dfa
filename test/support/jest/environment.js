/**
 * Node's test environment, plus: the child processes a test file starts are recorded in a directory of
 * the file's own, and whatever still runs when the file ends is killed. The environment's teardown runs
 * after every hook, even when a `beforeAll` threw or a test timed out, so an `afterAll` that never got
 * to stop a process cannot keep Jest from exiting.
 */
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { TestEnvironment } from "jest-environment-node";
import { killRecordedChildren, PID_DIR_VARIABLE } from "../child-records.js";

export default class ChildProcessesEnvironment extends TestEnvironment {
  /** @type {string | undefined} */
  #pidDir;
  /** @type {string} */
  #testPath;

  /**
   * @param {ConstructorParameters<typeof TestEnvironment>[0]} config
   * @param {ConstructorParameters<typeof TestEnvironment>[1]} context
   */
  constructor(config, context) {
    super(config, context);
    this.#testPath = context.testPath;
  }

  async setup() {
    await super.setup();
    const runDir = process.env[PID_DIR_VARIABLE];
    if (!runDir) return;
    this.#pidDir = mkdtempSync(join(runDir, "file-"));
    // The test file's `process.env` is a copy of its own: only its children are recorded here.
    this.global.process.env[PID_DIR_VARIABLE] = this.#pidDir;
  }

  async teardown() {
    if (this.#pidDir) {
      const killed = await killRecordedChildren(this.#pidDir);
      if (killed.length > 0) console.error(`${this.#testPath} left running, killed: ${killed.join(", ")}`);
    }
    await super.teardown();
  }
}
