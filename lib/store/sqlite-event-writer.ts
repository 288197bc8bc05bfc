// Recording's write path on SQLite: prepared better-sqlite3 statements on a connection of its own,
// each slice of rows in one short `BEGIN IMMEDIATE` transaction. Prisma's driver adapter costs
// several times what SQLite itself takes for the same rows (`npm run bench` prints both).
//
// The connection uses the one better-sqlite3 of the process (single-sqlite.test.ts) and waits for
// no lock: its transactions run synchronously from BEGIN to COMMIT, so no other connection of this
// process can ever wait on them, while a synchronous busy wait of its own would freeze the event
// loop (and with it the Prisma connection whose transaction it waits for). A busy database — the
// other process writing, or a Prisma transaction of this process open across an await — fails
// the BEGIN at once, and the slice is tried again a little later (busy-retry.ts).
//
// Each slice's transaction ends by indexing its rows for search in one statement (search-index.ts).
import Database from "better-sqlite3";
import type { CycleInfo } from "@/lib/trace/types";
import { retryWhileBusy } from "./busy-retry";
import { INDEX_PENDING_EVENTS } from "./search-index";
import { slices, yieldToLoop, type EventBatch, type CycleRetag, type EventWriter } from "./event-writer";
import { WalCheckpointer } from "./wal-checkpointer";
import { cycleToRow, type CycleRowData, type EventRowData } from "./mappers";

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

/** Prisma's text form of a DateTime on SQLite, so rows written here read back the same. */
function sqliteDateTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

interface Statements {
  insertEvent: Database.Statement;
  indexPending: Database.Statement;
  raiseCount: Database.Statement;
  openCycle: Database.Statement;
  putCycle: Database.Statement;
  retag: Database.Statement;
}

export class SqliteEventWriter implements EventWriter {
  private connection: Database.Database | null = null;
  private statements: Statements | null = null;
  private checkpointer: WalCheckpointer | null = null;

  constructor(private readonly file: string) {}

  async append(runId: string, batch: EventBatch): Promise<void> {
    const parts = slices(batch.rows);
    for (let index = 0; index < parts.length; index++) {
      if (index > 0) await yieldToLoop();
      const rows = parts[index];
      const cycles = index === 0 ? (batch.openedCycles ?? []) : [];
      await this.transaction((s) => {
        for (const row of rows) s.insertEvent.run(EVENT_COLUMNS.map((column) => bindable(row[column])));
        s.indexPending.run();
        for (const cycle of cycles) s.openCycle.run(CYCLE_COLUMNS.map((column) => bindable(cycle[column])));
        s.raiseCount.run(rows.length, sqliteDateTime(new Date()), runId);
        return rows.length;
      });
    }
  }

  async storeCycles(runId: string, cycles: readonly CycleInfo[], retags: readonly CycleRetag[]): Promise<void> {
    for (const part of slices(cycles)) {
      await this.transaction((s) => {
        for (const cycle of part) {
          const row = cycleToRow(cycle);
          s.putCycle.run(CYCLE_COLUMNS.map((column) => bindable(row[column])));
        }
        return part.length;
      });
      await yieldToLoop();
    }
    for (const part of slices(retags)) {
      await this.transaction((s) => {
        for (const { seq, cycleId } of part) s.retag.run(cycleId, runId, seq);
        return part.length;
      });
      await yieldToLoop();
    }
  }

  async close(): Promise<void> {
    this.connection?.close();
    this.connection = null;
    this.statements = null;
    await this.checkpointer?.close();
    this.checkpointer = null;
  }

  /** Runs `work` in one BEGIN IMMEDIATE … COMMIT, again while the database is busy. */
  private transaction(work: (statements: Statements) => number): Promise<void> {
    return retryWhileBusy(async () => {
      const { connection, statements } = this.open();
      if (this.checkpointer && !this.checkpointer.running) {
        // The worker is gone: checkpoint from the commits again, as SQLite does by default.
        connection.pragma("wal_autocheckpoint = 1000");
        this.checkpointer = null;
      }
      if (this.checkpointer?.wantsQuiet) await this.checkpointer.quiet();
      connection.exec("BEGIN IMMEDIATE");
      try {
        const rows = work(statements);
        connection.exec("COMMIT");
        this.checkpointer?.wrote(rows);
      } catch (err) {
        if (connection.inTransaction) connection.exec("ROLLBACK");
        throw err;
      }
    });
  }

  private open(): { connection: Database.Database; statements: Statements } {
    if (this.connection && this.statements) return { connection: this.connection, statements: this.statements };
    const connection = new Database(this.file, { timeout: 0, fileMustExist: true });
    try {
      this.statements = {
        insertEvent: connection.prepare(`INSERT INTO "Event" (${quoted(EVENT_COLUMNS)}) VALUES (${placeholders(EVENT_COLUMNS)})`),
        indexPending: connection.prepare(INDEX_PENDING_EVENTS),
        raiseCount: connection.prepare(`UPDATE "Run" SET "eventCount" = "eventCount" + ?, "heartbeatAt" = ? WHERE "id" = ?`),
        openCycle: connection.prepare(`INSERT OR IGNORE INTO "Cycle" (${quoted(CYCLE_COLUMNS)}) VALUES (${placeholders(CYCLE_COLUMNS)})`),
        putCycle: connection.prepare(`INSERT OR REPLACE INTO "Cycle" (${quoted(CYCLE_COLUMNS)}) VALUES (${placeholders(CYCLE_COLUMNS)})`),
        retag: connection.prepare(`UPDATE "Event" SET "cycleId" = ? WHERE "runId" = ? AND "seq" = ?`),
      };
    } catch (err) {
      connection.close();
      throw err;
    }
    this.checkpointer = WalCheckpointer.start(this.file);
    if (this.checkpointer) connection.pragma("wal_autocheckpoint = 0");
    // A log rewound after a large run is cut back to this size rather than kept at its largest.
    connection.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    this.connection = connection;
    return { connection, statements: this.statements };
  }
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; SQLite keeps booleans as 0/1. */
function bindable(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  return value ?? null;
}
