// Runner tokens: a token for one runner name (and, if given, versions up to one number), derived
// from the server's token. A runner that holds one may connect only as that runner, so it cannot
// claim another pool's name, or a higher version to win its allocations. The server's own token
// still lets a runner connect under any name (that is what the engine hands serverless runners on
// `/start`, as the real engine does).
//
// Form: `wlr.<name, base64url>.<max version or "any">.<signature, base64url>`: only characters a
// WebSocket subprotocol may carry, so it travels as `rivet_token.<token>` like any other token.
import { createHmac } from "node:crypto";
import { sameSecret } from "./credentials";

export interface RunnerGrant {
  name: string;
  /** The highest version the runner may announce; null for any. */
  maxVersion: number | null;
}

const PREFIX = "wlr";

function signature(serverToken: string, grant: RunnerGrant): string {
  return createHmac("sha256", serverToken)
    .update(`wakeline runner token\n${grant.name}\n${grant.maxVersion ?? "any"}`)
    .digest("base64url");
}

export function runnerToken(serverToken: string, grant: RunnerGrant): string {
  const name = Buffer.from(grant.name, "utf8").toString("base64url");
  return [PREFIX, name, grant.maxVersion ?? "any", signature(serverToken, grant)].join(".");
}

/** The grant a runner token carries, or null when it is not a runner token of this server. */
export function readRunnerToken(given: string, serverToken: string): RunnerGrant | null {
  const parts = given.split(".");
  if (parts.length !== 4 || parts[0] !== PREFIX) return null;
  const [, encodedName, version, signed] = parts;
  if (!/^[A-Za-z0-9_-]+$/.test(encodedName) || !/^(any|\d{1,9})$/.test(version)) return null;
  const grant: RunnerGrant = { name: Buffer.from(encodedName, "base64url").toString("utf8"), maxVersion: version === "any" ? null : Number(version) };
  return sameSecret(signed, signature(serverToken, grant)) ? grant : null;
}

/** Why a runner with this grant may not announce itself so; null when it may. */
export function grantRefusal(grant: RunnerGrant | null, name: string, version: number): string | null {
  if (!grant) return null;
  if (name !== grant.name) return `this token is for the runner ${JSON.stringify(grant.name)}, not ${JSON.stringify(name)}`;
  if (grant.maxVersion !== null && version > grant.maxVersion) return `this token allows versions up to ${grant.maxVersion}, not ${version}`;
  return null;
}
