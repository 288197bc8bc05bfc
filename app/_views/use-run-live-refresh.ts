"use client";

// The run page while its run records: the run's event stream (woken by each committed batch on the
// server) says when something new was recorded, and the page reads its diagram again right then
// instead of on a slow timer (the tables of cycles and actors keep their one-second poll: each read
// of them goes through the whole live run). Reads are at most one per REFRESH_EVERY_MS.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

const REFRESH_EVERY_MS = 50;
const GROWING = new Set(["diagram", "events"]);

export function useRunLiveRefresh(runId: string, recording: boolean, fromSeq: number): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!recording || typeof EventSource === "undefined") return;
    let timer: number | null = null;
    const refresh = () => {
      timer = null;
      void queryClient.invalidateQueries({
        predicate: (query) =>
          query.queryKey[0] === "runs" && query.queryKey[1] === runId && GROWING.has(String(query.queryKey[2])) && query.queryKey[3] !== "live",
      });
    };
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events/stream?after=${fromSeq}`);
    const onNews = () => {
      timer ??= window.setTimeout(refresh, REFRESH_EVERY_MS);
    };
    source.onmessage = onNews;
    source.addEventListener("status", () => {
      onNews();
      source.close();
    });
    return () => {
      source.close();
      if (timer !== null) window.clearTimeout(timer);
    };
    // fromSeq only places the first connection; a later count must not reconnect the stream.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId, recording, queryClient]);
}
