// Benchmark: prints figures for the engine, the recorder and the diagram builder, each as a ratio
// against a baseline measured in the same run on the same machine (so the figures compare across
// machines). The recorder and its raw baseline take turns for ROUNDS rounds; each round's pair gives
// a ratio, and the median of those is the figure: one run of either varies by a third on a small
// virtual machine's disk, and the machine's speed drifts between rounds. Run with
// `npm run bench [-- <requests, default 2000> <requests of the large scenario, default 32000>]`.
// Not a test: nothing here asserts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { buildFlow, renderMermaid } from "../lib/diagram";
import { createRecorder, newRunId } from "../lib/recorder";
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
import { busyScenarioInput } from "./bench-scenarios";
import { median, time, timeAsync } from "./bench-timing";

const ROUNDS = 7;
/** Rounds of the baseline's variants, printed to show what the search index costs. */
const VARIANT_ROUNDS = 3;

/** "median (min–max)" of a series of times. */
function spread(values: number[]): string {
  return `${median(values).toFixed(1)} ms (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
}

function record(name: string, events: number, ms: number, baselineMs: number, note: string) {
  const perSecond = Math.round((events / ms) * 1000);
  console.log(`${name.padEnd(28)} ${String(events).padStart(7)} events  ${ms.toFixed(1).padStart(9)} ms  ${String(perSecond).padStart(9)} ev/s  ×${(ms / baselineMs).toFixed(2).padStart(7)} of baseline (${note})`);
}

/** A scenario that records many events: many requests to one actor that stays awake. */
const busyScenario = (requests: number) => parseScenario(busyScenarioInput("bench-busy", requests));

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
 * The same rows (a run id of the same length, the same cycle ids), inserted by one prepared
 * statement in one transaction.
 * The search index: "one-insert" indexes them all in one INSERT … SELECT in that transaction (the
 * cheapest way SQLite offers, and the baseline); "per-row-trigger" indexes each row from an insert
 * trigger (the former write path); "none" leaves them unindexed, to show what indexing costs.
 */
function rawInserts(file: string, events: TraceEvent[], searchIndex: RawSearchIndex): number {
  migrateSqlite(file, readMigrationFiles(migrationsDir("sqlite")));
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  if (searchIndex === "per-row-trigger") {
    raw.exec(`CREATE TRIGGER "Event_search_each" AFTER INSERT ON "Event" BEGIN
      INSERT INTO "EventSearch"(rowid, "label", "payload") VALUES (new.rowid, new."label", new."payload"); END`);
  }
  // An id like the recorder's: it is in every row, in four of the indexes and in each cycle id.
  const runId = newRunId();
  raw.prepare(`INSERT INTO "Run" ("id", "name", "source", "status", "eventCount", "startedAt") VALUES (?, 'raw', 'scenario', 'running', 0, 0)`).run(runId);
  const { cycleOf } = computeCycles(runId, events);
  const rows = events.map((event) => ({ ...eventToRow(runId, event), cycleId: cycleOf.get(event.seq) ?? null }));
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
  return ms;
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
  const opened: string[] = [];
  try {
    const times = { raw: [] as number[], unindexed: [] as number[], perRow: [] as number[], recorder: [] as number[], finishing: [] as number[] };
    // The recorder and its baseline in pairs, one right after the other: the ratio of each pair
    // cancels the machine's drift between rounds. The variants of the baseline come after them,
    // so the disk's write-back of their files does not stall either.
    for (let round = 0; round < ROUNDS; round++) {
      times.raw.push(rawInserts(path.join(dir, `raw-${round}.db`), events, "one-insert"));
      const url = `file:${path.join(dir, `bench-${round}.db`)}`;
      opened.push(url);
      const db = await openDb(url);
      // Its connection opened and statements prepared before the clock starts, as the baseline's are.
      await eventWriterFor(db).warm?.();
      const recorded = await timeAsync(() => recordAll(db, events));
      times.recorder.push(recorded.ms);
      times.finishing.push(recorded.value);
    }
    for (let round = 0; round < VARIANT_ROUNDS; round++) {
      times.unindexed.push(rawInserts(path.join(dir, `raw-unindexed-${round}.db`), events, "none"));
      times.perRow.push(rawInserts(path.join(dir, `raw-per-row-${round}.db`), events, "per-row-trigger"));
    }
    const rawMs = median(times.raw);
    const pairRatio = median(times.recorder.map((ms, round) => ms / times.raw[round]));
    console.log(`${ROUNDS} rounds each, medians (and ranges); baseline: raw prepared inserts, same schema, ${spread(times.raw)}`);
    record("raw inserts, no search index", events.length, median(times.unindexed), rawMs, "the same rows left out of the search index");
    record("raw inserts, indexed per row", events.length, median(times.perRow), rawMs, "the insert trigger indexing each row");
    record("recorder (SQLite)", events.length, median(times.recorder), rawMs, `${spread(times.recorder)}`);
    console.log(`${"  recorder / raw, by pair".padEnd(28)} ×${pairRatio.toFixed(2)} (median of the ${ROUNDS} rounds' ratios; target ×1.5)`);
    // The former write path, through Prisma's driver adapter, for comparison (one run: it is slow).
    const prismaUrl = `file:${path.join(dir, "prisma.db")}`;
    opened.push(prismaUrl);
    const viaPrisma = await openDb(prismaUrl);
    registerEventWriter(viaPrisma, new PrismaEventWriter(viaPrisma));
    const prisma = await timeAsync(() => recordAll(viaPrisma, events));
    record("recorder through Prisma", events.length, prisma.ms, rawMs, "one run");
    console.log(`${"  of which finishing".padEnd(28)} ${median(times.finishing).toFixed(1).padStart(26)} ms (cycles completed and stored, run ended)\n`);
    if (process.env.WAKELINE_TEST_POSTGRES_URL) {
      const pg = await benchPostgresRecorder(events, recordAll);
      record("raw unnest inserts (PG)", events.length, pg.rawMs, pg.rawMs, "baseline: one transaction, same schema");
      record("recorder (PostgreSQL)", events.length, pg.recordedMs, pg.rawMs, "baseline: raw unnest inserts, same schema");
      console.log("");
    } else {
      console.log("(set WAKELINE_TEST_POSTGRES_URL to a PostgreSQL server to measure the recorder there too)\n");
    }

    // A large scenario as `wakeline scenario run` records it (engine in slices, every event written,
    // cycles stored), against the engine alone on the same scenario; and what raw inserts of its
    // rows take, the floor of any recording into this schema.
    const large = busyScenario(largeRequests);
    const largeEvents: TraceEvent[] = [];
    const engineOnly = time(() => runScenario(large, { seed: 1, sink: (event) => largeEvents.push(event) }));
    const largeRaw = rawInserts(path.join(dir, "raw-large.db"), largeEvents, "one-insert");
    largeEvents.length = 0;
    const largeUrl = `file:${path.join(dir, "large.db")}`;
    opened.push(largeUrl);
    const largeDb = await openDb(largeUrl);
    await eventWriterFor(largeDb).warm?.();
    const whole = await timeAsync(() => recordScenario(largeDb, { scenario: large, seed: 1 }));
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `${`${largeRequests}-request scenario`.padEnd(28)} ${String(whole.value.run.eventCount).padStart(7)} events  record ${seconds(whole.ms)} vs engine ${seconds(engineOnly.ms)}  ×${(whole.ms / engineOnly.ms).toFixed(2)} of engine time`,
    );
    console.log(
      `${"  raw inserts of its rows".padEnd(28)} ${seconds(largeRaw).padStart(22)}  ×${(largeRaw / engineOnly.ms).toFixed(2)} of engine time; the recording ×${(whole.ms / largeRaw).toFixed(2)} of them\n`,
    );
  } finally {
    for (const url of opened) await closeDb(url);
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
