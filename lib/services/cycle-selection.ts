// The events of one cycle or of consecutive cycles of an actor, with the phases enclosing them: what
// the events API answers (`?cycle=&through=`), what the cycle page prefetches on the server (so the
// two hold the same data under the same query key) and what server.ts draws a cycle page's first
// diagram from (app/_queries/cycle-document.ts).
import { getRun } from "./run-queries";
import { selectEvents } from "./selection";
import type { Db } from "@/lib/store/db";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";

export interface CycleSelectionResult {
  events: TraceEvent[];
  actorId: string | null;
  /** The first cycle selected. */
  cycle: CycleInfo | null;
  cycles: CycleInfo[];
}

/** The last cycle a selection of cycle `ordinal` "through" `through` takes: `through` only past `ordinal`. */
export function lastSelected(ordinal: number, through: number | null): number {
  return through !== null && through > ordinal ? through : ordinal;
}

/**
 * `run` is the run or its id; a caller that has read the run and its cycles for this request passes
 * them, so they are not read again (the cycle page reads both to find the cycle asked for).
 */
export async function loadCycleSelection(
  db: Db,
  runOrId: RunInfo | string,
  actor: string | undefined,
  from: number,
  through: number,
  runCycles?: CycleInfo[],
): Promise<CycleSelectionResult> {
  const run = typeof runOrId === "string" ? await getRun(db, runOrId) : runOrId;
  const bySeq = new Map<number, TraceEvent>();
  const cycles: CycleInfo[] = [];
  let actorId: string | null = null;
  for (let ordinal = from; ordinal <= through; ordinal++) {
    const selection = await selectEvents(db, run, { actorId: actor, cycle: ordinal }, runCycles);
    actorId = selection.actorId;
    if (selection.cycle) cycles.push(selection.cycle);
    // Enclosing phases can be shared by neighbouring cycles: each event once.
    for (const event of selection.events) if (!bySeq.has(event.seq)) bySeq.set(event.seq, event);
  }
  const events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { events, actorId, cycle: cycles[0] ?? null, cycles };
}
