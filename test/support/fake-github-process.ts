/**
 * The fake GitHub in a process of its own (test/fake-github/serve.ts), driven over its control API:
 * seed a scenario, read what the app wrote and whether it sent a request GitHub would refuse.
 *
 *   const github = await startFakeGitHubProcess({ publicKey, scenarios: "test/scale/scenarios.ts" });
 *   const { deliveries } = await github.scenario("org", { pullRequests: 3 });
 *   ...
 *   await github.assertNoViolations();
 *   await github.stop();
 */
import { setPriority } from "node:os";
import type { Violation } from "../fake-github/index.js";
import type { FakeTraffic, FakeWrites, ServedRequest, ServeSettings } from "../fake-github/server.js";
import { Child, ROOT } from "./processes.js";

export interface FakeGitHubProcessOptions extends Partial<ServeSettings> {
  /** The app's public key (PEM): the fake checks the app's JWTs with it. */
  publicKey: string;
  /** A module (path from the repository root) whose exported functions are the scenarios. */
  scenarios?: string;
  /**
   * The fake's scheduling priority (a nice value, 19 the lowest): GitHub runs on machines of its own, so
   * a benchmark that times the app keeps the fake from taking the CPU the app would have.
   */
  nice?: number;
}

export interface FakeGitHubProcess {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, for Probot's `GHE_HOST` (with `GHE_PROTOCOL=http`). */
  host: string;
  child: Child;
  /** Runs an exported function of the scenarios module in the fake's process and returns its result. */
  scenario<T = unknown>(name: string, params?: Record<string, unknown>): Promise<T>;
  violations(): Promise<Violation[]>;
  /** Throws, listing every request GitHub would have refused or the fake could not answer (and forgets them). */
  assertNoViolations(): Promise<void>;
  traffic(): Promise<FakeTraffic>;
  resetTraffic(): Promise<void>;
  writes(): Promise<FakeWrites>;
  /** GitHub requests served after the one numbered `after` (all by default), with the client each named. */
  served(after?: number): Promise<ServedRequest[]>;
  settings(changes: Partial<ServeSettings>): Promise<ServeSettings>;
  stop(): Promise<void>;
}

export async function startFakeGitHubProcess(options: FakeGitHubProcessOptions): Promise<FakeGitHubProcess> {
  let announce: (line: string) => void = () => {};
  const announced = new Promise<string>((resolve) => {
    announce = resolve;
  });
  const args = ["--import", "tsx", "test/fake-github/serve.ts"];
  for (const [flag, value] of [
    ["--latency-ms", options.latencyMs],
    ["--server-error-percent", options.serverErrorPercent],
    ["--rate-limit-percent", options.rateLimitPercent],
    ["--scenarios", options.scenarios],
  ] as const) {
    if (value !== undefined) args.push(flag, String(value));
  }
  let first = true;
  const child = new Child("the fake GitHub", process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, FAKE_GITHUB_APP_PUBLIC_KEY: options.publicKey },
    onLine: (line) => {
      if (first) announce(line);
      first = false;
    },
  });
  if (options.nice !== undefined && child.pid !== undefined) setPriority(child.pid, options.nice);
  const { url } = JSON.parse(await child.until(announced)) as { url: string };

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${url}/_fake/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const answer = (await response.json()) as T & { message?: string };
    if (!response.ok) throw new Error(`the fake GitHub answered ${method} /_fake/${path}: ${answer.message}`);
    return answer;
  }

  return {
    url,
    host: new URL(url).host,
    child,
    scenario: async (name, params = {}) =>
      (await call<{ result: never }>("POST", `scenarios/${name}`, params)).result,
    violations: async () => (await call<{ violations: Violation[] }>("GET", "violations")).violations,
    async assertNoViolations() {
      const { violations } = await call<{ violations: Violation[] }>("POST", "violations/take");
      if (violations.length === 0) return;
      const lines = violations.map(
        (v) => `- ${v.kind}: ${v.request}${v.route ? ` (${v.route})` : ""}: ${v.message}`,
      );
      throw new Error(`The fake GitHub saw ${violations.length} problem(s):\n${lines.join("\n")}`);
    },
    traffic: () => call<FakeTraffic>("GET", "requests"),
    resetTraffic: async () => {
      await call("POST", "requests/reset");
    },
    writes: () => call<FakeWrites>("GET", "writes"),
    served: async (after = -1) =>
      (await call<{ served: ServedRequest[] }>("GET", `served?after=${after}`)).served,
    settings: (changes) => call<ServeSettings>("PUT", "settings", changes),
    stop: async () => {
      await child.stop("SIGTERM", 5_000);
    },
  };
}
