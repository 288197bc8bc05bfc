// One search across every run: actor, runner, message type, error code, words in labels and
// payloads, a time range. Each hit names its run and, when it belongs to one, its cycle, with the
// address of the cycle view that opens it selected (`sel=<seq>`).
import type { Db } from "@/lib/store/db";
import { findRunHeads, ftsQuery, searchEventRows, type EventSearchRow } from "@/lib/store/search-store";
import type { CycleInfo, RunInfo } from "@/lib/trace/types";
import { invalidInput } from "./errors";
import { runCycles } from "./selection";
import { findRun } from "@/lib/store/trace-store";

export const SEARCH_PAGE = 50;
const MAX_SEARCH_PAGE = 200;
const MAX_TERM = 200;

export interface SearchQuery {
  /** Words in labels and payloads (all of them; the last may be the start of a word). */
  text?: string;
  actorId?: string;
  runnerId?: string;
  /** Message type, exactly (e.g. `ActorIntentSleep`). */
  type?: string;
  /** An error code such as `actor.not_found`, searched in payloads. */
  code?: string;
  runId?: string;
  /** Events recorded in this range, inclusive (Date or ISO text): the run's start + the event's engine time. */
  from?: Date | string;
  to?: Date | string;
  limit?: number;
  /** The `next` cursor of the previous page. */
  cursor?: string;
}

export interface SearchHit {
  runId: string;
  runName: string;
  runStatus: RunInfo["status"];
  seq: number;
  time: number;
  kind: string;
  type: string;
  label: string;
  payloadStart: string | null;
  actorId: string | null;
  runnerId: string | null;
  /** The cycle holding the event (its actor and ordinal), null when it belongs to none. */
  cycle: { actorId: string; ordinal: number } | null;
  /** The view that shows the event selected: its cycle, else its run. */
  href: string;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Cursor of the next page, null on the last one. */
  next: string | null;
}

export async function searchEvents(db: Db, query: SearchQuery): Promise<SearchResult> {
  const text = term(query.text, "text");
  const code = term(query.code, "code");
  const limit = query.limit ?? SEARCH_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_PAGE) {
    throw invalidInput(`limit must be a whole number from 1 to ${MAX_SEARCH_PAGE}`, "invalid_limit");
  }
  const from = instant(query.from, "from");
  const to = instant(query.to, "to");
  if (from && to && from > to) throw invalidInput("The time range ends before it starts.", "invalid_range");
  const matches = [text ? ftsQuery(text) : null, code ? ftsQuery(code, "payload") : null].filter((m): m is string => m !== null);
  if ((text && !ftsQuery(text)) || (code && !ftsQuery(code, "payload"))) {
    throw invalidInput("Search for letters or digits.", "invalid_search");
  }
  const exact = { actorId: term(query.actorId, "actor"), runnerId: term(query.runnerId, "runner"), type: term(query.type, "type") };
  const runId = term(query.runId, "run");
  if (matches.length === 0 && !exact.actorId && !exact.runnerId && !exact.type && !runId && !from && !to) {
    throw invalidInput("Say what to search for: words, an actor, a runner, a message type, an error code or a time range.", "empty_search");
  }
  const rows = await searchEventRows(db, {
    match: matches.length ? matches.map((m) => `(${m})`).join(" AND ") : undefined,
    ...exact,
    runIds: runId ? [runId] : undefined,
    // Each event is checked by when it happened, not by when its run recorded: a run that spans
    // the range holds events before and after it.
    fromMs: from?.getTime(),
    toMs: to?.getTime(),
    beforeRow: cursorRow(query.cursor),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { hits: await describeHits(db, page), next: rows.length > limit ? String(page[page.length - 1].row) : null };
}

async function describeHits(db: Db, rows: EventSearchRow[]): Promise<SearchHit[]> {
  const runs = await findRunHeads(db, [...new Set(rows.map((row) => row.runId))]);
  const cycles = new Map<string, CycleInfo[]>();
  const hits: SearchHit[] = [];
  for (const row of rows) {
    const run = runs.get(row.runId);
    if (!run) continue; // deleted meanwhile
    let cycle = row.cycleOrdinal !== null && row.cycleActorId !== null ? { actorId: row.cycleActorId, ordinal: row.cycleOrdinal } : null;
    if (!cycle && row.actorId && row.cycleId === null) {
      // A running run's events are tagged with their cycle only when it ends: find it from the cycles.
      if (!cycles.has(run.id)) {
        const full = run.status === "running" ? await findRun(db, run.id) : null;
        cycles.set(run.id, full ? await runCycles(db, full) : []);
      }
      const found = cycles
        .get(run.id)!
        .find((c) => c.actorId === row.actorId && c.firstSeq <= row.seq && (c.outcome === "open" || row.seq <= c.lastSeq));
      if (found) cycle = { actorId: found.actorId, ordinal: found.ordinal };
    }
    const runPath = `/runs/${encodeURIComponent(run.id)}`;
    const href = cycle
      ? `${runPath}/cycles/${cycle.ordinal}?actor=${encodeURIComponent(cycle.actorId)}&sel=${row.seq}`
      : runPath;
    hits.push({
      runId: run.id,
      runName: run.name,
      runStatus: run.status as RunInfo["status"],
      seq: row.seq,
      time: row.time,
      kind: row.kind,
      type: row.type,
      label: row.label,
      payloadStart: row.payloadStart,
      actorId: row.actorId,
      runnerId: row.runnerId,
      cycle,
      href,
    });
  }
  return hits;
}

function term(value: string | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (trimmed.length > MAX_TERM) throw invalidInput(`The ${what} to search for is longer than ${MAX_TERM} characters.`, "invalid_search");
  return trimmed;
}

function instant(value: Date | string | undefined, what: string): Date | undefined {
  if (value === undefined || value === "") return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw invalidInput(`${what} is not a date: "${String(value)}"`, "invalid_range");
  return date;
}

function cursorRow(cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  if (!/^\d{1,15}$/.test(cursor)) throw invalidInput("The page cursor is not valid; search again.", "invalid_cursor");
  return Number(cursor);
}
