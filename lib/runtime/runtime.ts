// The shell around the engine: mailboxes, processing time, hop latency, faults, timers, and the
// recording of every effect. Participants decide; the runtime performs and records.
import type { EngineConfig } from "../engine/config";
import { HOUSEKEEPING_TYPES, messageSubjects, type Message } from "../engine/messages";
import type { Ctx, Input, NoteOptions, Participant, SendOptions } from "../engine/participant";
import { emptyWorld, type World } from "../engine/world";
import type { EventKind, ParticipantRef, Role, TraceEvent } from "../trace/types";
import { FaultTable, type HopFault } from "./faults";
import { randomHex, seededRandom } from "./random";
import { Scheduler } from "./scheduler";

/** Roles inside the engine: what they send is seen (and recorded) when sent. */
const ENGINE_ROLES: ReadonlySet<Role> = new Set<Role>(["API", "Gateway", "RunnerWS", "RunnerWorkflow", "ActorWorkflow", "Serverless"]);

type Draft = Omit<TraceEvent, "seq" | "time" | "cycleId">;

interface MailItem {
  input: Input;
  cause: number | null;
  phase: number | null;
  /** A message from outside the engine: recorded when its receiver takes it. */
  arrival?: Draft;
}

interface Slot {
  participant: Participant;
  mailbox: MailItem[];
  continuations: MailItem[];
  busy: boolean;
  closed: boolean;
  /** Released as soon as it is idle (see `retire`). */
  retiring: boolean;
}

interface PhaseInfo {
  label: string;
  parent: number | null;
  open: boolean;
  /** Closed descendants that resolve to this phase while it is open (see `closePhase`). */
  held: number[] | null;
}

interface PendingTimer {
  self: ParticipantRef;
  name: string;
  data: unknown;
  cause: number | null;
  phase: number | null;
}

/** What the runtime holds on to, for the tests and benchmarks that check it stays bounded. */
export interface RuntimeFootprint {
  participants: number;
  /** Participants per role. */
  roles: Partial<Record<Role, number>>;
  /** Phases still open, and closed ones kept because an open ancestor may still be resolved through them. */
  phases: number;
  openPhases: number;
  timers: number;
  scheduled: number;
}

export interface RuntimeOptions {
  config: EngineConfig;
  seed: number;
  sink: (event: TraceEvent) => void;
  faults?: HopFault[];
}

const key = (ref: ParticipantRef) => `${ref.role}/${ref.id}`;

export class EngineRuntime {
  readonly world: World = emptyWorld();
  readonly config: EngineConfig;
  private readonly scheduler = new Scheduler();
  private readonly slots = new Map<string, Slot>();
  private readonly phases = new Map<number, PhaseInfo>();
  /** Timers set and not yet fired or cancelled; a cancelled one leaves only its id in the scheduler. */
  private readonly timers = new Map<number, PendingTimer>();
  private readonly random: () => number;
  private readonly faults: FaultTable;
  private readonly sink: (event: TraceEvent) => void;
  /** Closed participants are forgotten unless a hold fault must tell them from unknown ones. */
  private readonly keepClosed: boolean;
  private seq = 0;
  private timerIds = 0;

  constructor(options: RuntimeOptions) {
    this.config = options.config;
    this.random = seededRandom(options.seed);
    this.faults = new FaultTable(options.faults ?? []);
    this.keepClosed = (options.faults ?? []).some((fault) => fault.mode === "hold");
    this.sink = options.sink;
  }

  get now(): number {
    return this.scheduler.now;
  }

  get eventCount(): number {
    return this.seq;
  }

  /** Time of the next scheduled work, or null when the engine is idle. */
  nextWorkAt(): number | null {
    return this.scheduler.peekTime();
  }

  advanceTo(time: number): void {
    this.scheduler.advanceTo(time);
  }

  at(time: number, run: () => void): void {
    this.scheduler.at(time, run);
  }

  /** Add a participant; `startWith` queues its first step, caused by whatever spawned it. */
  add(participant: Participant, startWith?: string, cause: number | null = null, phase: number | null = null): void {
    this.slots.set(key(participant.ref), { participant, mailbox: [], continuations: [], busy: false, closed: false, retiring: false });
    if (startWith) this.enqueue(participant.ref, { input: { kind: "continue", name: startWith, data: null }, cause, phase }, true);
  }

  get(ref: ParticipantRef): Participant | undefined {
    return this.slots.get(key(ref))?.participant;
  }

  isOpen(ref: ParticipantRef): boolean {
    const slot = this.slots.get(key(ref));
    return !!slot && !slot.closed;
  }

  /**
   * Releases a participant whose part is over (a user whose client went away, a runner whose socket
   * closed, a workflow that ended and that nothing refers to any more): it is closed and forgotten
   * once idle, after the inputs already in its mailbox. Inputs still in transit to it are dropped,
   * as they are for any closed participant, so retire it only when none can be.
   */
  retire(ref: ParticipantRef): void {
    const slot = this.slots.get(key(ref));
    if (!slot) return;
    slot.retiring = true;
    this.releaseIfIdle(slot);
  }

  footprint(): RuntimeFootprint {
    const roles: Partial<Record<Role, number>> = {};
    for (const slot of this.slots.values()) roles[slot.participant.ref.role] = (roles[slot.participant.ref.role] ?? 0) + 1;
    let openPhases = 0;
    for (const info of this.phases.values()) if (info.open) openPhases += 1;
    return { participants: this.slots.size, roles, phases: this.phases.size, openPhases, timers: this.timers.size, scheduled: this.scheduler.size };
  }

  /**
   * A closed participant is forgotten: nothing can tell it from an unknown one (neither takes input
   * nor is open), except a hold fault, which drops a held message of a closed sender but sends one
   * of an unknown sender. So with hold faults configured, closed participants are kept.
   */
  private releaseIfIdle(slot: Slot): void {
    if (slot.retiring && !slot.closed && !slot.busy && slot.mailbox.length === 0 && slot.continuations.length === 0) slot.closed = true;
    if (!slot.closed || this.keepClosed) return;
    const slotKey = key(slot.participant.ref);
    if (this.slots.get(slotKey) === slot) this.slots.delete(slotKey);
  }

  /** A command for a participant from outside (a scenario step, an API call). */
  command(to: ParticipantRef, name: string, data: unknown): void {
    this.enqueue(to, { input: { kind: "continue", name, data }, cause: null, phase: null }, false);
  }

  /**
   * A message from an outside participant (a user, a runner over a real socket). `context` names
   * the recorded event that caused it and the phase it belongs to, when the caller knows them
   * (a runner's answer to a command it was sent).
   */
  inject(from: ParticipantRef, to: ParticipantRef, msg: Message, label: string, context: { cause?: number | null; phase?: number | null } = {}): void {
    this.send(from, to, msg, { label }, context.cause ?? null, context.phase ?? null);
  }

  /** A note recorded from outside the engine (a transport refusing a frame, a connection closing). */
  note(over: ParticipantRef, type: string, label: string, options: NoteOptions & { cause?: number | null } = {}): number {
    return this.record(this.noteDraft(over, type, label, options, options.cause ?? null, null));
  }

  /** A narrative note (scenario text), recorded as it is. */
  narrative(over: ParticipantRef, text: string, options: NoteOptions = {}): number {
    return this.record(this.noteDraft(over, "narrative", text, options, null, null));
  }

  // ── recording ────────────────────────────────────────────────────────────

  private record(draft: Draft): number {
    const seq = ++this.seq;
    const event: TraceEvent = { ...draft, seq, time: this.now, cycleId: null };
    this.sink(event);
    return seq;
  }

  private openPhase(phase: number | null): number | null {
    let current = phase;
    while (current !== null) {
      const info = this.phases.get(current);
      if (!info) return null;
      if (info.open) return current;
      current = info.parent;
    }
    return null;
  }

  private messageDraft(from: ParticipantRef, to: ParticipantRef, msg: Message, options: SendOptions, cause: number | null, phase: number | null): Draft {
    const subjects = messageSubjects(msg);
    return {
      kind: "message",
      from,
      to,
      type: msg.type,
      label: options.label ?? msg.type,
      payload: msg,
      actorId: subjects.actorId ?? actorOf(from) ?? actorOf(to),
      runnerId: subjects.runnerId ?? runnerOf(from) ?? runnerOf(to),
      causeSeq: cause,
      relayOf: options.relayOf ?? null,
      phaseId: phase,
      housekeeping: HOUSEKEEPING_TYPES.has(msg.type),
    };
  }

  private noteDraft(over: ParticipantRef, type: string, label: string, options: NoteOptions, cause: number | null, phase: number | null): Draft {
    return {
      kind: "note",
      from: over,
      to: options.to ?? null,
      type,
      label,
      payload: options.payload ?? null,
      actorId: options.actorId !== undefined ? options.actorId : actorOf(over),
      runnerId: options.runnerId !== undefined ? options.runnerId : runnerOf(over),
      causeSeq: cause,
      relayOf: null,
      phaseId: phase,
      housekeeping: options.housekeeping ?? false,
    };
  }

  private simpleDraft(kind: EventKind, from: ParticipantRef, to: ParticipantRef | null, type: string, label: string, cause: number | null, phase: number | null): Draft {
    return { kind, from, to, type, label, payload: null, actorId: actorOf(from), runnerId: runnerOf(from), causeSeq: cause, relayOf: null, phaseId: phase, housekeeping: false };
  }

  // ── messaging ────────────────────────────────────────────────────────────

  private send(from: ParticipantRef, to: ParticipantRef, msg: Message, options: SendOptions, cause: number | null, phase: number | null): void {
    const fault = this.faults.match(from.role, to.role, msg.type, this.now);
    if (fault?.mode === "hold") {
      this.scheduler.at(this.now + (fault.ms ?? 0), () => {
        if (this.isOpen(from) || !this.slots.has(key(from))) return this.transmit(from, to, msg, options, cause, this.openPhase(phase), 0, false);
        this.record(this.noteDraft(from, "dropped", `Dropped held ${msg.type}<br/>(sender closed)`, { housekeeping: true, payload: msg }, cause, this.openPhase(phase)));
      });
      return;
    }
    this.transmit(from, to, msg, options, cause, phase, fault?.mode === "transit" ? (fault.ms ?? 0) : 0, fault?.mode === "drop");
  }

  private transmit(from: ParticipantRef, to: ParticipantRef, msg: Message, options: SendOptions, cause: number | null, phase: number | null, extraMs: number, drop: boolean): void {
    const draft = this.messageDraft(from, to, msg, options, cause, phase);
    const latency = (this.config.latency.hops[`${from.role}>${to.role}`] ?? this.config.latency.defaultHopMs) + extraMs;
    if (ENGINE_ROLES.has(from.role)) {
      const seq = this.record(draft);
      if (drop) {
        this.record(this.noteDraft(from, "dropped", `${msg.type} lost in transit`, { housekeeping: true, payload: { seq } }, seq, phase));
        return;
      }
      // The delivery belongs to the phase the message was recorded in.
      this.scheduler.at(this.now + latency, () => this.enqueue(to, { input: { kind: "message", msg, from, seq }, cause: seq, phase }, false));
      return;
    }
    if (drop) return;
    this.scheduler.at(this.now + latency, () =>
      this.enqueue(to, { input: { kind: "message", msg, from, seq: 0 }, cause, phase, arrival: draft }, false),
    );
  }

  // ── mailboxes ────────────────────────────────────────────────────────────

  private enqueue(to: ParticipantRef, item: MailItem, front: boolean): void {
    const slot = this.slots.get(key(to));
    if (!slot || slot.closed) return;
    if (front) slot.continuations.push(item);
    else slot.mailbox.push(item);
    this.kick(slot);
  }

  private kick(slot: Slot): void {
    while (!slot.busy && !slot.closed) {
      const item = slot.continuations.shift() ?? slot.mailbox.shift();
      if (!item) return this.releaseIfIdle(slot);
      const processing = this.config.latency.processingMs[slot.participant.ref.role] ?? 0;
      if (processing <= 0) {
        // Busy while it runs, so a continuation it queues waits for this step to finish.
        slot.busy = true;
        try {
          this.process(slot, item);
        } finally {
          // A step that throws (a bug) must not leave its participant busy for good.
          slot.busy = false;
        }
        continue;
      }
      // A workflow step commits after its processing time; its effects are seen then.
      slot.busy = true;
      this.scheduler.at(this.now + processing, () => {
        try {
          this.process(slot, item);
        } finally {
          slot.busy = false;
        }
        this.kick(slot);
      });
      return;
    }
  }

  private process(slot: Slot, item: MailItem): void {
    if (slot.closed) return;
    const participant = slot.participant;
    let cause = item.cause;
    let phase = this.openPhase(item.phase);
    let opened: number | null = null;
    let input = item.input;
    const ctx = this.context(participant.ref, () => ({ cause, phase, opened }), (c) => (cause = c), (p) => (phase = p));
    if (item.arrival && input.kind === "message") {
      const label = participant.phaseBeforeInput?.(input.msg, ctx) ?? null;
      if (label) {
        opened = this.record(this.simpleDraft("phase-start", participant.ref, null, "phase", label, cause, phase));
        this.phases.set(opened, { label, parent: phase, open: true, held: null });
        phase = opened;
      }
      const seq = this.record({ ...item.arrival, causeSeq: cause, phaseId: phase });
      input = { ...input, seq };
      cause = seq;
    }
    participant.handle(input, ctx);
  }

  /** Scheduled outside the step's context, so a cancelled timer keeps nothing of that step alive. */
  private scheduleTimer(id: number, time: number): void {
    this.scheduler.at(time, () => this.fireTimer(id));
  }

  private fireTimer(id: number): void {
    const timer = this.timers.get(id);
    if (!timer) return;
    this.timers.delete(id);
    this.enqueue(timer.self, { input: { kind: "timer", name: timer.name, data: timer.data }, cause: timer.cause, phase: timer.phase }, false);
  }

  /**
   * Ends a phase. A closed phase is only looked up to find its nearest open ancestor (an event whose
   * cause's phase has ended belongs to it), so once no ancestor is open it resolves to no phase, as
   * a forgotten one does, and is forgotten, with the closed descendants that resolved through it.
   * Until then it waits, with those descendants, on its nearest open ancestor.
   */
  private closePhase(id: number, info: PhaseInfo): void {
    info.open = false;
    const ancestor = this.openPhase(info.parent);
    const held = info.held ?? [];
    info.held = null;
    if (ancestor === null) {
      this.phases.delete(id);
      for (const descendant of held) this.phases.delete(descendant);
      return;
    }
    const waiting = this.phases.get(ancestor)!;
    waiting.held ??= [];
    waiting.held.push(id);
    for (const descendant of held) waiting.held.push(descendant);
  }

  private context(
    self: ParticipantRef,
    state: () => { cause: number | null; phase: number | null; opened: number | null },
    setCause: (cause: number | null) => void,
    setPhase: (phase: number | null) => void,
  ): Ctx {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const runtime = this;
    return {
      get now() {
        return runtime.now;
      },
      self,
      world: runtime.world,
      config: runtime.config,
      random: () => runtime.random(),
      newId: (prefix) => `${prefix}-${randomHex(runtime.random, 8)}`,
      get cause() {
        return state().cause;
      },
      get phase() {
        return state().phase;
      },
      get openedPhase() {
        return state().opened;
      },
      useCause: (cause) => setCause(cause),
      usePhase: (phase) => setPhase(runtime.openPhase(phase)),
      send: (to, msg, options = {}) => runtime.send(self, to, msg, options, state().cause, state().phase),
      sendAs: (from, to, msg, options = {}) => runtime.send(from, to, msg, options, state().cause, state().phase),
      note: (type, label, options = {}) => runtime.record(runtime.noteDraft(self, type, label, options, state().cause, state().phase)),
      relation: (to, type, label) => runtime.record(runtime.simpleDraft("relation", self, to, type, label, state().cause, state().phase)),
      phaseStart: (label) => {
        const parent = state().phase;
        const seq = runtime.record(runtime.simpleDraft("phase-start", self, null, "phase", label, state().cause, parent));
        runtime.phases.set(seq, { label, parent, open: true, held: null });
        setPhase(seq);
        return seq;
      },
      phaseEnd: (phase) => {
        const info = phase === null ? undefined : runtime.phases.get(phase);
        if (!info || !info.open || phase === null) return;
        runtime.record(runtime.simpleDraft("phase-end", self, null, "phase", info.label, state().cause, phase));
        runtime.closePhase(phase, info);
        setPhase(runtime.openPhase(state().phase));
      },
      isPhaseOpen: (phase) => phase !== null && (runtime.phases.get(phase)?.open ?? false),
      setTimer: (name, delayMs, data) => {
        const id = ++runtime.timerIds;
        const { cause, phase } = state();
        runtime.timers.set(id, { self, name, data: data ?? null, cause, phase });
        runtime.scheduleTimer(id, runtime.now + Math.max(0, delayMs));
        return id;
      },
      cancelTimer: (id) => {
        if (id !== null) runtime.timers.delete(id);
      },
      continueWith: (name, data) => {
        const { cause, phase } = state();
        runtime.enqueue(self, { input: { kind: "continue", name, data: data ?? null }, cause, phase }, true);
      },
      spawn: (participant, startWith) => runtime.add(participant, startWith, state().cause, state().phase),
      close: () => {
        const slot = runtime.slots.get(key(self));
        if (!slot) return;
        slot.closed = true;
        runtime.releaseIfIdle(slot);
      },
      isOpen: (ref) => runtime.isOpen(ref),
    };
  }
}

function actorOf(ref: ParticipantRef): string | null {
  return ref.role === "ActorWorkflow" ? ref.id : null;
}

function runnerOf(ref: ParticipantRef): string | null {
  return ref.role === "RunnerWorkflow" ? ref.id : null;
}
