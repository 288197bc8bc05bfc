// Real engine traces for the cycle view's unit tests (imported by tests only).
import { runInline } from "@/lib/runtime/testing";
import { computeCycles } from "@/lib/trace/cycles";
import type { TraceEvent } from "@/lib/trace/types";

/** One actor woken by a request, then `requests` more requests while it runs: one long open cycle. */
export function busyActorTrace(requests: number): TraceEvent[] {
  const steps = [
    { at: 10, request: { actor: "actor-1" } },
    ...Array.from({ length: requests }, (_, i) => ({ at: 100 + i * 10, request: { actor: "actor-1", path: `/item/${i}` } })),
  ];
  return runInline({
    durationMs: 100 + requests * 10 + 1_000,
    pools: [{ name: "default", slotsPerRunner: 1, requestLifespan: 3_600, drainGracePeriod: 5 }],
    actors: [{ id: "actor-1" }],
    steps,
  });
}

/** The events of one cycle with their cycle id set, as the server selects a stored cycle. */
export function cycleEvents(runId: string, events: readonly TraceEvent[], ordinal = 1): TraceEvent[] {
  const { cycles, cycleOf } = computeCycles(runId, events);
  const cycle = cycles.find((candidate) => candidate.ordinal === ordinal);
  if (!cycle) throw new Error(`no cycle ${ordinal}`);
  return events.filter((event) => cycleOf.get(event.seq) === cycle.id).map((event) => ({ ...event, cycleId: cycle.id }));
}
