/**
 * What an operator sees of pull request deliveries: one structured "delivery handled" line each, whose
 * request count is what GitHub received, and no credential in any log line; and what an attacker gets
 * from a forged webhook: nothing.
 */
import { describe, expect, it } from "@jest/globals";
import { runtimeOf } from "../../src/index.js";
import { type AppHarness, type LogRecord, startApp, WEBHOOK_SECRET } from "../support/github.js";
import { seedPullRequest } from "../support/scenario.js";

/** A log line without what changes from run to run (time, process, host). */
function stable(record: LogRecord | undefined) {
  if (!record) return record;
  const { time: _time, pid: _pid, hostname: _hostname, ...rest } = record;
  return rest;
}

/** Delivers an event and returns its log line and the number of requests GitHub received for it. */
async function deliverCounted(gh: AppHarness, name: string, payload: object, id: string) {
  gh.fake.requests.reset();
  await gh.deliver(name, payload, { id });
  const lines = gh.logs.filter((l) => l.delivery === id);
  expect(lines).toHaveLength(1);
  return { line: stable(lines[0]), received: gh.fake.requests.count() };
}

describe("the delivery log", () => {
  it("logs one line per delivery whose request count is exactly what GitHub received", async () => {
    const gh = await startApp({ octokit: { retry: { enabled: true, retryAfterBaseValue: 1 } } });
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(gh, repo);

    // Cold: the installation token, the pull request as it is now (the job may have waited), the bundle,
    // the app's identity, the facts (the base commit's check runs among them, which the warm delivery
    // finds in the store) and the check run.
    const opened = await deliverCounted(
      gh,
      "pull_request",
      gh.fake.pullRequestEvent(repo, pr.number, "opened"),
      "d-1",
    );
    expect(opened).toEqual({
      line: {
        level: 30,
        name: "probot",
        msg: "delivery handled",
        delivery: "d-1",
        event: "pull_request.opened",
        repository: "acme/api",
        pullRequest: 1,
        verdict: "success",
        findings: 0,
        requests: 10,
      },
      received: 10,
    });

    // Warm, with one transient 502 that Octokit retries: the retry is a request too.
    gh.fake.faults.inject("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { status: 502, times: 1 });
    const edited = await deliverCounted(
      gh,
      "pull_request",
      gh.fake.pullRequestEvent(repo, pr.number, "edited"),
      "d-2",
    );
    expect(edited.line).toMatchObject({ event: "pull_request.edited", verdict: "success", requests: 7 });
    expect(edited.received).toBe(7);
  });

  it("logs a failed delivery with its requests, keeps it as failed, and no credential appears in any log line", async () => {
    const gh = await startApp({ logLevel: "trace" });
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(gh, repo);
    gh.fake.faults.inject("POST /repos/{owner}/{repo}/check-runs", { status: 500, times: 1 });

    // Acknowledged at once; its job fails (this app runs a job once) and is kept as failed.
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "opened"), { id: "d-1" });
    await gh.deliver("pull_request", gh.fake.pullRequestEvent(repo, pr.number, "reopened"), { id: "d-2" });

    const lines = gh.logs.filter((l) => l.msg === "delivery handled" || l.msg === "delivery failed");
    expect(lines.map((l) => [l.delivery, l.msg, l.requests])).toEqual([
      ["d-1", "delivery failed", 10],
      ["d-2", "delivery handled", 6],
    ]);
    expect(gh.fake.requests.count()).toBe(16);
    const failures = await runtimeOf(gh.probot)?.failures(5);
    expect(failures?.recent.map((f) => [f.id, f.name, f.error, f.attempts])).toEqual([
      ["d-1", "judge", "Injected fault - https://docs.github.com/rest", 1],
    ]);

    const secrets = [
      ...gh.fake.state.tokens.keys(),
      WEBHOOK_SECRET,
      // Every line of the PEM body: a key logged as text, escaped or cut, shows at least one of them.
      ...gh.privateKey.split("\n").filter((line) => line.length > 0 && !line.startsWith("-----")),
    ];
    expect(gh.fake.state.tokens.size).toBe(1);
    // What was searched: a debug line per request (the token's included), the failed delivery's error
    // with the request it made, and Probot's own error line.
    expect(gh.logs.filter((l) => l.msg.startsWith("GitHub request: "))).toHaveLength(16);
    const failed = gh.logs.find((l) => l.msg === "delivery failed") as {
      err?: { request?: { headers?: object } };
    };
    expect(failed.err?.request?.headers).toMatchObject({ authorization: "token [REDACTED]" });
    const leaks = gh.logs.flatMap((record) => {
      const text = JSON.stringify(record);
      return secrets.filter((secret) => text.includes(secret)).map(() => record.msg);
    });
    expect(leaks).toEqual([]);
  });
});

describe("forged webhooks", () => {
  it.each([
    [
      "a body changed after signing",
      (gh: AppHarness, body: string) => gh.sign(body.replace('"number":1', '"number":2')),
    ],
    ["a signature made with another secret", () => `sha256=${"0".repeat(64)}`],
    ["no signature at all", () => ""],
  ])("refuses %s and writes nothing", async (_story, signature) => {
    const gh = await startApp();
    const repo = gh.fake.seedRepo({ owner: "acme", name: "api" });
    const pr = seedPullRequest(gh, repo);
    const installation = gh.fake.installationFor("acme");
    const body = JSON.stringify({
      ...gh.fake.pullRequestEvent(repo, pr.number, "opened"),
      installation: { id: installation.id },
    });

    await expect(
      gh.deliverRaw({ name: "pull_request", body, signature: signature(gh, body), id: "forged" }),
    ).rejects.toThrow();

    expect(gh.fake.requests.count()).toBe(0);
    expect(gh.fake.checkRuns(repo, { name: "rulebook" })).toEqual([]);
    expect(gh.logs.filter((l) => l.delivery === "forged")).toEqual([]);
  });
});
