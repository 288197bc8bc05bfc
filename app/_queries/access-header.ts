// The server side of app/_queries/access.ts: reads the `x-wakeline-access` header server.ts sets.
import type { AccessInfo } from "./access";

/** Parses the header; null when absent or unreadable. */
export function parseAccessHeader(raw: string | null): AccessInfo | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<AccessInfo>;
    if (value.role !== "owner" && value.role !== "viewer") return null;
    return {
      role: value.role,
      runId: typeof value.runId === "string" ? value.runId : null,
      tokenRequired: value.tokenRequired === true,
      secretsRedacted: value.secretsRedacted !== false,
    };
  } catch {
    return null;
  }
}
