/**
 * What the CLI's commands share to read GitHub as the app does: a token, an Octokit built from it, the
 * organization's bundle read through the app's own `BundleSource`, and an app's identity by slug.
 */
import { spawn } from "node:child_process";
import { defaultBundleLoader } from "../app/services.js";
import type { Bundle } from "../bundle/types.js";
import type { Octokit } from "../gather/github.js";
import { type BundleLocation, BundleSource } from "../github/bundle-source.js";
import { createRestClient } from "../github/rest-client.js";
import type { CliIO } from "./command.js";

/** A GitHub request failed: the message says what was asked, what GitHub answered and what to do. */
export class GitHubError extends Error {
  override name = "GitHubError";
}

/** `HTTP 404: Not Found`, or the message of an error that is not GitHub's answer. */
export function apiFailure(error: unknown): string {
  const status = (error as { status?: number }).status;
  return `${status ? `HTTP ${status}: ` : ""}${(error as Error)?.message ?? String(error)}`;
}

export function failure(what: string, error: unknown): GitHubError {
  const status = (error as { status?: number }).status;
  const hint =
    status === 401
      ? "; GITHUB_TOKEN was refused: is it valid and unexpired?"
      : status === 403
        ? "; the token may lack a permission, or a rate limit was hit"
        : "";
  return new GitHubError(`${what}: ${apiFailure(error)}${hint}`);
}

/** `GITHUB_TOKEN`, else what `gh auth token` prints (when the CLI's I/O can run it), else none. */
export async function githubToken(io: CliIO): Promise<string | undefined> {
  const token = io.env?.GITHUB_TOKEN?.trim();
  if (token) return token;
  return (await io.ghAuthToken?.())?.trim() || undefined;
}

/** The token `gh` holds for its default host; undefined when gh is missing or logged out. */
export function ghAuthToken(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn("gh", ["auth", "token"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.on("error", () => resolve(undefined));
    child.on("close", (code) => resolve(code === 0 ? out.trim() || undefined : undefined));
  });
}

/** A client over `GITHUB_API_URL` (GitHub Enterprise Server) and the I/O's `fetch`, retrying as the app does. */
export function createOctokit(token: string, io: CliIO, userAgent: string): Octokit {
  const baseUrl = io.env?.GITHUB_API_URL?.replace(/\/+$/, "");
  // Failures are reported as the command's error, so the client logs nothing.
  return createRestClient({
    token,
    userAgent,
    ...(baseUrl ? { baseUrl } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
}

/** GitHub's web address, for links: `https://HOST` of a GITHUB_API_URL `https://HOST/api/v3`, else github.com. */
export function webUrl(io: CliIO): string {
  const api = io.env?.GITHUB_API_URL?.replace(/\/+$/, "");
  if (!api || api === "https://api.github.com") return "https://github.com";
  return api.replace(/\/api\/v3$/, "");
}

export interface OrgBundle {
  bundle: Bundle;
  /** The newest organization bundle is invalid and an earlier version is used. */
  problem?: string;
}

/**
 * The bundle the app would judge `org` with, read through the app's `BundleSource` (same repository, folder,
 * commit and fallbacks); undefined, after saying why on stderr, when no version is valid.
 */
export async function orgBundle(
  io: CliIO,
  octokit: Octokit,
  org: string,
  location: BundleLocation,
  command: string,
): Promise<OrgBundle | undefined> {
  const source = new BundleSource(location, {
    loadDefault: defaultBundleLoader(() => io.now()),
    ttlMs: 0,
    clock: () => Date.parse(io.now()),
    now: () => io.now(),
  });
  const where = `${org}/${location.repo}:${location.path}`;
  let state: Awaited<ReturnType<BundleSource["get"]>>;
  try {
    state = await source.get(octokit, org);
  } catch (error) {
    throw failure(`cannot read the bundle in ${where}`, error);
  }
  if (!state.bundle) {
    for (const line of state.problem?.errors ?? []) io.stderr(`${line}\n`);
    io.stderr(
      `rulebook ${command}: the bundle in ${where} is invalid and no earlier version is valid; fix it (rulebook validate) and ${command} again\n`,
    );
    return undefined;
  }
  if (!state.problem) return { bundle: state.bundle };
  const problem = `The newest bundle in ${where} (${state.problem.sha.slice(0, 12)}) is invalid; this ${command} uses ${state.bundle.version}.\n${state.problem.errors.join("\n")}`;
  io.stderr(`rulebook ${command}: warning: ${problem}\n`);
  return { bundle: state.bundle, problem };
}

/** The GitHub App with this slug, as the facts name an app. */
export async function appIdentity(octokit: Octokit, slug: string): Promise<{ id: number; slug: string }> {
  try {
    const { data } = await octokit.rest.apps.getBySlug({ app_slug: slug });
    if (!data) throw new GitHubError(`GitHub returned no app for --app ${slug}`);
    return { id: data.id, slug: data.slug ?? slug };
  } catch (error) {
    if (error instanceof GitHubError) throw error;
    if ((error as { status?: number }).status === 404) {
      throw new GitHubError(`no GitHub App has the slug ${slug} (--app)`);
    }
    throw failure(`cannot read the app ${slug} (--app)`, error);
  }
}
