"use client";

// The run page of a run that records: its events streamed into the page (the cycle view's stream),
// and its cycles computed from them. Given only once the stream has caught up with what the run
// held when the page opened, so a half-read run never shows as fewer cycles than it has.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { TraceEvent } from "@/lib/trace/types";
import { cycleQueries } from "./cycle/queries";
import { useRunEventStream } from "./cycle/use-run-event-stream";
import { liveRun, type LiveRun } from "./live-run-diagram";

/**
 * Past this many events at opening, the page does not hold the whole run: it reads its drawing
 * from the server instead (a long-lived live run can have hundreds of thousands).
 */
const STREAM_MAX_EVENTS = 20_000;

export function useLiveRun(runId: string, recording: boolean, eventCount: number | undefined): LiveRun | null {
  // Seqs are gap-free from 1, so the stream has caught up once it holds the count seen at opening.
  const [openedWith, setOpenedWith] = useState(eventCount);
  if (openedWith === undefined && eventCount !== undefined) setOpenedWith(eventCount);
  const enabled = recording && openedWith !== undefined && openedWith <= STREAM_MAX_EVENTS;
  useRunEventStream(runId, enabled);
  const streamed = useQuery({ ...cycleQueries.liveEvents(runId), enabled });
  const events = streamed.data;
  const caughtUp = openedWith !== undefined && events !== undefined && events.length > 0 && lastSeq(events) >= openedWith;
  return useMemo(() => (enabled && caughtUp && events ? liveRun(runId, events) : null), [enabled, caughtUp, events, runId]);
}

/** The stream's events are kept sorted by seq (mergeEvents). */
function lastSeq(events: readonly TraceEvent[]): number {
  return events[events.length - 1].seq;
}
