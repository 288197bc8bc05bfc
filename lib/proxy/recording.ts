// A recording of a real engine: the proxy in front of it, its hops recorded into a new run
// (source "real") through the ordinary recorder. The run is named after the engine's version,
// read from its `/metadata`.
import { createRecorder, type Recorder } from "@/lib/recorder";
import type { Db } from "@/lib/store/db";
import type { CycleInfo, RunInfo } from "@/lib/trace/types";
import { startRecordingProxy, type RecordingProxy, type RecordingProxyOptions } from "./proxy";
import { WireTrace } from "./trace";

export interface EngineMetadata {
  runtime: string | null;
  version: string | null;
  raw: unknown;
}

export class EngineUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineUnreachableError";
  }
}

export async function readEngineMetadata(engineUrl: string, timeoutMs = 5_000): Promise<EngineMetadata> {
  let response: Response;
  try {
    response = await fetch(`${engineUrl.replace(/\/$/, "")}/metadata`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new EngineUnreachableError(`cannot reach the engine at ${engineUrl}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await response.text();
  let raw: unknown = text;
  try {
    raw = JSON.parse(text);
  } catch {
    // not JSON
  }
  const meta = raw as { runtime?: unknown; version?: unknown } | null;
  return {
    runtime: typeof meta?.runtime === "string" ? meta.runtime : null,
    version: typeof meta?.version === "string" ? meta.version : null,
    raw,
  };
}

export interface RecordingOptions extends Omit<RecordingProxyOptions, "sink" | "startEpochMs"> {
  /** Run name (default "real engine <version>"). */
  name?: string;
}

export interface Recording {
  readonly run: RunInfo;
  readonly proxy: RecordingProxy;
  readonly recorder: Recorder;
  readonly metadata: EngineMetadata;
  /**
   * Stops the proxy and ends the run (wire events only; see lib/history for the workflows), then
   * points the runner configs the proxy rewrote back at their real URLs: after the run's end, so
   * what the engine does about that change is not part of the recording.
   */
  stop(status?: "finished" | "failed", error?: string | null): Promise<{ run: RunInfo; cycles: CycleInfo[] }>;
}

export async function startRecording(db: Db, options: RecordingOptions): Promise<Recording> {
  const metadata = await readEngineMetadata(options.engineUrl);
  const startEpochMs = WireTrace.nowEpochMs();
  let recorder: Recorder | null = null;
  let closing = false;
  const early: Parameters<Recorder["record"]>[0][] = [];
  const proxy = await startRecordingProxy({
    ...options,
    startEpochMs,
    // Sockets still closing after the run ended are not part of it.
    sink: (event) => {
      if (closing) return;
      if (recorder) recorder.record(event);
      else early.push(event);
    },
  });
  recorder = createRecorder(db, {
    name: options.name ?? `real engine ${metadata.version ?? "(unknown version)"}`,
    source: "real",
    config: { engineUrl: options.engineUrl, engineVersion: metadata.version, proxyUrl: proxy.url, originMs: startEpochMs, engineMetadata: metadata.raw },
  });
  for (const event of early) recorder.record(event);
  const active = recorder;
  // The run row is in the database before anyone learns the run's id (the store's writer may write
  // it on a thread of its own), as a paced run's and the live run's are.
  try {
    await active.flush();
  } catch (error) {
    closing = true;
    await proxy.close();
    throw error;
  }
  let stopped: Promise<{ run: RunInfo; cycles: CycleInfo[] }> | null = null;
  return {
    get run() {
      return active.run;
    },
    proxy,
    recorder: active,
    metadata,
    stop(status = "finished", error = null) {
      stopped ??= (async () => {
        await proxy.close();
        closing = true;
        const ended = await active.finish(status, error);
        await proxy.restoreRunnerConfigs().catch(() => undefined);
        return ended;
      })();
      return stopped;
    },
  };
}
