/**
 * Child processes for tests that run real servers (the fake GitHub, Redis, app replicas): a free local
 * port, waiting for a condition, and a child whose output is kept and which never outlives its test
 * file, even when the test fails before its teardown: each is recorded in a pid file (child-records.js)
 * that the test environment kills when the file ends, and Jest's global teardown when the run ends.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { fileURLToPath } from "node:url";
import { forgetChild, recordChild } from "./child-records.js";

/** The repository's root: where the fake GitHub runs, and where lib/ is built. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A TCP port nothing listens on now (the OS picks it), on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Polls `check` until it holds; throws `what` (with the last error) after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const { timeoutMs = 15_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const cause = last instanceof Error ? `: ${last.message}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Every child still running, killed when the test process exits however it exits. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export interface ChildOptions extends SpawnOptions {
  /** Called with each line the child prints on stdout. */
  onLine?: (line: string) => void;
  /**
   * Whether stdout goes to a file, read when asked (`drain()`, `output`) and once more at the exit,
   * rather than to a pipe this process must keep reading: a child that logs a lot is then never held
   * up by a busy test process (a full pipe blocks its writes), and the test process spends nothing on
   * its lines while it times something.
   */
  stdoutToFile?: boolean;
}

/** A child process whose stdout lines go to `onLine` and whose whole output is kept for failure messages. */
export class Child {
  readonly process: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  readonly #onLine: ((line: string) => void) | undefined;
  #output = "";
  #pending = "";
  #exit: Exit | undefined;
  /**
   * With `stdoutToFile`: the file's directory, its descriptor for reading, how far it was read, and the
   * decoder that keeps a character cut between two reads whole.
   */
  #file: { dir: string; fd: number; offset: number; decoder: StringDecoder } | undefined;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    options: ChildOptions,
  ) {
    const { onLine, stdoutToFile, ...spawnOptions } = options;
    this.#onLine = onLine;
    let stdout: "pipe" | number = "pipe";
    if (stdoutToFile) {
      const dir = mkdtempSync(join(tmpdir(), "rulebook-child-"));
      const path = join(dir, "stdout");
      stdout = openSync(path, "a");
      this.#file = { dir, fd: openSync(path, "r"), offset: 0, decoder: new StringDecoder("utf8") };
    }
    this.process = spawn(command, args, { ...spawnOptions, stdio: ["ignore", stdout, "pipe"] });
    // The child holds its own copy of the descriptor.
    if (typeof stdout === "number") closeSync(stdout);
    running.add(this.process);
    const pidFile = recordChild({ pid: this.process.pid, command, name });
    const forget = () => {
      running.delete(this.process);
      forgetChild(pidFile);
    };
    this.process.stdout?.setEncoding("utf8").on("data", (chunk: string) => this.#read(chunk));
    this.process.stderr?.setEncoding("utf8").on("data", (chunk: string) => this.#keep(chunk));
    this.exited = new Promise((resolve) => {
      this.process.once("exit", (code, signal) => {
        forget();
        this.#exit = { code, signal };
        this.#closeFile();
        resolve(this.#exit);
      });
      this.process.once("error", (error) => {
        forget();
        this.#keep(`\n${error.stack ?? error.message}\n`);
        this.#exit = { code: null, signal: null };
        this.#closeFile();
        resolve(this.#exit);
      });
    });
  }

  /** With `stdoutToFile`, hands what the child printed since the last call to `onLine`. */
  drain(): void {
    const file = this.#file;
    if (!file) return;
    const size = fstatSync(file.fd).size;
    if (size <= file.offset) return;
    const buffer = Buffer.alloc(size - file.offset);
    const read = readSync(file.fd, buffer, 0, buffer.length, file.offset);
    file.offset += read;
    this.#read(file.decoder.write(buffer.subarray(0, read)));
  }

  #closeFile(): void {
    if (!this.#file) return;
    this.drain();
    closeSync(this.#file.fd);
    rmSync(this.#file.dir, { recursive: true, force: true });
    this.#file = undefined;
  }

  #read(chunk: string): void {
    this.#pending += chunk;
    const lines = this.#pending.split("\n");
    this.#pending = lines.pop() ?? "";
    for (const line of lines) {
      this.#keep(`${line}\n`);
      if (line) this.#onLine?.(line);
    }
  }

  /** The last 64 KB of what it printed, stdout and stderr interleaved (stdout by lines). */
  get output(): string {
    this.drain();
    return this.#output;
  }

  get alive(): boolean {
    return this.#exit === undefined;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  #keep(text: string): void {
    this.#output = (this.#output + text).slice(-65_536);
  }

  /** Sends `signal` and waits for the exit; SIGKILL after `graceMs` if it has not exited by then. */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<Exit> {
    if (!this.alive) return this.exited;
    this.process.kill(signal);
    const timer = setTimeout(() => this.process.kill("SIGKILL"), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Fails with the output when the process exits before `ready` settles. */
  async until<T>(ready: Promise<T>): Promise<T> {
    const died = this.exited.then((exit) => {
      throw new Error(
        `${this.name} exited (code ${exit.code}, signal ${exit.signal}) before it was ready:\n${this.output}`,
      );
    });
    return Promise.race([ready, died]);
  }
}
