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

const plan = (sql: string) => (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join("\n");

describe.skipIf(onPostgres)("query plans of the hot reads", () => {
  it.each([
    ["a cycle's events", `SELECT * FROM "Event" WHERE "runId" = 'r' AND "cycleId" = 'c' ORDER BY "seq"`],
    ["a run's events after a seq (live stream)", `SELECT * FROM "Event" WHERE "runId" = 'r' AND "seq" > 10 ORDER BY "seq"`],
    ["an actor's events", `SELECT * FROM "Event" WHERE "runId" = 'r' AND "actorId" = 'a' ORDER BY "seq"`],
    ["a run's cycles", `SELECT * FROM "Cycle" WHERE "runId" = 'r'`],
    ["running runs", `SELECT * FROM "Run" WHERE "status" = 'running'`],
  ])("%s use an index", (_what, sql) => {
    const detail = plan(sql);
    expect(detail).toMatch(/SEARCH/);
    expect(detail).not.toMatch(/SCAN (Event|Cycle|Run)\b/);
  });
});
