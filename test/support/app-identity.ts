/**
 * Who the app under test is to the fake GitHub: its id, webhook secret and manifest permissions, and
 * how a delivery is signed and addressed to an installation. Free of the app itself, so that a fake
 * GitHub serving in its own process (and a load generator) starts without loading Probot or the app.
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import {
  ENTERPRISE_HOST,
  type EnterpriseOptions,
  FakeGitHub,
  type FakeGitHubOptions,
} from "../fake-github/index.js";

export const WEBHOOK_SECRET = "rulebook-test-secret";
export const APP_ID = 424242;

export interface Manifest {
  default_events?: string[];
  default_permissions?: Record<string, "read" | "write">;
}

/** app.yml, read once: the fake grants the app exactly the permissions and events it asks for. */
let manifest: Manifest | undefined;
export function readManifest(): Manifest {
  manifest ??= parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as Manifest;
  return manifest;
}

/** One RSA key pair per process (generating one takes tens of milliseconds): the app's private key, GitHub's copy of its public key. */
let keys: { privateKey: string; publicKey: string } | undefined;
export function appKeys(): { privateKey: string; publicKey: string } {
  keys ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return keys;
}

/** A fake GitHub whose app holds app.yml's permissions and events. */
export function fakeGitHubForApp(options: FakeGitHubOptions = {}): FakeGitHub {
  const { default_events: events = [], default_permissions: permissions = {} } = readManifest();
  const enterprise = enterpriseUnderTest();
  return new FakeGitHub({
    ...(enterprise ? { enterprise } : {}),
    ...options,
    app: { id: APP_ID, permissions, events, ...options.app },
  });
}

/**
 * The GitHub Enterprise Server release the app is tested against, with rate limiting off, when
 * `RULEBOOK_TEST_GHES` names one (`3.17`); github.com otherwise.
 */
export function enterpriseUnderTest(): EnterpriseOptions | undefined {
  const version = process.env.RULEBOOK_TEST_GHES;
  if (!version) return undefined;
  if (!/^\d+\.\d+$/.test(version))
    throw new Error(`RULEBOOK_TEST_GHES=${version} is not a release like 3.17`);
  return { version: version as EnterpriseOptions["version"], rateLimiting: false };
}

/**
 * What the app (`GHE_HOST`) and the CLI (`GITHUB_API_URL`) read to reach the GitHub under test: nothing
 * for github.com.
 */
export function serverEnv(): Record<string, string> {
  if (!enterpriseUnderTest()) return {};
  return { GHE_HOST: ENTERPRISE_HOST, GITHUB_API_URL: `https://${ENTERPRISE_HOST}/api/v3` };
}

/** The web address of the GitHub under test, which every link the app writes starts with. */
export function webUrlUnderTest(): string {
  return enterpriseUnderTest() ? `https://${ENTERPRISE_HOST}` : "https://github.com";
}

/** `sha256=` HMAC of a body with the webhook secret, as GitHub sends in `X-Hub-Signature-256`. */
export function signWebhook(body: string, secret = WEBHOOK_SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function accountOf(payload: Record<string, unknown>): string | undefined {
  const login = (value: unknown) =>
    value && typeof value === "object" && "login" in value && typeof value.login === "string"
      ? value.login
      : undefined;
  const repository = payload.repository as { owner?: unknown } | undefined;
  const installation = payload.installation as { account?: unknown } | undefined;
  return login(repository?.owner) ?? login(payload.organization) ?? login(installation?.account);
}

/**
 * The bytes GitHub would post for an event: the payload with its `installation` (the given one, the
 * one it names, or the installation on its account, installed on all its repositories if there is
 * none yet).
 */
export function deliveryBody(
  fake: FakeGitHub,
  name: string,
  payload: object,
  installationId?: number,
): string {
  const event = payload as Record<string, unknown>;
  let id = installationId;
  if (id === undefined) {
    const given = event.installation as { id?: number } | undefined;
    if (given?.id !== undefined && fake.state.installations.has(given.id)) id = given.id;
  }
  if (id === undefined) {
    const account = accountOf(event);
    if (!account) throw new Error(`cannot tell which installation a ${name} event belongs to`);
    id = fake.installationFor(account).id;
  }
  return fake.localize(
    JSON.stringify({
      ...event,
      installation: { ...(event.installation as object), id, node_id: `I_${id}` },
    }),
  );
}
