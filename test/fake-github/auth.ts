/**
 * Who is calling. The app signs a JWT (RS256) with its private key; the fake checks it with the
 * public key, as GitHub does. Installation tokens are minted by the fake and looked up in state.
 */
import { type KeyObject, randomBytes, verify } from "node:crypto";
import type { FakeState, TokenState } from "./state.js";

export type Credentials =
  | { kind: "jwt"; appId: number }
  | { kind: "token"; token: TokenState }
  | { kind: "invalid"; reason: string }
  | { kind: "none" };

function decodeJson(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
}

/** Reads the Authorization header: a JWT the app signed, or an installation token the fake minted. */
export function readCredentials(
  state: FakeState,
  authorization: string | null,
  appPublicKey: KeyObject | undefined,
): Credentials {
  if (!authorization) return { kind: "none" };
  const [scheme, value] = authorization.split(/\s+/, 2) as [string, string | undefined];
  if (!value || !/^(bearer|token)$/i.test(scheme)) return { kind: "invalid", reason: "unknown scheme" };
  const parts = value.split(".");
  if (parts.length === 3) {
    const [header, payload, signature] = parts as [string, string, string];
    if (!appPublicKey)
      return { kind: "invalid", reason: "the fake has no app public key to check the JWT with" };
    const signed = verify(
      "RSA-SHA256",
      Buffer.from(`${header}.${payload}`),
      appPublicKey,
      Buffer.from(signature, "base64url"),
    );
    if (!signed) return { kind: "invalid", reason: "JWT signature does not match the app's key" };
    const claims = decodeJson(payload) as { iss?: number | string; exp?: number };
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== "number" || claims.exp < now) return { kind: "invalid", reason: "JWT expired" };
    if (Number(claims.iss) !== state.appId)
      return { kind: "invalid", reason: `JWT issuer ${claims.iss} is not the app` };
    return { kind: "jwt", appId: state.appId };
  }
  const token = state.tokens.get(value);
  if (!token) return { kind: "invalid", reason: "unknown token" };
  if (Date.parse(token.expiresAt) < Date.now()) return { kind: "invalid", reason: "token expired" };
  return { kind: "token", token };
}

/** A new installation access token, valid for an hour as on GitHub. */
export function mintInstallationToken(state: FakeState, installationId: number): TokenState {
  const token: TokenState = {
    token: `ghs_${randomBytes(18).toString("hex")}`,
    installationId,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  state.tokens.set(token.token, token);
  return token;
}
