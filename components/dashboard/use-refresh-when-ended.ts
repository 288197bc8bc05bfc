"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

/**
 * While a run records, its views poll; when it ends, its cycles are stored for good. Reads
 * everything about the run once more at that moment, so no view keeps a last in-progress answer.
 */
export function useRefreshWhenEnded(runId: string, recording: boolean): void {
  const queryClient = useQueryClient();
  const wasRecording = useRef(recording);
  useEffect(() => {
    if (wasRecording.current && !recording) void queryClient.invalidateQueries({ queryKey: ["runs", runId] });
    wasRecording.current = recording;
  }, [recording, runId, queryClient]);
}
