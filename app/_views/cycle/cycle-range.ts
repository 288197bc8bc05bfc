// A range of consecutive cycles of one actor, viewed as one: their events together, and one summary
// (first start, last end and outcome, sums of requests and events, every anomaly). Pure.
import type { CycleInfo, TraceEvent } from "@/lib/trace/types";

/** Most cycles drawn together; more would only be windowed anyway. */
export const MAX_RANGE = 50;

/** The ordinals from `first` through `through` (just `first` without a valid `through`). */
export function rangeOrdinals(first: number, through: number | null): number[] {
  const last = through === null || through <= first ? first : Math.min(through, first + MAX_RANGE - 1);
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

/** Events of several selections, by seq, each once (enclosing phases may be shared). */
export function mergeSelections(selections: readonly { events: readonly TraceEvent[] }[]): TraceEvent[] {
  const bySeq = new Map<number, TraceEvent>();
  for (const selection of selections) for (const event of selection.events) if (!bySeq.has(event.seq)) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** One summary for consecutive cycles (the cycle itself when there is one). */
export function combineCycles(cycles: readonly CycleInfo[]): CycleInfo {
  const [first] = cycles;
  const last = cycles[cycles.length - 1];
  if (cycles.length === 1) return first;
  return {
    ...first,
    id: `${first.id}..${last.ordinal}`,
    lastSeq: last.lastSeq,
    endTime: last.endTime,
    outcome: last.outcome,
    requestsServed: cycles.reduce((sum, cycle) => sum + cycle.requestsServed, 0),
    eventCount: cycles.reduce((sum, cycle) => sum + cycle.eventCount, 0),
    anomalies: cycles.flatMap((cycle) => cycle.anomalies),
  };
}

/** "cycle 2" or "cycles 2–4". */
export function rangeName(cycles: readonly Pick<CycleInfo, "ordinal">[]): string {
  const first = cycles[0]?.ordinal;
  const last = cycles[cycles.length - 1]?.ordinal;
  return first === last ? `cycle ${first}` : `cycles ${first}–${last}`;
}
