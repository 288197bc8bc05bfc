// The browser side of the share-link API.
import { fetchJson } from "@/app/_queries/fetch-json";

export interface SharedLink {
  token: string;
  runId: string;
  /** The view the link restores (path and query). */
  target: string;
  /** The link's own address on this site, e.g. `/s/Ab3dE9xY`. */
  url: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export function createShareLink(input: { path: string; expiresInSeconds: number | null }): Promise<SharedLink> {
  return fetchJson<SharedLink>("/api/share", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
}

export function revokeShareLink(token: string): Promise<SharedLink> {
  return fetchJson<SharedLink>(`/api/share/${encodeURIComponent(token)}`, { method: "DELETE" });
}

/** Lifetimes offered when creating a link (seconds; null = never expires). */
export const LINK_LIFETIMES: readonly { label: string; seconds: number | null }[] = [
  { label: "Never expires", seconds: null },
  { label: "1 hour", seconds: 3600 },
  { label: "1 day", seconds: 86_400 },
  { label: "7 days", seconds: 7 * 86_400 },
  { label: "30 days", seconds: 30 * 86_400 },
];
