// The two engines a fidelity run drives: the embedded engine (startServer, engine only, a temporary
// database) and the real Rivet engine (the engine-cli binary on loopback, in a temporary data
// folder) behind the recording proxy, whose run gets the engine's workflow histories at the end.
import { openEngineCliReader } from "@/lib/history/engine-cli-reader";
import { importHistory } from "@/lib/history/import";
import { startRecording, type Recording } from "@/lib/proxy/recording";
import { startRealEngine, type RealEngine } from "@/lib/proxy/testing/real-engine";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { findRun, loadCycles, loadEvents } from "@/lib/store/trace-store";
import { startServer, type RunningServer } from "@/server";
import { engineCalls, type EngineCalls } from "./engine-calls";
import type { RecordedSide, SideName } from "./types";

export interface EngineSide {
  name: SideName;
  calls: EngineCalls;
  engineVersion: string;
  /** Ends the recording (the real side adds the workflow histories) and reads it back. */
  finish(): Promise<RecordedSide>;
  /** Stops the engine and removes its temporary files (after finish, or instead of it). */
  close(): Promise<void>;
}

/** The real engine's serverless drain grace (ms): short, so a pool drain happens within seconds. */
export const REAL_SERVERLESS_DRAIN_GRACE_MS = 1000;

export async function startEmbeddedSide(): Promise<EngineSide> {
  const temp = await createTempDb();
  let server: RunningServer | null = await startServer({ port: 0, hostname: "127.0.0.1", ui: false, databaseUrl: temp.url, engine: { demoActor: false, defaultPool: null } });
  const running = server;
  const engineVersion = String((await engineCalls(running.url).api("GET", "/metadata")).body?.version ?? "unknown");
  return {
    name: "embedded",
    calls: engineCalls(running.url),
    engineVersion,
    async finish() {
      const runId = running.session.runId;
      await server?.close();
      server = null;
      return readBack("embedded", temp, runId, engineVersion, null);
    },
    async close() {
      await server?.close();
      server = null;
      await temp.cleanup();
    },
  };
}

export async function startRealSide(): Promise<EngineSide> {
  const [engine, temp]: [RealEngine, TempDb] = await Promise.all([startRealEngine({ pegboard: { serverless_drain_grace_period: REAL_SERVERLESS_DRAIN_GRACE_MS } }), createTempDb()]);
  let recording: Recording;
  try {
    recording = await startRecording(temp.db, { engineUrl: engine.url });
  } catch (err) {
    await engine.stop();
    await temp.cleanup();
    throw err;
  }
  const engineVersion = recording.metadata.version ?? "unknown";
  return {
    name: "real",
    calls: engineCalls(recording.proxy.url),
    engineVersion,
    async finish() {
      await recording.stop();
      let importError: string | null = null;
      try {
        const reader = await openEngineCliReader({ dataDir: engine.dataDir, engineBin: engine.bin });
        try {
          await importHistory(temp.db, recording.run.id, reader);
        } finally {
          await reader.close();
        }
      } catch (err) {
        importError = err instanceof Error ? err.message : String(err);
      }
      return readBack("real", temp, recording.run.id, engineVersion, importError);
    },
    async close() {
      await recording.stop().catch(() => undefined);
      await engine.stop();
      await temp.cleanup();
    },
  };
}

async function readBack(side: SideName, temp: TempDb, runId: string, engineVersion: string, importError: string | null): Promise<RecordedSide> {
  const run = await findRun(temp.db, runId);
  if (!run) throw new Error(`the ${side} side's run ${runId} is gone`);
  const [events, cycles] = await Promise.all([loadEvents(temp.db, runId), loadCycles(temp.db, runId)]);
  return { side, db: temp.db, run, events, cycles, engineVersion, importError };
}
