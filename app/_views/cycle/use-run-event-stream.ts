"use client";

// Streams a running run's events (server-sent events) into the query cache. The browser's
// EventSource reconnects by itself after a dropped connection and resumes with Last-Event-ID; when
// it gives up (the server answered with an error) we reconnect ourselves after the highest seq held.
// Either way events are merged by seq, so nothing is lost and nothing is counted twice.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { RunInfo, TraceEvent } from "@/lib/trace/types";
import { queries } from "../../_queries/resources";
import { mergeEvents, resumeSeq } from "./live-events";
import { cycleQueries, eventStreamUrl } from "./queries";

export type StreamStatus = "idle" | "connecting" | "live" | "reconnecting" | "ended" | "failed";

/**
 * Events are applied to the cache this long after the first of a batch arrives: long enough for
 * the rest of one committed batch (its messages are dispatched one task each) to join it, short
 * enough to add nothing noticeable to how soon the event is drawn. The drawing itself coalesces
 * whatever arrives while it is busy (MermaidDiagram draws only the newest text next).
 */
const APPLY_EVERY_MS = 4;
const RECONNECT_BASE_MS = 1_000;
const RECONNECT_MAX_MS = 15_000;
const MAX_RECONNECTS = 20;

export function useRunEventStream(runId: string, enabled: boolean): StreamStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>("idle");

  useEffect(() => {
    if (!enabled) return;
    const key = cycleQueries.liveEvents(runId).queryKey;
    let source: EventSource | null = null;
    let pending: TraceEvent[] = [];
    let applyTimer: number | null = null;
    let reconnectTimer: number | null = null;
    let reconnects = 0;
    let stopped = false;

    const apply = () => {
      applyTimer = null;
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      queryClient.setQueryData<TraceEvent[]>(key, (old) => mergeEvents(old, batch));
    };

    const close = () => {
      source?.close();
      source = null;
    };

    const connect = () => {
      reconnectTimer = null;
      if (stopped) return;
      apply();
      setStatus(reconnects === 0 ? "connecting" : "reconnecting");
      const stream = new EventSource(eventStreamUrl(runId, resumeSeq(queryClient.getQueryData<TraceEvent[]>(key))));
      source = stream;
      stream.onopen = () => {
        reconnects = 0;
        setStatus("live");
      };
      stream.onmessage = (message: MessageEvent<string>) => {
        pending.push(JSON.parse(message.data) as TraceEvent);
        applyTimer ??= window.setTimeout(apply, APPLY_EVERY_MS);
      };
      stream.addEventListener("status", (message) => {
        apply();
        close();
        setStatus("ended");
        const run = JSON.parse((message as MessageEvent<string>).data) as RunInfo;
        queryClient.setQueryData(queries.run(runId).queryKey, run);
        // Cycles are stored now: everything derived from the run is fetched again.
        void queryClient.invalidateQueries({
          queryKey: ["runs", runId],
          predicate: (query) => query.queryKey[3] !== "live",
        });
        void queryClient.invalidateQueries({ queryKey: queries.runList().queryKey });
      });
      stream.onerror = () => {
        if (stream.readyState !== EventSource.CLOSED) {
          // The browser reconnects by itself (with Last-Event-ID).
          setStatus("reconnecting");
          return;
        }
        close();
        if (++reconnects > MAX_RECONNECTS) {
          setStatus("failed");
          return;
        }
        setStatus("reconnecting");
        const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.min(reconnects - 1, 4));
        reconnectTimer = window.setTimeout(connect, delay);
      };
    };

    connect();
    return () => {
      stopped = true;
      close();
      if (applyTimer !== null) window.clearTimeout(applyTimer);
      if (reconnectTimer !== null) window.clearTimeout(reconnectTimer);
      apply();
    };
  }, [enabled, queryClient, runId]);

  // "ended" outlives the stream: the page says the run finished after it stops being live.
  return enabled || status === "ended" ? status : "idle";
}
