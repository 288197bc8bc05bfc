// Query options and requests of the dashboard (home page and run page) beyond the shared ones in
// app/_queries/resources.ts. Keys start like the shared ones, so invalidating ["runs"] covers them.
import { queryOptions } from "@tanstack/react-query";
import { fetchJson, uploadJson, type UploadProgress } from "@/app/_queries/fetch-json";
import type { CycleInfo, RunInfo, TraceBundle } from "@/lib/trace/types";
import { runListSearch, type RunFilter } from "./run-filter";

/** How many runs the dashboard lists (newest first). */
export const DASHBOARD_RUN_LIMIT = 50;
/** While a run records, how often its status and event count are read again. */
export const PROGRESS_POLL_MS = 500;
/** While the list shows a run that records, how often the list is read again. */
export const LIVE_LIST_POLL_MS = 1000;

export type RunSpeed = "instant" | "realtime" | number;

export interface StartRunInput {
  /** A built-in scenario's name or an uploaded scenario object. */
  scenario: string | Record<string, unknown>;
  seed?: number;
  speed: RunSpeed;
}

export interface StartedRun {
  run: RunInfo;
  /** Empty for a paced run, which is still recording when the answer comes. */
  cycles: CycleInfo[];
}

export function filteredRunListKey(filter: RunFilter) {
  return ["runs", "list", { limit: DASHBOARD_RUN_LIMIT, name: filter.name, source: filter.source, since: filter.since }] as const;
}

export const dashboardQueries = {
  runList: (filter: RunFilter) =>
    queryOptions({
      queryKey: filteredRunListKey(filter),
      queryFn: () => fetchJson<RunInfo[]>(`/api/runs?${runListSearch(filter, DASHBOARD_RUN_LIMIT, new Date()).toString()}`),
      refetchInterval: (query) => (query.state.data?.some((run) => run.status === "running") ? LIVE_LIST_POLL_MS : false),
    }),
  /** Page `page` (0 = newest) of the filtered list, DASHBOARD_RUN_LIMIT runs a page. */
  runListPage: (filter: RunFilter, page: number) =>
    queryOptions({
      // Page 0 shares its key with runList (the server prefetches it).
      queryKey: (page === 0 ? filteredRunListKey(filter) : [...filteredRunListKey(filter), { page }]) as readonly unknown[],
      queryFn: () => {
        const params = runListSearch(filter, DASHBOARD_RUN_LIMIT, new Date());
        if (page > 0) params.set("offset", String(page * DASHBOARD_RUN_LIMIT));
        return fetchJson<RunInfo[]>(`/api/runs?${params.toString()}`);
      },
      refetchInterval: (query) => (query.state.data?.some((run) => run.status === "running") ? LIVE_LIST_POLL_MS : false),
    }),
  /** A run, read again every moment while it is still recording. */
  runProgress: (runId: string) =>
    queryOptions({
      queryKey: ["runs", runId],
      queryFn: () => fetchJson<RunInfo>(`/api/runs/${encodeURIComponent(runId)}`),
      refetchInterval: (query) => (query.state.data?.status === "running" ? PROGRESS_POLL_MS : false),
      staleTime: 0,
    }),
  /** Every event of a run (the JSON bundle), for summaries the other endpoints do not give. */
  bundle: (runId: string) =>
    queryOptions({
      queryKey: ["runs", runId, "bundle"],
      queryFn: () => fetchJson<TraceBundle>(`/api/runs/${encodeURIComponent(runId)}/export`),
    }),
};

export function startRun(input: StartRunInput): Promise<StartedRun> {
  return fetchJson<StartedRun>("/api/runs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
}

/**
 * Sends a bundle file as it is. The server checks and stores each event as the upload brings it
 * (reading no faster than it writes), so the bytes sent say how far the import has got.
 */
export function importRun(file: Blob, onProgress?: (progress: UploadProgress) => void): Promise<{ run: RunInfo }> {
  return uploadJson<{ run: RunInfo }>("/api/runs/import", file, onProgress);
}
