// Who may do what, decided for every request before it reaches the engine or the dashboard.
//
// - Every request must name one of this server's hosts (no DNS rebinding).
// - Writes from browsers must come from this server's own pages (no cross-site requests).
// - With a token: the engine API, runner WebSockets and serverless `/start` need it, as on the real
//   engine. Gateway traffic does not: the real engine's gateway takes no token either.
// - The dashboard has owners (loopback, or the token kept in an HttpOnly cookie after sign-in) and
//   viewers: a share link makes its holder a viewer of that run, its cycles, events and exports,
//   read-only, and of nothing else.
import type { IncomingMessage } from "node:http";
import type { ApiErrorBody } from "@/lib/transport/http-util";
import { OWNER_COOKIE, SHARE_COOKIE, bearerToken, cookies, ownerSessionValue, rivetTokenHeader, sameSecret, subprotocolToken } from "./credentials";
import { readRunnerToken, type RunnerGrant } from "./runner-tokens";
import { hostOfHeader, isLoopbackAddress, type SecuritySettings } from "./settings";

export type RouteKind = "gateway" | "runner-socket" | "serverless-start" | "engine-api" | "sign-in" | "share-open" | "static" | "dashboard";

export type Access = { role: "owner" } | { role: "viewer"; runId: string; shareToken: string } | { role: "engine-client"; runner: RunnerGrant | null } | { role: "public" };

export interface Refusal {
  status: number;
  body: ApiErrorBody;
  /** Where a browser should go instead (the sign-in page). */
  redirect?: string;
  /** Worth a note in the live recording: an engine client failed to authenticate. */
  record?: string;
}

export type Decision = { allowed: true; access: Access } | { allowed: false; refusal: Refusal };

/** Looks up a share token: the run it shares, or null when unknown, expired or revoked. */
export type ShareLookup = (token: string) => Promise<{ runId: string } | null>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const refuse = (status: number, group: string, code: string, message: string, extra: Partial<Refusal> = {}): Decision => ({
  allowed: false,
  refusal: { status, body: { group, code, message }, ...extra },
});

export async function decide(req: IncomingMessage, route: RouteKind, pathname: string, settings: SecuritySettings, shares: ShareLookup): Promise<Decision> {
  const method = req.method ?? "GET";
  const host = hostOfHeader(req.headers.host);
  if (!host || !settings.allowedHosts.has(host)) {
    return refuse(421, "guard", "host_not_allowed", `this server does not answer to the host ${JSON.stringify(req.headers.host ?? "")} (add it to WAKELINE_ALLOWED_HOSTS)`);
  }
  const upgrade = req.headers.upgrade !== undefined;
  if (route !== "gateway" && (upgrade || !SAFE_METHODS.has(method)) && isCrossSite(req, settings)) {
    return refuse(403, "guard", "cross_site_request", "requests that change something must come from this server's own pages");
  }

  switch (route) {
    case "gateway":
    case "sign-in":
    case "share-open":
    case "static":
      return { allowed: true, access: { role: "public" } };
    case "runner-socket":
      return engineClient(settings, upgrade ? (subprotocolToken(req) ?? rivetTokenHeader(req)) : rivetTokenHeader(req), "runner connection", true);
    case "serverless-start":
      return engineClient(settings, rivetTokenHeader(req), "serverless /start call");
    case "engine-api":
      return engineClient(settings, bearerToken(req) ?? rivetTokenHeader(req), `engine API call ${method} ${pathname}`);
    case "dashboard":
      return dashboard(req, method, pathname, settings, shares);
  }
}

/** The server's token admits any engine client; a runner token (`wakeline token --runner`) admits one runner's connection. */
function engineClient(settings: SecuritySettings, given: string | null, what: string, runnerTokenAllowed = false): Decision {
  if (!settings.token) return { allowed: true, access: { role: "engine-client", runner: null } };
  if (!given) return refuse(401, "api", "unauthorized", `${what}: a token is required`, { record: `${what} without a token refused` });
  if (sameSecret(given, settings.token)) return { allowed: true, access: { role: "engine-client", runner: null } };
  const grant = readRunnerToken(given, settings.token);
  if (grant && runnerTokenAllowed) return { allowed: true, access: { role: "engine-client", runner: grant } };
  const why = grant ? "a runner token only opens a runner connection" : "the token is not valid";
  return refuse(403, "api", "forbidden", `${what}: ${why}`, { record: `${what} with a wrong token refused` });
}

async function dashboard(req: IncomingMessage, method: string, pathname: string, settings: SecuritySettings, shares: ShareLookup): Promise<Decision> {
  if (isOwner(req, settings)) return { allowed: true, access: { role: "owner" } };
  const shareToken = cookies(req)[SHARE_COOKIE];
  const shared = shareToken ? await shares(shareToken) : null;
  if (shared && shareToken) {
    if (SAFE_METHODS.has(method) && (inRunScope(pathname, shared.runId) || pathname === "/api/access")) {
      return { allowed: true, access: { role: "viewer", runId: shared.runId, shareToken } };
    }
    return refuse(403, "auth", "not_shared", "this share link gives read access to one run only");
  }
  const api = pathname.startsWith("/api/");
  return refuse(401, "auth", "sign_in_required", "sign in with the server's token", api ? {} : { redirect: `/sign-in?next=${encodeURIComponent(pathname)}` });
}

export function isOwner(req: IncomingMessage, settings: SecuritySettings): boolean {
  if (!settings.token) return true;
  if (settings.loopbackIsOwner && isLoopbackAddress(req.socket.remoteAddress)) return true;
  const bearer = bearerToken(req);
  if (bearer && sameSecret(bearer, settings.token)) return true;
  const session = cookies(req)[OWNER_COOKIE];
  return session !== undefined && sameSecret(session, ownerSessionValue(settings.token));
}

/** The pages and API paths of one run (its cycles, events, diagrams, exports, live stream). */
export function inRunScope(pathname: string, runId: string): boolean {
  const id = encodeURIComponent(runId);
  return [`/runs/${id}`, `/api/runs/${id}`].some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** A browser request from another site: Sec-Fetch-Site says so, or an Origin that is not this server. */
function isCrossSite(req: IncomingMessage, settings: SecuritySettings): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site === "cross-site" || site === "same-site") return true;
  const origin = req.headers.origin;
  if (!origin || origin === "null") return origin === "null";
  let originHost: string | null;
  try {
    originHost = hostOfHeader(new URL(origin).host);
  } catch {
    return true;
  }
  return originHost === null || !settings.allowedHosts.has(originHost) || new URL(origin).host.toLowerCase() !== String(req.headers.host).toLowerCase();
}

/** Which gate a path goes through. */
export function routeKind(pathname: string, isGateway: boolean, isEngineApi: boolean, builtinStartPath: string): RouteKind {
  if (isGateway) return "gateway";
  if (pathname === "/runners/connect") return "runner-socket";
  if (pathname === builtinStartPath) return "serverless-start";
  if (isEngineApi) return "engine-api";
  if (pathname === "/sign-in" || pathname === "/sign-out") return "sign-in";
  if (pathname.startsWith("/s/")) return "share-open";
  // /vendor/: third-party code the pages load as it is installed (app/vendor), as public as /_next/static.
  if (pathname.startsWith("/_next/static/") || pathname.startsWith("/vendor/") || pathname === "/favicon.ico" || pathname === "/favicon.svg") return "static";
  return "dashboard";
}
