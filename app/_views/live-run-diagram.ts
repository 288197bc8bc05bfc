// The run page's diagram while its run records, drawn from the events streamed into the page (as
// the cycle view does) instead of being fetched again from the server after every batch: the events
// the chosen drawing shows, picked the way the server picks them for a stored run, and the Mermaid
// text of their latest steps. Pure.
import { computeCycles } from "@/lib/trace/cycles";
import type { CycleInfo, TraceEvent } from "@/lib/trace/types";
import { buildCycleDiagram, type CycleDiagram } from "./cycle/cycle-diagram";
import { withEnclosingPhases } from "./cycle/live-events";
import { DEFAULT_VIEW_STATE, type Detail } from "./cycle/view-state";
import type { RunDiagramChoice } from "./run-diagram-choice";

export interface LiveRun {
  /** Every event streamed so far, by seq. */
  events: readonly TraceEvent[];
  /** The run's cycles so far (open ones included). */
  cycles: CycleInfo[];
  /** Which cycle each event belongs to. */
  cycleOf: ReadonlyMap<number, string>;
}

export function liveRun(runId: string, events: readonly TraceEvent[]): LiveRun {
  const { cycles, cycleOf } = computeCycles(runId, events);
  return { events, cycles, cycleOf };
}

/**
 * The events a drawing of the actor shows: its chosen cycles, or its whole run (its cycles, plus
 * its own events and the actor-less ones between them), with the phases enclosing them. Null when
 * none of the chosen cycles has started yet.
 */
export function liveChoiceEvents(run: LiveRun, actorId: string, choice: RunDiagramChoice): TraceEvent[] | null {
  const actorCycles = run.cycles.filter((cycle) => cycle.actorId === actorId);
  const chosen = choice.kind === "run" ? actorCycles : actorCycles.filter((cycle) => cycle.ordinal >= choice.from && cycle.ordinal <= choice.to);
  if (choice.kind === "cycles" && chosen.length === 0) return null;
  const ids = new Set(chosen.map((cycle) => cycle.id));
  const members = run.events.filter((event) => {
    const cycleId = run.cycleOf.get(event.seq);
    if (cycleId !== undefined) return ids.has(cycleId);
    return choice.kind === "run" && (event.actorId === null || event.actorId === actorId);
  });
  return withEnclosingPhases(members, run.events);
}

/** The drawing of those events while the run records: its latest steps (see cycle-diagram.ts). */
export function liveRunDiagram(run: LiveRun, actorId: string, choice: RunDiagramChoice, detail: Detail): CycleDiagram | null {
  const events = liveChoiceEvents(run, actorId, choice);
  if (events === null) return null;
  return buildCycleDiagram({ events, state: { ...DEFAULT_VIEW_STATE, detail }, live: true });
}
