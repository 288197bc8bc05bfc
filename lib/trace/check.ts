// Invariant checks over a recorded trace. PURE. Each rule names the events involved, so a
// violation can be shown in the diagram and looked up by seq.
import type { TraceEvent } from "./types";

export type ViolationRule =
  | "seq-gap"
  | "dangling-reference"
  | "unanswered-request"
  | "double-placement"
  | "generation-order"
  | "phase-mismatch";

export interface Violation {
  rule: ViolationRule;
  message: string;
  seqs: number[];
}

export interface CheckOptions {
  /**
   * The run has ended: requests still unanswered and phases still open are violations.
   * While a run is live they are simply in flight.
   */
  finished?: boolean;
}

export function checkRun(events: readonly TraceEvent[], options: CheckOptions = {}): Violation[] {
  const finished = options.finished ?? true;
  return [
    ...checkSeqs(events),
    ...checkReferences(events),
    ...checkRequests(events, finished),
    ...checkPlacements(events),
    ...checkPhases(events, finished),
  ];
}

/** Seqs run 1, 2, 3 … in recording order, with no gap and no repeat. */
function checkSeqs(events: readonly TraceEvent[]): Violation[] {
  const violations: Violation[] = [];
  let expected = 1;
  for (const event of events) {
    if (event.seq !== expected) {
      violations.push({
        rule: "seq-gap",
        message: `expected seq ${expected}, found ${event.seq}`,
        seqs: [event.seq],
      });
    }
    expected = Math.max(expected, event.seq) + 1;
  }
  return violations;
}

/** causeSeq, relayOf and phaseId point to an earlier recorded event. */
function checkReferences(events: readonly TraceEvent[]): Violation[] {
  const seen = new Set<number>();
  const violations: Violation[] = [];
  for (const event of events) {
    for (const [field, target] of [
      ["causeSeq", event.causeSeq],
      ["relayOf", event.relayOf],
    ] as const) {
      if (target !== null && (target >= event.seq || !seen.has(target))) {
        violations.push({
          rule: "dangling-reference",
          message: `event ${event.seq} (${event.type}) has ${field} ${target}, which is not an earlier event`,
          seqs: [event.seq],
        });
      }
    }
    seen.add(event.seq);
  }
  return violations;
}

/** Every UserRequest gets a UserResponse or a UserError with the same requestId. */
function checkRequests(events: readonly TraceEvent[], finished: boolean): Violation[] {
  const pending = new Map<string, TraceEvent>();
  const violations: Violation[] = [];
  for (const event of events) {
    if (event.kind !== "message") continue;
    const requestId = requestIdOf(event);
    if (requestId === null) continue;
    if (event.type === "UserRequest") {
      pending.set(requestId, event);
    } else if (event.type === "UserResponse" || event.type === "UserError") {
      if (!pending.delete(requestId)) {
        violations.push({
          rule: "unanswered-request",
          message: `${event.type} ${event.seq} answers request ${requestId}, which is not pending`,
          seqs: [event.seq],
        });
      }
    }
  }
  if (finished) {
    for (const [requestId, request] of pending) {
      violations.push({
        rule: "unanswered-request",
        message: `request ${requestId} (${plain(request.label)}) was never answered`,
        seqs: [request.seq],
      });
    }
  }
  return violations;
}

/**
 * An actor is placed on one runner at a time (state → Starting with a runnerId opens a placement,
 * the `deallocate` note closes it), and each placement has a higher generation than the last.
 */
function checkPlacements(events: readonly TraceEvent[]): Violation[] {
  const placed = new Map<string, { runnerId: string; seq: number }>();
  const lastGeneration = new Map<string, { generation: number; seq: number }>();
  const lastPlacementGeneration = new Map<string, { generation: number; seq: number }>();
  const violations: Violation[] = [];
  for (const event of events) {
    if (event.kind !== "note" || !event.actorId) continue;
    const actorId = event.actorId;
    const payload = asRecord(event.payload);
    if (event.type === "state") {
      const generation = payload.generation;
      if (typeof generation === "number") {
        const previous = lastGeneration.get(actorId);
        if (previous && generation < previous.generation) {
          violations.push({
            rule: "generation-order",
            message: `actor ${actorId}: generation went back from ${previous.generation} to ${generation}`,
            seqs: [previous.seq, event.seq],
          });
        }
        lastGeneration.set(actorId, { generation, seq: event.seq });
      }
      if (payload.to !== "Starting" || typeof payload.runnerId !== "string") continue;
      const open = placed.get(actorId);
      if (open) {
        violations.push({
          rule: "double-placement",
          message: `actor ${actorId} placed on runner ${payload.runnerId} while still on runner ${open.runnerId}`,
          seqs: [open.seq, event.seq],
        });
      }
      placed.set(actorId, { runnerId: payload.runnerId, seq: event.seq });
      if (typeof generation === "number") {
        const previous = lastPlacementGeneration.get(actorId);
        if (previous && generation <= previous.generation) {
          violations.push({
            rule: "generation-order",
            message: `actor ${actorId}: placement with generation ${generation} after generation ${previous.generation}`,
            seqs: [previous.seq, event.seq],
          });
        }
        lastPlacementGeneration.set(actorId, { generation, seq: event.seq });
      }
    } else if (event.type === "deallocate") {
      const open = placed.get(actorId);
      const runnerId = typeof payload.runnerId === "string" ? payload.runnerId : null;
      if (open && runnerId !== null && runnerId !== open.runnerId) {
        violations.push({
          rule: "double-placement",
          message: `actor ${actorId} deallocated from runner ${runnerId} but placed on runner ${open.runnerId}`,
          seqs: [open.seq, event.seq],
        });
      } else if (!open && runnerId !== null) {
        violations.push({
          rule: "double-placement",
          message: `actor ${actorId} deallocated from runner ${runnerId} without a placement`,
          seqs: [event.seq],
        });
      }
      placed.delete(actorId);
    }
  }
  return violations;
}

/** Each phase-end closes an open phase-start; a finished run leaves no phase open. */
function checkPhases(events: readonly TraceEvent[], finished: boolean): Violation[] {
  const open = new Map<number, TraceEvent>();
  const violations: Violation[] = [];
  for (const event of events) {
    if (event.kind === "phase-start") {
      open.set(event.seq, event);
    } else if (event.kind === "phase-end") {
      if (event.phaseId === null || !open.delete(event.phaseId)) {
        violations.push({
          rule: "phase-mismatch",
          message: `phase end ${event.seq} (${plain(event.label)}) has no open phase ${event.phaseId ?? "(none)"}`,
          seqs: [event.seq],
        });
      }
    }
  }
  if (finished) {
    for (const start of open.values()) {
      violations.push({
        rule: "phase-mismatch",
        message: `phase "${plain(start.label)}" (${start.seq}) never ended`,
        seqs: [start.seq],
      });
    }
  }
  return violations;
}

function requestIdOf(event: TraceEvent): string | null {
  const requestId = asRecord(event.payload).requestId;
  if (typeof requestId === "string" || typeof requestId === "number") return String(requestId);
  return null;
}

function asRecord(payload: unknown): Record<string, unknown> {
  return payload !== null && typeof payload === "object" ? (payload as Record<string, unknown>) : {};
}

function plain(label: string): string {
  return label.replace(/<br\s*\/?>/gi, " ").replace(/\s+/g, " ").trim();
}
