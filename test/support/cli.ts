/** The `rulebook` CLI run in-process, its clock stopped at NOW, with what it printed and its exit status. */
import { tmpdir } from "node:os";
import type { CliIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { NOW } from "./facts.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `rulebook <argv>` with `io` over defaults: the temporary directory as cwd and empty stdin. */
export async function runCli(
  argv: string[],
  io: Partial<Omit<CliIO, "stdout" | "stderr">> = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    cwd: tmpdir(),
    now: () => NOW,
    readStdin: async () => "",
    ...io,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}
