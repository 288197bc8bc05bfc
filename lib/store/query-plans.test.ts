// The hot reads of the cycle page go through an index, whatever the size of the database: a full
// scan of Event would grow with every run ever recorded rather than with the cycle shown.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb, onPostgres } from "./testing/temp-db";

let temp: TempDb;
let sqlite: Database.Database;
beforeAll(async () => {
  if (onPostgres) return; // SQLite only: skipped in the PostgreSQL run
  temp = await createTempDb();
  sqlite = new Database(temp.url.slice("file:".length), { readonly: true });
});
afterAll(async () => {
  if (onPostgres) return; // SQLite only: skipped in the PostgreSQL run
  sqlite.close();
  await temp.cleanup();
});

const plan = (sql: string, params: unknown[] = []) => (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail).join("\n");

describe.skipIf(onPostgres)("query plans of the hot reads", () => {
  // The index each read must use: a search by the primary key alone (runId) would read the whole
  // run, which SQLite prefers when it saves a sort, so the index is named, not just "SEARCH".
  it.each([
    ["a cycle's events", `SELECT * FROM "Event" WHERE "runId" = ? AND "cycleId" = ? ORDER BY "seq"`, ["r", "c"], /USING INDEX Event_runId_cycleId_seq_idx \(runId=\? AND cycleId=\?\)/],
    ["a run's events after a seq (live stream)", `SELECT * FROM "Event" WHERE "runId" = ? AND "seq" > ? ORDER BY "seq"`, ["r", 10], /USING INDEX sqlite_autoindex_Event_1 \(runId=\? AND seq>\?\)/],
    ["an actor's events", `SELECT * FROM "Event" WHERE "runId" = ? AND "actorId" = ? ORDER BY "seq"`, ["r", "a"], /USING INDEX Event_runId_actorId_seq_idx \(runId=\? AND actorId=\?\)/],
    ["a run's cycles", `SELECT * FROM "Cycle" WHERE "runId" = ?`, ["r"], /USING INDEX Cycle_runId_idx/],
    ["running runs", `SELECT * FROM "Run" WHERE "status" = ?`, ["running"], /USING INDEX Run_status_idx/],
  ])("%s use their index", (_what, sql, params, index) => {
    const detail = plan(sql, params);
    expect(detail).toMatch(index);
    expect(detail).not.toMatch(/SCAN (Event|Cycle|Run)\b/);
  });

  it("the ends of enclosing phases use the partial index of phase ends, with every value bound as Prisma binds it (unsorted: see loadPhaseEnds)", () => {
    const detail = plan(`SELECT * FROM "Event" WHERE "runId" = ? AND "kind" = ? AND "phaseId" IN (?, ?)`, ["r", "phase-end", 4, 9]);
    expect(detail).toMatch(/SEARCH Event USING INDEX Event_phaseEnd_idx/);
  });
});
