// How the server is exposed: where it listens, the access token, which Host names it answers to,
// what it redacts and where the engine may connect. Read once at start from the options and the
// environment; a token generated for a non-loopback listener is stored so it survives restarts.
import { randomBytes } from "node:crypto";
import net from "node:net";
import os from "node:os";
import type { Db } from "@/lib/store/db";
import { readSetting, settleSetting } from "@/lib/store/settings";
import { OutboundGuard, DEFAULT_DENY_CIDRS, parseCidrs } from "./outbound";
import { DEFAULT_SECRET_HEADERS, type RedactionPolicy } from "./redact";

export interface SecuritySettings {
  /** The address the server listens on (default loopback). */
  hostname: string;
  /** The token clients must present, or null (only when listening on loopback without WAKELINE_TOKEN). */
  token: string | null;
  /** Where the token came from, for the start-up message. */
  tokenSource: "none" | "environment" | "stored" | "generated";
  /** Host header names this server answers to (anything else is refused: DNS rebinding). */
  allowedHosts: ReadonlySet<string>;
  /** A request from a loopback address is the dashboard's owner (off behind a local reverse proxy). */
  loopbackIsOwner: boolean;
  redaction: RedactionPolicy;
  outbound: OutboundGuard;
}

export interface SecurityInput {
  hostname?: string;
  token?: string | null;
  /** Extra Host names (a DNS name the server is reached by). */
  allowedHosts?: string[];
  recordSecrets?: boolean;
  secretHeaders?: string[];
  outboundAllow?: string[];
  outboundDeny?: string[];
  loopbackIsOwner?: boolean;
}

export const TOKEN_SETTING = "access-token";

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const bare = address.replace(/^::ffff:/, "");
  return bare === "::1" || (net.isIPv4(bare) && bare.startsWith("127.")) || bare === "localhost";
}

/** The settings from the environment (HOST, WAKELINE_TOKEN, WAKELINE_ALLOWED_HOSTS, …) under explicit options. */
export function securityInputFromEnv(env: NodeJS.ProcessEnv = process.env): SecurityInput {
  const list = (value: string | undefined) => (value ? value.split(",").map((item) => item.trim()).filter(Boolean) : undefined);
  return {
    hostname: env.HOST || env.WAKELINE_HOSTNAME || undefined,
    token: env.WAKELINE_TOKEN || undefined,
    allowedHosts: list(env.WAKELINE_ALLOWED_HOSTS),
    recordSecrets: env.WAKELINE_RECORD_SECRETS === "1",
    secretHeaders: list(env.WAKELINE_SECRET_HEADERS),
    outboundAllow: list(env.WAKELINE_OUTBOUND_ALLOW_CIDRS),
    outboundDeny: list(env.WAKELINE_OUTBOUND_DENY_CIDRS),
    loopbackIsOwner: env.WAKELINE_TRUST_LOOPBACK === "0" ? false : undefined,
  };
}

export async function resolveSecurity(db: Db, input: SecurityInput): Promise<SecuritySettings> {
  const hostname = input.hostname ?? "127.0.0.1";
  const loopbackOnly = isLoopbackAddress(hostname);
  let token = input.token ?? null;
  let tokenSource: SecuritySettings["tokenSource"] = token ? "environment" : "none";
  if (!token && !loopbackOnly) {
    // Reachable from other machines: never without a token. One is made once and kept.
    const stored = await readSetting(db, TOKEN_SETTING);
    token = stored ?? (await settleSetting(db, TOKEN_SETTING, randomBytes(24).toString("base64url")));
    tokenSource = stored ? "stored" : "generated";
  }
  return {
    hostname,
    token,
    tokenSource,
    allowedHosts: allowedHostNames(hostname, input.allowedHosts ?? []),
    loopbackIsOwner: input.loopbackIsOwner ?? true,
    redaction: { enabled: !input.recordSecrets, secretHeaders: input.secretHeaders ?? DEFAULT_SECRET_HEADERS },
    outbound: new OutboundGuard({
      deny: [...DEFAULT_DENY_CIDRS, ...parseCidrs(input.outboundDeny?.join(","))],
      allow: parseCidrs(input.outboundAllow?.join(",")),
    }),
  };
}

/** Loopback names, the listening address, and — when listening on every interface — this machine's names and addresses. */
function allowedHostNames(hostname: string, extra: string[]): Set<string> {
  const names = new Set(["localhost", "127.0.0.1", "::1", hostname.toLowerCase(), ...extra.map((name) => name.toLowerCase())]);
  if (hostname === "0.0.0.0" || hostname === "::") {
    names.add(os.hostname().toLowerCase());
    for (const addresses of Object.values(os.networkInterfaces())) for (const entry of addresses ?? []) names.add(entry.address.toLowerCase());
  }
  return names;
}

/** The host name of a Host header (`name:port`, `[v6]:port`), lower-cased. */
export function hostOfHeader(host: string | undefined): string | null {
  if (!host) return null;
  const match = /^\[([^\]]+)\](?::\d+)?$/.exec(host) ?? /^([^:]+)(?::\d+)?$/.exec(host);
  return match ? match[1].toLowerCase() : null;
}
