// The figures of one wake/sleep cycle (wake-to-ready, cold start, requests served, outcome,
// anomalies), from its member events. PURE.
import type { Anomaly, CycleInfo, CycleOutcome, TraceEvent } from "./types";

/** One cycle as the state notes delimit it (from its opening note to its closing one). */
export interface Span {
  id: string;
  actorId: string;
  ordinal: number;
  startSeq: number;
  endSeq: number | null;
  endState: "Sleeping" | "Destroyed" | null;
  reachedRunning: boolean;
}

interface StatePayload {
  from: string | null;
  to: string;
}

export function describeCycle(
  runId: string,
  span: Span,
  members: readonly TraceEvent[],
  bySeq: ReadonlyMap<number, TraceEvent>,
  inits: ReadonlyMap<string, TraceEvent[]>,
): CycleInfo {
  const first = members[0];
  const last = members[members.length - 1];
  const startTime = first?.time ?? 0;
  const ready = members.find((e) => e.kind === "message" && e.type === "Ready" && e.to?.role === "Gateway");
  return {
    id: span.id,
    runId,
    actorId: span.actorId,
    ordinal: span.ordinal,
    firstSeq: first?.seq ?? span.startSeq,
    lastSeq: last?.seq ?? span.startSeq,
    startTime,
    endTime: span.endSeq === null ? null : (bySeq.get(span.endSeq)?.time ?? null),
    outcome: outcomeOf(span),
    wakeToReadyMs: ready ? ready.time - startTime : null,
    coldStartMs: coldStartOf(members, bySeq, inits),
    requestsServed: members.filter(
      (e) => e.kind === "message" && e.type === "UserResponse" && numberField(e.payload, "status") < 400,
    ).length,
    eventCount: members.length,
    anomalies: members.flatMap((e) => {
      const anomaly = anomalyOf(e);
      return anomaly ? [anomaly] : [];
    }),
  };
}

function outcomeOf(span: Span): CycleOutcome {
  if (span.endState === null) return "open";
  if (span.endState === "Destroyed") return "destroyed";
  return span.reachedRunning ? "slept" : "failed";
}

/**
 * Runner id → its connections (ToServerInit), in order. The runner's id is often minted after
 * the connect message, so it is read from the events that the connection caused.
 */
export function runnerConnections(
  sorted: readonly TraceEvent[],
  bySeq: ReadonlyMap<number, TraceEvent>,
): Map<string, TraceEvent[]> {
  const inits = new Map<string, TraceEvent[]>();
  const add = (runnerId: string, init: TraceEvent) => {
    const list = inits.get(runnerId) ?? [];
    if (!list.includes(init)) list.push(init);
    inits.set(runnerId, list);
  };
  for (const event of sorted) {
    if (!event.runnerId) continue;
    if (event.type === "ToServerInit") add(event.runnerId, event);
    const cause = event.causeSeq === null ? undefined : bySeq.get(event.causeSeq);
    if (cause?.type === "ToServerInit") add(event.runnerId, cause);
  }
  for (const list of inits.values()) list.sort((a, b) => a.seq - b.seq);
  return inits;
}

/**
 * The cold start the actor waited for: when it was placed in this cycle, the start of the runner
 * it was first placed on, if that runner's `GET /start` was sent after the cycle began (whichever
 * cycle the request itself belongs to); when it never was, the first `GET /start` of the cycle.
 */
function coldStartOf(
  members: readonly TraceEvent[],
  bySeq: ReadonlyMap<number, TraceEvent>,
  inits: ReadonlyMap<string, TraceEvent[]>,
): number | null {
  const cycleStart = members[0]?.seq ?? 0;
  const placement = members.find(
    (e) => statePayload(e)?.to === "Starting" && typeof field(e.payload, "runnerId") === "string",
  );
  if (!placement) return firstStartInCycle(members, bySeq);
  const runnerId = field(placement.payload, "runnerId") as string;
  const init = (inits.get(runnerId) ?? []).filter((e) => e.seq < placement.seq).at(-1);
  const start = init ? causeOfType(init, "StartRequest", bySeq) : null;
  return init && start && start.seq >= cycleStart ? init.time - start.time : null;
}

function causeOfType(event: TraceEvent, type: string, bySeq: ReadonlyMap<number, TraceEvent>): TraceEvent | null {
  let cause = event.causeSeq === null ? undefined : bySeq.get(event.causeSeq);
  for (let steps = 0; cause && steps < 100_000; steps++) {
    if (cause.type === type) return cause;
    cause = cause.causeSeq === null ? undefined : bySeq.get(cause.causeSeq);
  }
  return null;
}

/** From the first `GET /start` of the cycle to the connection of the runner it started. */
function firstStartInCycle(members: readonly TraceEvent[], bySeq: ReadonlyMap<number, TraceEvent>): number | null {
  const inits = members.filter((e) => e.type === "ToServerInit");
  for (const start of members.filter((e) => e.type === "StartRequest")) {
    const init =
      inits.find((e) => e.seq > start.seq && descendsFrom(e, start.seq, bySeq)) ??
      inits.find((e) => e.seq > start.seq && start.runnerId !== null && e.runnerId === start.runnerId);
    if (init) return init.time - start.time;
  }
  return null;
}

function descendsFrom(event: TraceEvent, ancestorSeq: number, bySeq: ReadonlyMap<number, TraceEvent>): boolean {
  let causeSeq = event.causeSeq;
  // Causes always point backwards, so the walk ends; the bound guards against corrupt imports.
  for (let steps = 0; causeSeq !== null && causeSeq >= ancestorSeq && steps < 100_000; steps++) {
    if (causeSeq === ancestorSeq) return true;
    causeSeq = bySeq.get(causeSeq)?.causeSeq ?? null;
  }
  return false;
}

function anomalyOf(event: TraceEvent): Anomaly | null {
  const text = plainLabel(event.label);
  if (event.kind === "note") {
    switch (event.type) {
      case "ignored-wake":
        return { kind: "ignored-wake", seq: event.seq, message: text || "Wake ignored" };
      case "ignored-sleep-intent":
        return { kind: "ignored-sleep-intent", seq: event.seq, message: text || "Sleep intent ignored" };
      case "defer-wake":
        return { kind: "deferred-wake", seq: event.seq, message: text || "Wake deferred until the actor stops" };
      case "deadline-expired":
        return { kind: "timeout", seq: event.seq, message: text || "Deadline expired" };
    }
    return null;
  }
  if (event.kind !== "message") return null;
  switch (event.type) {
    case "Lost":
      return { kind: "actor-lost", seq: event.seq, message: withDetail("Actor lost", stringField(event.payload, "reason")) };
    case "Wake":
      return booleanField(event.payload, "retry")
        ? { kind: "retry-wake", seq: event.seq, message: withDetail("Retry wake", attemptText(event.payload)) }
        : null;
    case "UserError":
      return {
        kind: "user-error",
        seq: event.seq,
        message: withDetail(
          `User got HTTP ${numberField(event.payload, "status") || "error"}`,
          stringField(event.payload, "code"),
        ),
      };
    case "Failed":
      return { kind: "start-failed", seq: event.seq, message: text || "Actor failed" };
  }
  return null;
}

function attemptText(payload: unknown): string | null {
  const attempt = numberField(payload, "attempt");
  return Number.isFinite(attempt) ? `attempt ${attempt}` : null;
}

function withDetail(text: string, detail: string | null): string {
  return detail ? `${text}: ${detail}` : text;
}

function plainLabel(label: string): string {
  return label.replace(/<br\s*\/?>/gi, " ").replace(/\s+/g, " ").trim();
}

export function statePayload(event: TraceEvent): StatePayload | null {
  if (event.kind !== "note" || event.type !== "state") return null;
  const payload = event.payload as Partial<StatePayload> | null;
  if (!payload || typeof payload.to !== "string") return null;
  return { from: typeof payload.from === "string" ? payload.from : null, to: payload.to };
}

function field(payload: unknown, name: string): unknown {
  return payload !== null && typeof payload === "object" ? (payload as Record<string, unknown>)[name] : undefined;
}

function numberField(payload: unknown, name: string): number {
  const value = field(payload, name);
  return typeof value === "number" ? value : Number.NaN;
}

function stringField(payload: unknown, name: string): string | null {
  const value = field(payload, name);
  return typeof value === "string" && value !== "" ? value : null;
}

function booleanField(payload: unknown, name: string): boolean {
  return field(payload, name) === true;
}
