// The shell around the engine: mailboxes, processing time, hop latency, faults, timers, and the
// one interpreter of effects. A participant's step decides and returns effects; the runtime applies
// them after the step has returned (so a step that throws leaves the world and the trace whole) and
// records them: every recorded effect becomes one TraceEvent with its seq, cause, relay and phase.
import type { EngineConfig } from "../engine/config";
import type { Effect, PhaseRef } from "../engine/core/effects";
import type { Input, Instance, OutsideParticipant, OutsidePort } from "../engine/core/module";
import type { Note } from "../engine/core/notes";
import type { PhaseInfo as ViewPhaseInfo, StepView } from "../engine/core/view";
import { viewOf, type WorldView } from "../engine/core/world-draft";
import { applyWorldOp, type WorldOp } from "../engine/core/world-ops";
import { HOUSEKEEPING_TYPES, messageSubjects, type Message } from "../engine/messages";
import { emptyWorld, type World } from "../engine/world";
import type { EventKind, ParticipantRef, Role, TraceEvent } from "../trace/types";
import { FaultTable, type HopFault } from "./faults";
import { MailQueue } from "./mail-queue";
import { randomHex, seededRandom } from "./random";
import { Scheduler } from "./scheduler";

/** Roles inside the engine: what they send is seen (and recorded) when sent. */
const ENGINE_ROLES: ReadonlySet<Role> = new Set<Role>(["API", "Gateway", "RunnerWS", "RunnerWorkflow", "ActorWorkflow", "Serverless"]);

type Draft = Omit<TraceEvent, "seq" | "time" | "cycleId">;

interface MailItem {
  input: Input<unknown, unknown>;
  cause: number | null;
  phase: number | null;
  /** A message from outside the engine: recorded when its receiver takes it. */
  arrival?: Draft;
}

interface Slot {
  instance: Instance;
  mailbox: MailQueue<MailItem>;
  continuations: MailItem[];
  busy: boolean;
  closed: boolean;
  /** Released as soon as it is idle (see `retire`). */
  retiring: boolean;
  /**
   * Leading mailbox items its last look found it does not listen for. Nothing changed its state
   * since (no step ran), so a new arrival is the only item to look at.
   */
  skipped: number;
}

interface PhaseInfo {
  label: string;
  parent: number | null;
  open: boolean;
  /** Closed descendants that resolve to this phase while it is open (see `closePhase`). */
  held: number[] | null;
  /** The key the step that opened it gave it. */
  key: string | null;
}

interface PendingTimer {
  self: ParticipantRef;
  timer: unknown;
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
  /** Told when the engine is done with a request an adapter may still hold (the `forget-request` effect). */
  onForgetRequest?: (requestId: string) => void;
}

const key = (ref: ParticipantRef) => `${ref.role}/${ref.id}`;

export class EngineRuntime {
  readonly world: World = emptyWorld();
  /** The world, read-only, as steps and adapters read it. */
  readonly view: WorldView = viewOf(this.world);
  readonly config: EngineConfig;
  private readonly scheduler = new Scheduler();
  private readonly slots = new Map<string, Slot>();
  private readonly phases = new Map<number, PhaseInfo>();
  /** Phase keys steps made → the seq of the recorded start. */
  private readonly phaseKeys = new Map<string, number>();
  /** Timers set and not yet fired or cancelled; a cancelled one leaves only its key in the scheduler. */
  private readonly timers = new Map<number, PendingTimer>();
  private readonly random: () => number;
  private readonly faults: FaultTable;
  private readonly sink: (event: TraceEvent) => void;
  private readonly onForgetRequest: (requestId: string) => void;
  /** Closed participants are forgotten unless a hold fault must tell them from unknown ones. */
  private readonly keepClosed: boolean;
  private seq = 0;
  private steps = 0;
  private readonly observers: ((effects: readonly Effect[]) => void)[] = [];
  private readonly stepView = new RuntimeStepView(this);

  constructor(options: RuntimeOptions) {
    this.config = options.config;
    this.random = seededRandom(options.seed);
    this.faults = new FaultTable(options.faults ?? []);
    this.keepClosed = (options.faults ?? []).some((fault) => fault.mode === "hold");
    this.sink = options.sink;
    this.onForgetRequest = options.onForgetRequest ?? (() => {});
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

  /** Add a participant; `startWith` queues its first command, caused by whatever spawned it. */
  add(instance: Instance, startWith?: unknown, cause: number | null = null, phase: number | null = null): void {
    this.slots.set(key(instance.ref), { instance, mailbox: new MailQueue<MailItem>(), continuations: [], busy: false, closed: false, retiring: false, skipped: 0 });
    if (startWith !== undefined && startWith !== null) this.enqueue(instance.ref, { input: { kind: "command", command: startWith }, cause, phase }, true);
  }

  /** The state of an instance (null when unknown or an outside participant). */
  stateOf<S>(ref: ParticipantRef): S | null {
    const slot = this.slots.get(key(ref));
    return slot ? (slot.instance.state as S) : null;
  }

  /** An outside participant (a user, a runner behind a socket); undefined for modules and unknown refs. */
  get(ref: ParticipantRef): OutsideParticipant | undefined {
    return this.slots.get(key(ref))?.instance.outside ?? undefined;
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
    for (const slot of this.slots.values()) roles[slot.instance.ref.role] = (roles[slot.instance.ref.role] ?? 0) + 1;
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
    const slotKey = key(slot.instance.ref);
    if (this.slots.get(slotKey) === slot) this.slots.delete(slotKey);
  }

  /** A command for a participant from outside (a scenario step, an API call). */
  command(to: ParticipantRef, command: unknown): void {
    this.enqueue(to, { input: { kind: "command", command }, cause: null, phase: null }, false);
  }

  /**
   * A message from an outside participant (a user, a runner over a real socket). `context` names
   * the recorded event that caused it and the phase it belongs to, when the caller knows them
   * (a runner's answer to a command it was sent).
   */
  inject(from: ParticipantRef, to: ParticipantRef, msg: Message, label: string, context: { cause?: number | null; phase?: number | null } = {}): void {
    this.send(from, to, msg, label, null, context.cause ?? null, context.phase ?? null);
  }

  /** A note recorded from outside the engine (a transport refusing a frame, a connection closing). */
  note(over: ParticipantRef, note: Note, cause: number | null = null): number {
    return this.record(this.noteDraft(over, note, cause, null));
  }

  /** A relation recorded from outside the engine (an endpoint's runner is the same process); returns its seq. */
  relation(over: ParticipantRef, to: ParticipantRef, type: string, label: string, cause: number | null, phase: number | null): number {
    return this.record(this.simpleDraft("relation", over, to, type, label, cause, this.openPhase(phase)));
  }

  /**
   * Adapters act on what the engine decided, not on its state: each step's effects, once applied,
   * are offered to them (a connection the engine closed → close the socket; a runner drained →
   * end its /start).
   */
  observe(listener: (effects: readonly Effect[]) => void): () => void {
    this.observers.push(listener);
    return () => {
      const index = this.observers.indexOf(listener);
      if (index >= 0) this.observers.splice(index, 1);
    };
  }

  /** A narrative note (scenario text), recorded as it is. */
  narrative(over: ParticipantRef, text: string, options: { to?: ParticipantRef; actorId?: string | null; payload?: unknown } = {}): number {
    const draft = this.noteDraft(over, { type: "narrative", label: text, to: options.to, actorId: options.actorId }, null, null);
    if (options.payload !== undefined) draft.payload = options.payload;
    return this.record(draft);
  }

  /** Changes to the world made by the composition root before the engine runs (restored state). */
  applyWorld(ops: WorldOp[]): void {
    for (const op of ops) applyWorldOp(this.world, op);
  }

  // ── recording ────────────────────────────────────────────────────────────

  /** Records a draft made for this one event: it becomes the event (no copy per recorded event). */
  private record(draft: Draft): number {
    const seq = ++this.seq;
    const event = draft as TraceEvent;
    event.seq = seq;
    event.time = this.now;
    event.cycleId = null;
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

  /** A phase ref of an effect → the seq of its recorded start (null once forgotten). */
  private resolvePhase(phase: PhaseRef | null): number | null {
    if (phase === null || typeof phase === "number") return phase;
    return this.phaseKeys.get(phase) ?? null;
  }

  private messageDraft(from: ParticipantRef, to: ParticipantRef, msg: Message, label: string | null, relayOf: number | null, cause: number | null, phase: number | null): Draft {
    const subjects = messageSubjects(msg);
    return {
      kind: "message",
      from,
      to,
      type: msg.type,
      label: label ?? msg.type,
      payload: msg,
      actorId: subjects.actorId ?? actorOf(from) ?? actorOf(to),
      runnerId: subjects.runnerId ?? runnerOf(from) ?? runnerOf(to),
      causeSeq: cause,
      relayOf,
      phaseId: phase,
      housekeeping: HOUSEKEEPING_TYPES.has(msg.type),
    };
  }

  private noteDraft(over: ParticipantRef, note: Note, cause: number | null, phase: number | null): Draft {
    return {
      kind: "note",
      from: over,
      to: note.to ?? null,
      type: note.type,
      label: note.label,
      payload: note.payload ?? null,
      actorId: note.actorId !== undefined ? note.actorId : actorOf(over),
      runnerId: note.runnerId !== undefined ? note.runnerId : runnerOf(over),
      causeSeq: cause,
      relayOf: null,
      phaseId: phase,
      housekeeping: note.housekeeping ?? false,
    };
  }

  private simpleDraft(kind: EventKind, from: ParticipantRef, to: ParticipantRef | null, type: string, label: string, cause: number | null, phase: number | null): Draft {
    return { kind, from, to, type, label, payload: null, actorId: actorOf(from), runnerId: runnerOf(from), causeSeq: cause, relayOf: null, phaseId: phase, housekeeping: false };
  }

  // ── effects ──────────────────────────────────────────────────────────────

  /** Applies a step's effects in the order it asked for them. */
  private apply(effects: Effect[]): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case "send":
          this.send(effect.from, effect.to, effect.msg, effect.label, effect.relayOf, effect.cause, this.resolvePhase(effect.phase));
          break;
        case "note":
          this.record(this.noteDraft(effect.over, effect.note, effect.cause, this.resolvePhase(effect.phase)));
          break;
        case "relation":
          this.record(this.simpleDraft("relation", effect.over, effect.to, effect.type, effect.label, effect.cause, this.resolvePhase(effect.phase)));
          break;
        case "phase-start": {
          const parent = this.resolvePhase(effect.parent);
          const seq = this.record(this.simpleDraft("phase-start", effect.over, null, "phase", effect.label, effect.cause, parent));
          this.phases.set(seq, { label: effect.label, parent, open: true, held: null, key: effect.key });
          this.phaseKeys.set(effect.key, seq);
          break;
        }
        case "phase-end": {
          const phase = this.resolvePhase(effect.phase);
          const info = phase === null ? undefined : this.phases.get(phase);
          if (phase === null || !info || !info.open) break;
          this.record(this.simpleDraft("phase-end", effect.over, null, "phase", info.label, effect.cause, phase));
          this.closePhase(phase, info);
          break;
        }
        case "set-timer":
          this.timers.set(effect.key, { self: effect.self, timer: effect.timer, cause: effect.cause, phase: this.resolvePhase(effect.phase) });
          this.scheduleTimer(effect.key, this.now + effect.delayMs);
          break;
        case "cancel-timer":
          this.timers.delete(effect.key);
          break;
        case "continue":
          this.enqueue(effect.self, { input: { kind: "command", command: effect.command }, cause: effect.cause, phase: this.resolvePhase(effect.phase) }, true);
          break;
        case "spawn":
          this.add(effect.instance, effect.startWith, effect.cause, this.resolvePhase(effect.phase));
          break;
        case "close": {
          const slot = this.slots.get(key(effect.self));
          if (!slot) break;
          slot.closed = true;
          this.releaseIfIdle(slot);
          break;
        }
        case "world":
          applyWorldOp(this.world, effect.op);
          break;
        case "forget-request":
          this.onForgetRequest(effect.requestId);
          break;
        default:
          assertNeverEffect(effect);
      }
    }
    for (const observer of this.observers) observer(effects);
  }

  // ── messaging ────────────────────────────────────────────────────────────

  private send(from: ParticipantRef, to: ParticipantRef, msg: Message, label: string | null, relayOf: number | null, cause: number | null, phase: number | null): void {
    const fault = this.faults.match(from.role, to.role, msg.type, this.now);
    if (fault?.mode === "hold") {
      this.scheduler.at(this.now + (fault.ms ?? 0), () => {
        if (this.isOpen(from) || !this.slots.has(key(from))) return this.transmit(from, to, msg, label, relayOf, cause, this.openPhase(phase), 0, false);
        this.record(this.noteDraft(from, { type: "dropped", label: `Dropped held ${msg.type}<br/>(sender closed)`, housekeeping: true, payload: msg }, cause, this.openPhase(phase)));
      });
      return;
    }
    this.transmit(from, to, msg, label, relayOf, cause, phase, fault?.mode === "transit" ? (fault.ms ?? 0) : 0, fault?.mode === "drop");
  }

  private transmit(from: ParticipantRef, to: ParticipantRef, msg: Message, label: string | null, relayOf: number | null, cause: number | null, phase: number | null, extraMs: number, drop: boolean): void {
    const draft = this.messageDraft(from, to, msg, label, relayOf, cause, phase);
    const latency = (this.config.latency.hops[`${from.role}>${to.role}`] ?? this.config.latency.defaultHopMs) + extraMs;
    if (ENGINE_ROLES.has(from.role)) {
      const seq = this.record(draft);
      if (drop) {
        this.record(this.noteDraft(from, { type: "dropped", label: `${msg.type} lost in transit`, housekeeping: true, payload: { seq } }, seq, phase));
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
      const step = this.nextStep(slot);
      if (step.length === 0) return this.releaseIfIdle(slot);
      const processing = this.config.latency.processingMs[slot.instance.ref.role] ?? 0;
      if (processing <= 0) {
        // Busy while it runs, so a continuation it queues waits for this step to finish.
        slot.busy = true;
        try {
          this.runStep(slot, step);
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
          this.runStep(slot, step);
        } finally {
          slot.busy = false;
        }
        this.kick(slot);
      });
      return;
    }
  }

  /**
   * What the next step takes: its own continuation alone, else the first queued inputs it listens
   * for, up to its batch size. Inputs it does not listen for stay queued in order.
   */
  private nextStep(slot: Slot): MailItem[] {
    const continuation = slot.continuations.shift();
    if (continuation) return [continuation];
    const participant = slot.instance.module;
    const limit = Math.max(1, participant?.stepBatch ?? 1);
    if (!participant?.listensFor && limit === 1) {
      const item = slot.mailbox.shift();
      return item ? [item] : [];
    }
    const mailbox = slot.mailbox;
    const taken: MailItem[] = [];
    if (slot.skipped === 0) {
      // The usual case: the inputs at the head are listened for.
      while (taken.length < limit && mailbox.length > 0 && this.listens(slot, mailbox.peek()!)) taken.push(mailbox.shift()!);
      if (taken.length > 0 || mailbox.length === 0) return taken;
    }
    // The head is not listened for: look further, past what an earlier look already skipped.
    const index = mailbox.findFrom(slot.skipped, (item) => this.listens(slot, item));
    if (index < 0) {
      slot.skipped = mailbox.length;
      return taken;
    }
    taken.push(mailbox.removeAt(index));
    return taken;
  }

  private listens(slot: Slot, item: MailItem): boolean {
    const participant = slot.instance.module;
    return participant?.listensFor ? participant.listensFor(slot.instance.state, item.input, this.view) : true;
  }

  /**
   * Handles the inputs of one step in order, all at its commit time. Each one changes the state
   * the next is received in: an input the participant no longer listens for goes back to the
   * head of its mailbox, and so does the rest once an input queued a continuation (which runs next).
   */
  private runStep(slot: Slot, step: MailItem[]): void {
    const back: MailItem[] = [];
    for (let i = 0; i < step.length; i++) {
      if (slot.closed) return;
      const item = step[i];
      if (i > 0 && slot.continuations.length > 0) {
        back.push(...step.slice(i));
        break;
      }
      if (i > 0 && !this.listens(slot, item)) {
        back.push(item);
        continue;
      }
      this.process(slot, item);
    }
    slot.skipped = 0;
    if (back.length > 0) slot.mailbox.unshiftAll(back);
  }

  private process(slot: Slot, item: MailItem): void {
    if (slot.closed) return;
    const { instance } = slot;
    let input = item.input;
    let cause = item.cause;
    let phase = this.openPhase(item.phase);
    let openedPhase: number | null = null;
    if (item.arrival && input.kind === "message") {
      const label = this.phaseBeforeInput(slot, input.msg);
      if (label) {
        openedPhase = this.record(this.simpleDraft("phase-start", instance.ref, null, "phase", label, cause, phase));
        this.phases.set(openedPhase, { label, parent: phase, open: true, held: null, key: null });
        phase = openedPhase;
      }
      const seq = this.record({ ...item.arrival, causeSeq: cause, phaseId: phase });
      input = { ...input, seq };
      cause = seq;
    }
    if (instance.outside) {
      if (input.kind === "message") instance.outside.receive(input, this.outsidePort(instance.ref, cause, phase));
      return;
    }
    // One view for every step: a step only reads it before it returns.
    const view = this.stepView;
    view.self = instance.ref;
    view.stepId = ++this.steps;
    view.cause = cause;
    view.phase = phase;
    view.openedPhase = openedPhase;
    // The step decides; only once it has returned does anything it asked for happen.
    const result = instance.module!.step(instance.state, input, view);
    instance.state = result.state;
    this.apply(result.effects);
  }

  private phaseBeforeInput(slot: Slot, msg: Message): string | null {
    const participant = slot.instance.module;
    return participant?.phaseBeforeInput?.(slot.instance.state, msg, this.view) ?? null;
  }

  private outsidePort(over: ParticipantRef, cause: number | null, phase: number | null): OutsidePort {
    return {
      now: this.now,
      phase,
      world: this.view,
      note: (note) => {
        this.record(this.noteDraft(over, note, cause, phase));
      },
      close: () => {
        const slot = this.slots.get(key(over));
        if (!slot) return;
        slot.closed = true;
        this.releaseIfIdle(slot);
      },
    };
  }

  /** Scheduled outside the step's context, so a cancelled timer keeps nothing of that step alive. */
  private scheduleTimer(timerKey: number, time: number): void {
    this.scheduler.at(time, () => this.fireTimer(timerKey));
  }

  private fireTimer(timerKey: number): void {
    const timer = this.timers.get(timerKey);
    if (!timer) return;
    this.timers.delete(timerKey);
    this.enqueue(timer.self, { input: { kind: "timer", timer: timer.timer }, cause: timer.cause, phase: timer.phase }, false);
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
      this.forgetPhase(id);
      for (const descendant of held) this.forgetPhase(descendant);
      return;
    }
    const waiting = this.phases.get(ancestor)!;
    waiting.held ??= [];
    waiting.held.push(id);
    for (const descendant of held) waiting.held.push(descendant);
  }

  private forgetPhase(id: number): void {
    const info = this.phases.get(id);
    if (info?.key) this.phaseKeys.delete(info.key);
    this.phases.delete(id);
  }

  // ── what a step's view reads ───────────────────────────────────────────────

  /** @internal */
  phaseInfoOf(phase: PhaseRef): ViewPhaseInfo | undefined {
    const seq = this.resolvePhase(phase);
    const info = seq === null ? undefined : this.phases.get(seq);
    return seq === null || !info ? undefined : { seq, open: info.open, parent: info.parent };
  }

  /** @internal */
  draw(): number {
    return this.random();
  }
}

/** What a step is told; set anew for each step, methods on the prototype (a step creates no closures). */
class RuntimeStepView implements StepView {
  self: ParticipantRef = { role: "API", id: "" };
  stepId = 0;
  cause: number | null = null;
  phase: number | null = null;
  openedPhase: number | null = null;

  constructor(private readonly runtime: EngineRuntime) {}

  get now(): number {
    return this.runtime.now;
  }

  get config(): EngineConfig {
    return this.runtime.config;
  }

  get world(): WorldView {
    return this.runtime.view;
  }

  random(): number {
    return this.runtime.draw();
  }

  newId(prefix: string): string {
    return `${prefix}-${randomHex(() => this.runtime.draw(), 8)}`;
  }

  phaseInfo(phase: PhaseRef) {
    return this.runtime.phaseInfoOf(phase);
  }

  isOpen(ref: ParticipantRef): boolean {
    return this.runtime.isOpen(ref);
  }
}

function assertNeverEffect(effect: never): never {
  throw new Error(`unknown effect ${JSON.stringify(effect)}`);
}

function actorOf(ref: ParticipantRef): string | null {
  return ref.role === "ActorWorkflow" ? ref.id : null;
}

function runnerOf(ref: ParticipantRef): string | null {
  return ref.role === "RunnerWorkflow" ? ref.id : null;
}

