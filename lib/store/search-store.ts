// Search across every recorded run. Exact matches (actor, runner, message type, run) use btree
// indexes on Event; words in labels and payloads use, on SQLite, the EventSearch FTS5 table, an
// external-content index of Event filled in batches (search-index.ts), and on PostgreSQL a GIN
// index over a stored, generated tsvector column (its 20261202051500_event_search and
// 20261202143000_search_vector_stored), which answers the same queries (fts-to-tsquery.ts).
// Results are newest first in insertion order (SQLite's rowid, PostgreSQL's "searchRow"), so exact
// matches walk an index backwards and stop after one page, whatever the size of the database.
// The dialect parts are in search-dialect.ts.
import type { Db } from "./db";
import { searchDialects } from "./search-dialect";
import { catchUpSearchIndex } from "./search-index";
import { dialectOf, SqlParams, type SqlDialect } from "./sql-dialect";

export interface EventSearchFilter {
  /** An FTS5 query (built by the caller from the user's words; see ftsQuery), on either database. */
  match?: string;
  actorId?: string;
  runnerId?: string;
  type?: string;
  /** Only these runs (one run asked for). */
  runIds?: readonly string[];
  /**
   * Only events that happened in this range (epoch ms, inclusive): at their run's start plus their
   * engine time, as every view shows them.
   */
  fromMs?: number;
  toMs?: number;
  /** Cursor: only rows older than this one. */
  beforeRow?: number;
  limit: number;
}

export interface EventSearchRow {
  row: number;
  runId: string;
  seq: number;
  time: number;
  kind: string;
  type: string;
  label: string;
  /** The start of the payload's JSON text (enough to show why it matched). */
  payloadStart: string | null;
  actorId: string | null;
  runnerId: string | null;
  cycleId: string | null;
  /** The cycle's ordinal and actor when the event is tagged with a cycle (ended runs). */
  cycleOrdinal: number | null;
  cycleActorId: string | null;
}

const PAYLOAD_PREVIEW = 240;

/** Quotes each of the user's words as an FTS5 string (so no operator can be injected); the last word is a prefix. */
export function ftsQuery(text: string, column?: "label" | "payload"): string | null {
  const words = text
    .split(/\s+/)
    .map((word) => word.trim())
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return null;
  const quoted = words.map((word, i) => {
    const phrase = `"${word.replace(/"/g, '""')}"`;
    return i === words.length - 1 && /[\p{L}\p{N}]{2,}$/u.test(word) ? `${phrase} *` : phrase;
  });
  const query = quoted.join(" AND ");
  return column ? `${column} : (${query})` : query;
}

export async function searchEventRows(db: Db, filter: EventSearchFilter): Promise<EventSearchRow[]> {
  const query = buildSearchQuery(dialectOf(db), filter);
  if (!query) return [];
  // Events written by a writer that does not index are found too (search-index.ts).
  if (filter.match) await catchUpSearchIndex(db);
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(query.sql, ...query.params);
  return rows.map(toSearchRow);
}

/** The search statement for a dialect (the query-plan tests explain it); null when nothing can match. */
export function buildSearchQuery(dialect: SqlDialect, filter: EventSearchFilter): { sql: string; params: unknown[] } | null {
  const search = searchDialects[dialect.provider];
  const p = new SqlParams(dialect);
  const where: string[] = [];
  let from = `"Event" e`;
  let row = search.row;
  if (filter.match) {
    const text = search.textMatch(filter.match, p);
    from = text.from;
    where.push(text.where);
    row = text.row;
  }
  // An actor or a runner narrows far more than a message type (a handful of types share every
  // event): with one of them, the type is checked row by row.
  const typeUnindexed = filter.actorId !== undefined || filter.runnerId !== undefined;
  for (const [column, value] of [
    ["actorId", filter.actorId],
    ["runnerId", filter.runnerId],
    ["type", filter.type],
  ] as const) {
    if (value !== undefined) {
      const expression = `e."${column}"`;
      where.push(`${column === "type" && typeUnindexed ? search.unindexed(expression) : expression} = ${p.add(value)}`);
    }
  }
  if (filter.runIds) {
    if (filter.runIds.length === 0) return null;
    // With words, the text index leads (newest first, stopping after a page); the runs are a check.
    const expression = filter.match || typeUnindexed ? search.unindexed(`e."runId"`) : `e."runId"`;
    where.push(`${expression} IN (${p.list(filter.runIds)})`);
  }
  let runJoin = "";
  if (filter.fromMs !== undefined || filter.toMs !== undefined) {
    runJoin = `JOIN "Run" r ON r."id" = e."runId"`;
    const instant = `(e."time" + ${search.runStartMs})`;
    if (filter.fromMs !== undefined) where.push(`${instant} >= ${p.add(filter.fromMs)}`);
    if (filter.toMs !== undefined) where.push(`${instant} <= ${p.add(filter.toMs)}`);
  }
  if (filter.beforeRow !== undefined) where.push(`${row} < ${p.add(filter.beforeRow)}`);
  const sql = `SELECT ${search.rowAsNumber(row)} AS "row", e."runId", e."seq", e."time", e."kind", e."type", e."label",
      substr(e."payload", 1, ${PAYLOAD_PREVIEW}) AS "payloadStart", e."actorId", e."runnerId", e."cycleId",
      c."ordinal" AS "cycleOrdinal", c."actorId" AS "cycleActorId"
    FROM ${from} ${runJoin} LEFT JOIN "Cycle" c ON c."id" = e."cycleId"
    ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY ${row} DESC LIMIT ${p.add(filter.limit)}`;
  return { sql, params: p.values };
}

function toSearchRow(r: Record<string, unknown>): EventSearchRow {
  return {
    row: Number(r.row),
    runId: String(r.runId),
    seq: Number(r.seq),
    time: Number(r.time),
    kind: String(r.kind),
    type: String(r.type),
    label: String(r.label),
    payloadStart: r.payloadStart === null ? null : String(r.payloadStart),
    actorId: (r.actorId as string | null) ?? null,
    runnerId: (r.runnerId as string | null) ?? null,
    cycleId: (r.cycleId as string | null) ?? null,
    cycleOrdinal: r.cycleOrdinal === null || r.cycleOrdinal === undefined ? null : Number(r.cycleOrdinal),
    cycleActorId: (r.cycleActorId as string | null) ?? null,
  };
}

/** Name and status of the given runs, in one read. */
export async function findRunHeads(db: Db, ids: readonly string[]): Promise<Map<string, { id: string; name: string; status: string }>> {
  const rows = await db.run.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, status: true } });
  return new Map(rows.map((row) => [row.id, row]));
}
