// Events of a running run as they stream in, and the cycle view's selection out of them. Pure.
import { computeCycles } from "@/lib/trace/cycles";
import type { CycleInfo, TraceEvent } from "@/lib/trace/types";

/**
 * `existing` plus `incoming`, by seq, without duplicates. A stream that reconnects may repeat
 * events or deliver them out of order; the result is the same either way. Returns `existing`
 * itself when nothing is new, so the query cache (and the diagram) only changes on real news.
 */
export function mergeEvents(existing: readonly TraceEvent[] | undefined, incoming: readonly TraceEvent[]): TraceEvent[] {
  const base = existing ?? [];
  const known = new Set(base.map((event) => event.seq));
  const fresh = new Map<number, TraceEvent>();
  for (const event of incoming) if (!known.has(event.seq)) fresh.set(event.seq, event);
  if (fresh.size === 0) return existing === undefined ? [] : (existing as TraceEvent[]);
  const last = base.length > 0 ? base[base.length - 1].seq : 0;
  const added = [...fresh.values()].sort((a, b) => a.seq - b.seq);
  // The usual case, events arriving in order after the last one, needs no re-sort.
  if (added[0].seq > last) return [...base, ...added];
  return [...base, ...added].sort((a, b) => a.seq - b.seq);
}

/** Where a (re)connecting stream resumes: after the highest seq already held. */
export function resumeSeq(events: readonly TraceEvent[] | undefined): number {
  if (!events || events.length === 0) return 0;
  return events.reduce((max, event) => Math.max(max, event.seq), 0);
}

export interface LiveSelection {
  /** Every cycle of the run so far (open ones included). */
  cycles: CycleInfo[];
  /** The cycle asked for, once it exists. */
  cycle: CycleInfo | null;
  /** Its events, with the phases enclosing it (as the server selects a stored cycle). */
  events: TraceEvent[];
}

/** Computes the run's cycles from its events so far and picks one cycle of an actor. */
export function selectLiveCycle(runId: string, events: readonly TraceEvent[], actorId: string, ordinal: number): LiveSelection {
  const { cycles, cycleOf } = computeCycles(runId, events);
  const cycle = cycles.find((candidate) => candidate.actorId === actorId && candidate.ordinal === ordinal) ?? null;
  if (!cycle) return { cycles, cycle: null, events: [] };
  const members = events.filter((event) => cycleOf.get(event.seq) === cycle.id).map((event) => ({ ...event, cycleId: cycle.id }));
  return { cycles, cycle, events: withEnclosingPhases(members, events) };
}

/** Adds the phase-starts that enclose the selected events (and their ends), transitively. */
export function withEnclosingPhases(selected: readonly TraceEvent[], all: readonly TraceEvent[]): TraceEvent[] {
  const bySeq = new Map(all.map((event) => [event.seq, event]));
  const have = new Set(selected.map((event) => event.seq));
  const added: TraceEvent[] = [];
  let missing = selected.map((event) => event.phaseId).filter((phase): phase is number => phase !== null && !have.has(phase));
  while (missing.length > 0) {
    const next: number[] = [];
    for (const seq of missing) {
      const start = bySeq.get(seq);
      if (!start || start.kind !== "phase-start" || have.has(seq)) continue;
      have.add(seq);
      added.push(start);
      if (start.phaseId !== null && !have.has(start.phaseId)) next.push(start.phaseId);
    }
    missing = next;
  }
  if (added.length === 0) return [...selected];
  const starts = new Set(added.map((event) => event.seq));
  const ends = all.filter((event) => event.kind === "phase-end" && event.phaseId !== null && starts.has(event.phaseId) && !have.has(event.seq));
  return [...selected, ...added, ...ends].sort((a, b) => a.seq - b.seq);
}
