// The parts of the search statement (search-store.ts) that differ between SQLite and PostgreSQL:
// how rows are numbered in insertion order, how words are matched, how an index is kept out of a
// condition, and how a run's start becomes epoch milliseconds.
import { ftsToTsquery } from "./fts-to-tsquery";
import type { DatabaseProvider } from "./location";
import type { SqlParams } from "./sql-dialect";

export interface SearchDialect {
  /** The row number of `e` in insertion order: newest first, and the page cursor. */
  row: string;
  /** FROM and WHERE for events matching an FTS5 query (see ftsQuery); `row` then numbers them. */
  textMatch(match: string, p: SqlParams): { from: string; where: string; row: string };
  /** A condition that must not lead the plan (a filter narrowing far less than another one). */
  unindexed(column: string): string;
  /** Epoch milliseconds of the run `r`'s start. */
  runStartMs: string;
  /** A cast of the row number to a float for the driver (no bigint reaches JavaScript). */
  rowAsNumber(row: string): string;
}

const sqlite: SearchDialect = {
  row: "e.rowid",
  textMatch: (match, p) => ({
    from: `"EventSearch" s JOIN "Event" e ON e.rowid = s.rowid`,
    where: `"EventSearch" MATCH ${p.add(match)}`,
    // The FTS index leads: newest first by its rowid, stopping after one page.
    row: "s.rowid",
  }),
  // `+` keeps SQLite off the column's index.
  unindexed: (column) => `+${column}`,
  // Stored as ISO text, to the millisecond: rounding makes it exact.
  runStartMs: `round((julianday(r."startedAt") - 2440587.5) * 86400000.0)`,
  rowAsNumber: (row) => `CAST(${row} AS REAL)`,
};

const postgresql: SearchDialect = {
  row: `e."searchRow"`,
  textMatch: (match, p) => ({
    from: `"Event" e`,
    // The stored vector the GIN index holds: a row the planner tests is not tokenised again.
    where: `e."searchVector" @@ to_tsquery('pg_catalog.simple', wakeline_search_fold(${p.add(ftsToTsquery(match))}))`,
    row: `e."searchRow"`,
  }),
  // PostgreSQL picks indexes by its statistics; no hint is needed (or possible).
  unindexed: (column) => column,
  // timestamp(3) without a zone holds UTC (Prisma's convention): its epoch is exact to the ms.
  runStartMs: `round(extract(epoch from r."startedAt") * 1000)::float8`,
  rowAsNumber: (row) => `${row}::float8`,
};

export const searchDialects: Record<DatabaseProvider, SearchDialect> = { sqlite, postgresql };
