// Where clients put the access token, following the platform's own conventions so real clients work
// unchanged: `Authorization: Bearer` on the engine API, the `rivet_token.<token>` WebSocket
// subprotocol or `x-rivet-token` for runners, `x-rivet-token` on serverless `/start`, and the
// dashboard's HttpOnly session cookie after sign-in.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { parse as parseCookies } from "cookie";

export const OWNER_COOKIE = "wakeline_owner";
export const SHARE_COOKIE = "wakeline_share";

/** Compares in constant time (through digests, so lengths do not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return typeof value === "string" && value !== "" ? value : null;
}

export function bearerToken(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header(req, "authorization") ?? "");
  return match ? match[1] : null;
}

export function rivetTokenHeader(req: IncomingMessage): string | null {
  return header(req, "x-rivet-token");
}

/** The token carried as a `rivet_token.<token>` WebSocket subprotocol. */
export function subprotocolToken(req: IncomingMessage): string | null {
  for (const protocol of (header(req, "sec-websocket-protocol") ?? "").split(",")) {
    const trimmed = protocol.trim();
    if (trimmed.startsWith("rivet_token.")) return trimmed.slice("rivet_token.".length);
  }
  return null;
}

export function cookies(req: IncomingMessage): Record<string, string | undefined> {
  const raw = header(req, "cookie");
  return raw ? parseCookies(raw) : {};
}

/**
 * The owner cookie holds a value derived from the token, not the token: a leaked cookie is revoked by
 * changing the token, and the token never sits in a browser's cookie jar.
 */
export function ownerSessionValue(token: string): string {
  return createHmac("sha256", token).update("wakeline owner session").digest("base64url");
}
