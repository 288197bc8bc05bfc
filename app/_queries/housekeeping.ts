// A run's share links (listed and revoked on its page) and deleting a run. Owners only.
import { queryOptions } from "@tanstack/react-query";
import type { ShareLinkListing } from "@/lib/services/share-links";
import { fetchJson } from "./fetch-json";

export type ShareLinkRow = ShareLinkListing & { url: string };

export const housekeepingQueries = {
  shareLinks: (runId: string) =>
    queryOptions({
      queryKey: ["runs", runId, "share-links"],
      queryFn: () => fetchJson<ShareLinkRow[]>(`/api/runs/${encodeURIComponent(runId)}/share-links`),
    }),
};

export function revokeShareLink(token: string): Promise<ShareLinkRow> {
  return fetchJson<ShareLinkRow>(`/api/share/${encodeURIComponent(token)}`, { method: "DELETE" });
}

export function deleteRun(runId: string): Promise<{ id: string; deleted: true }> {
  return fetchJson(`/api/runs/${encodeURIComponent(runId)}`, { method: "DELETE" });
}
