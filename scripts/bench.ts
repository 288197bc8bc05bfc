// Benchmark: prints figures for the engine, the recorder and the diagram builder, each as a ratio
// against a baseline measured in the same run on the same machine (so the figures compare across
// machines). Run with `npm run bench`. Not a test: nothing here asserts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { buildFlow, renderMermaid } from "../lib/diagram";
import { createRecorder } from "../lib/recorder";
import { loadScenario, parseScenario, runScenario } from "../lib/runtime";
import { closeDb, openDb } from "../lib/store/db";
import type { TraceEvent } from "../lib/trace/types";

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function record(name: string, events: number, ms: number, baselineMs: number, note: string) {
  const perSecond = Math.round((events / ms) * 1000);
  console.log(`${name.padEnd(28)} ${String(events).padStart(7)} events  ${ms.toFixed(1).padStart(9)} ms  ${String(perSecond).padStart(9)} ev/s  ×${(ms / baselineMs).toFixed(2).padStart(7)} of baseline (${note})`);
}

/** A scenario that records many events: many requests to one actor that stays awake. */
function busyScenario(requests: number) {
  return parseScenario({
    name: "bench-busy",
    durationMs: requests * 2 + 1_000,
    config: { timing: { sleepTimeoutMs: 3_600_000 } },
    pools: [{ name: "default", requestLifespan: 3_600 }],
    actors: [{ id: "actor-1" }],
    steps: Array.from({ length: requests }, (_, i) => ({ at: 10 + i * 2, request: { actor: "actor-1", path: "/" } })),
  });
}

async function main() {
  const requests = Number(process.argv[2] ?? 2_000);
  console.log(`Wakeline benchmark — node ${process.version}, ${os.cpus().length} cores, ${requests} requests\n`);

  // Engine: events recorded per second, against building the same number of plain objects.
  const scenario = busyScenario(requests);
  runScenario(loadScenario("messy"), { seed: 1, sink: () => {} }); // warm-up
  const events: TraceEvent[] = [];
  const engine = time(() => runScenario(scenario, { seed: 1, sink: (e) => events.push(e) }));
  const baselineObjects = time(() => events.map((e) => ({ ...e, payload: e.payload })));
  record("engine (virtual clock)", events.length, engine.ms, baselineObjects.ms, "baseline: copying the events");

  // Memory held per recorded event.
  const heapPerEvent = (process.memoryUsage().heapUsed / events.length / 1024).toFixed(2);
  console.log(`${"heap after the engine run".padEnd(28)} ${heapPerEvent} KiB per recorded event\n`);

  // Recorder: batched Prisma writes, against raw better-sqlite3 inserts of the same rows.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-bench-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  const db = await openDb(url);
  const recorded = await timeAsync(async () => {
    const recorder = await createRecorder(db, { name: "bench", source: "scenario", seed: 1 });
    for (const event of events) recorder.record(event);
    return recorder.finish();
  });
  const raw = new Database(path.join(dir, "raw.db"));
  raw.exec("CREATE TABLE e (runId TEXT, seq INT, time REAL, kind TEXT, type TEXT, label TEXT, payload TEXT, PRIMARY KEY (runId, seq))");
  const insert = raw.prepare("INSERT INTO e VALUES (?, ?, ?, ?, ?, ?, ?)");
  const rawInsert = time(() => raw.transaction(() => events.forEach((e) => insert.run("r", e.seq, e.time, e.kind, e.type, e.label, JSON.stringify(e.payload))))());
  record("recorder (SQLite, Prisma)", events.length, recorded.ms, rawInsert.ms, "baseline: raw better-sqlite3 inserts");
  raw.close();
  await closeDb(url);
  fs.rmSync(dir, { recursive: true, force: true });

  // Diagram: flow + Mermaid text for the whole selection, against JSON-encoding it.
  const diagram = time(() => renderMermaid(buildFlow(events, { detail: "full" })));
  const json = time(() => JSON.stringify(events));
  record("diagram (full detail)", events.length, diagram.ms, json.ms, "baseline: JSON.stringify of the events");
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
