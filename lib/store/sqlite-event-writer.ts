// Recording's write path on SQLite: prepared better-sqlite3 statements on a connection of its own,
// in a worker thread. Prisma's driver adapter costs several times what SQLite itself takes for the
// same rows (`npm run bench` prints both); on the event loop, even raw inserts would hold the
// engine that shares this process. In the worker a transaction can be large (SLICE_ROWS), which
// is most of SQLite's speed: each commit rewrites the hot pages of every index. The event loop
// only maps the rows to plain arrays and posts them.
//
// The worker loads the one better-sqlite3 of the process (single-sqlite.test.ts): two copies of
// SQLite in one process would each think they hold the file's locks. It waits for no lock: a busy
// database (another process writing, or a Prisma transaction of this process open across an
// await) fails the BEGIN at once, and the slice is tried again a little later (busy-retry.ts).
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
import { retryWhileBusy } from "./busy-retry";
import { INDEX_PENDING_EVENTS } from "./search-index";
import { type EventBatch, type CycleRetag, type EventWriter } from "./event-writer";
import { projectRoot } from "./location";
import { cycleToRow, type CycleRowData, type EventRowData } from "./mappers";

/** Rows per transaction: a few ms of the worker's time, about a tenth of the commits of 100. */
export const SLICE_ROWS = 1_000;

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
  | { op: "append"; runId: string; rows: unknown[][]; cycles: unknown[][]; now: string }
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
  db = connection;
}
function transaction(work) {
  open();
  db.exec("BEGIN IMMEDIATE");
  try {
    work();
    db.exec("COMMIT");
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  }
}
const ops = {
  open() {
    open();
  },
  append(m) {
    transaction(() => {
      for (const row of m.rows) s.insertEvent.run(row);
      s.indexPending.run();
      for (const cycle of m.cycles) s.openCycle.run(cycle);
      s.raiseCount.run(m.rows.length, m.now, m.runId);
    });
  },
  storeCycles(m) {
    transaction(() => {
      for (const cycle of m.cycles) s.putCycle.run(cycle);
      for (const [seq, cycleId] of m.retags) s.retag.run(cycleId, m.runId, seq);
    });
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

/** A write the worker refused; carries SQLite's code so busy-retry.ts can tell a busy database. */
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
    for (let start = 0; start < batch.rows.length; start += SLICE_ROWS) {
      const rows = batch.rows.slice(start, start + SLICE_ROWS).map(eventValues);
      await this.write({ op: "append", runId, rows, cycles: start === 0 ? cycles : [], now: sqliteDateTime(new Date()) });
    }
  }

  async storeCycles(runId: string, cycles: readonly CycleInfo[], retags: readonly CycleRetag[]): Promise<void> {
    const rows = cycles.map((cycle) => cycleValues(cycleToRow(cycle)));
    const moved = retags.map(({ seq, cycleId }): [number, string | null] => [seq, cycleId]);
    // Cycles and retags together, in slices of at most SLICE_ROWS rows of either.
    for (let start = 0; start < Math.max(rows.length, moved.length); start += SLICE_ROWS) {
      const part = { cycles: rows.slice(start, start + SLICE_ROWS), retags: moved.slice(start, start + SLICE_ROWS) };
      await this.write({ op: "storeCycles", runId, ...part });
    }
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

  /** One transaction in the worker, again while the database is busy. */
  private write(request: WriteRequest): Promise<void> {
    return retryWhileBusy(
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = this.start();
          const id = this.nextId++;
          if (this.waiting.size === 0) worker.ref();
          this.waiting.set(id, { resolve, reject });
          worker.postMessage({ ...request, id } satisfies WorkerRequest);
        }),
    );
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(path.join(projectRoot(), "package.json")).resolve("better-sqlite3");
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.file, driver, statements: STATEMENTS, journalSizeLimit: 64 * 1024 * 1024 },
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

const eventValues = (row: EventRowData): unknown[] => EVENT_COLUMNS.map((column) => bindable(row[column]));
const cycleValues = (row: CycleRowData): unknown[] => CYCLE_COLUMNS.map((column) => bindable(row[column]));

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; SQLite keeps booleans as 0/1. */
function bindable(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  return value ?? null;
}
