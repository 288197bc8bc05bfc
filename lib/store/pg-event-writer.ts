// Recording's write path on PostgreSQL: each batch of rows is one multi-row INSERT of `unnest`
// arrays (one parameter per column, whatever the number of rows) on a small pool of its own, so a
// recording never queues behind the app's reads on Prisma's pool. A batch is one transaction — its
// events, the cycles they open and the run's counter, all or nothing — and, unlike SQLite's writer,
// needs no slicing: the wait for the server is asynchronous and never holds the event loop.
import type { Pool, PoolClient } from "pg";
import type { CycleInfo } from "@/lib/trace/types";
import { retryWhileBusy } from "./busy-retry";
import { COMMIT_CHANNEL, PROCESS_COMMIT_TAG } from "./commit-channel";
import { columnArrays, slices, type CycleRetag, type EventBatch, type EventWriter } from "./event-writer";
import { cycleToRow, eventColumnArrays, type CycleRowData, type EventRowData } from "./mappers";
import { createPgPool, pgConnectionError, pgTimestamp } from "./pg-connection";

/** Each column's PostgreSQL type, for its array parameter (the compiler checks it covers every column). */
const EVENT_COLUMN_TYPES = {
  runId: "text", seq: "int4", time: "float8", kind: "text", fromRole: "text", fromId: "text", toRole: "text",
  toId: "text", type: "text", label: "text", payload: "text", actorId: "text", runnerId: "text", cycleId: "text",
  causeSeq: "int4", relayOf: "int4", phaseId: "int4", housekeeping: "bool",
} as const satisfies Record<keyof EventRowData, string>;

const CYCLE_COLUMN_TYPES = {
  id: "text", runId: "text", actorId: "text", ordinal: "int4", firstSeq: "int4", lastSeq: "int4",
  startTime: "float8", endTime: "float8", outcome: "text", wakeToReadyMs: "float8", coldStartMs: "float8",
  requestsServed: "int4", eventCount: "int4", anomalies: "text",
} as const satisfies Record<keyof CycleRowData, string>;

/** Rows of one statement. A batch is written whole; this only bounds the size of one statement. */
export const ROWS_PER_STATEMENT = 5_000;

/** `INSERT INTO table (cols) SELECT * FROM unnest($1::t[], …)` for the given column types. */
function unnestInsert<Column extends string>(table: string, types: Record<Column, string>, suffix = ""): { sql: string; columns: Column[] } {
  const columns = Object.keys(types) as Column[];
  const arrays = columns.map((column, i) => `$${i + 1}::${types[column]}[]`).join(", ");
  const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) SELECT * FROM unnest(${arrays}) ${suffix}`;
  return { sql, columns };
}

/** The writer's own insert of events (`npm run bench` times it raw, as the baseline). */
export const INSERT_EVENTS = unnestInsert("Event", EVENT_COLUMN_TYPES);
// As SQLite's INSERT OR IGNORE: a cycle stored already (by id or by run, actor and ordinal) stays.
const OPEN_CYCLES = unnestInsert("Cycle", CYCLE_COLUMN_TYPES, "ON CONFLICT DO NOTHING");
const PUT_CYCLES = unnestInsert("Cycle", CYCLE_COLUMN_TYPES);
// As SQLite's INSERT OR REPLACE, which removes every row the new one conflicts with.
const REMOVE_REPLACED_CYCLES = `DELETE FROM "Cycle" c USING unnest($1::text[], $2::text[], $3::text[], $4::int4[]) AS n(id, "runId", "actorId", ordinal)
  WHERE c."id" = n.id OR (c."runId" = n."runId" AND c."actorId" = n."actorId" AND c."ordinal" = n.ordinal)`;
const RAISE_COUNT = `UPDATE "Run" SET "eventCount" = "eventCount" + $1, "heartbeatAt" = $2::timestamp(3) WHERE "id" = $3`;
const ANNOUNCE_COMMIT = "SELECT pg_notify($1, $2)";
const RETAG = `UPDATE "Event" e SET "cycleId" = t."cycleId" FROM unnest($1::int4[], $2::text[]) AS t(seq, "cycleId")
  WHERE e."runId" = $3 AND e."seq" = t.seq`;

export class PgEventWriter implements EventWriter {
  private pool: Pool | null = null;

  constructor(
    private readonly url: string,
    private readonly createPool: () => Pool = () => createPgPool(url, "wakeline-recorder", 2),
  ) {}

  async append(runId: string, batch: EventBatch): Promise<void> {
    const rows = batch.rows;
    const cycles = batch.openedCycles ?? [];
    if (rows.length === 0 && cycles.length === 0) return;
    await this.transaction(async (client) => {
      for (const part of slices(rows, ROWS_PER_STATEMENT)) {
        await client.query(INSERT_EVENTS.sql, eventColumnArrays(part, INSERT_EVENTS.columns));
      }
      if (cycles.length > 0) await client.query(OPEN_CYCLES.sql, columnArrays(cycles, OPEN_CYCLES.columns));
      await client.query(RAISE_COUNT, [rows.length, pgTimestamp(new Date()), runId]);
      // Delivered on commit: dashboards of other instances wake on it (lib/recorder/remote-commits.ts).
      if (rows.length > 0) await client.query(ANNOUNCE_COMMIT, [COMMIT_CHANNEL, `${runId} ${rows[rows.length - 1].seq} ${PROCESS_COMMIT_TAG}`]);
    });
  }

  async storeCycles(runId: string, cycles: readonly CycleInfo[], retags: readonly CycleRetag[]): Promise<void> {
    if (cycles.length === 0 && retags.length === 0) return;
    await this.transaction(async (client) => {
      for (const part of slices(cycles.map(cycleToRow), ROWS_PER_STATEMENT)) {
        await client.query(REMOVE_REPLACED_CYCLES, [part.map((c) => c.id), part.map((c) => c.runId), part.map((c) => c.actorId), part.map((c) => c.ordinal)]);
        await client.query(PUT_CYCLES.sql, columnArrays(part, PUT_CYCLES.columns));
      }
      for (const part of slices(retags, ROWS_PER_STATEMENT)) {
        await client.query(RETAG, [part.map((r) => r.seq), part.map((r) => r.cycleId), runId]);
      }
    });
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end().catch(() => undefined);
  }

  /** Runs `work` in one transaction on a connection of the writer's pool (again after a deadlock). */
  private transaction(work: (client: PoolClient) => Promise<void>): Promise<void> {
    return retryWhileBusy(async () => {
      this.pool ??= this.createPool();
      let client: PoolClient;
      try {
        client = await this.pool.connect();
      } catch (err) {
        throw pgConnectionError(err, this.url);
      }
      let broken = false;
      try {
        await client.query("BEGIN");
        await work(client);
        await client.query("COMMIT");
      } catch (err) {
        // A connection that cannot even roll back is dropped from the pool rather than reused.
        await client.query("ROLLBACK").catch(() => (broken = true));
        throw err;
      } finally {
        client.release(broken);
      }
    });
  }
}
