// The shell around the engine: mailboxes, processing time, hop latency, faults, timers, and the
// recording of every effect. Participants decide; the runtime performs and records.
import type { EngineConfig } from "../engine/config";
import { HOUSEKEEPING_TYPES, messageSubjects, type Message } from "../engine/messages";
import type { Input, NoteOptions, Participant, SendOptions } from "../engine/participant";
import { emptyWorld, type World } from "../engine/world";
import type { EventKind, ParticipantRef, Role, TraceEvent } from "../trace/types";
import { FaultTable, type HopFault } from "./faults";
import { MailQueue } from "./mail-queue";
import { randomHex, seededRandom } from "./random";
import { Scheduler } from "./scheduler";
import { StepContext, type StepHost } from "./step-context";

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
  private readonly host: StepHost;

  constructor(options: RuntimeOptions) {
    this.config = options.config;
    this.random = seededRandom(options.seed);
    this.faults = new FaultTable(options.faults ?? []);
    this.keepClosed = (options.faults ?? []).some((fault) => fault.mode === "hold");
    this.sink = options.sink;
    this.host = this.stepHost();
  }

  /** What every step's ctx reaches of this runtime, built once (a step creates no closures). */
  private stepHost(): StepHost {
    return {
      world: this.world,
      config: this.config,
      now: () => this.now,
      random: () => this.random(),
      newId: (prefix) => `${prefix}-${randomHex(this.random, 8)}`,
      send: (from, to, msg, options, cause, phase) => this.send(from, to, msg, options, cause, phase),
      note: (self, type, label, options, cause, phase) => this.record(this.noteDraft(self, type, label, options, cause, phase)),
      relation: (self, to, type, label, cause, phase) => this.record(this.simpleDraft("relation", self, to, type, label, cause, phase)),
      phaseStart: (self, label, cause, parent) => {
        const seq = this.record(this.simpleDraft("phase-start", self, null, "phase", label, cause, parent));
        this.phases.set(seq, { label, parent, open: true, held: null });
        return seq;
      },
      phaseEnd: (self, phase, cause) => {
        const info = this.phases.get(phase);
        if (!info || !info.open) return false;
        this.record(this.simpleDraft("phase-end", self, null, "phase", info.label, cause, phase));
        this.closePhase(phase, info);
        return true;
      },
      openPhase: (phase) => this.openPhase(phase),
      isPhaseOpen: (phase) => phase !== null && (this.phases.get(phase)?.open ?? false),
      setTimer: (self, name, delayMs, data, cause, phase) => {
        const id = ++this.timerIds;
        this.timers.set(id, { self, name, data, cause, phase });
        this.scheduleTimer(id, this.now + Math.max(0, delayMs));
        return id;
      },
      cancelTimer: (id) => {
        if (id !== null) this.timers.delete(id);
      },
      continueWith: (self, name, data, cause, phase) => this.enqueue(self, { input: { kind: "continue", name, data }, cause, phase }, true),
      spawn: (participant, startWith, cause, phase) => this.add(participant, startWith, cause, phase),
      close: (self) => {
        const slot = this.slots.get(key(self));
        if (!slot) return;
        slot.closed = true;
        this.releaseIfIdle(slot);
      },
      isOpen: (ref) => this.isOpen(ref),
    };
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
    this.slots.set(key(participant.ref), { participant, mailbox: new MailQueue<MailItem>(), continuations: [], busy: false, closed: false, retiring: false, skipped: 0 });
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
      const step = this.nextStep(slot);
      if (step.length === 0) return this.releaseIfIdle(slot);
      const processing = this.config.latency.processingMs[slot.participant.ref.role] ?? 0;
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
    const participant = slot.participant;
    const limit = Math.max(1, participant.stepBatch ?? 1);
    if (!participant.listensFor && limit === 1) {
      const item = slot.mailbox.shift();
      return item ? [item] : [];
    }
    const mailbox = slot.mailbox;
    const taken: MailItem[] = [];
    if (slot.skipped === 0) {
      // The usual case: the inputs at the head are listened for.
      while (taken.length < limit && mailbox.length > 0 && this.listens(participant, mailbox.peek()!)) taken.push(mailbox.shift()!);
      if (taken.length > 0 || mailbox.length === 0) return taken;
    }
    // The head is not listened for: look further, past what an earlier look already skipped.
    const index = mailbox.findFrom(slot.skipped, (item) => this.listens(participant, item));
    if (index < 0) {
      slot.skipped = mailbox.length;
      return taken;
    }
    taken.push(mailbox.removeAt(index));
    return taken;
  }

  private listens(participant: Participant, item: MailItem): boolean {
    return participant.listensFor ? participant.listensFor(item.input, this.world) : true;
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
      if (i > 0 && !this.listens(slot.participant, item)) {
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
    const participant = slot.participant;
    const ctx = new StepContext(this.host, participant.ref, item.cause, this.openPhase(item.phase));
    let input = item.input;
    if (item.arrival && input.kind === "message") {
      const label = participant.phaseBeforeInput?.(input.msg, ctx) ?? null;
      if (label) {
        const opened = this.record(this.simpleDraft("phase-start", participant.ref, null, "phase", label, ctx.cause, ctx.phase));
        this.phases.set(opened, { label, parent: ctx.phase, open: true, held: null });
        ctx.openedPhase = opened;
        ctx.phase = opened;
      }
      const seq = this.record({ ...item.arrival, causeSeq: ctx.cause, phaseId: ctx.phase });
      input = { ...input, seq };
      ctx.cause = seq;
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
}

function actorOf(ref: ParticipantRef): string | null {
  return ref.role === "ActorWorkflow" ? ref.id : null;
}

function runnerOf(ref: ParticipantRef): string | null {
  return ref.role === "RunnerWorkflow" ? ref.id : null;
}
