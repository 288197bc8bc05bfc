// Read-only use cases over recorded runs.
import type { Db } from "@/lib/store/db";
import { findRun, findRuns, loadEvents } from "@/lib/store/trace-store";
import { RUN_SOURCES, type CycleInfo, type RunInfo, type TraceEvent } from "@/lib/trace/types";
import { invalidInput, notFound } from "./errors";
import { runCycles } from "./selection";

export { RUN_SOURCES };
const DEFAULT_RUN_LIMIT = 50;
const MAX_LIMIT = 10_000;

export interface ListRunsQuery {
  /** Part of the run's name. */
  name?: string;
  source?: RunInfo["source"];
  /** Runs started at or after this instant (Date or ISO text). */
  since?: Date | string;
  limit?: number;
  /** Runs skipped, newest first (paging: page n is offset n × limit). */
  offset?: number;
}

export interface ActorSummary {
  actorId: string;
  /** The actor workflow's last recorded state, null when no state change was recorded. */
  state: string | null;
  generation: number | null;
  runnerId: string | null;
  cycles: number;
  eventCount: number;
  firstSeq: number;
  lastSeq: number;
}

export async function listRuns(db: Db, query: ListRunsQuery = {}): Promise<RunInfo[]> {
  if (query.source !== undefined && !RUN_SOURCES.includes(query.source)) {
    throw invalidInput(`Unknown run source "${query.source}" (expected ${RUN_SOURCES.join(", ")})`);
  }
  let since: Date | undefined;
  if (query.since !== undefined) {
    since = query.since instanceof Date ? query.since : new Date(query.since);
    if (Number.isNaN(since.getTime())) throw invalidInput(`"${String(query.since)}" is not a date`);
  }
  return findRuns(db, {
    name: query.name,
    source: query.source,
    since,
    limit: checkLimit(query.limit) ?? DEFAULT_RUN_LIMIT,
    offset: checkOffset(query.offset),
  });
}

export async function getRun(db: Db, id: string): Promise<RunInfo> {
  const run = await findRun(db, id);
  if (!run) throw notFound(`Run ${id} not found`, "run_not_found");
  return run;
}

export async function getEvents(
  db: Db,
  runId: string,
  query: { afterSeq?: number; actorId?: string; limit?: number } = {},
): Promise<TraceEvent[]> {
  await getRun(db, runId);
  if (query.afterSeq !== undefined && !Number.isInteger(query.afterSeq)) {
    throw invalidInput(`afterSeq must be a whole number, not ${query.afterSeq}`);
  }
  return loadEvents(db, runId, { ...query, limit: checkLimit(query.limit) });
}

export async function listCycles(db: Db, runId: string): Promise<CycleInfo[]> {
  return runCycles(db, await getRun(db, runId));
}

export async function listActors(db: Db, runId: string): Promise<ActorSummary[]> {
  const run = await getRun(db, runId);
  const groups = await db.event.groupBy({
    by: ["actorId"],
    where: { runId, actorId: { not: null } },
    _count: { _all: true },
    _min: { seq: true },
    _max: { seq: true },
  });
  const states = await db.event.findMany({
    where: { runId, kind: "note", type: "state", actorId: { not: null } },
    orderBy: { seq: "asc" },
    select: { actorId: true, payload: true },
  });
  const lastState = new Map<string, Record<string, unknown>>();
  for (const row of states) {
    if (row.actorId && row.payload) lastState.set(row.actorId, JSON.parse(row.payload) as Record<string, unknown>);
  }
  const cycleCounts = new Map<string, number>();
  for (const cycle of await runCycles(db, run)) {
    cycleCounts.set(cycle.actorId, (cycleCounts.get(cycle.actorId) ?? 0) + 1);
  }
  return groups
    .map((group) => {
      const actorId = group.actorId as string;
      const state = lastState.get(actorId);
      return {
        actorId,
        state: typeof state?.to === "string" ? state.to : null,
        generation: typeof state?.generation === "number" ? state.generation : null,
        runnerId: typeof state?.runnerId === "string" ? state.runnerId : null,
        cycles: cycleCounts.get(actorId) ?? 0,
        eventCount: group._count._all,
        firstSeq: group._min.seq ?? 0,
        lastSeq: group._max.seq ?? 0,
      };
    })
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

function checkOffset(offset: number | undefined): number | undefined {
  if (offset === undefined) return undefined;
  if (!Number.isInteger(offset) || offset < 0 || offset > 1_000_000_000) {
    throw invalidInput(`offset must be a whole number ≥ 0, not ${offset}`, "invalid_offset");
  }
  return offset;
}

function checkLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalidInput(`limit must be a whole number from 1 to ${MAX_LIMIT}, not ${limit}`);
  }
  return limit;
}
