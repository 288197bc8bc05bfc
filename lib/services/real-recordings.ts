// Recording a real Rivet engine, as the CLI (`wakeline record`) and the dashboard both do it: a
// recording proxy in front of the engine, an OTLP receiver for its traces, and at the end the
// engine's workflow histories joined to the wire (or the wire alone when they cannot be read).
// The dashboard's recordings live in the server process until stopped. server.ts provides them to
// the route handlers through globalThis (`provideDashboardRecordings`), so the Next.js bundle never
// loads the proxy, the history reader or the OTLP receiver itself.
import type { EngineCliReaderOptions } from "@/lib/history/engine-cli-reader";
import type { ImportResult } from "@/lib/history/import";
import type { HistoryReader } from "@/lib/history/types";
import type { OtlpReceiver } from "@/lib/otlp/receiver";
import type { SpanTiming } from "@/lib/otlp/timing";
import type { Recording } from "@/lib/proxy/recording";
import type { Db } from "@/lib/store/db";
import type { CycleInfo, RunInfo } from "@/lib/trace/types";
import { conflict, invalidInput, notFound, ServiceError } from "./errors";

// ── traces ───────────────────────────────────────────────────────────────────

export interface TraceIntake {
  receiver: OtlpReceiver;
  /** Closes the receiver (after the engine's last batch) and times what the spans say. */
  stop(): Promise<SpanTiming>;
}

/** The engine exports spans in batches every 5 s once they end: the last requests' are on their way when recording stops. */
const TRACE_LINGER_MS = 6_000;

/**
 * An OTLP receiver (gRPC, as rivet-engine exports, and HTTP). A port already taken is a warning,
 * not a failure: a recording does not need traces.
 */
export async function startTraceIntake(options: { host: string; grpcPort?: number; httpPort?: number; warn(message: string): void }): Promise<TraceIntake | null> {
  const [{ startOtlpReceiver, DEFAULT_OTLP_GRPC_PORT, DEFAULT_OTLP_HTTP_PORT }, { SpanLog, spanTiming }] = await Promise.all([import("@/lib/otlp/receiver"), import("@/lib/otlp/timing")]);
  const log = new SpanLog();
  let receiver: OtlpReceiver;
  try {
    receiver = await startOtlpReceiver({
      host: options.host,
      grpcPort: options.grpcPort ?? DEFAULT_OTLP_GRPC_PORT,
      httpPort: options.httpPort ?? DEFAULT_OTLP_HTTP_PORT,
      onSpans: (spans) => log.add(spans),
    });
  } catch (err) {
    options.warn(`engine traces not taken (${messageOf(err)})`);
    return null;
  }
  return {
    receiver,
    async stop() {
      if (log.size > 0) await new Promise((resolve) => setTimeout(resolve, TRACE_LINGER_MS));
      await receiver.close();
      return spanTiming(log.all());
    },
  };
}

export const traceInstructions = (receiver: OtlpReceiver) =>
  `start the engine with RIVET_OTEL_ENABLED=1 RIVET_OTEL_SAMPLER_RATIO=1 RIVET_OTEL_GRPC_ENDPOINT=${receiver.grpcUrl}` + (receiver.httpUrl ? ` (OTLP/HTTP: ${receiver.httpUrl}/v1/traces)` : "");

// ── histories ────────────────────────────────────────────────────────────────

/**
 * Joins the engine's workflow histories (read as rivet-engine reads its database, see
 * lib/history/data-dir.ts) to a stopped run; when they cannot be read or joined, the run still gets
 * its wire-only assembly, and `warn` says why.
 */
export async function addEngineHistory(db: Db, runId: string, reader: EngineCliReaderOptions | null, timing: SpanTiming | null, warn: (message: string) => void): Promise<ImportResult> {
  const [{ importHistory }, { openEngineCliReader }] = await Promise.all([import("@/lib/history/import"), import("@/lib/history/engine-cli-reader")]);
  let opened: HistoryReader | null = null;
  if (reader) {
    try {
      opened = await openEngineCliReader(reader);
    } catch (err) {
      warn(`workflow histories not read: ${messageOf(err)}`);
    }
  }
  try {
    return await importHistory(db, runId, opened, timing);
  } catch (err) {
    if (!opened) throw err;
    warn(`workflow histories not added: ${messageOf(err)}`);
    return importHistory(db, runId, null, timing);
  } finally {
    await opened?.close();
  }
}

// ── the dashboard's recordings ───────────────────────────────────────────────

export interface StartRecordingInput {
  engineUrl: string;
  /** Proxy port; 0 (the default here) picks a free one. */
  port?: number;
  name?: string;
  /** Take the engine's traces on the OTLP ports (default true). */
  traces?: boolean;
  /** Where the engine's database is, when the server's environment does not say. */
  dataDir?: string;
}

export interface ActiveRecording {
  runId: string;
  name: string;
  engineUrl: string;
  engineVersion: string | null;
  proxyUrl: string;
  startedAt: string;
  /** How to send the engine's traces, or why none are taken. */
  traces: string;
}

export interface StoppedRecording {
  run: RunInfo;
  cycles: CycleInfo[];
  sources: string[];
  warnings: string[];
}

interface Entry {
  info: ActiveRecording;
  recording: Recording;
  intake: TraceIntake | null;
  dataDir: string | undefined;
}

const REGISTRY = Symbol.for("wakeline.real-engine-recordings");
const registry = (): Map<string, Entry> => ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= new Map<string, Entry>()) as Map<string, Entry>;

export async function startDashboardRecording(db: Db, input: StartRecordingInput): Promise<ActiveRecording> {
  if (!/^https?:\/\/[^/]+/.test(input.engineUrl)) throw invalidInput(`the engine must be an http(s) URL, not ${JSON.stringify(input.engineUrl)}`, "invalid_engine_url");
  const { startRecording, EngineUnreachableError } = await import("@/lib/proxy/recording");
  let recording: Recording;
  try {
    recording = await startRecording(db, { engineUrl: input.engineUrl, host: "127.0.0.1", port: input.port ?? 0, name: input.name });
  } catch (err) {
    if (err instanceof EngineUnreachableError) throw new ServiceError("engine_unreachable", 422, err.message);
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") throw conflict(`port ${input.port} is in use`, "port_in_use");
    throw err;
  }
  const warnings: string[] = [];
  const intake = input.traces === false ? null : await startTraceIntake({ host: "127.0.0.1", warn: (message) => warnings.push(message) });
  const info: ActiveRecording = {
    runId: recording.run.id,
    name: recording.run.name,
    engineUrl: input.engineUrl,
    engineVersion: recording.metadata.version,
    proxyUrl: recording.proxy.url,
    startedAt: new Date().toISOString(),
    traces: intake ? traceInstructions(intake.receiver) : (warnings[0] ?? "traces are not taken"),
  };
  registry().set(info.runId, { info, recording, intake, dataDir: input.dataDir });
  return info;
}

export function listDashboardRecordings(): ActiveRecording[] {
  return [...registry().values()].map((entry) => entry.info);
}

/** Stops the proxy, ends the run and adds the engine's histories (and traces) to it. */
export async function stopDashboardRecording(db: Db, runId: string): Promise<StoppedRecording> {
  const entry = registry().get(runId);
  if (!entry) throw notFound(`no recording of run ${runId} is running here`, "recording_not_found");
  registry().delete(runId);
  await entry.recording.stop();
  const timing = entry.intake ? await entry.intake.stop() : null;
  const warnings: string[] = [];
  const result = await addEngineHistory(db, runId, { dataDir: entry.dataDir }, timing, (message) => warnings.push(message));
  return { run: result.run, cycles: result.cycles, sources: result.sources, warnings };
}

/** Server shutdown: every recording ends as finished, with its wire events (no history import). */
export async function stopAllDashboardRecordings(): Promise<void> {
  const entries = [...registry().values()];
  registry().clear();
  await Promise.all(entries.map(async (entry) => {
    await entry.recording.stop().catch(() => undefined);
    await entry.intake?.receiver.close().catch(() => undefined);
  }));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ── the bridge to the route handlers ─────────────────────────────────────────

export interface DashboardRecordings {
  start: typeof startDashboardRecording;
  list: typeof listDashboardRecordings;
  stop: typeof stopDashboardRecording;
}

export const DASHBOARD_RECORDINGS = Symbol.for("wakeline.dashboard-recordings");

/** Called by server.ts: the dashboard's routes reach the recordings through this. */
export function provideDashboardRecordings(): void {
  const service: DashboardRecordings = { start: startDashboardRecording, list: listDashboardRecordings, stop: stopDashboardRecording };
  (globalThis as Record<symbol, unknown>)[DASHBOARD_RECORDINGS] = service;
}
