// Wake/sleep cycles (engine.md §9), computed from a recorded trace. PURE: no I/O, no clock.
//
// A cycle of an actor opens when its workflow leaves Sleeping (a `state` note from Sleeping, or
// from null when the actor is created awake) and closes when it is back in Sleeping or Destroyed.
// Membership follows recorded causes, so it is exact rather than guessed from time:
//  1. an event with an actorId belongs to that actor's cycle open at its seq;
//  2. otherwise it inherits the cycle of its cause (causeSeq);
//  3. the events that caused a cycle to open (the user's request, the gateway's notes, the Wake)
//     belong to the cycle they started, as do their other unassigned effects;
//  4. phase boundaries follow their contents, so a `critical` block stays whole in a cycle's view.
// Events with no cause and no open cycle of their actor belong to no cycle.
import { describeCycle, runnerConnections, statePayload, type Span } from "./cycle-figures";
import type { CycleInfo, TraceEvent } from "./types";

export interface CycleComputation {
  cycles: CycleInfo[];
  /** seq → cycle id, for every event that belongs to a cycle. */
  cycleOf: Map<number, string>;
}

export function computeCycles(runId: string, events: readonly TraceEvent[]): CycleComputation {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const spans = findSpans(runId, sorted);
  const assigned = assignMembers(sorted, spans);
  assignPhases(sorted, assigned);

  const cycleOf = new Map<number, string>();
  const members = new Map<string, TraceEvent[]>(spans.map((span) => [span.id, []]));
  for (const event of sorted) {
    const span = assigned.get(event.seq);
    if (!span) continue;
    cycleOf.set(event.seq, span.id);
    members.get(span.id)?.push(event);
  }
  const bySeq = new Map(sorted.map((event) => [event.seq, event]));
  const inits = runnerConnections(sorted, bySeq);
  const cycles = spans.map((span) => describeCycle(runId, span, members.get(span.id) ?? [], bySeq, inits));
  return { cycles, cycleOf };
}

/** Reads the actor-workflow `state` notes into cycle spans, in the order the cycles opened. */
function findSpans(runId: string, sorted: readonly TraceEvent[]): Span[] {
  const spans: Span[] = [];
  const open = new Map<string, Span>();
  const ordinals = new Map<string, number>();
  for (const event of sorted) {
    const state = statePayload(event);
    if (!state || !event.actorId) continue;
    const actorId = event.actorId;
    const current = open.get(actorId);
    const closes = state.to === "Sleeping" || state.to === "Destroyed";
    if (!current) {
      const leavesSleeping = state.from === "Sleeping" || state.from === null;
      if (!leavesSleeping || closes) continue;
      const ordinal = (ordinals.get(actorId) ?? 0) + 1;
      ordinals.set(actorId, ordinal);
      const span: Span = {
        id: `${runId}:${actorId}:${ordinal}`,
        actorId,
        ordinal,
        startSeq: event.seq,
        endSeq: null,
        endState: null,
        reachedRunning: state.to === "Running",
      };
      spans.push(span);
      open.set(actorId, span);
    } else if (closes) {
      current.endSeq = event.seq;
      current.endState = state.to as "Sleeping" | "Destroyed";
      open.delete(actorId);
    } else if (state.to === "Running") {
      current.reachedRunning = true;
    }
  }
  return spans;
}

function assignMembers(sorted: readonly TraceEvent[], spans: readonly Span[]): Map<number, Span | null> {
  const assigned = new Map<number, Span | null>();
  /** Events placed by their actor's open cycle (rule 1) never move. */
  const byOwnActor = new Set<number>();
  const indexOfSeq = new Map(sorted.map((event, index) => [event.seq, index]));
  const startingAt = new Map(spans.map((span) => [span.startSeq, span]));
  const endingAt = new Map(spans.filter((s) => s.endSeq !== null).map((span) => [span.endSeq as number, span]));
  const active = new Map<string, Span>();
  const inheritFromCause = (event: TraceEvent) =>
    event.causeSeq === null ? null : (assigned.get(event.causeSeq) ?? null);

  sorted.forEach((event, index) => {
    const opening = startingAt.get(event.seq);
    if (opening) active.set(opening.actorId, opening);
    const own = event.actorId ? active.get(event.actorId) : undefined;
    if (own) byOwnActor.add(event.seq);
    assigned.set(event.seq, own ?? inheritFromCause(event));
    if (opening) claimCauses(opening, event, index);
    const closing = endingAt.get(event.seq);
    if (closing && active.get(closing.actorId) === closing) active.delete(closing.actorId);
  });
  return assigned;

  /**
   * Rule 3: what woke the actor joins the cycle it started. The direct cause (the Wake) always
   * does — even a retry wake that was caused by the previous cycle's "Stopped" — and so do its
   * causes that belong to no cycle yet (the user's request). Their effects recorded before the
   * opening note (e.g. "Await actor ready") are then derived again.
   */
  function claimCauses(span: Span, opening: TraceEvent, openingIndex: number) {
    let earliestIndex = openingIndex;
    let causeSeq = opening.causeSeq;
    let direct = true;
    while (causeSeq !== null && indexOfSeq.has(causeSeq) && !byOwnActor.has(causeSeq)) {
      if (!direct && assigned.get(causeSeq) !== null) break;
      assigned.set(causeSeq, span);
      const causeIndex = indexOfSeq.get(causeSeq) as number;
      earliestIndex = Math.min(earliestIndex, causeIndex);
      causeSeq = sorted[causeIndex].causeSeq;
      direct = false;
    }
    for (let i = earliestIndex + 1; i < openingIndex; i++) {
      const event = sorted[i];
      if (!byOwnActor.has(event.seq) && event.causeSeq !== null && indexOfSeq.get(event.causeSeq)! >= earliestIndex) {
        assigned.set(event.seq, inheritFromCause(event));
      }
    }
  }
}

/** Rule 4: a phase-start takes the cycle of the first event inside it; its end follows the start. */
function assignPhases(sorted: readonly TraceEvent[], assigned: Map<number, Span | null>): void {
  const phaseStarts = new Map(sorted.filter((e) => e.kind === "phase-start").map((e) => [e.seq, e]));
  const phaseSpan = new Map<number, Span>();
  for (const event of sorted) {
    if (event.kind === "phase-start" || event.kind === "phase-end") continue;
    const span = assigned.get(event.seq);
    if (!span) continue;
    let phase = event.phaseId;
    while (phase !== null && !phaseSpan.has(phase)) {
      phaseSpan.set(phase, span);
      phase = phaseStarts.get(phase)?.phaseId ?? null;
    }
  }
  for (const event of sorted) {
    if (event.kind === "phase-start") {
      const span = phaseSpan.get(event.seq);
      if (span) assigned.set(event.seq, span);
    } else if (event.kind === "phase-end" && event.phaseId !== null && phaseStarts.has(event.phaseId)) {
      assigned.set(event.seq, assigned.get(event.phaseId) ?? null);
    }
  }
}
