// Builds the final trace of a real-engine recording: the wire events as the proxy saw them, the
// workflow history items (if any) joined to them, and the phases both imply, ordered by time
// while every event still follows what caused or relayed it, then numbered gap-free. Phases are
// `critical` blocks: a phase holds the events caused inside it; an event whose cause's phase has
// ended belongs to the nearest phase still open. Running it again on its own output gives the
// same result: wire events keep their recorded fields under `payload.wire`. Pure.
import type { ParticipantRef, TraceEvent } from "@/lib/trace/types";
import type { HistoryItem, PhaseSpec, Ref, Translation } from "./translate";

export const ORIGIN_HISTORY = "workflow-history";
export const ORIGIN_DERIVED = "derived";

/** What a wire event recorded, kept so a later import can start again from the wire alone. */
interface WireFields {
  n: number;
  time: number;
  type: string;
  cause: number | null;
  relay: number | null;
  actorId: string | null;
}

interface Node {
  id: string;
  time: number;
  order: number;
  event: Omit<TraceEvent, "seq" | "causeSeq" | "relayOf" | "phaseId">;
  cause: string | null;
  relay: string | null;
  wire: WireFields | null;
}

function field<T>(payload: unknown, name: string): T | undefined {
  return payload !== null && typeof payload === "object" && !Array.isArray(payload) ? ((payload as Record<string, unknown>)[name] as T) : undefined;
}

/** The wire events of a stored run, as they were recorded (before any earlier import). */
export function wireEventsOf(events: readonly TraceEvent[]): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const event of events) {
    const origin = field<string>(event.payload, "origin");
    if ((origin === ORIGIN_HISTORY || origin === ORIGIN_DERIVED) && field(event.payload, "wire") === undefined) continue;
    const wire = field<WireFields>(event.payload, "wire");
    if (!wire) {
      out.push(event);
      continue;
    }
    const { wire: _recorded, ...rest } = event.payload as Record<string, unknown>;
    void _recorded;
    out.push({
      ...event,
      seq: wire.n,
      time: wire.time,
      type: wire.type,
      causeSeq: wire.cause,
      relayOf: wire.relay,
      actorId: wire.actorId,
      phaseId: null,
      cycleId: null,
      payload: Object.keys(rest).length === 0 ? null : rest,
    });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

export interface AssembleOptions {
  /** Epoch ms of the run's time 0 (history item times are epoch ms). */
  originMs: number;
}

export function assembleTrace(wireEvents: readonly TraceEvent[], translation: Translation | null, options: AssembleOptions): TraceEvent[] {
  const nodes = new Map<string, Node>();
  const wireId = (seq: number) => `w${seq}`;
  const bySeq = new Map(wireEvents.map((e) => [e.seq, e]));
  let order = 0;
  for (const e of wireEvents) {
    const { seq, causeSeq, relayOf, phaseId: _phase, ...rest } = e;
    void _phase;
    nodes.set(wireId(seq), {
      id: wireId(seq),
      time: e.time,
      order: order++,
      event: { ...rest, cycleId: null },
      cause: causeSeq !== null && bySeq.has(causeSeq) ? wireId(causeSeq) : null,
      relay: relayOf !== null && bySeq.has(relayOf) ? wireId(relayOf) : null,
      wire: { n: seq, time: e.time, type: e.type, cause: causeSeq, relay: relayOf, actorId: e.actorId },
    });
  }
  const items = translation?.items ?? [];
  for (const item of items) {
    nodes.set(item.key, {
      id: item.key,
      time: round(item.at - options.originMs),
      order: order++,
      event: {
        time: round(item.at - options.originMs),
        kind: item.kind,
        from: item.from,
        to: item.to,
        type: item.type,
        label: item.label,
        payload: withOrigin(item.payload, ORIGIN_HISTORY),
        actorId: item.actorId,
        runnerId: item.runnerId,
        cycleId: null,
        housekeeping: item.housekeeping,
      },
      cause: null,
      relay: null,
      wire: null,
    });
  }
  const resolve = (r: Ref | null): string | null => {
    if (r === null) return null;
    if ("wire" in r) return nodes.has(wireId(r.wire)) ? wireId(r.wire) : null;
    if ("item" in r) return nodes.has(r.item) ? r.item : null;
    const key = translation?.signals.get(r.signal);
    return key && nodes.has(key) ? key : resolve(r.otherwise ?? null);
  };
  for (const item of items) {
    const node = nodes.get(item.key)!;
    node.cause = resolve(item.cause);
    node.relay = resolve(item.relayOf);
  }
  for (const [seq, patch] of translation?.patches ?? []) {
    const node = nodes.get(wireId(seq));
    if (!node) continue;
    if (patch.cause) node.cause = resolve(patch.cause) ?? node.cause;
    if (patch.relayOf) node.relay = resolve(patch.relayOf) ?? node.relay;
  }
  const withHistory = translation?.actorsWithHistory ?? new Set<string>();
  fixWire(nodes, wireEvents, wireId, withHistory);

  const phases = [...(translation?.phases ?? []), ...wirePhases(nodes, wireEvents, wireId, translation)];
  const ordered = topological([...nodes.values()]);
  return number(ordered, phases.map((p) => ({ ...p, opener: resolve(p.opener), closer: resolve(p.closer) })));
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function withOrigin(payload: unknown, origin: string): unknown {
  if (payload !== null && typeof payload === "object" && !Array.isArray(payload)) return { ...(payload as object), origin };
  return payload === null || payload === undefined ? { origin } : { value: payload, origin };
}

/** Joins the wire proves by itself: runner ↔ the start that made it, requests ↔ their actor. */
function fixWire(nodes: Map<string, Node>, wireEvents: readonly TraceEvent[], wireId: (seq: number) => string, withHistory: ReadonlySet<string>): void {
  const connects = wireEvents.filter((c) => (c.type === "ToServerInit" || c.type === "ToRivetMetadata") && c.from?.role === "Runner");
  for (const e of wireEvents) {
    const node = nodes.get(wireId(e.seq))!;
    // A workflow's own state notes supersede what the wire suggested about the actor.
    if (e.kind === "note" && e.type === "state" && field(e.payload, "origin") === "wire" && e.actorId && withHistory.has(e.actorId)) {
      node.event = { ...node.event, type: "wire-state" };
    }
    // The runner a `/start` started connected before the start's answer named it: the relation
    // is drawn before that connection, which it caused.
    if (e.kind === "relation" && e.type === "SameProcess" && e.to) {
      const after = e.causeSeq ?? 0;
      const connect = connects.find((c) => c.from!.id === e.to!.id && c.seq > after);
      if (connect) {
        const connectNode = nodes.get(wireId(connect.seq))!;
        if (connectNode.cause === null) connectNode.cause = node.id;
        if (connect.seq < e.seq && connectNode.cause === node.id) {
          node.time = Math.min(node.time, connectNode.time);
          node.event = { ...node.event, time: node.time };
          node.order = connectNode.order - 0.5;
        }
      }
    }
    if (e.type === "ToClientRequestStart" || e.type === "ToClientWebSocketOpen") {
      const requestSeq = field<number>(e.payload, "userRequestSeq");
      const request = requestSeq === undefined ? undefined : nodes.get(wireId(requestSeq));
      if (request && request.event.actorId === null) request.event = { ...request.event, actorId: e.actorId };
    }
    if (e.type === "ApiResponse" && e.actorId) {
      const request = nodes.get(wireId(field<number>(e.payload, "requestSeq") ?? -1));
      if (request && request.event.actorId === null) request.event = { ...request.event, actorId: e.actorId };
    }
    if ((e.type === "UserResponse" || e.type === "UserError") && e.actorId === null) {
      const request = nodes.get(wireId(field<number>(e.payload, "requestSeq") ?? -1));
      if (request?.event.actorId) node.event = { ...node.event, actorId: request.event.actorId };
    }
  }
}

interface ResolvedPhase {
  label: string;
  owner: ParticipantRef;
  opener: string | null;
  closer: string | null;
}

/** Phases the wire implies: a runner's connection, and a request that had to wake its actor. */
function wirePhases(nodes: Map<string, Node>, wireEvents: readonly TraceEvent[], wireId: (seq: number) => string, translation: Translation | null): PhaseSpec[] {
  const phases: PhaseSpec[] = [];
  const answers = new Map<number, number>();
  for (const e of wireEvents) {
    const requestSeq = field<number>(e.payload, "requestSeq");
    if ((e.type === "UserResponse" || e.type === "UserError" || e.type === "UserWebSocketOpened") && requestSeq !== undefined) answers.set(requestSeq, e.seq);
  }
  const woke = new Set<string>();
  for (const node of nodes.values()) {
    if (!node.cause) continue;
    const isWake = node.event.type === "Wake" && node.wire === null;
    const isWireStart = node.event.type === "CommandStartActor" && node.wire !== null && node.event.from?.role === "RunnerWS" && !(node.event.actorId && translation?.actorsWithHistory.has(node.event.actorId));
    if (isWake || isWireStart) woke.add(node.cause);
  }
  for (const e of wireEvents) {
    if ((e.type === "UserRequest" || e.type === "UserWebSocketOpen") && woke.has(wireId(e.seq))) {
      const answer = answers.get(e.seq);
      phases.push({ label: "request to sleeping actor", owner: { role: "Gateway", id: "gateway" }, opener: { wire: e.seq }, closer: answer === undefined ? null : { wire: answer } });
    }
    if ((e.type === "ToServerInit" || e.type === "ToRivetMetadata") && e.to) {
      const init = wireEvents.find((c) => (c.type === "ToClientInit" || c.type === "ToEnvoyInit") && c.causeSeq === e.seq);
      const runnerId = init?.runnerId ?? e.runnerId;
      const created = runnerId ? translation?.runnerWorkflows.get(runnerId) : undefined;
      const closer: Ref | null = created ? { item: created } : init ? { wire: init.seq } : null;
      phases.push({ label: "runner connection", owner: e.to, opener: { wire: e.seq }, closer });
    }
  }
  return phases;
}

/** Kahn's algorithm, earliest time first; a cause or relay always comes before its effect. */
function topological(nodes: Node[]): Node[] {
  const children = new Map<string, Node[]>();
  const waiting = new Map<string, number>();
  for (const node of nodes) waiting.set(node.id, 0);
  for (const node of nodes) {
    for (const parent of new Set([node.cause, node.relay])) {
      if (parent === null || parent === node.id || !waiting.has(parent)) continue;
      waiting.set(node.id, waiting.get(node.id)! + 1);
      const list = children.get(parent) ?? [];
      list.push(node);
      children.set(parent, list);
    }
  }
  const heap = new MinHeap<Node>((a, b) => a.time - b.time || a.order - b.order);
  for (const node of nodes) if (waiting.get(node.id) === 0) heap.push(node);
  const out: Node[] = [];
  const done = new Set<string>();
  while (out.length < nodes.length) {
    let next = heap.pop();
    if (!next) {
      // A cycle of causes (corrupt input): release the earliest node still waiting.
      next = nodes.filter((n) => !done.has(n.id)).sort((a, b) => a.time - b.time || a.order - b.order)[0];
    }
    if (done.has(next.id)) continue;
    done.add(next.id);
    out.push(next);
    for (const child of children.get(next.id) ?? []) {
      const left = waiting.get(child.id)! - 1;
      waiting.set(child.id, left);
      if (left === 0 && !done.has(child.id)) heap.push(child);
    }
  }
  return out;
}

/** Seqs, causes, relays, phase blocks and each event's phase. */
function number(ordered: Node[], phases: ResolvedPhase[]): TraceEvent[] {
  const position = new Map(ordered.map((n, i) => [n.id, i]));
  const opening = new Map<string, ResolvedPhase[]>();
  const closing = new Map<string, ResolvedPhase[]>();
  for (const phase of phases) {
    if (phase.opener === null || !position.has(phase.opener)) continue;
    const list = opening.get(phase.opener) ?? [];
    list.push(phase);
    opening.set(phase.opener, list);
    if (phase.closer !== null && position.has(phase.closer) && position.get(phase.closer)! >= position.get(phase.opener)!) {
      const ends = closing.get(phase.closer) ?? [];
      ends.push(phase);
      closing.set(phase.closer, ends);
    }
  }
  const out: TraceEvent[] = [];
  const seqOf = new Map<string, number>();
  const phaseOfEvent = new Map<number, number | null>();
  const parent = new Map<number, number | null>();
  const ended = new Set<number>();
  const startSeq = new Map<ResolvedPhase, number>();
  const live = (phase: number | null): number | null => {
    let p = phase;
    for (let guard = 0; p !== null && ended.has(p) && guard < 10_000; guard++) p = parent.get(p) ?? null;
    return p;
  };
  const causePhase = (node: Node): number | null => {
    const cause = node.cause ?? node.relay;
    if (cause === null) return null;
    const seq = seqOf.get(cause);
    return seq === undefined ? null : live(phaseOfEvent.get(seq) ?? null);
  };
  for (const node of ordered) {
    let phase = causePhase(node);
    const cause = node.cause === null ? null : (seqOf.get(node.cause) ?? null);
    for (const spec of opening.get(node.id) ?? []) {
      const seq = out.length + 1;
      out.push({
        seq,
        time: node.time,
        kind: "phase-start",
        from: spec.owner,
        to: null,
        type: "phase",
        label: spec.label,
        payload: { origin: ORIGIN_DERIVED },
        actorId: node.event.actorId,
        runnerId: null,
        cycleId: null,
        causeSeq: cause,
        relayOf: null,
        phaseId: phase,
        housekeeping: false,
      });
      parent.set(seq, phase);
      startSeq.set(spec, seq);
      phase = seq;
    }
    const seq = out.length + 1;
    seqOf.set(node.id, seq);
    phaseOfEvent.set(seq, phase);
    const relayOf = node.relay === null ? null : (seqOf.get(node.relay) ?? null);
    out.push({
      ...node.event,
      payload: node.wire ? { ...(isObject(node.event.payload) ? node.event.payload : node.event.payload === null ? {} : { value: node.event.payload }), wire: node.wire } : node.event.payload,
      time: node.time,
      seq,
      causeSeq: cause,
      relayOf,
      phaseId: phase,
    });
    for (const spec of closing.get(node.id) ?? []) {
      const start = startSeq.get(spec);
      if (start === undefined) continue;
      out.push({
        seq: out.length + 1,
        time: node.time,
        kind: "phase-end",
        from: spec.owner,
        to: null,
        type: "phase",
        label: spec.label,
        payload: { origin: ORIGIN_DERIVED },
        actorId: node.event.actorId,
        runnerId: null,
        cycleId: null,
        causeSeq: seq,
        relayOf: null,
        phaseId: start,
        housekeeping: false,
      });
      ended.add(start);
    }
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (this.less(items[i], items[up]) >= 0) break;
      [items[i], items[up]] = [items[up], items[i]];
      i = up;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && this.less(items[l], items[best]) < 0) best = l;
        if (r < items.length && this.less(items[r], items[best]) < 0) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best], items[i]];
        i = best;
      }
    }
    return top;
  }
}

export type { HistoryItem };
