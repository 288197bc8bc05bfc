"use client";

// The events of the cycle on screen. A finished run's cycle is read as stored; a running run's
// events stream in, its cycles are computed in the browser, and the selection is written into the
// same query the finished case reads — so the view has one source and, when the run ends, keeps
// showing the live data while the stored cycle is fetched again.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";
import { queries } from "../../_queries/resources";
import { selectLiveCycle } from "./live-events";
import { cycleQueries, type CycleSelection } from "./queries";
import { useRunEventStream, type StreamStatus } from "./use-run-event-stream";

export interface CycleData {
  run: RunInfo | undefined;
  /** True while the run records (the diagram grows). */
  live: boolean;
  stream: StreamStatus;
  cycle: CycleInfo | null;
  /** Cycles of the run (computed live while it records). */
  cycles: CycleInfo[] | undefined;
  events: TraceEvent[] | undefined;
  /** Loading the first data. */
  pending: boolean;
  error: unknown;
}

export function useCycleData(runId: string, actorId: string, ordinal: number): CycleData {
  const queryClient = useQueryClient();
  const run = useQuery(queries.run(runId));
  const live = run.data?.status === "running";
  const stream = useRunEventStream(runId, live);
  const liveEvents = useQuery({ ...cycleQueries.liveEvents(runId), enabled: live });
  const selection = useQuery({ ...cycleQueries.selection(runId, actorId, ordinal), enabled: run.isSuccess && !live });
  const cycles = useQuery({ ...queries.cycles(runId), enabled: !live });

  const liveSelection = useMemo(
    () => (live && liveEvents.data ? selectLiveCycle(runId, liveEvents.data, actorId, ordinal) : null),
    [live, liveEvents.data, runId, actorId, ordinal],
  );

  useEffect(() => {
    if (!liveSelection) return;
    queryClient.setQueryData(queries.cycles(runId).queryKey, liveSelection.cycles);
    if (liveSelection.cycle) {
      const data: CycleSelection = { events: liveSelection.events, actorId, cycle: liveSelection.cycle };
      queryClient.setQueryData(cycleQueries.selection(runId, actorId, ordinal).queryKey, data);
    }
  }, [liveSelection, queryClient, runId, actorId, ordinal]);

  const current = liveSelection?.cycle ? { events: liveSelection.events, cycle: liveSelection.cycle } : selection.data;
  return {
    run: run.data,
    live,
    stream,
    cycle: current?.cycle ?? null,
    cycles: liveSelection?.cycles ?? cycles.data,
    events: current?.events,
    pending: current === undefined && !run.isError && !selection.isError,
    error: run.error ?? selection.error ?? null,
  };
}
