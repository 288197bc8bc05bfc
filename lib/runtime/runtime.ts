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
}

interface PhaseInfo {
  label: string;
  parent: number | null;
  open: boolean;
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
  private readonly eventPhase = new Map<number, number | null>();
  private readonly activeTimers = new Set<number>();
  private readonly random: () => number;
  private readonly faults: FaultTable;
  private readonly sink: (event: TraceEvent) => void;
  private seq = 0;
  private timerIds = 0;

  constructor(options: RuntimeOptions) {
    this.config = options.config;
    this.random = seededRandom(options.seed);
    this.faults = new FaultTable(options.faults ?? []);
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
    this.slots.set(key(participant.ref), { participant, mailbox: [], continuations: [], busy: false, closed: false });
    if (startWith) this.enqueue(participant.ref, { input: { kind: "continue", name: startWith, data: null }, cause, phase }, true);
  }

  get(ref: ParticipantRef): Participant | undefined {
    return this.slots.get(key(ref))?.participant;
  }

  isOpen(ref: ParticipantRef): boolean {
    const slot = this.slots.get(key(ref));
    return !!slot && !slot.closed;
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
    this.eventPhase.set(seq, draft.phaseId);
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
      this.scheduler.at(this.now + latency, () =>
        this.enqueue(to, { input: { kind: "message", msg, from, seq }, cause: seq, phase: this.eventPhase.get(seq) ?? null }, false),
      );
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
      if (!item) return;
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
        this.phases.set(opened, { label, parent: phase, open: true });
        phase = opened;
      }
      const seq = this.record({ ...item.arrival, causeSeq: cause, phaseId: phase });
      input = { ...input, seq };
      cause = seq;
    }
    participant.handle(input, ctx);
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
        runtime.phases.set(seq, { label, parent, open: true });
        setPhase(seq);
        return seq;
      },
      phaseEnd: (phase) => {
        const info = phase === null ? undefined : runtime.phases.get(phase);
        if (!info || !info.open || phase === null) return;
        runtime.record(runtime.simpleDraft("phase-end", self, null, "phase", info.label, state().cause, phase));
        info.open = false;
        setPhase(runtime.openPhase(state().phase));
      },
      isPhaseOpen: (phase) => phase !== null && (runtime.phases.get(phase)?.open ?? false),
      setTimer: (name, delayMs, data) => {
        const id = ++runtime.timerIds;
        const { cause, phase } = state();
        runtime.activeTimers.add(id);
        runtime.scheduler.at(runtime.now + Math.max(0, delayMs), () => {
          if (!runtime.activeTimers.delete(id)) return;
          runtime.enqueue(self, { input: { kind: "timer", name, data: data ?? null }, cause, phase }, false);
        });
        return id;
      },
      cancelTimer: (id) => {
        if (id !== null) runtime.activeTimers.delete(id);
      },
      continueWith: (name, data) => {
        const { cause, phase } = state();
        runtime.enqueue(self, { input: { kind: "continue", name, data: data ?? null }, cause, phase }, true);
      },
      spawn: (participant, startWith) => runtime.add(participant, startWith, state().cause, state().phase),
      close: () => {
        const slot = runtime.slots.get(key(self));
        if (slot) slot.closed = true;
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
