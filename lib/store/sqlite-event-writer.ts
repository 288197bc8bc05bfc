// Recording's write path on SQLite: prepared better-sqlite3 statements on a connection of its own,
// in a worker thread. Prisma's driver adapter costs several times what SQLite itself takes for the
// same rows (`npm run bench` prints both); on the event loop, even raw inserts would hold the
// engine that shares this process. In the worker a transaction can be large (SLICE_ROWS), which
// is most of SQLite's speed: each commit rewrites the hot pages of every index. The event loop
// only turns the rows into column arrays and posts them.
//
// A batch goes to the worker as one message, as soon as the recorder has it: the recorder does not
// wait for the last batch to commit (`queuesAppends`). The worker takes every message already
// waiting on its port (receiveMessageOnPort) before each transaction, joins consecutive appends of
// one run into transactions of up to SLICE_ROWS rows, and cuts a larger one. It never waits for a
// turn of the event loop, which the engine may hold for a while: with one batch in flight, the
// worker sat idle a third of a recording. The rows travel as one array per column, which the
// structured clone copies several times faster.
//
// Once an append fails, the worker refuses the run's later appends, already posted: stored after
// the rows that were not, they would leave a gap in its seqs.
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
import type { CycleInfo, RunInfo } from "@/lib/trace/types";
import { BUSY_TEXT, BUSY_WAIT, MAX_WAIT_MS } from "./busy-retry";
import { INDEX_PENDING_EVENTS } from "./search-index";
import { type EventBatch, type CycleRetag, type EventWriter, type RunOutcome } from "./event-writer";
import { projectRoot } from "./location";
import type { Run as RunRow } from "@/lib/generated/prisma/client";
import { cycleToRow, eventColumnArrays, runConfigCreate, runToRow, type CycleRowData, type EventRowData } from "./mappers";
import type { RunOwner } from "./run-owner";

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

const RUN_COLUMNS = [
  "id", "name", "source", "seed", "status", "error", "eventCount", "startedAt", "endedAt", "ownerKind",
  "owner", "heartbeatAt", "followsRunId",
] as const satisfies readonly (keyof RunRow)[];
type MissingRunColumn = Exclude<keyof RunRow, (typeof RUN_COLUMNS)[number]>;
const allRunColumns: MissingRunColumn extends never ? true : MissingRunColumn = true;
void allRunColumns;

const quoted = (columns: readonly string[]) => columns.map((column) => `"${column}"`).join(", ");
const placeholders = (columns: readonly string[]) => columns.map(() => "?").join(", ");

const STATEMENTS = {
  insertEvent: `INSERT INTO "Event" (${quoted(EVENT_COLUMNS)}) VALUES (${placeholders(EVENT_COLUMNS)})`,
  indexPending: INDEX_PENDING_EVENTS,
  raiseCount: `UPDATE "Run" SET "eventCount" = "eventCount" + ?, "heartbeatAt" = ? WHERE "id" = ?`,
  openCycle: `INSERT OR IGNORE INTO "Cycle" (${quoted(CYCLE_COLUMNS)}) VALUES (${placeholders(CYCLE_COLUMNS)})`,
  putCycle: `INSERT OR REPLACE INTO "Cycle" (${quoted(CYCLE_COLUMNS)}) VALUES (${placeholders(CYCLE_COLUMNS)})`,
  retag: `UPDATE "Event" SET "cycleId" = ? WHERE "runId" = ? AND "seq" = ?`,
  insertRun: `INSERT INTO "Run" (${quoted(RUN_COLUMNS)}) VALUES (${placeholders(RUN_COLUMNS)})`,
  insertRunConfig: `INSERT INTO "RunConfig" ("runId", "config") VALUES (?, ?)`,
  endRun: `UPDATE "Run" SET "status" = ?, "error" = ?, "endedAt" = ?, "owner" = NULL, "heartbeatAt" = NULL WHERE "id" = ?`,
};

/** One transaction for the worker: every value already bindable, in column order. */
type WriteRequest =
  | { op: "open" }
  /** `columns`: one array per event column, in EVENT_COLUMNS order. */
  | { op: "append"; runId: string; columns: unknown[][]; count: number; cycles: unknown[][]; now: string }
  | { op: "startRun"; run: unknown[]; config: string }
  /** `end`: the run's status, error and end time, set in the last transaction. */
  | { op: "storeCycles"; runId: string; cycles: unknown[][]; retags: [number, string | null][]; end?: unknown[] };

type WorkerRequest = WriteRequest & { id: number };

type WorkerAnswer = { id: number; ok: true } | { id: number; ok: false; code: string | null; message: string };

// Plain JavaScript evaluated by the worker: no module of the app needs to be bundled for it.
const WORKER_SOURCE = `
const { parentPort, workerData, receiveMessageOnPort } = require("node:worker_threads");
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
/**
 * Slices of at most sliceRows items of each list, in order (a slice may hold only one of them; with
 * both lists empty, one empty slice). work is told which slice is the last.
 */
function eachSlice(lists, work) {
  const longest = Math.max(...lists.map((list) => list.length));
  for (let start = 0; start === 0 || start < longest; start += workerData.sliceRows) {
    work(start + workerData.sliceRows >= longest, ...lists.map((list) => list.slice(start, start + workerData.sliceRows)));
  }
}
// One array for every row bound: a statement reads its values while it runs, and keeps none.
const boundRow = [];
/** One row of the column arrays, bindable (SQLite keeps booleans as 0/1). */
function rowOf(columns, index) {
  boundRow.length = columns.length;
  for (let c = 0; c < columns.length; c++) {
    const value = columns[c][index];
    boundRow[c] = typeof value === "boolean" ? (value ? 1 : 0) : value;
  }
  return boundRow;
}
/** The message carried out, or refused, and its answer posted. */
function answer(m, err) {
  if (!err) parentPort.postMessage({ id: m.id, ok: true });
  else parentPort.postMessage({ id: m.id, ok: false, code: err && err.code ? String(err.code) : null, message: String((err && err.message) || err) });
}
// Requests taken from the port and not yet answered, in the order they were posted.
const queue = [];
// Runs whose write failed, and why. Their later appends were posted before the recorder heard of
// the failure: stored after the rows that were not, they would leave a gap in the run's seqs.
const failedRuns = new Map();
function takeWaiting() {
  for (let next = receiveMessageOnPort(parentPort); next; next = receiveMessageOnPort(parentPort)) queue.push(next.message);
}
/**
 * One transaction of appends from the head of the queue: consecutive appends of one run, up to
 * sliceRows rows in all (a larger append goes on in the next one). Appends posted while the last
 * transaction ran join this one, so a writer that falls behind catches up in large commits.
 */
function appendFromQueue() {
  const runId = queue[0].runId;
  const failed = failedRuns.get(runId);
  if (failed) {
    const err = new Error("an earlier write of this run failed: " + failed.message);
    err.code = failed.code;
    return answer(queue.shift(), err);
  }
  const parts = [];
  let rows = 0;
  for (const m of queue) {
    if (m.op !== "append" || m.runId !== runId || (rows >= workerData.sliceRows && parts.length > 0)) break;
    const start = m.written || 0;
    const end = Math.min(m.count, start + workerData.sliceRows - rows);
    parts.push({ m, start, end });
    rows += end - start;
    if (end < m.count) break;
  }
  try {
    transaction(() => {
      for (const { m, start, end } of parts) {
        for (let index = start; index < end; index++) s.insertEvent.run(rowOf(m.columns, index));
        if (start === 0) for (const cycle of m.cycles) s.openCycle.run(cycle);
      }
      s.indexPending.run();
      s.raiseCount.run(rows, parts[parts.length - 1].m.now, runId);
    });
  } catch (err) {
    failedRuns.set(runId, { message: String((err && err.message) || err), code: err && err.code ? String(err.code) : null });
    for (const part of parts) answer(queue.shift(), err);
    return;
  }
  for (const { m, end } of parts) {
    m.written = end;
    if (end === m.count) answer(queue.shift());
  }
}
const ops = {
  open() {
    whileBusy(open);
  },
  startRun(m) {
    transaction(() => {
      s.insertRun.run(m.run);
      s.insertRunConfig.run(m.run[0], m.config);
    });
  },
  storeCycles(m) {
    eachSlice([m.cycles, m.retags], (last, cycles, retags) =>
      transaction(() => {
        for (const cycle of cycles) s.putCycle.run(cycle);
        for (const [seq, cycleId] of retags) s.retag.run(cycleId, m.runId, seq);
        if (last && m.end) s.endRun.run(...m.end, m.runId);
      }),
    );
  },
};
/** Carries out the request at the head of the queue. */
function step() {
  takeWaiting();
  const m = queue[0];
  if (m.op === "append") return appendFromQueue();
  queue.shift();
  if (m.op === "close") {
    if (db) db.close();
    db = null;
    answer(m);
    parentPort.close();
    queue.length = 0;
    return;
  }
  try {
    ops[m.op](m);
    answer(m);
  } catch (err) {
    answer(m, err);
  }
}
parentPort.on("message", (m) => {
  queue.push(m);
  while (queue.length > 0) step();
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
  /** The worker takes appends in order, joins those waiting into one transaction, and refuses a failed run's later ones. */
  readonly queuesAppends = true;

  constructor(private readonly file: string) {}

  async append(runId: string, batch: EventBatch): Promise<void> {
    const cycles = (batch.openedCycles ?? []).map(cycleValues);
    if (batch.rows.length === 0 && cycles.length === 0) return;
    const columns = eventColumnArrays(batch.rows, EVENT_COLUMNS);
    await this.write({ op: "append", runId, columns, count: batch.rows.length, cycles, now: sqliteDateTime(new Date()) });
  }

  async storeCycles(runId: string, cycles: readonly CycleInfo[], retags: readonly CycleRetag[]): Promise<void> {
    if (cycles.length === 0 && retags.length === 0) return;
    await this.write(storeCyclesRequest(runId, cycles, retags));
  }

  /** The run row goes to the worker like any write: the appends handed over after it follow it. */
  startRun(run: RunInfo, owner: RunOwner | null): Promise<void> {
    const row = runToRow(run, owner);
    return this.write({ op: "startRun", run: RUN_COLUMNS.map((column) => bindable(row[column])), config: runConfigCreate(run).create.config });
  }

  finishRun(runId: string, cycles: readonly CycleInfo[], retags: readonly CycleRetag[], end: RunOutcome): Promise<void> {
    return this.write({ ...storeCyclesRequest(runId, cycles, retags), end: [end.status, end.error, sqliteDateTime(end.endedAt)] });
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

function storeCyclesRequest(runId: string, cycles: readonly CycleInfo[], retags: readonly CycleRetag[]): WriteRequest & { op: "storeCycles" } {
  const rows = cycles.map((cycle) => cycleValues(cycleToRow(cycle)));
  const moved = retags.map(({ seq, cycleId }): [number, string | null] => [seq, cycleId]);
  return { op: "storeCycles", runId, cycles: rows, retags: moved };
}

/**
 * better-sqlite3 binds numbers, strings, bigints, buffers and null; SQLite keeps booleans as 0/1,
 * and Prisma's DateTimes as text.
 */
function bindable(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return sqliteDateTime(value);
  return value ?? null;
}
