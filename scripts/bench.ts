// Benchmark: prints figures for the engine, the recorder and the diagram builder, each as a ratio
// against a baseline measured in the same run on the same machine (so the figures compare across
// machines). Run with `npm run bench [-- <requests, default 2000> <requests of the large scenario,
// default 32000>]`. Not a test: nothing here asserts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { buildFlow, renderMermaid } from "../lib/diagram";
import { createRecorder } from "../lib/recorder";
import { loadScenario, parseScenario, runScenario } from "../lib/runtime";
import { runScenario as recordScenario } from "../lib/services/runs";
import { closeDb, openDb, type Db } from "../lib/store/db";
import { eventWriterFor, PrismaEventWriter, registerEventWriter } from "../lib/store/event-writer";
import { migrationsDir } from "../lib/store/location";
import { eventToRow } from "../lib/store/mappers";
import { migrateSqlite, readMigrationFiles } from "../lib/store/migrate";
import { computeCycles } from "../lib/trace/cycles";
import type { TraceEvent } from "../lib/trace/types";
import { benchPostgresRecorder } from "./bench-postgres-recorder";
import { time, timeAsync } from "./bench-timing";

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

/** Records the events as a scenario run does; returns the time its finish took. */
async function recordAll(db: Db, events: TraceEvent[]): Promise<number> {
  const recorder = createRecorder(db, { name: "bench", source: "scenario", seed: 1 });
  // As the runtime hands them over: a slice of events, then a turn of the loop for the writes.
  for (let i = 0; i < events.length; i += 2_000) {
    for (const event of events.slice(i, i + 2_000)) recorder.record(event);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await recorder.flush();
  return (await timeAsync(() => recorder.finish())).ms;
}

/** How the raw baseline indexes its rows for search. */
type RawSearchIndex = "one-insert" | "per-row-trigger" | "none";

/**
 * The same rows, with their cycle ids, inserted by one prepared statement in one transaction.
 * The search index: "one-insert" indexes them all in one INSERT … SELECT in that transaction (the
 * cheapest way SQLite offers, and the baseline); "per-row-trigger" indexes each row from an insert
 * trigger (the former write path); "none" leaves them unindexed, to show what indexing costs.
 */
function rawInserts(file: string, events: TraceEvent[], searchIndex: RawSearchIndex): { ms: number } {
  migrateSqlite(file, readMigrationFiles(migrationsDir("sqlite")));
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  if (searchIndex === "per-row-trigger") {
    raw.exec(`CREATE TRIGGER "Event_search_each" AFTER INSERT ON "Event" BEGIN
      INSERT INTO "EventSearch"(rowid, "label", "payload") VALUES (new.rowid, new."label", new."payload"); END`);
  }
  raw.prepare(`INSERT INTO "Run" ("id", "name", "source", "status", "eventCount", "startedAt") VALUES ('r', 'raw', 'scenario', 'running', 0, 0)`).run();
  const { cycleOf } = computeCycles("r", events);
  const rows = events.map((event) => ({ ...eventToRow("r", event), cycleId: cycleOf.get(event.seq) ?? null }));
  const columns = Object.keys(rows[0]) as (keyof (typeof rows)[number])[];
  const insert = raw.prepare(`INSERT INTO "Event" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
  const index = raw.prepare(`INSERT INTO "EventSearch"(rowid, "label", "payload") SELECT rowid, "label", "payload" FROM "Event"`);
  const values = rows.map((row) => columns.map((c) => (typeof row[c] === "boolean" ? (row[c] ? 1 : 0) : (row[c] ?? null))));
  const ms = time(() =>
    raw.transaction(() => {
      values.forEach((v) => insert.run(v));
      if (searchIndex === "one-insert") index.run();
    })(),
  ).ms;
  raw.close();
  return { ms };
}

async function main() {
  const requests = Number(process.argv[2] ?? 2_000);
  const largeRequests = Number(process.argv[3] ?? 32_000);
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

  // Recorder: the real recording path (recorder → prepared statements in short transactions, cycles
  // tracked as it goes) against the store's own speed: raw better-sqlite3 prepared inserts of the
  // same rows (cycle ids included) in one transaction, into the same schema (a database migrated
  // like Wakeline's: the same indexes), indexed for search in one statement, in WAL mode.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-bench-"));
  try {
    const rawInsert = rawInserts(path.join(dir, "raw.db"), events, "one-insert");
    const unindexed = rawInserts(path.join(dir, "raw-unindexed.db"), events, "none");
    const perRow = rawInserts(path.join(dir, "raw-per-row.db"), events, "per-row-trigger");
    record("raw inserts, no search index", events.length, unindexed.ms, rawInsert.ms, "the same rows left out of the search index");
    record("raw inserts, indexed per row", events.length, perRow.ms, rawInsert.ms, "the insert trigger indexing each row");
    const db = await openDb(`file:${path.join(dir, "bench.db")}`);
    // Its connection opened and statements prepared before the clock starts, as the baseline's are.
    await eventWriterFor(db).warm?.();
    const recorded = await timeAsync(() => recordAll(db, events));
    record("recorder (SQLite)", events.length, recorded.ms, rawInsert.ms, "baseline: raw prepared inserts, same schema");
    // The former write path, through Prisma's driver adapter, for comparison.
    const viaPrisma = await openDb(`file:${path.join(dir, "prisma.db")}`);
    registerEventWriter(viaPrisma, new PrismaEventWriter(viaPrisma));
    const prisma = await timeAsync(() => recordAll(viaPrisma, events));
    record("recorder through Prisma", events.length, prisma.ms, rawInsert.ms, "baseline: raw prepared inserts, same schema");
    console.log(`${"  of which finishing".padEnd(28)} ${recorded.value.toFixed(1).padStart(26)} ms (cycles completed and stored, run ended)\n`);
    if (process.env.WAKELINE_TEST_POSTGRES_URL) {
      const pg = await benchPostgresRecorder(events, recordAll);
      record("raw unnest inserts (PG)", events.length, pg.rawMs, pg.rawMs, "baseline: one transaction, same schema");
      record("recorder (PostgreSQL)", events.length, pg.recordedMs, pg.rawMs, "baseline: raw unnest inserts, same schema");
      console.log("");
    } else {
      console.log("(set WAKELINE_TEST_POSTGRES_URL to a PostgreSQL server to measure the recorder there too)\n");
    }

    // A large scenario as `wakeline scenario run` records it (engine in slices, every event written,
    // cycles stored), against the engine alone on the same scenario.
    const large = busyScenario(largeRequests);
    const engineOnly = time(() => runScenario(large, { seed: 1, sink: () => {} }));
    const whole = await timeAsync(() => recordScenario(db, { scenario: large, seed: 1 }));
    console.log(
      `${`${largeRequests}-request scenario`.padEnd(28)} ${String(whole.value.run.eventCount).padStart(7)} events  record ${(whole.ms / 1000).toFixed(2)} s vs engine ${(engineOnly.ms / 1000).toFixed(2)} s  ×${(whole.ms / engineOnly.ms).toFixed(2)} of engine time\n`,
    );
  } finally {
    await closeDb(`file:${path.join(dir, "bench.db")}`);
    await closeDb(`file:${path.join(dir, "prisma.db")}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // Diagram: flow + Mermaid text for the whole selection, against JSON-encoding it.
  const diagram = time(() => renderMermaid(buildFlow(events, { detail: "full" })));
  const json = time(() => JSON.stringify(events));
  record("diagram (full detail)", events.length, diagram.ms, json.ms, "baseline: JSON.stringify of the events");
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
