"use client";
// Recording a real Rivet engine from the dashboard: starts a recording proxy in this server (the
// same as `wakeline record`), shows where to point clients and how to send the engine's traces,
// and stops it, which adds the engine's workflow histories to the run.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ErrorState } from "@/components/QueryStates";
import { runHref } from "@/components/RunCard";
import type { ActiveRecording, StoppedRecording } from "@/lib/services/real-recordings";
import { fetchJson } from "../_queries/fetch-json";

const RECORDINGS_KEY = ["recordings"] as const;

export function RecordRealEngine() {
  const queryClient = useQueryClient();
  const [engineUrl, setEngineUrl] = useState("http://127.0.0.1:6420");
  const [dataDir, setDataDir] = useState("");
  const recordings = useQuery({ queryKey: RECORDINGS_KEY, queryFn: () => fetchJson<ActiveRecording[]>("/api/recordings") });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: RECORDINGS_KEY });
    await queryClient.invalidateQueries({ queryKey: ["runs", "list"] });
  };
  const start = useMutation({
    mutationFn: (input: { engineUrl: string; dataDir?: string }) =>
      fetchJson<ActiveRecording>("/api/recordings", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) }),
    onSuccess: refresh,
  });
  const stop = useMutation({
    mutationFn: (runId: string) => fetchJson<StoppedRecording>(`/api/recordings/${encodeURIComponent(runId)}`, { method: "DELETE" }),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({ engineUrl: engineUrl.trim(), ...(dataDir.trim() ? { dataDir: dataDir.trim() } : {}) });
  };

  return (
    <>
      <form className="scenario-form" onSubmit={submit} aria-label="Record a real engine">
        <div className="field">
          <label htmlFor="record-engine-url">Engine URL (gateway and API)</label>
          <input id="record-engine-url" type="url" required value={engineUrl} onChange={(event) => setEngineUrl(event.target.value)} aria-describedby="record-engine-help" />
          <small id="record-engine-help" className="help">
            A proxy in front of it records every hop, as <code>wakeline record</code> does.
          </small>
        </div>
        <div className="field">
          <label htmlFor="record-engine-data">Engine data folder (optional)</label>
          <input id="record-engine-data" value={dataDir} placeholder="as the engine's config says" onChange={(event) => setDataDir(event.target.value)} aria-describedby="record-engine-data-help" />
          <small id="record-engine-data-help" className="help">
            Where its workflow histories are read when the recording stops (else RIVET__FILE_SYSTEM__PATH or its config).
          </small>
        </div>
        <button type="submit" disabled={start.isPending}>
          {start.isPending ? "Starting…" : "Start recording"}
        </button>
      </form>
      {start.isError && (
        <p className="form-error" role="alert">
          The recording did not start: {start.error.message}
        </p>
      )}
      {recordings.isError && <ErrorState title="The recordings could not be listed." error={recordings.error} />}
      {recordings.data && recordings.data.length > 0 && (
        <ul aria-label="Recordings in progress">
          {recordings.data.map((recording) => (
            <li key={recording.runId} data-testid="recording">
              <p>
                Recording <Link href={runHref(recording.runId)}>{recording.name}</Link>: point clients at <code>{recording.proxyUrl}</code> instead of{" "}
                <code>{recording.engineUrl}</code>.
              </p>
              <p className="muted">Traces: {recording.traces}.</p>
              <button type="button" onClick={() => stop.mutate(recording.runId)} disabled={stop.isPending}>
                {stop.isPending && stop.variables === recording.runId ? "Stopping…" : "Stop and add histories"}
              </button>
            </li>
          ))}
        </ul>
      )}
      {stop.isError && (
        <p className="form-error" role="alert">
          The recording did not stop cleanly: {stop.error.message}
        </p>
      )}
      {stop.isSuccess && (
        <p className="form-success" role="status" data-testid="recording-result">
          Recorded <Link href={runHref(stop.data.run.id)}>{stop.data.run.name}</Link>: {stop.data.run.eventCount} events, {stop.data.cycles.length} cycle(s), from{" "}
          {stop.data.sources.join(" + ")}.{stop.data.warnings.length > 0 && ` ${stop.data.warnings.join("; ")}.`}
        </p>
      )}
    </>
  );
}
