// Benchmark: what writing a large scenario's events costs SQLite in each way of laying them out,
// against the engine's time for the same scenario (the recording's target is under 2× of it, and
// the writer works beside the engine, on the other core). Each layout gets the same events in
// transactions of 5,000, as the recorder's writer takes them (lib/store/sqlite-event-writer.ts),
// on the same thread, timed from the first row to the last commit; medians of ROUNDS rounds.
//   rows, as stored         Wakeline's schema (its migrations): a row per event, its indexes, the
//                           search index filled at the end of each transaction
//   rows, search later      the same, the search index left for after the recording
//   rows, narrow            integer run and cycle keys, only the cycle page's indexes, no search
//   blocks                  256 consecutive events per row, JSON deflated, and which cycles and
//                           actors each block holds (what finds a cycle's blocks)
//   blocks, searchable      the same, with one search document per block
// Run with `npm run bench:layouts [-- <requests, default 32000>]`. Not a test: nothing here asserts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import Database from "better-sqlite3";
import { newRunId } from "../lib/recorder";
import { parseScenario, runScenario } from "../lib/runtime";
import { migrationsDir } from "../lib/store/location";
import { eventToRow } from "../lib/store/mappers";
import { migrateSqlite, readMigrationFiles } from "../lib/store/migrate";
import { INDEX_PENDING_EVENTS } from "../lib/store/search-index";
import { computeCycles } from "../lib/trace/cycles";
import type { TraceEvent } from "../lib/trace/types";
import { busyScenarioInput } from "./bench-scenarios";
import { median, time } from "./bench-timing";

const ROUNDS = 3;
const TRANSACTION_EVENTS = 5_000;
const BLOCK_EVENTS = 256;

type Connection = Database.Database;

/** A way of storing events: its tables, and the writing of events [from, to) in one transaction. */
interface Layout {
  name: string;
  open(file: string): Connection;
  writer(db: Connection): (from: number, to: number) => void;
}

function connect(file: string): Connection {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  return db;
}

function layouts(events: TraceEvent[]): Layout[] {
  const runId = newRunId();
  const { cycleOf } = computeCycles(runId, events);
  const rows = events.map((event) => ({ ...eventToRow(runId, event), cycleId: cycleOf.get(event.seq) ?? null }));
  const columns = Object.keys(rows[0]) as (keyof (typeof rows)[number])[];
  const bindable = rows.map((row) => columns.map((column) => (typeof row[column] === "boolean" ? (row[column] ? 1 : 0) : (row[column] ?? null))));
  const cycleKeys = new Map<string, number>();
  const cycleKey = (cycleId: string | null) => (cycleId === null ? null : (cycleKeys.get(cycleId) ?? cycleKeys.set(cycleId, cycleKeys.size + 1).size));
  const narrowColumns = columns.filter((column) => column !== "runId" && column !== "cycleId");
  const narrow = rows.map((row, i) => [7, ...narrowColumns.map((column) => bindable[i][columns.indexOf(column)]), cycleKey(row.cycleId)]);

  const asStored = (searchNow: boolean): Layout => ({
    name: searchNow ? "rows, as stored" : "rows, search later",
    open(file) {
      migrateSqlite(file, readMigrationFiles(migrationsDir("sqlite")));
      const db = connect(file);
      db.prepare(`INSERT INTO "Run" ("id", "name", "source", "status", "eventCount", "startedAt") VALUES (?, 'bench', 'scenario', 'running', 0, 0)`).run(runId);
      return db;
    },
    writer(db) {
      const insert = db.prepare(`INSERT INTO "Event" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
      const index = db.prepare(INDEX_PENDING_EVENTS);
      return (from, to) => {
        for (let i = from; i < to; i++) insert.run(bindable[i]);
        if (searchNow) index.run();
      };
    },
  });

  const narrowRows: Layout = {
    name: "rows, narrow",
    open(file) {
      const db = connect(file);
      db.exec(`CREATE TABLE "Event" ("runKey" INTEGER NOT NULL, ${narrowColumns.map((c) => `"${c}"`).join(", ")}, "cycleKey" INTEGER, PRIMARY KEY ("runKey", "seq"));
        CREATE INDEX "byActor" ON "Event" ("runKey", "actorId", "seq");
        CREATE INDEX "byCycle" ON "Event" ("cycleKey", "seq") WHERE "cycleKey" IS NOT NULL;`);
      return db;
    },
    writer(db) {
      const insert = db.prepare(`INSERT INTO "Event" VALUES (${narrow[0].map(() => "?").join(", ")})`);
      return (from, to) => {
        for (let i = from; i < to; i++) insert.run(narrow[i]);
      };
    },
  };

  const blocks = (searchable: boolean): Layout => ({
    name: searchable ? "blocks, searchable" : "blocks",
    open(file) {
      const db = connect(file);
      db.exec(`CREATE TABLE "EventBlock" ("runId" TEXT NOT NULL, "firstSeq" INTEGER NOT NULL, "lastSeq" INTEGER NOT NULL, "events" BLOB NOT NULL, PRIMARY KEY ("runId", "firstSeq")) WITHOUT ROWID;
        CREATE TABLE "BlockOf" ("runId" TEXT NOT NULL, "subject" TEXT NOT NULL, "firstSeq" INTEGER NOT NULL, PRIMARY KEY ("runId", "subject", "firstSeq")) WITHOUT ROWID;
        CREATE VIRTUAL TABLE "BlockSearch" USING fts5("text", content='');`);
      return db;
    },
    writer(db) {
      const insert = db.prepare(`INSERT INTO "EventBlock" VALUES (?, ?, ?, ?)`);
      const holds = db.prepare(`INSERT OR IGNORE INTO "BlockOf" VALUES (?, ?, ?)`);
      const search = db.prepare(`INSERT INTO "BlockSearch" (rowid, "text") VALUES (?, ?)`);
      return (from, to) => {
        for (let first = from; first < to; first += BLOCK_EVENTS) {
          const block = events.slice(first, Math.min(to, first + BLOCK_EVENTS)).map((event) => ({ ...event, cycleId: cycleOf.get(event.seq) ?? null }));
          const firstSeq = block[0].seq;
          insert.run(runId, firstSeq, block[block.length - 1].seq, zlib.deflateRawSync(JSON.stringify(block), { level: 1 }));
          const subjects = new Set<string>();
          for (const event of block) {
            if (event.cycleId) subjects.add(`cycle:${event.cycleId}`);
            if (event.actorId) subjects.add(`actor:${event.actorId}`);
          }
          for (const subject of subjects) holds.run(runId, subject, firstSeq);
          if (searchable) search.run(firstSeq, block.map((event) => `${event.label} ${event.payload == null ? "" : JSON.stringify(event.payload)}`).join("\n"));
        }
      };
    },
  });

  return [asStored(true), asStored(false), narrowRows, blocks(false), blocks(true)];
}

function write(layout: Layout, file: string, count: number): { ms: number; bytesPerEvent: number } {
  const db = layout.open(file);
  const writeSlice = layout.writer(db);
  const { ms } = time(() => {
    for (let from = 0; from < count; from += TRANSACTION_EVENTS) db.transaction(() => writeSlice(from, Math.min(count, from + TRANSACTION_EVENTS)))();
  });
  db.close();
  const size = (name: string) => (fs.existsSync(name) ? fs.statSync(name).size : 0);
  return { ms, bytesPerEvent: (size(file) + size(`${file}-wal`)) / count };
}

function main() {
  const requests = Number(process.argv[2] ?? 32_000);
  const scenario = parseScenario(busyScenarioInput("bench-busy", requests));
  runScenario(scenario, { seed: 1, sink: () => {} }); // warm-up
  const events: TraceEvent[] = [];
  const engineMs = median(Array.from({ length: ROUNDS }, () => {
    events.length = 0;
    return time(() => runScenario(scenario, { seed: 1, sink: (event) => events.push(event) })).ms;
  }));
  console.log(`Event layouts — node ${process.version}, ${os.cpus().length} cores, ${requests} requests, ${events.length} events`);
  // The writer works beside the engine, so a recording takes the longer of the two and then what
  // follows the last write: `npm run bench` put the recording of this scenario 0.6× of the engine's
  // time past its raw inserts (5.21 s against 4.44 s, the engine 1.32 s).
  console.log(`engine alone: ${engineMs.toFixed(0)} ms (median of ${ROUNDS}); a recording under 2× of it needs a writer under about 1.4× of it\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-layouts-"));
  try {
    const all = layouts(events);
    const times = new Map(all.map((layout) => [layout.name, [] as number[]]));
    const bytes = new Map<string, number>();
    // Round by round, every layout once: the machine's drift between rounds touches them alike.
    for (let round = 0; round < ROUNDS; round++) {
      all.forEach((layout, i) => {
        const written = write(layout, path.join(dir, `${round}-${i}.db`), events.length);
        times.get(layout.name)!.push(written.ms);
        bytes.set(layout.name, written.bytesPerEvent);
      });
    }
    for (const layout of all) {
      const ms = median(times.get(layout.name)!);
      console.log(`${layout.name.padEnd(20)} ${ms.toFixed(0).padStart(6)} ms  ×${(ms / engineMs).toFixed(2)} of the engine  ${Math.round(bytes.get(layout.name)!).toString().padStart(4)} B/event`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
