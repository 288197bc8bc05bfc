// The recorder on PostgreSQL against the store's own speed there, for `npm run bench` when
// WAKELINE_TEST_POSTGRES_URL names a server: the same rows recorded through the real path
// (recorder → `unnest` batches) into one fresh database, and inserted raw into another — one
// `unnest` INSERT per 5,000 rows (the writer's own statement) in one transaction, the fastest
// insert node-postgres offers without COPY — both migrated like Wakeline's (the same indexes, the
// search index included).
import type { TraceEvent } from "../lib/trace/types";
import { closeDb, openDb, type Db } from "../lib/store/db";
import { eventColumnArrays, eventToRow } from "../lib/store/mappers";
import { connectPgClient } from "../lib/store/pg-connection";
import { INSERT_EVENTS, ROWS_PER_STATEMENT } from "../lib/store/pg-event-writer";
import { createPostgresDatabase } from "../lib/store/testing/postgres-database";
import { computeCycles } from "../lib/trace/cycles";
import { timeAsync } from "./bench-timing";

export interface PostgresFigures {
  recordedMs: number;
  rawMs: number;
}

export async function benchPostgresRecorder(
  events: TraceEvent[],
  recordAll: (db: Db, events: TraceEvent[]) => Promise<number>,
): Promise<PostgresFigures> {
  const raw = await createPostgresDatabase();
  const recorded = await createPostgresDatabase();
  try {
    const rawMs = await rawInserts(raw.url, events);
    const db = await openDb(recorded.url);
    const recordedMs = (await timeAsync(() => recordAll(db, events))).ms;
    await closeDb(recorded.url);
    return { recordedMs, rawMs };
  } finally {
    await closeDb(raw.url);
    await raw.drop();
    await recorded.drop();
  }
}

async function rawInserts(url: string, events: TraceEvent[]): Promise<number> {
  await openDb(url); // migrates
  const { cycleOf } = computeCycles("r", events);
  const rows = events.map((event) => ({ ...eventToRow("r", event), cycleId: cycleOf.get(event.seq) ?? null }));
  const client = await connectPgClient(url, "wakeline-bench");
  try {
    await client.query(`INSERT INTO "Run" ("id", "name", "source", "status", "eventCount", "startedAt") VALUES ('r', 'raw', 'scenario', 'running', 0, now())`);
    return (
      await timeAsync(async () => {
        await client.query("BEGIN");
        for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
          await client.query(INSERT_EVENTS.sql, eventColumnArrays(rows.slice(i, i + ROWS_PER_STATEMENT), INSERT_EVENTS.columns));
        }
        await client.query("COMMIT");
      })
    ).ms;
  } finally {
    await client.end();
  }
}
