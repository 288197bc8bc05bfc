// The hottest read, a cycle's events (the cycle page, its first drawing and the events API), straight
// through better-sqlite3 on a read-only connection of the process's own. Through Prisma the same
// rows cost 2–3× as much, most of it in mapping the result (1,005 events: 13–22 ms there, 6 ms here;
// for a 5,000-event cycle the difference is the first drawing's first byte). WAL lets this
// connection read while the writer (sqlite-event-writer.ts) writes; each read sees what was
// committed when it began, as Prisma's connection does.
import Database, { type Statement } from "better-sqlite3";
import type { TraceEvent } from "@/lib/trace/types";
import { rowToEvent, type EventRowData } from "./mappers";

const COLUMNS = [
  "runId",
  "seq",
  "time",
  "kind",
  "fromRole",
  "fromId",
  "toRole",
  "toId",
  "type",
  "label",
  "payload",
  "actorId",
  "runnerId",
  "cycleId",
  "causeSeq",
  "relayOf",
  "phaseId",
  "housekeeping",
] as const satisfies readonly (keyof EventRowData)[];

interface Reader {
  connection: Database.Database;
  cycleEvents: Statement<[string, string], Record<(typeof COLUMNS)[number], unknown>>;
}

/** One reader per database file, kept on globalThis: Next.js' bundle and server.ts share it. */
const readers: Map<string, Reader> = ((globalThis as Record<string, unknown>).__wakelineSqliteReaders ??= new Map<string, Reader>()) as Map<string, Reader>;

function readerFor(file: string): Reader {
  let reader = readers.get(file);
  if (!reader) {
    // The file exists: db.ts migrated it before handing out the client this read comes through.
    const connection = new Database(file, { readonly: true, fileMustExist: true, timeout: 15_000 });
    const cycleEvents = connection.prepare<[string, string], Record<(typeof COLUMNS)[number], unknown>>(
      `SELECT ${COLUMNS.map((column) => `"${column}"`).join(", ")} FROM "Event" WHERE "runId" = ? AND "cycleId" = ? ORDER BY "seq"`,
    );
    reader = { connection, cycleEvents };
    readers.set(file, reader);
  }
  return reader;
}

/** A cycle's events, in seq order. */
export function sqliteCycleEvents(file: string, runId: string, cycleId: string): TraceEvent[] {
  return readerFor(file)
    .cycleEvents.all(runId, cycleId)
    .map((row) => {
      // SQLite keeps booleans as 0 and 1 (Prisma converts them; here it is done by hand).
      row.housekeeping = row.housekeeping === 1;
      return rowToEvent(row as unknown as EventRowData);
    });
}

/** Closes the reader of a database file, if one was opened (db.ts's closeDb). */
export function closeSqliteReader(file: string): void {
  const reader = readers.get(file);
  readers.delete(file);
  reader?.connection.close();
}
