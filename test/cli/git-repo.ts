/**
 * Temporary git repositories for tests. Identity and config come from environment variables only, so the
 * user's git config is neither read nor touched.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Alice Example",
  GIT_AUTHOR_EMAIL: "alice@example.com",
  GIT_COMMITTER_NAME: "Alice Example",
  GIT_COMMITTER_EMAIL: "alice@example.com",
  GIT_AUTHOR_DATE: "2026-11-20T10:00:00Z",
  GIT_COMMITTER_DATE: "2026-11-20T10:00:00Z",
};

/** Puts `GIT_ENV` into this process's environment (the gatherer passes it on to git); returns the undo. */
export function applyGitEnv(): () => void {
  const saved = Object.fromEntries(Object.keys(GIT_ENV).map((key) => [key, process.env[key]]));
  Object.assign(process.env, GIT_ENV);
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

export class TempRepo {
  private constructor(readonly dir: string) {}

  /** A fresh repository on branch `main`, with `user.name` set in its own (temporary) config. */
  static create(prefix = "rulebook-"): TempRepo {
    const repo = new TempRepo(mkdtempSync(join(tmpdir(), prefix)));
    repo.git("init", "-q", "-b", "main");
    repo.git("config", "user.name", "Alice Agent");
    return repo;
  }

  git(...args: string[]): string {
    return execFileSync("git", args, {
      cwd: this.dir,
      env: { ...process.env, ...GIT_ENV },
      encoding: "utf8",
    }).trim();
  }

  write(path: string, content: string | Buffer): void {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), content);
  }

  delete(path: string): void {
    unlinkSync(join(this.dir, path));
  }

  /** Writes `files`, stages everything and commits; returns the new commit's SHA. */
  commit(message: string, files: Record<string, string | Buffer> = {}): string {
    for (const [path, content] of Object.entries(files)) this.write(path, content);
    this.git("add", "-A");
    this.git("commit", "-q", "--allow-empty", "-m", message);
    return this.git("rev-parse", "HEAD");
  }

  /** Pretends `origin` is GitHub's `owner/name` with `branch` as its default branch at `sha`. */
  fakeOrigin(url: string, branch: string, sha: string): void {
    this.git("remote", "add", "origin", url);
    this.git("update-ref", `refs/remotes/origin/${branch}`, sha);
    this.git("symbolic-ref", "refs/remotes/origin/HEAD", `refs/remotes/origin/${branch}`);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
