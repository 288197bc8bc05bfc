"use client";

// The events of the cycle (or range of cycles) on screen. A finished run's cycles are read as
// stored; a running run's events stream in, its cycles are computed in the browser, and the
// selection is written into the same query the finished case reads — so the view has one source
// and, when the run ends, keeps showing the live data while the stored cycles are fetched again.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";
import { queries } from "../../_queries/resources";
import { mergeSelections, rangeOrdinals } from "./cycle-range";
import { selectLiveCycle } from "./live-events";
import { cycleQueries, type CycleSelection } from "./queries";
import { useRunEventStream, type StreamStatus } from "./use-run-event-stream";

export interface CycleData {
  run: RunInfo | undefined;
  /** True while the run records (the diagram grows). */
  live: boolean;
  stream: StreamStatus;
  /** The cycles on screen: one, or consecutive ones; empty until known. */
  selected: CycleInfo[];
  /** All cycles of the run (computed live while it records). */
  cycles: CycleInfo[] | undefined;
  events: TraceEvent[] | undefined;
  /** Loading the first data. */
  pending: boolean;
  error: unknown;
}

/** The live selection of cycles `ordinals` of an actor, or null while the first is not known. */
function liveSelection(runId: string, events: readonly TraceEvent[], actorId: string, ordinals: number[]) {
  const parts = ordinals.map((ordinal) => selectLiveCycle(runId, events, actorId, ordinal));
  const found = parts.filter((part) => part.cycle !== null);
  if (found.length === 0) return { cycles: parts[0]?.cycles ?? [], selection: null };
  const selection: CycleSelection = {
    events: mergeSelections(found),
    actorId,
    cycles: found.map((part) => part.cycle as CycleInfo),
  };
  return { cycles: parts[0].cycles, selection };
}

export function useCycleData(runId: string, actorId: string, ordinal: number, through: number | null): CycleData {
  const queryClient = useQueryClient();
  const run = useQuery(queries.run(runId));
  const live = run.data?.status === "running";
  const stream = useRunEventStream(runId, live);
  const liveEvents = useQuery({ ...cycleQueries.liveEvents(runId), enabled: live });
  const selection = useQuery({ ...cycleQueries.selection(runId, actorId, ordinal, through), enabled: run.isSuccess && !live });
  const cycles = useQuery({ ...queries.cycles(runId), enabled: !live });

  const computed = useMemo(
    () => (live && liveEvents.data ? liveSelection(runId, liveEvents.data, actorId, rangeOrdinals(ordinal, through)) : null),
    [live, liveEvents.data, runId, actorId, ordinal, through],
  );

  useEffect(() => {
    if (!computed) return;
    queryClient.setQueryData(queries.cycles(runId).queryKey, computed.cycles);
    if (computed.selection) queryClient.setQueryData(cycleQueries.selection(runId, actorId, ordinal, through).queryKey, computed.selection);
  }, [computed, queryClient, runId, actorId, ordinal, through]);

  const current = computed?.selection ?? selection.data;
  return {
    run: run.data,
    live,
    stream,
    selected: current?.cycles ?? [],
    cycles: computed?.cycles ?? cycles.data,
    events: current?.events,
    pending: current === undefined && !run.isError && !selection.isError,
    error: run.error ?? selection.error ?? null,
  };
}
