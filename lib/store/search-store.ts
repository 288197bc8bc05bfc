// Search across every recorded run. Exact matches (actor, runner, message type, run) use btree
// indexes on Event; words in labels and payloads use the EventSearch FTS5 table, an external-content
// index of Event kept up to date by triggers (migration 20261201233744_event_search). Results are
// newest first by Event's rowid (insertion order), so every query walks an index backwards and stops
// after one page, whatever the size of the database.
import type { Db } from "./db";

export interface EventSearchFilter {
  /** An FTS5 query (built by the caller from the user's words; see ftsQuery). */
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
  const where: string[] = [];
  const params: unknown[] = [];
  let from = `"Event" e`;
  let order = `e.rowid DESC`;
  if (filter.match) {
    from = `"EventSearch" s JOIN "Event" e ON e.rowid = s.rowid`;
    where.push(`"EventSearch" MATCH ?`);
    params.push(filter.match);
    order = `s.rowid DESC`;
  }
  // An actor or a runner narrows far more than a message type (a handful of types share every
  // event): with one of them, the type is checked row by row (`+` keeps SQLite off its index).
  const typeUnindexed = filter.actorId !== undefined || filter.runnerId !== undefined;
  for (const [column, value] of [
    ["actorId", filter.actorId],
    ["runnerId", filter.runnerId],
    ["type", filter.type],
  ] as const) {
    if (value !== undefined) {
      where.push(`${column === "type" && typeUnindexed ? "+" : ""}e."${column}" = ?`);
      params.push(value);
    }
  }
  if (filter.runIds) {
    if (filter.runIds.length === 0) return [];
    // With words, the FTS index leads (newest first, stopping after a page); the runs are a check.
    where.push(`${filter.match || typeUnindexed ? "+" : ""}e."runId" IN (${filter.runIds.map(() => "?").join(", ")})`);
    params.push(...filter.runIds);
  }
  let runJoin = "";
  if (filter.fromMs !== undefined || filter.toMs !== undefined) {
    // The run's start in epoch ms (stored as ISO text, to the millisecond: rounding makes it exact).
    runJoin = `JOIN "Run" r ON r."id" = e."runId"`;
    const instant = `(e."time" + round((julianday(r."startedAt") - 2440587.5) * 86400000.0))`;
    if (filter.fromMs !== undefined) {
      where.push(`${instant} >= ?`);
      params.push(filter.fromMs);
    }
    if (filter.toMs !== undefined) {
      where.push(`${instant} <= ?`);
      params.push(filter.toMs);
    }
  }
  if (filter.beforeRow !== undefined) {
    where.push(filter.match ? `s.rowid < ?` : `e.rowid < ?`);
    params.push(filter.beforeRow);
  }
  const sql = `SELECT CAST(e.rowid AS REAL) AS "row", e."runId", e."seq", e."time", e."kind", e."type", e."label",
      substr(e."payload", 1, ${PAYLOAD_PREVIEW}) AS "payloadStart", e."actorId", e."runnerId", e."cycleId",
      c."ordinal" AS "cycleOrdinal", c."actorId" AS "cycleActorId"
    FROM ${from} ${runJoin} LEFT JOIN "Cycle" c ON c."id" = e."cycleId"
    ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY ${order} LIMIT ?`;
  params.push(filter.limit);
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params);
  return rows.map((r) => ({
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
  }));
}

/** Name and status of the given runs, in one read. */
export async function findRunHeads(db: Db, ids: readonly string[]): Promise<Map<string, { id: string; name: string; status: string }>> {
  const rows = await db.run.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, status: true } });
  return new Map(rows.map((row) => [row.id, row]));
}
