// Queries of the cycle view, sharing the ["runs", runId, …] key space of app/_queries/resources so
// that invalidating a run refreshes them too.
import { queryOptions } from "@tanstack/react-query";
import type { CycleInfo, TraceEvent } from "@/lib/trace/types";
import { fetchJson } from "../../_queries/fetch-json";
import { getQueryClient } from "../../_queries/query-client";

export interface CycleSelection {
  events: TraceEvent[];
  actorId: string | null;
  /** The cycles selected: one, or a range of consecutive ones. */
  cycles: CycleInfo[];
}

export interface CauseChain {
  /** The event itself, then its cause, and so on up to a root. */
  chain: TraceEvent[];
  truncated: boolean;
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

export const cycleQueries = {
  /**
   * The events of one cycle, or of cycles `ordinal` … `through`, as stored (a finished run) — or,
   * while the run records, as computed live.
   */
  selection: (runId: string, actorId: string, ordinal: number, through: number | null) =>
    queryOptions({
      queryKey: ["runs", runId, "events", { actor: actorId, cycle: ordinal, through: through ?? ordinal }],
      queryFn: () =>
        fetchJson<CycleSelection>(
          `/api/runs/${enc(runId)}/events?actor=${enc(actorId)}&cycle=${ordinal}${through !== null && through > ordinal ? `&through=${through}` : ""}`,
        ),
    }),
  /** Every event of a running run; filled by the live stream only (see useRunEventStream). */
  liveEvents: (runId: string) =>
    queryOptions({
      queryKey: ["runs", runId, "events", "live"],
      // Nothing to fetch: a refetch (say, after invalidating the run) keeps what was streamed.
      queryFn: async (): Promise<TraceEvent[]> =>
        getQueryClient().getQueryData<TraceEvent[]>(["runs", runId, "events", "live"]) ?? [],
      staleTime: Infinity,
      gcTime: 60_000,
    }),
  causes: (runId: string, seq: number) =>
    queryOptions({
      queryKey: ["runs", runId, "events", seq, "causes"],
      queryFn: () => fetchJson<CauseChain>(`/api/runs/${enc(runId)}/events/${seq}/causes`),
      // Recorded events never change.
      staleTime: Infinity,
    }),
};

export function eventStreamUrl(runId: string, after: number): string {
  return `/api/runs/${enc(runId)}/events/stream?after=${after}`;
}
