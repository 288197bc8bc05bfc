// Which events a view shows: one cycle of an actor, all its cycles, or the whole run as the actor
// saw it. Finished runs read stored cycles; a run still recording has its cycles computed on the fly.
import type { Db } from "@/lib/store/db";
import { loadActorEvents, loadCycleEvents, loadCycles, loadEvents, loadEventsBySeq, loadPhaseEnds } from "@/lib/store/trace-store";
import { computeCycles } from "@/lib/trace/cycles";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";
import { invalidInput, notFound } from "./errors";

export interface SelectionQuery {
  actorId?: string;
  /** Ordinal of one of the actor's cycles (from 1). */
  cycle?: number;
  /** Only the actor's cycles (and runner/pool events outside any cycle), not its events between them. */
  allCycles?: boolean;
}

export interface Selection {
  /** null when the run has no actor at all (then the whole run is selected). */
  actorId: string | null;
  cycle: CycleInfo | null;
  events: TraceEvent[];
}

/** The cycles of a run: stored once it has ended, computed from its events while it records. */
export async function runCycles(db: Db, run: RunInfo): Promise<CycleInfo[]> {
  if (run.status !== "running") return loadCycles(db, run.id);
  return computeCycles(run.id, await loadEvents(db, run.id)).cycles;
}

/**
 * `storedCycles`: the run's cycles, when the caller has read them for this run already (a page
 * that lists them too); used only for a run that has ended, whose cycles are stored and final.
 */
export async function selectEvents(db: Db, run: RunInfo, query: SelectionQuery, storedCycles?: CycleInfo[]): Promise<Selection> {
  if (query.cycle !== undefined && query.allCycles) {
    throw invalidInput("Choose either one cycle or all cycles, not both");
  }
  if (query.cycle !== undefined && (!Number.isInteger(query.cycle) || query.cycle < 1)) {
    throw invalidInput(`Cycle must be a positive whole number, not ${query.cycle}`);
  }
  const live = run.status === "running" ? await liveView(db, run.id) : null;
  const actorId = query.actorId ?? (await firstActorId(db, run.id));
  if (actorId === null) {
    return { actorId: null, cycle: null, events: live ? live.events : await loadEvents(db, run.id) };
  }
  const cycles = (live ? live.cycles : (storedCycles ?? (await loadCycles(db, run.id)))).filter((c) => c.actorId === actorId);
  if (cycles.length === 0 && !(await actorSeen(db, run.id, actorId))) {
    throw notFound(`Actor ${actorId} does not appear in run ${run.id}`, "actor_not_found");
  }
  if (query.cycle !== undefined) {
    const cycle = cycles.find((c) => c.ordinal === query.cycle);
    if (!cycle) {
      throw notFound(
        `Actor ${actorId} has no cycle ${query.cycle} in run ${run.id} (it has ${cycles.length})`,
        "cycle_not_found",
      );
    }
    const events = live ? live.events.filter((e) => e.cycleId === cycle.id) : await loadCycleEvents(db, run.id, cycle.id);
    return { actorId, cycle, events: await withEnclosingPhases(events, phaseSource(db, run.id, live?.events)) };
  }
  const cycleIds = new Set(cycles.map((c) => c.id));
  const candidates = live ? live.events : await loadActorEvents(db, run.id, actorId);
  const events = candidates.filter((e) =>
    e.cycleId !== null
      ? cycleIds.has(e.cycleId)
      : e.actorId === null || (!query.allCycles && e.actorId === actorId),
  );
  return { actorId, cycle: null, events: await withEnclosingPhases(events, phaseSource(db, run.id, live?.events)) };
}

interface PhaseSource {
  starts(seqs: number[]): Promise<TraceEvent[]>;
  ends(startSeqs: number[]): Promise<TraceEvent[]>;
}

/**
 * Adds the phase-starts (and their ends) that enclose selected events but belong elsewhere — e.g.
 * a cycle that begins inside "request to actor marked as sleeping" is drawn inside that block.
 */
export async function withEnclosingPhases(events: TraceEvent[], source: PhaseSource): Promise<TraceEvent[]> {
  const have = new Set(events.map((e) => e.seq));
  const added: TraceEvent[] = [];
  let missing = new Set(events.flatMap((e) => (e.phaseId !== null && !have.has(e.phaseId) ? [e.phaseId] : [])));
  while (missing.size > 0) {
    const starts = (await source.starts([...missing])).filter((e) => e.kind === "phase-start" && !have.has(e.seq));
    starts.forEach((e) => have.add(e.seq));
    added.push(...starts);
    missing = new Set(starts.flatMap((e) => (e.phaseId !== null && !have.has(e.phaseId) ? [e.phaseId] : [])));
  }
  if (added.length === 0) return events;
  const ends = (await source.ends(added.map((e) => e.seq))).filter((e) => !have.has(e.seq));
  return [...events, ...added, ...ends].sort((a, b) => a.seq - b.seq);
}

function phaseSource(db: Db, runId: string, liveEvents: TraceEvent[] | undefined): PhaseSource {
  if (liveEvents) {
    return {
      starts: async (seqs) => liveEvents.filter((e) => seqs.includes(e.seq)),
      ends: async (starts) => liveEvents.filter((e) => e.kind === "phase-end" && e.phaseId !== null && starts.includes(e.phaseId)),
    };
  }
  return {
    starts: (seqs) => loadEventsBySeq(db, runId, seqs),
    ends: (starts) => loadPhaseEnds(db, runId, starts),
  };
}

/** Every event of a run with its cycle id, and the run's cycles (computed while it records). */
export async function loadRunTrace(db: Db, run: RunInfo): Promise<{ events: TraceEvent[]; cycles: CycleInfo[] }> {
  if (run.status === "running") return liveView(db, run.id);
  const [events, cycles] = await Promise.all([loadEvents(db, run.id), loadCycles(db, run.id)]);
  return { events, cycles };
}

async function liveView(db: Db, runId: string): Promise<{ events: TraceEvent[]; cycles: CycleInfo[] }> {
  const events = await loadEvents(db, runId);
  const { cycles, cycleOf } = computeCycles(runId, events);
  return { events: events.map((e) => ({ ...e, cycleId: cycleOf.get(e.seq) ?? null })), cycles };
}

/** The actor a link without one means: the run's first event's that names one (the first in the actor list). */
export async function firstActorId(db: Db, runId: string): Promise<string | null> {
  const row = await db.event.findFirst({
    where: { runId, actorId: { not: null } },
    orderBy: { seq: "asc" },
    select: { actorId: true },
  });
  return row?.actorId ?? null;
}

async function actorSeen(db: Db, runId: string, actorId: string): Promise<boolean> {
  return (await db.event.findFirst({ where: { runId, actorId }, select: { seq: true } })) !== null;
}
