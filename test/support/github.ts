/**
 * The app under test, wired to the fake GitHub: Probot with a freshly generated key, its Octokit
 * talking to `fake.fetch`, webhooks delivered through Probot's real signature check.
 *
 *   const gh = await startApp();
 *   const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
 *   const pr = gh.fake.seedPullRequest(repo, { commits: [{ files: { "a.ts": "…" } }] });
 *   await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"));
 *
 * Importing this module registers an `afterEach` that fails the test if the fake GitHub saw a
 * request GitHub would refuse (unknown endpoint, invalid body or parameters, bad credentials) or
 * one it could not answer. Tests that provoke violations on purpose take them with
 * `fake.takeViolations()`. The wiring itself is in `app-harness.ts`, which scripts share.
 */
import { afterEach } from "@jest/globals";
import { readConfig } from "../../src/app/config.js";
import { createApp } from "../../src/index.js";
import type { FakeGitHub, FakeGitHubOptions } from "../fake-github/index.js";
import { type AppHarness, fakeGitHubForApp, type StartAppOptions, startAppHarness } from "./app-harness.js";
import { serverEnv } from "./app-identity.js";

export {
  APP_ID,
  type AppHarness,
  type LogRecord,
  type Manifest,
  readManifest,
  type StartAppOptions,
  WEBHOOK_SECRET,
  type WebhookDelivery,
} from "./app-harness.js";
export { serverEnv, webUrlUnderTest } from "./app-identity.js";

const watched = new Set<FakeGitHub>();

afterEach(() => {
  const fakes = [...watched];
  watched.clear();
  for (const fake of fakes) fake.assertNoViolations();
});

/**
 * A fake GitHub whose app holds app.yml's permissions and events, checked for violations after
 * the test. For tests of the fake itself, or of code that takes an Octokit (`fake.octokit(id)`).
 */
export function createFakeGitHub(options: FakeGitHubOptions = {}): FakeGitHub {
  const fake = fakeGitHubForApp(options);
  watched.add(fake);
  return fake;
}

/**
 * The real app on a fake GitHub. Unless a test brings its own app, it judges as an organization that
 * turned enforcement on (`RULEBOOK_DEFAULT_MODE=enforce`): the stories are of checks that block and issues
 * that open. Observe mode, a new installation's default, has scenario tests of its own. No sweep timer
 * is left behind, and a job runs once (a test of retries asks for more).
 */
export function startApp(options: StartAppOptions = {}): Promise<AppHarness> {
  const app =
    options.app ??
    createApp({
      config: readConfig({
        ...process.env,
        RULEBOOK_SWEEP_INTERVAL_HOURS: "0",
        RULEBOOK_JOB_ATTEMPTS: "1",
        RULEBOOK_DEFAULT_MODE: "enforce",
        ...serverEnv(),
      }),
    });
  return startAppHarness({ ...options, app }, createFakeGitHub);
}
