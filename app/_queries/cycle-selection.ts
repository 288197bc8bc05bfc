// The events of one cycle or of consecutive cycles of an actor, with the phases enclosing them: what
// the events API answers (`?cycle=&through=`) and what the cycle page prefetches on the server, so
// the two hold the same data under the same query key.
import "server-only";
import { getRun } from "@/lib/services/runs";
import { selectEvents } from "@/lib/services/selection";
import type { Db } from "@/lib/store/db";
import type { CycleInfo, TraceEvent } from "@/lib/trace/types";

export interface CycleSelectionResult {
  events: TraceEvent[];
  actorId: string | null;
  /** The first cycle selected. */
  cycle: CycleInfo | null;
  cycles: CycleInfo[];
}

export async function loadCycleSelection(db: Db, runId: string, actor: string | undefined, from: number, through: number): Promise<CycleSelectionResult> {
  const run = await getRun(db, runId);
  const bySeq = new Map<number, TraceEvent>();
  const cycles: CycleInfo[] = [];
  let actorId: string | null = null;
  for (let ordinal = from; ordinal <= through; ordinal++) {
    const selection = await selectEvents(db, run, { actorId: actor, cycle: ordinal });
    actorId = selection.actorId;
    if (selection.cycle) cycles.push(selection.cycle);
    // Enclosing phases can be shared by neighbouring cycles: each event once.
    for (const event of selection.events) if (!bySeq.has(event.seq)) bySeq.set(event.seq, event);
  }
  const events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { events, actorId, cycle: cycles[0] ?? null, cycles };
}
