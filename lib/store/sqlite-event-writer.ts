// Recording's write path on SQLite: prepared better-sqlite3 statements on a connection of its own,
// in a worker thread. Prisma's driver adapter costs several times what SQLite itself takes for the
// same rows (`npm run bench` prints both); on the event loop, even raw inserts would hold the
// engine that shares this process. In the worker a transaction can be large (SLICE_ROWS), which
// is most of SQLite's speed: each commit rewrites the hot pages of every index. The event loop
// only turns the rows into column arrays and posts them.
//
// A batch goes to the worker as one message, however large: the worker cuts it into transactions
// of SLICE_ROWS rows itself, one after another, without waiting for a turn of the event loop
// between them (the engine may be busy for a while, and the writer would otherwise sit idle). The
// rows travel as one array per column, which the structured clone copies several times faster.
//
// Commits do not wait for the disk (synchronous = NORMAL, SQLite's advice for WAL): a commit is in
// the log, which the operating system holds, so a process killed at any point loses nothing it
// committed, and the file is never damaged. A power cut may undo the last commits before a
// checkpoint. Waiting for the disk made the commits of 20,000 events take 72–110 ms, not 55–69.
//
// The worker loads the one better-sqlite3 of the process (single-sqlite.test.ts): two copies of
// SQLite in one process would each think they hold the file's locks. A busy database (another
// process writing, or a Prisma transaction of this process open across an await) fails the BEGIN
// at once, and the worker tries the transaction again a little later, as busy-retry.ts does on
// the event loop; it sleeps in its own thread meanwhile.
//
// WAL checkpoints run in the worker's own commits, as SQLite does by default: the copy and its
// fsync (0.2–1 s on a busy disk) once held the event loop, and now hold only this thread. With
// the only writer of the process checkpointing between its own transactions, each copy catches up
// with the log, and SQLite starts the log over.
//
// Each transaction ends by indexing its rows for search in one statement (search-index.ts).
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { CycleInfo } from "@/lib/trace/types";
import { BUSY_TEXT, BUSY_WAIT, MAX_WAIT_MS } from "./busy-retry";
import { INDEX_PENDING_EVENTS } from "./search-index";
import { type EventBatch, type CycleRetag, type EventWriter } from "./event-writer";
import { projectRoot } from "./location";
import { cycleToRow, eventColumnArrays, type CycleRowData, type EventRowData } from "./mappers";

/**
 * Rows per transaction, when a batch is that large (a scenario recorded faster than it is written;
 * a live run's batches are far smaller). Each commit writes the touched pages of every index to
 * the log again: with 5,000 rows, 20,000 events record in 290–320 ms, against 420–470 with 1,000.
 * Such a transaction holds the write lock for 40–80 ms, which another writer waits out.
 */
export const SLICE_ROWS = 5_000;

/** The Event columns in insert order (the compiler checks the list against the row type). */
const EVENT_COLUMNS = [
  "runId", "seq", "time", "kind", "fromRole", "fromId", "toRole", "toId", "type", "label", "payload",
  "actorId", "runnerId", "cycleId", "causeSeq", "relayOf", "phaseId", "housekeeping",
] as const satisfies readonly (keyof EventRowData)[];
type MissingEventColumn = Exclude<keyof EventRowData, (typeof EVENT_COLUMNS)[number]>;
const allEventColumns: MissingEventColumn extends never ? true : MissingEventColumn = true;
void allEventColumns;

const CYCLE_COLUMNS = [
  "id", "runId", "actorId", "ordinal", "firstSeq", "lastSeq", "startTime", "endTime", "outcome",
  "wakeToReadyMs", "coldStartMs", "requestsServed", "eventCount", "anomalies",
] as const satisfies readonly (keyof CycleRowData)[];
type MissingCycleColumn = Exclude<keyof CycleRowData, (typeof CYCLE_COLUMNS)[number]>;
const allCycleColumns: MissingCycleColumn extends never ? true : MissingCycleColumn = true;
void allCycleColumns;

const quoted = (columns: readonly string[]) => columns.map((column) => `"${column}"`).join(", ");
const placeholders = (columns: readonly string[]) => columns.map(() => "?").join(", ");

const STATEMENTS = {
  insertEvent: `INSERT INTO "Event" (${quoted(EVENT_COLUMNS)}) VALUES (${placeholders(EVENT_COLUMNS)})`,
  indexPending: INDEX_PENDING_EVENTS,
  raiseCount: `UPDATE "Run" SET "eventCount" = "eventCount" + ?, "heartbeatAt" = ? WHERE "id" = ?`,
  openCycle: `INSERT OR IGNORE INTO "Cycle" (${quoted(CYCLE_COLUMNS)}) VALUES (${placeholders(CYCLE_COLUMNS)})`,
  putCycle: `INSERT OR REPLACE INTO "Cycle" (${quoted(CYCLE_COLUMNS)}) VALUES (${placeholders(CYCLE_COLUMNS)})`,
  retag: `UPDATE "Event" SET "cycleId" = ? WHERE "runId" = ? AND "seq" = ?`,
};

/** One transaction for the worker: every value already bindable, in column order. */
type WriteRequest =
  | { op: "open" }
  /** `columns`: one array per event column, in EVENT_COLUMNS order. */
  | { op: "append"; runId: string; columns: unknown[][]; count: number; cycles: unknown[][]; now: string }
  | { op: "storeCycles"; runId: string; cycles: unknown[][]; retags: [number, string | null][] };

type WorkerRequest = WriteRequest & { id: number };

type WorkerAnswer = { id: number; ok: true } | { id: number; ok: false; code: string | null; message: string };

// Plain JavaScript evaluated by the worker: no module of the app needs to be bundled for it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
let db = null;
let s = null;
function open() {
  if (db) return;
  const connection = new Database(workerData.file, { timeout: 0, fileMustExist: true });
  try {
    s = {};
    for (const [name, sql] of Object.entries(workerData.statements)) s[name] = connection.prepare(sql);
  } catch (err) {
    connection.close();
    throw err;
  }
  // A log grown during a large run is cut back to this size once rewound, not kept at its largest.
  connection.pragma("journal_size_limit = " + workerData.journalSizeLimit);
  connection.pragma("synchronous = NORMAL");
  db = connection;
}
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const busyText = new RegExp(workerData.busy.text, "i");
function isBusy(err) {
  return busyText.test(String((err && err.code) || "") + " " + String((err && err.message) || ""));
}
/** Again while the database is busy, for up to maxWaitMs, waiting as busy-retry.ts's busyWaitMs does. */
function whileBusy(work) {
  const { maxWaitMs, firstMs, longestMs } = workerData.busy;
  const deadline = Date.now() + maxWaitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return work();
    } catch (err) {
      if (!isBusy(err) || Date.now() > deadline) throw err;
      Atomics.wait(sleeper, 0, 0, Math.min(longestMs, firstMs * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}
function transaction(work) {
  whileBusy(() => {
    open();
    db.exec("BEGIN IMMEDIATE");
    try {
      work();
      db.exec("COMMIT");
    } catch (err) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw err;
    }
  });
}
/** Slices of at most sliceRows items of each list, in order (a slice may hold only one of them). */
function eachSlice(lists, work) {
  const longest = Math.max(...lists.map((list) => list.length));
  for (let start = 0; start < longest; start += workerData.sliceRows) {
    work(...lists.map((list) => list.slice(start, start + workerData.sliceRows)));
  }
}
/** One row of the column arrays, bindable (SQLite keeps booleans as 0/1). */
function rowOf(columns, index) {
  const row = new Array(columns.length);
  for (let c = 0; c < columns.length; c++) {
    const value = columns[c][index];
    row[c] = typeof value === "boolean" ? (value ? 1 : 0) : value;
  }
  return row;
}
const ops = {
  open() {
    whileBusy(open);
  },
  append(m) {
    // At least one transaction: a batch may open cycles and hold no event (a caller's choice).
    for (let start = 0; start === 0 || start < m.count; start += workerData.sliceRows) {
      const end = Math.min(m.count, start + workerData.sliceRows);
      transaction(() => {
        for (let index = start; index < end; index++) s.insertEvent.run(rowOf(m.columns, index));
        s.indexPending.run();
        if (start === 0) for (const cycle of m.cycles) s.openCycle.run(cycle);
        s.raiseCount.run(end - start, m.now, m.runId);
      });
    }
  },
  storeCycles(m) {
    eachSlice([m.cycles, m.retags], (cycles, retags) =>
      transaction(() => {
        for (const cycle of cycles) s.putCycle.run(cycle);
        for (const [seq, cycleId] of retags) s.retag.run(cycleId, m.runId, seq);
      }),
    );
  },
};
parentPort.on("message", (m) => {
  if (m.op === "close") {
    if (db) db.close();
    db = null;
    parentPort.postMessage({ id: m.id, ok: true });
    parentPort.close();
    return;
  }
  try {
    ops[m.op](m);
    parentPort.postMessage({ id: m.id, ok: true });
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, code: err && err.code ? String(err.code) : null, message: String((err && err.message) || err) });
  }
});
`;

/** A write the worker refused, with SQLite's code (SQLITE_BUSY: still busy after MAX_WAIT_MS). */
class WorkerWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = "WorkerWriteError";
  }
}

/** Prisma's text form of a DateTime on SQLite, so rows written here read back the same. */
function sqliteDateTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

export class SqliteEventWriter implements EventWriter {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private nextId = 1;

  constructor(private readonly file: string) {}

  async append(runId: string, batch: EventBatch): Promise<void> {
    const cycles = (batch.openedCycles ?? []).map(cycleValues);
    if (batch.rows.length === 0 && cycles.length === 0) return;
    const columns = eventColumnArrays(batch.rows, EVENT_COLUMNS);
    await this.write({ op: "append", runId, columns, count: batch.rows.length, cycles, now: sqliteDateTime(new Date()) });
  }

  async storeCycles(runId: string, cycles: readonly CycleInfo[], retags: readonly CycleRetag[]): Promise<void> {
    if (cycles.length === 0 && retags.length === 0) return;
    const rows = cycles.map((cycle) => cycleValues(cycleToRow(cycle)));
    const moved = retags.map(({ seq, cycleId }): [number, string | null] => [seq, cycleId]);
    await this.write({ op: "storeCycles", runId, cycles: rows, retags: moved });
  }

  /**
   * Starts the worker and has it open its connection and prepare its statements (a few hundred ms
   * on a loaded machine), so the first write of a recording does not wait for that.
   */
  warm(): Promise<void> {
    return this.write({ op: "open" });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    await new Promise<void>((resolve) => {
      worker.once("exit", () => resolve());
      // Held until it has closed its connection: the process waits for that, then ends.
      worker.ref();
      worker.postMessage({ op: "close", id: 0 });
    });
  }

  /** One request to the worker: its transactions, each tried again while the database is busy. */
  private write(request: WriteRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const worker = this.start();
      const id = this.nextId++;
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } satisfies WorkerRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(path.join(projectRoot(), "package.json")).resolve("better-sqlite3");
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file: this.file,
        driver,
        statements: STATEMENTS,
        journalSizeLimit: 64 * 1024 * 1024,
        sliceRows: SLICE_ROWS,
        busy: { text: BUSY_TEXT.source, maxWaitMs: MAX_WAIT_MS, ...BUSY_WAIT },
      },
    });
    // Idle, the worker must not keep a finished CLI process alive; a write under way does (write).
    worker.unref();
    worker.on("message", (answer: WorkerAnswer) => this.answered(answer));
    const failAll = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      const waiting = [...this.waiting.values()];
      this.waiting.clear();
      for (const { reject } of waiting) reject(err);
    };
    worker.on("error", failAll);
    worker.on("exit", (code) => failAll(new Error(`the recording writer stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private answered(answer: WorkerAnswer): void {
    const waiter = this.waiting.get(answer.id);
    if (!waiter) return;
    this.waiting.delete(answer.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (answer.ok) waiter.resolve();
    else waiter.reject(new WorkerWriteError(answer.message, answer.code));
  }
}

const cycleValues = (row: CycleRowData): unknown[] => CYCLE_COLUMNS.map((column) => bindable(row[column]));

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; SQLite keeps booleans as 0/1. */
function bindable(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  return value ?? null;
}
