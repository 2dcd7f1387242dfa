/**
 * A one-line progress bar for long commands, drawn in place on stderr, and only on a terminal: piped or
 * captured output (CI logs, tests, `2> file`) never receives carriage returns and escape codes.
 */
import type { CliIO } from "./command.js";

interface Progress {
  /** One more item is done; `label` names it. */
  advance(label: string): void;
  /** Erases the bar, so what follows starts on a clean line. */
  finish(): void;
}

const BAR_WIDTH = 10;
/** Erase from the cursor to the end of the line. */
const CLEAR_TO_END = "\u001b[K";

/** `[###       ] 12/40 acme/api`: the share done, the count, and the item just finished. */
export function renderProgress(done: number, total: number, label = ""): string {
  const filled = total > 0 ? Math.min(BAR_WIDTH, Math.floor((done / total) * BAR_WIDTH)) : BAR_WIDTH;
  const bar = `[${"#".repeat(filled)}${" ".repeat(BAR_WIDTH - filled)}] ${done}/${total}`;
  return label ? `${bar} ${label}` : bar;
}

const SILENT: Progress = { advance() {}, finish() {} };

/** A progress bar over `total` items on `io.stderr` when it is a terminal; otherwise one that draws nothing. */
export function startProgress(io: CliIO, total: number): Progress {
  if (!io.stderrIsTerminal) return SILENT;
  let done = 0;
  const draw = (label?: string) => io.stderr(`\r${renderProgress(done, total, label)}${CLEAR_TO_END}`);
  draw();
  return {
    advance(label) {
      done += 1;
      draw(label);
    },
    finish() {
      io.stderr(`\r${CLEAR_TO_END}`);
    },
  };
}
