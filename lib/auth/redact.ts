// Secrets never reach the recording: users' credentials in headers, runner keys, tokens in
// WebSocket subprotocols and in URLs are replaced before an event is recorded, so the database,
// exports and share links only ever hold redacted data. The engine itself still forwards the real
// values (a runner needs the user's cookie). Pure: no I/O.
import type { TraceEvent } from "@/lib/trace/types";

export const REDACTED = "[redacted]";

/** Header names whose values are secrets (compared case-insensitively). */
export const DEFAULT_SECRET_HEADERS: readonly string[] = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-rivet-token",
  "x-api-key",
];

export interface RedactionPolicy {
  /** false only when a user explicitly records secrets for local debugging. */
  enabled: boolean;
  secretHeaders: readonly string[];
}

export const DEFAULT_REDACTION: RedactionPolicy = { enabled: true, secretHeaders: DEFAULT_SECRET_HEADERS };

/** Payload keys that hold a credential whatever object they are in. */
const SECRET_KEYS = new Set(["runnerkey", "runner_key", "envoykey", "envoy_key", "token", "admintoken", "password"]);
/** Query parameters that carry credentials. */
const SECRET_PARAMS = /([?&](?:token|access_token|runner_key|envoy_key|api_key)=)[^&#\s"]*/gi;
/** `rivet_token.<token>` WebSocket subprotocols. */
const TOKEN_PROTOCOL = /(rivet_token\.)[^,\s"]+/g;
/** The gateway's `/gateway/<actor>@<token>/…` path form. */
const PATH_TOKEN = /(\/gateway\/[^/@\s"?]+@)[^/\s"?#]+/g;

export function redactEvent(event: TraceEvent, policy: RedactionPolicy = DEFAULT_REDACTION): TraceEvent {
  if (!policy.enabled) return event;
  const headers = new Set(policy.secretHeaders.map((name) => name.toLowerCase()));
  const label = redactText(event.label);
  const payload = redactValue(event.payload, headers, 0);
  return label === event.label && payload === event.payload ? event : { ...event, label, payload };
}

/** Redacts credentials inside free text (URLs, subprotocol lists, gateway paths). */
export function redactText(text: string): string {
  if (!text.includes("token") && !text.includes("key=") && !text.includes("@")) return text;
  return text.replace(TOKEN_PROTOCOL, `$1${REDACTED}`).replace(SECRET_PARAMS, `$1${REDACTED}`).replace(PATH_TOKEN, `$1${REDACTED}`);
}

/** Payloads are plain JSON; deeper than this is data, not a header map, and is left as it is. */
const MAX_DEPTH = 32;

function redactValue(value: unknown, headers: ReadonlySet<string>, depth: number): unknown {
  if (typeof value === "string") return redactText(value);
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    // Header lists as [name, value] pairs.
    if (value.length === 2 && typeof value[0] === "string" && headers.has(value[0].toLowerCase())) return [value[0], REDACTED];
    let changed = false;
    const out = value.map((item) => {
      const next = redactValue(item, headers, depth + 1);
      changed ||= next !== item;
      return next;
    });
    return changed ? out : value;
  }
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const lower = key.toLowerCase();
    const secret = (headers.has(lower) || SECRET_KEYS.has(lower)) && item !== null && item !== undefined;
    const next = secret ? REDACTED : redactValue(item, headers, depth + 1);
    changed ||= next !== item;
    out[key] = next;
  }
  return changed ? out : value;
}
