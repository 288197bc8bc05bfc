// What a request to the recording proxy is, from its path and headers: a gateway request to an
// actor, a runner or envoy connection, a call the engine makes to a serverless endpoint (through a
// URL the proxy rewrote), or an engine API call. Pure.

export type Route =
  | { kind: "gateway"; actorId: string | null; actorPath: string }
  | { kind: "runner-connect" }
  | { kind: "envoy-connect" }
  | { kind: "serverless"; target: string; rest: string }
  | { kind: "api"; path: string };

/** Prefix of the serverless URLs the proxy hands the engine in place of the real ones. */
export const SERVERLESS_PREFIX = "/_serverless/";

export function classify(url: string, headers: Record<string, string | string[] | undefined>): Route {
  const [path, query = ""] = splitQuery(url);
  if (path.startsWith(SERVERLESS_PREFIX)) {
    const after = path.slice(SERVERLESS_PREFIX.length);
    const slash = after.indexOf("/");
    const encoded = slash < 0 ? after : after.slice(0, slash);
    const target = decodeServerlessTarget(encoded);
    if (target !== null) {
      const rest = (slash < 0 ? "" : after.slice(slash)) + (query ? `?${query}` : "");
      return { kind: "serverless", target, rest };
    }
  }
  if (path === "/runners/connect") return { kind: "runner-connect" };
  if (path === "/envoys/connect") return { kind: "envoy-connect" };
  if (path === "/gateway" || path.startsWith("/gateway/")) {
    const after = path.slice("/gateway/".length);
    const slash = after.indexOf("/");
    const segment = decodeURIComponentSafe(slash < 0 ? after : after.slice(0, slash));
    const actorPath = (slash < 0 ? "/" : after.slice(slash)) + (query ? `?${query}` : "");
    // `/gateway/{actorId}@{token}/…` carries a token after the id; a query-addressed actor
    // (`/gateway/{name}?rvt-…`) is resolved by the engine, so its id is learned later.
    const actorId = segment.includes("@") ? segment.slice(0, segment.indexOf("@")) : segment;
    return { kind: "gateway", actorId: looksLikeId(actorId) && !query.includes("rvt-") ? actorId : null, actorPath };
  }
  const target = header(headers, "x-rivet-target");
  if (target === "actor") {
    const actorId = header(headers, "x-rivet-actor");
    return { kind: "gateway", actorId: actorId && looksLikeId(actorId) ? actorId : null, actorPath: url };
  }
  return { kind: "api", path: url };
}

/** The proxy URL that stands for a serverless endpoint URL (base64url keeps it one path segment). */
export function serverlessProxyUrl(proxyOrigin: string, target: string): string {
  return `${proxyOrigin.replace(/\/$/, "")}${SERVERLESS_PREFIX}${Buffer.from(target, "utf8").toString("base64url")}`;
}

export function decodeServerlessTarget(encoded: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return null;
  const text = Buffer.from(encoded, "base64url").toString("utf8");
  return /^https?:\/\//.test(text) ? text : null;
}

/** Joins the endpoint URL and the rest of the path the engine asked for (`/start`, `/metadata`). */
export function joinTarget(target: string, rest: string): string {
  return `${target.replace(/\/$/, "")}${rest}`;
}

export function splitQuery(url: string): [string, string] {
  const at = url.indexOf("?");
  return at < 0 ? [url, ""] : [url.slice(0, at), url.slice(at + 1)];
}

export function queryParam(url: string, name: string): string | null {
  const [, query] = splitQuery(url);
  return new URLSearchParams(query).get(name);
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

/** Rivet ids are short lower-case base36 strings; a name or a query is not one. */
function looksLikeId(text: string): boolean {
  return /^[a-z0-9]{16,40}$/.test(text);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
