// Reads and writes of recorded runs. Everything that touches the tables for runs, events and
// cycles goes through here, so services and the recorder stay free of row shapes.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";
import type { Db } from "./db";
import { cycleToRow, eventToRow, rowToCycle, rowToEvent, rowToRun, runConfigCreate, runToRow } from "./mappers";
import { retryWhileBusy } from "./busy-retry";
import { eventWriterFor, slices, yieldToLoop, type RunOutcome } from "./event-writer";
import type { RecordedOwner, RunOwner } from "./run-owner";
import { dialectOf, locationOf } from "./sql-dialect";
import { sqliteCycleEvents } from "./sqlite-reads";

/** Events the recorder buffers before it writes them (each write then goes in short transactions). */
export const WRITE_CHUNK = 500;
/** Events of an import turned into rows at a time: the rows of a large bundle never all exist at once. */
export const IMPORT_CHUNK = 1_000;

export interface RunFilter {
  name?: string;
  source?: RunInfo["source"];
  since?: Date;
  limit?: number;
  /** Rows skipped (paging). */
  offset?: number;
}

export interface EventQuery {
  afterSeq?: number;
  actorId?: string;
  limit?: number;
}

export async function insertRun(db: Db, run: RunInfo, owner: RunOwner | null = null): Promise<void> {
  await retryWhileBusy(() => db.run.create({ data: { ...runToRow(run, owner), runConfig: runConfigCreate(run) } }));
}

export interface RunningRun extends RecordedOwner {
  id: string;
  ownerKind: string | null;
}

/** Runs still marked running, with who records them. */
export async function findRunningRuns(db: Db): Promise<RunningRun[]> {
  return db.run.findMany({ where: { status: "running" }, select: { id: true, owner: true, ownerKind: true, heartbeatAt: true } });
}

/** The owner's sign of life while a run records (see run-owner.ts). */
export async function touchRun(db: Db, runId: string, at: Date = new Date()): Promise<void> {
  await retryWhileBusy(() => db.run.updateMany({ where: { id: runId, status: "running" }, data: { heartbeatAt: at } }));
}

export async function findRun(db: Db, id: string): Promise<RunInfo | null> {
  const row = await db.run.findUnique({ where: { id }, include: { runConfig: true } });
  return row ? rowToRun(row) : null;
}

export async function findRuns(db: Db, filter: RunFilter = {}): Promise<RunInfo[]> {
  const where: Prisma.RunWhereInput = {};
  if (filter.name) where.name = dialectOf(db).containsText(filter.name);
  if (filter.source) where.source = filter.source;
  if (filter.since) where.startedAt = { gte: filter.since };
  const rows = await db.run.findMany({ where, orderBy: [{ startedAt: "desc" }, { id: "desc" }], take: filter.limit, skip: filter.offset });
  return rows.map(rowToRun);
}

export async function loadEvents(db: Db, runId: string, query: EventQuery = {}): Promise<TraceEvent[]> {
  const where: Prisma.EventWhereInput = { runId };
  if (query.afterSeq !== undefined) where.seq = { gt: query.afterSeq };
  if (query.actorId !== undefined) where.actorId = query.actorId;
  const rows = await db.event.findMany({ where, orderBy: { seq: "asc" }, take: query.limit });
  return rows.map(rowToEvent);
}

/**
 * The whole run as seen by one actor: the events of its cycles, its own events outside a cycle
 * and the events related to no actor and no cycle (runner and pool events).
 */
export async function loadActorEvents(db: Db, runId: string, actorId: string): Promise<TraceEvent[]> {
  const cycles = await db.cycle.findMany({ where: { runId, actorId }, select: { id: true } });
  const rows = await db.event.findMany({
    where: {
      runId,
      OR: [
        { cycleId: { in: cycles.map((cycle) => cycle.id) } },
        { cycleId: null, OR: [{ actorId }, { actorId: null }] },
      ],
    },
    orderBy: { seq: "asc" },
  });
  return rows.map(rowToEvent);
}

/** Some of a run's events by seq, in seq order. */
export async function loadEventsBySeq(db: Db, runId: string, seqs: number[]): Promise<TraceEvent[]> {
  const rows = await db.event.findMany({ where: { runId, seq: { in: seqs } }, orderBy: { seq: "asc" } });
  return rows.map(rowToEvent);
}

/**
 * The ends of the phases that began at `startSeqs`, in no particular order. Deliberately unsorted:
 * asked for seq order, the planners walk the whole run by its primary key instead of using the
 * partial index of phase ends (migration 20261202134300_phase_end_index).
 */
export async function loadPhaseEnds(db: Db, runId: string, startSeqs: number[]): Promise<TraceEvent[]> {
  const rows = await db.event.findMany({ where: { runId, kind: "phase-end", phaseId: { in: startSeqs } } });
  return rows.map(rowToEvent);
}

/** A cycle's events. The run id lets the (runId, cycleId) index find them without scanning every run. */
export async function loadCycleEvents(db: Db, runId: string, cycleId: string): Promise<TraceEvent[]> {
  const location = locationOf(db);
  if (location?.provider === "sqlite" && location.file) return sqliteCycleEvents(location.file, runId, cycleId);
  const rows = await db.event.findMany({ where: { runId, cycleId }, orderBy: { seq: "asc" } });
  return rows.map(rowToEvent);
}

export async function loadCycles(db: Db, runId: string): Promise<CycleInfo[]> {
  const rows = await db.cycle.findMany({ where: { runId }, orderBy: [{ firstSeq: "asc" }, { id: "asc" }] });
  return rows.map(rowToCycle);
}

export interface RunEnd extends RunOutcome {
  cycles: CycleInfo[];
  cycleOf: ReadonlyMap<number, string>;
}

/**
 * Stores the cycles, tags each event with its cycle and closes the run — all or nothing. Only the
 * events whose stored tag differs are written: a recorder tags rows as it writes them, so a run
 * whose recording process died (interrupted-runs.ts) mostly has the right tags already.
 */
export async function finishRun(db: Db, runId: string, end: RunEnd): Promise<RunInfo> {
  const tagged = await db.event.findMany({ where: { runId, cycleId: { not: null } }, select: { seq: true, cycleId: true } });
  const storedTag = new Map(tagged.map((row) => [row.seq, row.cycleId]));
  const seqsByCycle = new Map<string | null, number[]>();
  const retag = (seq: number, cycleId: string | null) => {
    const seqs = seqsByCycle.get(cycleId) ?? [];
    seqs.push(seq);
    seqsByCycle.set(cycleId, seqs);
  };
  for (const [seq, cycleId] of end.cycleOf) if (storedTag.get(seq) !== cycleId) retag(seq, cycleId);
  for (const seq of storedTag.keys()) if (!end.cycleOf.has(seq)) retag(seq, null);
  // The queries are made anew for each attempt: a batch's queries run once.
  const tagEvents = () =>
    [...seqsByCycle].flatMap(([cycleId, seqs]) =>
      slices(seqs, WRITE_CHUNK).map((chunk) => db.event.updateMany({ where: { runId, seq: { in: chunk } }, data: { cycleId } })),
    );
  await retryWhileBusy(() =>
    db.$transaction([
      db.cycle.deleteMany({ where: { runId } }),
      db.cycle.createMany({ data: end.cycles.map(cycleToRow) }),
      ...tagEvents(),
      db.run.update({
        where: { id: runId },
        data: { status: end.status, error: end.error, endedAt: end.endedAt, owner: null, heartbeatAt: null },
        select: { id: true },
      }),
    ]),
  );
  return rowToRun(await db.run.findUniqueOrThrow({ where: { id: runId }, include: { runConfig: true } }));
}

/** Closes a recording run whose cycles are stored (event-writer.ts): its status, and no owner any more. */
export async function endRun(db: Db, runId: string, end: RunOutcome): Promise<RunInfo> {
  await retryWhileBusy(() =>
    db.run.update({
      where: { id: runId },
      data: { status: end.status, error: end.error, endedAt: end.endedAt, owner: null, heartbeatAt: null },
      select: { id: true },
    }),
  );
  return rowToRun(await db.run.findUniqueOrThrow({ where: { id: runId }, include: { runConfig: true } }));
}

/** A run written as it arrives (an import read from a stream): see beginStoredRun. */
export interface StoredRunWriter {
  /** Appends the next events, in seq order. */
  append(events: readonly TraceEvent[]): Promise<void>;
  /** Stores the cycles and the run's end: the run is complete. */
  complete(cycles: readonly CycleInfo[]): Promise<void>;
  /** Removes the run and everything written of it. */
  discard(): Promise<void>;
}

/**
 * Starts writing a run that is already over (an imported bundle) through the recorder's write path
 * (event-writer.ts): short transactions with a turn of the event loop between them, so a bundle of
 * a million events never holds the server's engine for long. Until `complete` the run shows as
 * running, owned by this process (a process killed meanwhile leaves it to be ended as interrupted).
 */
export async function beginStoredRun(db: Db, run: RunInfo, owner: RunOwner | null = null): Promise<StoredRunWriter> {
  const writer = eventWriterFor(db);
  writer.warm?.().catch(() => undefined);
  await retryWhileBusy(() =>
    db.run.create({ data: { ...runToRow({ ...run, status: "running", endedAt: null, eventCount: 0 }, owner), runConfig: runConfigCreate(run) }, select: { id: true } }),
  );
  let written = 0;
  return {
    async append(events) {
      for (let i = 0; i < events.length; i += IMPORT_CHUNK) {
        const rows = events.slice(i, i + IMPORT_CHUNK).map((event) => eventToRow(run.id, event));
        await writer.append(run.id, { rows });
        written += rows.length;
        await yieldToLoop();
      }
    },
    async complete(cycles) {
      await writer.storeCycles(run.id, cycles, []);
      await retryWhileBusy(() =>
        db.run.update({
          where: { id: run.id },
          data: { status: run.status, endedAt: run.endedAt ? new Date(run.endedAt) : null, eventCount: written, owner: null, heartbeatAt: null },
          select: { id: true },
        }),
      );
    },
    async discard() {
      await retryWhileBusy(() => db.run.deleteMany({ where: { id: run.id } })).catch(() => undefined);
    },
  };
}

/** Writes a complete run in one go (beginStoredRun); if any write fails, nothing of it is left. */
export async function insertCompleteRun(db: Db, run: RunInfo, events: TraceEvent[], cycles: CycleInfo[], owner: RunOwner | null = null): Promise<void> {
  const stored = await beginStoredRun(db, run, owner);
  try {
    await stored.append(events);
    await stored.complete(cycles);
  } catch (err) {
    await stored.discard();
    throw err;
  }
}

