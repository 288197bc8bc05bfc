// The hot reads use an index on PostgreSQL too. The planner picks a sequential scan for a small
// table whatever its indexes, so the database is filled first (5 000 runs, 100 000 events, their
// cycles) and analysed, as a database in use would be; no planner setting is forced.
import type { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ftsQuery, buildSearchQuery, type EventSearchFilter } from "@/lib/store/search-store";
import { dialectFor } from "@/lib/store/sql-dialect";
import { connectPgClient } from "@/lib/store/pg-connection";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";

let temp: TempDb;
let client: Client;

const RUNS = 5_000;
const EVENT_RUNS = 200;
const EVENTS_PER_RUN = 500;

beforeAll(async () => {
  temp = await createTempDb();
  client = await connectPgClient(temp.url, "wakeline-tests");
  // The text index is built once after the load (as the migration would on an existing database):
  // kept up row by row, the load alone would take half a minute.
  const { rows } = await client.query<{ definition: string }>(`SELECT pg_get_indexdef('"Event_search_idx"'::regclass) AS definition`);
  await client.query(`DROP INDEX "Event_search_idx"`);
  await client.query(`
    INSERT INTO "Run" ("id", "name", "source", "status", "eventCount", "startedAt")
    SELECT 'r' || i, 'run ' || i, 'scenario', CASE WHEN i % 1000 = 0 THEN 'running' ELSE 'finished' END, 0,
           timestamp '2026-01-01' + i * interval '1 minute'
    FROM generate_series(1, ${RUNS}) AS i;
    INSERT INTO "Cycle" ("id", "runId", "actorId", "ordinal", "firstSeq", "lastSeq", "startTime", "outcome")
    SELECT 'c' || r || '-' || k, 'r' || r, 'a' || (r % 50), k, k * 50, k * 50 + 49, k, 'slept'
    FROM generate_series(1, ${EVENT_RUNS}) AS r, generate_series(0, ${EVENTS_PER_RUN / 50 - 1}) AS k;
    INSERT INTO "Event" ("runId", "seq", "time", "kind", "type", "label", "payload", "actorId", "runnerId", "cycleId")
    SELECT 'r' || r, s, s * 1.5, 'message', 'Type' || (s % 7), 'request ' || (s % 97) || ' word' || (r * s % 5000),
           '{"path":"/orders/' || r || '-' || s || '"}', 'a' || r || '-' || (s / 50), 'runner-' || r, 'c' || r || '-' || (s / 50)
    FROM generate_series(1, ${EVENT_RUNS}) AS r, generate_series(1, ${EVENTS_PER_RUN}) AS s;`);
  await client.query(rows[0].definition);
  await client.query("ANALYZE");
}, 120_000);
afterAll(async () => {
  await client?.end();
  await temp?.cleanup();
});

async function plan(sql: string, params: unknown[] = []): Promise<string> {
  const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

function search(filter: Omit<EventSearchFilter, "limit">): { sql: string; params: unknown[] } {
  return buildSearchQuery(dialectFor("postgresql"), { limit: 51, ...filter })!;
}

describe("query plans of the hot reads on PostgreSQL", () => {
  it.each([
    ["a cycle's events", `SELECT * FROM "Event" WHERE "runId" = 'r7' AND "cycleId" = 'c7-3' ORDER BY "seq"`, /Event_runId_cycleId_seq_idx/],
    ["a run's events after a seq (live stream)", `SELECT * FROM "Event" WHERE "runId" = 'r7' AND "seq" > 10 ORDER BY "seq"`, /Event_pkey/],
    ["an actor's events", `SELECT * FROM "Event" WHERE "runId" = 'r7' AND "actorId" = 'a7-3' ORDER BY "seq"`, /Event_runId_actorId_seq_idx/],
    ["a run's cycles", `SELECT * FROM "Cycle" WHERE "runId" = 'r7'`, /Cycle_runId/],
    ["running runs", `SELECT * FROM "Run" WHERE "status" = 'running'`, /Run_status_idx/],
    ["the run list, newest first", `SELECT * FROM "Run" ORDER BY "startedAt" DESC, "id" DESC LIMIT 50`, /Run_startedAt_idx/],
    // As Prisma asks it (every value bound): the partial index of phase ends still serves it.
    ["the ends of enclosing phases", `SELECT * FROM "Event" WHERE "runId" = $1 AND "kind" = $2 AND "phaseId" IN ($3, $4)`, /Event_phaseEnd_idx/, ["r7", "phase-end", 4, 9]],
  ])("%s use an index", async (_what, sql, index, params?: unknown[]) => {
    const detail = await plan(sql, params);
    expect(detail).toMatch(index);
    expect(detail).not.toMatch(/Seq Scan on "?(Event|Cycle|Run)"?/);
  });

  it.each([
    // Each actor, runner and word is a small part of the events, as in a database of many runs.
    ["words", { match: ftsQuery("word123")! }, /Event_search_idx/],
    ["a path in payloads", { match: ftsQuery("/orders/7-123", "payload")! }, /Event_search_idx/],
    ["an actor", { actorId: "a7-3" }, /Event_actorId_searchRow_idx/],
    ["a runner and a type", { runnerId: "runner-3", type: "Type2" }, /Event_runnerId_searchRow_idx/],
    ["an actor, the next page", { actorId: "a7-3", beforeRow: 100_000 }, /Event_actorId_searchRow_idx/],
  ])("search by %s uses an index", async (_what, filter, index) => {
    const query = search(filter);
    const detail = await plan(query.sql, query.params);
    expect(detail).toMatch(index);
    expect(detail).not.toMatch(/Seq Scan on "?Event"?/);
  });
});
