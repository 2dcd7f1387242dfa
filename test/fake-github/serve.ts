/**
 * Runs the fake GitHub in a process of its own, over HTTP (see server.ts):
 *
 *   FAKE_GITHUB_APP_PUBLIC_KEY="$(cat app.pub.pem)" npx tsx test/fake-github/serve.ts \
 *     --latency-ms 50 --scenarios test/scale/scenarios.ts
 *
 * The app is app.yml's, with id 424242; the fake checks its JWTs with the public key in
 * FAKE_GITHUB_APP_PUBLIC_KEY. `--scenarios` names a module whose exported functions
 * `(fake, params) => json` the control API runs by name. When listening, it prints one JSON line,
 * `{"url":"http://127.0.0.1:PORT","port":PORT}`; SIGTERM or SIGINT stops it.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { fakeGitHubForApp } from "../support/app-identity.js";
import { type Scenario, serveFakeGitHub } from "./server.js";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "0" },
    "latency-ms": { type: "string", default: "0" },
    "server-error-percent": { type: "string", default: "0" },
    "rate-limit-percent": { type: "string", default: "0" },
    scenarios: { type: "string" },
  },
});

const publicKey = process.env.FAKE_GITHUB_APP_PUBLIC_KEY;
if (!publicKey) throw new Error("FAKE_GITHUB_APP_PUBLIC_KEY must hold the app's public key (PEM)");

const scenarios: Record<string, Scenario> = {};
if (values.scenarios) {
  const module = (await import(pathToFileURL(resolve(values.scenarios)).href)) as Record<string, unknown>;
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === "function") scenarios[name] = value as Scenario;
  }
}

const fake = fakeGitHubForApp({ app: { publicKey } });
const server = await serveFakeGitHub(fake, {
  host: values.host,
  port: Number(values.port),
  latencyMs: Number(values["latency-ms"]),
  serverErrorPercent: Number(values["server-error-percent"]),
  rateLimitPercent: Number(values["rate-limit-percent"]),
  scenarios,
});
process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);

async function stop(): Promise<void> {
  await server.close();
  process.exit(0);
}
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
