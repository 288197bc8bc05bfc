// Wake/sleep cycles computed while a run records, event by event, with the same result as
// computeCycles (cycles.ts) on the whole run — that function stays the reference and the
// definition of the rules. The recorder feeds every event as it is recorded, so ending a run never
// reads it back. PURE: no I/O, no clock.
//
// The cycle an event is written with is asked for when it is written (cycleIdsToWrite), not when it
// is recorded: by then the phase it opens has usually seen its first content, so its row is
// written with its final cycle and does not need to be moved at the end (`changed`).
//
// Memory: a few typed-array slots per event (its cause, phase, cycle, written cycle, time, kind),
// plus a copy of the few events a cycle's figures read (state notes that place the actor, runner
// starts and connections, anomalies), cut down to the fields the figures use. Responses and Ready messages are
// kept as one bit each.
//
// The tracker expects events as the runtime records them: seq 1, 2, 3 … and causes pointing back.
import { describeCycle, statePayload, type Span } from "./cycle-figures";
import type { CycleComputation } from "./cycles";
import type { CycleInfo, EventKind, TraceEvent } from "./types";

const KINDS: readonly EventKind[] = ["message", "note", "phase-start", "phase-end", "relation"];
const KIND_MASK = 0b111;
/** Placed by its own actor's open cycle (rule 1): never moves. */
const OWN = 1 << 3;
/** A phase start whose first content has been seen (its cycle to write is in `written`). */
const PLACED = 1 << 4;
/** A UserResponse that served its request (status below 400). */
const SERVED = 1 << 5;
/** A Ready message to the gateway (wake-to-ready). */
const READY = 1 << 6;

const NO_SPAN = -1;
const PHASE_START = KINDS.indexOf("phase-start");
const PHASE_END = KINDS.indexOf("phase-end");

/** Payload fields the figures read (cycle-figures.ts); everything else of a kept event is dropped. */
const FIGURE_FIELDS = ["from", "to", "runnerId", "status", "code", "retry", "attempt", "reason"] as const;
const ANOMALY_NOTES: ReadonlySet<string> = new Set(["ignored-wake", "ignored-sleep-intent", "defer-wake", "deadline-expired"]);
const ANOMALY_MESSAGES: ReadonlySet<string> = new Set(["Lost", "UserError", "Failed"]);
const RUNNER_START_TYPES: ReadonlySet<string> = new Set(["ToServerInit", "StartRequest"]);

export class CycleTracker {
  private count = 0;
  private cause = new Int32Array(1024);
  private phase = new Int32Array(1024);
  private span = new Int32Array(1024);
  /** Below `sealed`: the cycle each event was written with. A placed phase start above: its guess. */
  private written = new Int32Array(1024);
  private sealed = 0;
  private flags = new Uint8Array(1024);
  private time = new Float64Array(1024);
  private readonly spans: Span[] = [];
  private readonly open = new Map<string, number>();
  private readonly ordinals = new Map<string, number>();
  /** The events the figures read, by seq, cut down to what they read. */
  private readonly kept = new Map<number, TraceEvent>();
  /** Runner id → its connections (ToServerInit), as runnerConnections() finds them. */
  private readonly inits = new Map<string, TraceEvent[]>();
  private opened: Span[] = [];

  constructor(readonly runId: string) {}

  get eventCount(): number {
    return this.count;
  }

  /**
   * Takes the next event and answers the cycle it belongs to as far as is known now. A later event
   * can still move it (the causes of a wake join the cycle they start; phases follow their
   * contents): `changedSince` lists those.
   */
  add(event: TraceEvent): string | null {
    const i = this.count;
    if (event.seq !== i + 1) throw new Error(`cycle tracker: expected seq ${i + 1}, got ${event.seq}`);
    this.grow(i + 1);
    this.count = i + 1;
    const cause = event.causeSeq !== null && event.causeSeq >= 1 && event.causeSeq <= i ? event.causeSeq : 0;
    this.cause[i] = cause;
    this.phase[i] = event.phaseId ?? 0;
    this.time[i] = event.time;
    let flags = KINDS.indexOf(event.kind) & KIND_MASK;
    this.keepForFigures(event, cause);
    if (event.kind === "message" && event.type === "UserResponse" && numberField(event.payload, "status") < 400) flags |= SERVED;
    if (event.kind === "message" && event.type === "Ready" && event.to?.role === "Gateway") flags |= READY;

    // The spans, as findSpans() reads them from the state notes.
    let opening = NO_SPAN;
    let closing = false;
    const state = statePayload(event);
    if (state && event.actorId) {
      const current = this.open.get(event.actorId);
      const closes = state.to === "Sleeping" || state.to === "Destroyed";
      if (current === undefined) {
        if ((state.from === "Sleeping" || state.from === null) && !closes) opening = this.openSpan(event.actorId, event.seq, state.to);
      } else if (closes) {
        const span = this.spans[current];
        span.endSeq = event.seq;
        span.endState = state.to as "Sleeping" | "Destroyed";
        closing = true;
      } else if (state.to === "Running") {
        this.spans[current].reachedRunning = true;
      }
    }

    // Membership, as assignMembers() derives it.
    const own = event.actorId ? this.open.get(event.actorId) : undefined;
    if (own !== undefined) flags |= OWN;
    this.flags[i] = flags;
    this.span[i] = own ?? (cause ? this.span[cause - 1] : NO_SPAN);
    if (opening !== NO_SPAN) this.claimCauses(opening, i);
    if (closing) this.open.delete(event.actorId as string);
    if (this.span[i] !== NO_SPAN) this.placePhases(i);
    return this.idOf(this.span[i]);
  }

  /**
   * The cycles to write these events with (seq firstSeq … lastSeq, right after the last events
   * written): each as far as is known now, phases placed by their first content. Any of them
   * whose final cycle turns out different is listed in `complete`'s `changed`.
   */
  cycleIdsToWrite(firstSeq: number, lastSeq: number): (string | null)[] {
    if (firstSeq !== this.sealed + 1 || lastSeq > this.count) {
      throw new Error(`cycle tracker: events ${firstSeq}…${lastSeq} are not the next to write (${this.sealed} written of ${this.count})`);
    }
    const ids: (string | null)[] = [];
    for (let i = firstSeq - 1; i < lastSeq; i++) {
      const kind = this.flags[i] & KIND_MASK;
      let span = this.span[i];
      if (kind === PHASE_START && this.flags[i] & PLACED) span = this.written[i];
      else if (kind === PHASE_END && this.startOf(i) !== -1) span = this.written[this.startOf(i)];
      this.written[i] = span;
      ids.push(this.idOf(span));
    }
    this.sealed = lastSeq;
    return ids;
  }

  /** Cycles opened since the last call (the recorder stores a row for each as it opens). */
  takeOpened(): Span[] {
    const opened = this.opened;
    this.opened = [];
    return opened;
  }

  /**
   * Settles the phases (rule 4) and computes every cycle's figures. `pause` is awaited now and
   * then, so a caller on a busy event loop can yield (a run can have many thousands of cycles).
   */
  async complete(pause: () => Promise<void> = async () => undefined): Promise<CompletedCycles> {
    this.assignPhases();
    await pause();
    const n = this.count;
    const first = new Int32Array(this.spans.length).fill(-1);
    const last = new Int32Array(this.spans.length).fill(-1);
    const counts = new Int32Array(this.spans.length);
    const served = new Int32Array(this.spans.length);
    const notable: number[][] = this.spans.map(() => []);
    for (let i = 0; i < n; i++) {
      if (i % 65_536 === 65_535) await pause();
      const s = this.span[i];
      if (s === NO_SPAN) continue;
      if (first[s] === -1) first[s] = i;
      last[s] = i;
      counts[s] += 1;
      // Served responses are counted here: a busy cycle has one per request.
      if (this.flags[i] & SERVED) served[s] += 1;
      else if (this.flags[i] & READY || this.kept.has(i + 1)) notable[s].push(i);
    }
    await pause();
    for (const list of this.inits.values()) list.sort((a, b) => a.seq - b.seq);
    const bySeq = new TrackedEvents(this);
    const cycles: CycleInfo[] = [];
    for (let s = 0; s < this.spans.length; s++) {
      if (s % 256 === 255) await pause();
      const indexes = notable[s];
      if (first[s] !== -1 && indexes[0] !== first[s]) indexes.unshift(first[s]);
      if (last[s] !== -1 && indexes.at(-1) !== last[s]) indexes.push(last[s]);
      const members = indexes.map((index) => this.figureEvent(index));
      const figures = describeCycle(this.runId, this.spans[s], members, bySeq, this.inits);
      // What describeCycle counts among the members it was given, counted here among all of them.
      cycles.push({ ...figures, requestsServed: served[s], eventCount: counts[s] });
    }
    return { cycles, changed: this.changedEvents() };
  }

  /** seq → cycle id for every event in a cycle, as computeCycles answers it (tests, imports). */
  cycleOf(): Map<number, string> {
    const out = new Map<number, string>();
    for (let i = 0; i < this.count; i++) {
      if (this.span[i] !== NO_SPAN) out.set(i + 1, this.spans[this.span[i]].id);
    }
    return out;
  }

  /** The event with this seq as the figures see it (a stand-in with its seq, time, kind and cause). */
  figureEvent(index: number): TraceEvent {
    const kept = this.kept.get(index + 1);
    if (kept) return kept;
    const flags = this.flags[index];
    const base = {
      seq: index + 1,
      time: this.time[index],
      from: null,
      to: null,
      label: "",
      payload: null as unknown,
      actorId: null,
      runnerId: null,
      cycleId: null,
      causeSeq: this.cause[index] || null,
      relayOf: null,
      phaseId: this.phase[index] || null,
      housekeeping: false,
    };
    if (flags & SERVED) return { ...base, kind: "message", type: "UserResponse", payload: { status: 200 } };
    if (flags & READY) return { ...base, kind: "message", type: "Ready", to: { role: "Gateway", id: "" } };
    return { ...base, kind: KINDS[flags & KIND_MASK], type: "" };
  }

  hasEvent(seq: number): boolean {
    return Number.isInteger(seq) && seq >= 1 && seq <= this.count;
  }

  private openSpan(actorId: string, seq: number, to: string): number {
    const ordinal = (this.ordinals.get(actorId) ?? 0) + 1;
    this.ordinals.set(actorId, ordinal);
    const span: Span = {
      id: `${this.runId}:${actorId}:${ordinal}`,
      actorId,
      ordinal,
      startSeq: seq,
      endSeq: null,
      endState: null,
      reachedRunning: to === "Running",
    };
    this.spans.push(span);
    this.opened.push(span);
    this.open.set(actorId, this.spans.length - 1);
    return this.spans.length - 1;
  }

  /** Rule 3, as claimCauses() in cycles.ts: what woke the actor joins the cycle it started. */
  private claimCauses(span: number, openingIndex: number): void {
    let earliest = openingIndex;
    let cause = this.cause[openingIndex];
    let direct = true;
    while (cause !== 0 && !(this.flags[cause - 1] & OWN)) {
      if (!direct && this.span[cause - 1] !== NO_SPAN) break;
      this.span[cause - 1] = span;
      earliest = Math.min(earliest, cause - 1);
      cause = this.cause[cause - 1];
      direct = false;
    }
    for (let k = earliest + 1; k < openingIndex; k++) {
      const c = this.cause[k];
      if (!(this.flags[k] & OWN) && c !== 0 && c - 1 >= earliest) this.span[k] = this.span[c - 1];
    }
  }

  /** Rule 4, as assignPhases() in cycles.ts, on the final membership. */
  private assignPhases(): void {
    const n = this.count;
    const phaseSpan = new Int32Array(n + 1).fill(NO_SPAN);
    for (let i = 0; i < n; i++) {
      const kind = this.flags[i] & KIND_MASK;
      if (kind === PHASE_START || kind === PHASE_END) continue;
      const s = this.span[i];
      if (s === NO_SPAN) continue;
      let phase = this.phase[i];
      while (phase >= 1 && phase <= n && phaseSpan[phase] === NO_SPAN) {
        phaseSpan[phase] = s;
        phase = (this.flags[phase - 1] & KIND_MASK) === PHASE_START ? this.phase[phase - 1] : 0;
      }
    }
    for (let i = 0; i < n; i++) {
      const kind = this.flags[i] & KIND_MASK;
      if (kind === PHASE_START) {
        if (phaseSpan[i + 1] !== NO_SPAN) this.span[i] = phaseSpan[i + 1];
      } else if (kind === PHASE_END) {
        const start = this.phase[i];
        if (start >= 1 && start <= n && (this.flags[start - 1] & KIND_MASK) === PHASE_START) this.span[i] = this.span[start - 1];
      }
    }
  }

  /** Rule 4 as far as it is known: the unplaced phases around a content event start in its cycle. */
  private placePhases(index: number): void {
    const kind = this.flags[index] & KIND_MASK;
    if (kind === PHASE_START || kind === PHASE_END) return;
    let phase = this.phase[index];
    while (phase >= 1 && phase <= index && (this.flags[phase - 1] & KIND_MASK) === PHASE_START && !(this.flags[phase - 1] & PLACED)) {
      this.flags[phase - 1] |= PLACED;
      // A phase start already written keeps its row; the end of the run moves it if need be.
      if (phase - 1 >= this.sealed) this.written[phase - 1] = this.span[index];
      phase = this.phase[phase - 1];
    }
  }

  /** The index of the phase start a phase end closes, or -1. */
  private startOf(index: number): number {
    const start = this.phase[index];
    return start >= 1 && start <= index && (this.flags[start - 1] & KIND_MASK) === PHASE_START ? start - 1 : -1;
  }

  /** Written events whose final cycle is not the one they were written with. */
  private changedEvents(): { seq: number; cycleId: string | null }[] {
    const out: { seq: number; cycleId: string | null }[] = [];
    for (let i = 0; i < this.sealed; i++) {
      if (this.span[i] !== this.written[i]) out.push({ seq: i + 1, cycleId: this.idOf(this.span[i]) });
    }
    return out;
  }

  private idOf(span: number): string | null {
    return span === NO_SPAN ? null : this.spans[span].id;
  }

  /** Keeps what cycle-figures.ts reads of runner starts, placements and anomalies. */
  private keepForFigures(event: TraceEvent, cause: number): void {
    const state = statePayload(event);
    const keep =
      RUNNER_START_TYPES.has(event.type) ||
      (state?.to === "Starting" && typeof field(event.payload, "runnerId") === "string") ||
      (event.kind === "note" && ANOMALY_NOTES.has(event.type)) ||
      (event.kind === "message" && (ANOMALY_MESSAGES.has(event.type) || (event.type === "Wake" && field(event.payload, "retry") === true)));
    if (keep) this.kept.set(event.seq, cutDown(event));
    if (event.runnerId) {
      const addInit = (init: TraceEvent) => {
        const list = this.inits.get(event.runnerId as string) ?? [];
        if (!list.includes(init)) list.push(init);
        this.inits.set(event.runnerId as string, list);
      };
      if (event.type === "ToServerInit") addInit(this.kept.get(event.seq)!);
      const causeEvent = cause ? this.kept.get(cause) : undefined;
      if (causeEvent?.type === "ToServerInit") addInit(causeEvent);
    }
  }

  private grow(size: number): void {
    if (size <= this.cause.length) return;
    const capacity = Math.max(size, this.cause.length * 2);
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.cause = grown(this.cause, (n) => new Int32Array(n));
    this.phase = grown(this.phase, (n) => new Int32Array(n));
    this.span = grown(this.span, (n) => new Int32Array(n));
    this.written = grown(this.written, (n) => new Int32Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
    this.time = grown(this.time, (n) => new Float64Array(n));
  }
}

export interface CompletedCycles {
  cycles: CycleInfo[];
  /** Written events (cycleIdsToWrite) whose final cycle is not the one they were written with. */
  changed: { seq: number; cycleId: string | null }[];
}

/** computeCycles' answer, through the tracker (tests compare the two). */
export async function trackCycles(runId: string, events: readonly TraceEvent[]): Promise<CycleComputation> {
  const tracker = new CycleTracker(runId);
  for (const event of events) tracker.add(event);
  const { cycles } = await tracker.complete();
  return { cycles, cycleOf: tracker.cycleOf() };
}

/** The recorded events as the figures read them, by seq (describeCycle's `bySeq`). */
class TrackedEvents implements ReadonlyMap<number, TraceEvent> {
  constructor(private readonly tracker: CycleTracker) {}
  get size(): number {
    return this.tracker.eventCount;
  }
  get(seq: number): TraceEvent | undefined {
    return this.tracker.hasEvent(seq) ? this.tracker.figureEvent(seq - 1) : undefined;
  }
  has(seq: number): boolean {
    return this.tracker.hasEvent(seq);
  }
  forEach(callback: (value: TraceEvent, key: number, map: ReadonlyMap<number, TraceEvent>) => void): void {
    for (const [seq, event] of this.entries()) callback(event, seq, this);
  }
  *entries(): MapIterator<[number, TraceEvent]> {
    for (let seq = 1; seq <= this.tracker.eventCount; seq++) yield [seq, this.tracker.figureEvent(seq - 1)];
  }
  *keys(): MapIterator<number> {
    for (let seq = 1; seq <= this.tracker.eventCount; seq++) yield seq;
  }
  *values(): MapIterator<TraceEvent> {
    for (const [, event] of this.entries()) yield event;
  }
  [Symbol.iterator](): MapIterator<[number, TraceEvent]> {
    return this.entries();
  }
}

function cutDown(event: TraceEvent): TraceEvent {
  let payload = event.payload;
  if (payload !== null && typeof payload === "object") {
    const source = payload as Record<string, unknown>;
    const kept: Record<string, unknown> = {};
    for (const name of FIGURE_FIELDS) if (source[name] !== undefined) kept[name] = source[name];
    payload = kept;
  }
  return {
    seq: event.seq,
    time: event.time,
    kind: event.kind,
    from: null,
    to: event.to,
    type: event.type,
    label: event.kind === "note" || event.type === "Failed" ? event.label : "",
    payload,
    actorId: event.actorId,
    runnerId: event.runnerId,
    cycleId: null,
    causeSeq: event.causeSeq,
    relayOf: null,
    phaseId: event.phaseId,
    housekeeping: event.housekeeping,
  };
}

function field(payload: unknown, name: string): unknown {
  return payload !== null && typeof payload === "object" ? (payload as Record<string, unknown>)[name] : undefined;
}

function numberField(payload: unknown, name: string): number {
  const value = field(payload, name);
  return typeof value === "number" ? value : Number.NaN;
}
