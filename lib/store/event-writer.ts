// The write path of a recording, behind one small interface so each database can take its fastest
// road: SQLite writes through prepared statements on its own connection (sqlite-event-writer.ts),
// PostgreSQL through `unnest` arrays on a pool of its own (pg-event-writer.ts). A database without
// a writer of its own uses Prisma (`PrismaEventWriter`), slower but correct.
//
// A write on the event loop is a few hundred rows at most, in its own short transaction, with a turn
// of the event loop between them: the engine shares this process and must never wait long for a
// recording. The SQLite writer's larger transactions run in a thread of their own.
import type { CycleInfo, RunEndStatus, RunInfo } from "@/lib/trace/types";
import type { RunOwner } from "./run-owner";
import type { Db } from "./db";
import { retryWhileBusy } from "./busy-retry";
import { indexPendingEvents } from "./search-index";
import { dialectOf, SqlParams } from "./sql-dialect";
import { cycleToRow, type CycleRowData, type EventRowData } from "./mappers";

/**
 * Rows per transaction: one holds the loop a few ms on a loaded 2-core machine. 250 rows record
 * about 8 % faster but double the longest hold (13–29 ms against 10–12 ms for 100).
 */
export const ROWS_PER_TRANSACTION = 100;

export interface EventBatch {
  /** Event rows in seq order, each tagged with its cycle as far as it is known when recorded. */
  rows: EventRowData[];
  /** Cycles opened by these events, stored at once (as open) so a running run's tags resolve. */
  openedCycles?: CycleRowData[];
}

/** How a run ended. */
export interface RunOutcome {
  status: RunEndStatus;
  error: string | null;
  endedAt: Date;
}

export interface CycleRetag {
  seq: number;
  cycleId: string | null;
}

export interface EventWriter {
  /** Appends the rows and raises the run's event count (and heartbeat) with them. */
  append(runId: string, batch: EventBatch): Promise<void>;
  /** Stores the run's final cycles (replacing rows of the same id) and moves the retagged events. */
  storeCycles(runId: string, cycles: readonly CycleInfo[], retags: readonly CycleRetag[]): Promise<void>;
  /** Gets ready to write (a writer with set-up of its own does it now rather than at the first write). */
  warm?(): Promise<void>;
  /**
   * Writes a new run's row (and its config) in the writer's own order: appends handed over after it
   * follow it. A writer without it leaves that to the caller (trace-store's insertRun).
   */
  startRun?(run: RunInfo, owner: RunOwner | null): Promise<void>;
  /**
   * Stores the run's final cycles, moves the retagged events and ends the run, in one transaction
   * at the end. A writer without it stores the cycles, and the caller ends the run (endRun).
   */
  finishRun?(runId: string, cycles: readonly CycleInfo[], retags: readonly CycleRetag[], end: RunOutcome): Promise<void>;
  /**
   * True when appends may be handed over before the earlier ones of the run have finished: the
   * writer carries them out in order, resolves them in order, and refuses every append of a run
   * after one that failed. Otherwise a recorder waits for each append before the next.
   */
  readonly queuesAppends?: boolean;
}

/**
 * A database's fast writer, registered by db.ts when it opens the database. Kept on globalThis:
 * server.ts and the Next.js bundle load their own copies of this module but share the clients.
 */
const writers: WeakMap<Db, EventWriter> = ((globalThis as Record<string, unknown>).__wakelineEventWriters ??=
  new WeakMap<Db, EventWriter>()) as WeakMap<Db, EventWriter>;

export function registerEventWriter(db: Db, writer: EventWriter): void {
  writers.set(db, writer);
}

export function eventWriterFor(db: Db): EventWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new PrismaEventWriter(db);
    writers.set(db, writer);
  }
  return writer;
}

/** A turn of the event loop, so timers and sockets run between two writes. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Slices of at most `size` items. */
export function slices<T>(items: readonly T[], size = ROWS_PER_TRANSACTION): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The column arrays of `rows`, in the order of `columns` (PostgreSQL binds them to `unnest`). */
export function columnArrays<Row>(rows: readonly Row[], columns: readonly string[]): unknown[][] {
  return columns.map((column) => rows.map((row) => (row as Record<string, unknown>)[column] ?? null));
}

/** The writer through Prisma, for a database without a writer of its own. */
export class PrismaEventWriter implements EventWriter {
  constructor(private readonly db: Db) {}

  async append(runId: string, batch: EventBatch): Promise<void> {
    const now = new Date();
    const cycles = batch.openedCycles ?? [];
    const parts = slices(batch.rows);
    for (let index = 0; index < parts.length; index++) {
      if (index > 0) await yieldToLoop();
      const rows = parts[index];
      const insert = multiRowInsert(this.db, rows);
      await retryWhileBusy(() =>
        this.db.$transaction([
          this.db.$executeRawUnsafe(insert.sql, ...insert.params),
          ...indexPendingEvents(this.db),
          ...(index === 0 && cycles.length > 0 ? [this.db.cycle.createMany({ data: cycles })] : []),
          this.db.run.updateMany({ where: { id: runId }, data: { eventCount: { increment: rows.length }, heartbeatAt: now } }),
        ]),
      );
    }
  }

  async storeCycles(runId: string, cycles: readonly CycleInfo[], retags: readonly CycleRetag[]): Promise<void> {
    for (const part of slices(cycles)) {
      await retryWhileBusy(() =>
        this.db.$transaction([
          this.db.cycle.deleteMany({ where: { id: { in: part.map((cycle) => cycle.id) } } }),
          this.db.cycle.createMany({ data: part.map(cycleToRow) }),
        ]),
      );
      await yieldToLoop();
    }
    for (const part of slices(retags)) {
      await retryWhileBusy(() =>
        this.db.$transaction(part.map(({ seq, cycleId }) => this.db.event.updateMany({ where: { runId, seq }, data: { cycleId } }))),
      );
      await yieldToLoop();
    }
  }
}

/**
 * One INSERT for a slice of event rows: several times faster than `createMany` through the driver
 * adapter. Columns come from the row mapper, so the statement follows the schema.
 */
function multiRowInsert(db: Db, rows: EventRowData[]): { sql: string; params: unknown[] } {
  const dialect = dialectOf(db);
  const p = new SqlParams(dialect);
  const columns = Object.keys(rows[0]) as (keyof EventRowData)[];
  const tuples = rows.map((row) => {
    const values = columns.map((column) => {
      const value = row[column];
      return typeof value === "boolean" ? dialect.boolean(value) : (value ?? null);
    });
    return `(${p.list(values)})`;
  });
  const sql = `INSERT INTO "Event" (${columns.map((c) => `"${String(c)}"`).join(", ")}) VALUES ${tuples.join(", ")}`;
  return { sql, params: p.values };
}
