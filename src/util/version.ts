/** The running Rulebook's version, from the package.json beside src/ (or lib/ once compiled). */
import { readFileSync } from "node:fs";

export const RULEBOOK_VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
