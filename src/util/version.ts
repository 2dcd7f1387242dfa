/** The running Rulebook's version and repository, from the package.json beside src/ (or lib/ once compiled). */
import { readFileSync } from "node:fs";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
  repository?: string | { url?: string };
};

export const RULEBOOK_VERSION: string = manifest.version;

/** The repository's web address, from package.json `repository` (`git+…`, `.git` and `github:` forms too). */
export const RULEBOOK_REPOSITORY: string = (() => {
  const raw =
    typeof manifest.repository === "string" ? manifest.repository : (manifest.repository?.url ?? "");
  return raw
    .replace(/^github:/, "https://github.com/")
    .replace(/^git\+/, "")
    .replace(/\.git$/, "")
    .replace(/\/+$/, "");
})();

/** Where the shipped default bundle's files are browsable for this version: its `standards/` at tag `v<version>`. */
export function defaultBundleFilesUrl(): string {
  return `${RULEBOOK_REPOSITORY}/blob/v${RULEBOOK_VERSION}/standards/`;
}
