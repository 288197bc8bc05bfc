// How a step builds its result: the effects it asks for, in order, each stamped with the cause and
// phase the step is at, and its world draft. Nothing here touches the runtime: `done` hands back
// the state and the effects, and the runtime applies them.
import type { ParticipantRef } from "../../trace/types";
import type { EngineConfig } from "../config";
import type { Message } from "../messages";
import type { Effect, PhaseRef, SendOptions, TimerRef } from "./effects";
import type { Instance, Step } from "./module";
import type { Note } from "./notes";
import type { StepView } from "./view";
import { WorldDraft } from "./world-draft";

/** Timer keys are `stepId * TIMERS_PER_STEP + n`, so a step's nth timer never meets another step's. */
export const TIMERS_PER_STEP = 4096;

interface LocalPhase {
  open: boolean;
  parent: PhaseRef | null;
}

export class Fx {
  readonly effects: Effect[] = [];
  private draft: WorldDraft | null = null;
  /** The cause and phase of the effects that follow; the step moves them on. */
  cause: number | null;
  phase: PhaseRef | null;
  private keys = 0;
  private timers = 0;
  /** Phases this step opened or ended, by canonical ref (made when the step first does). */
  private phasesHere: Map<PhaseRef, LocalPhase> | null = null;

  constructor(readonly view: StepView) {
    this.cause = view.cause;
    this.phase = view.phase;
  }

  /** The world as this step has changed it so far. */
  get world(): WorldDraft {
    return (this.draft ??= new WorldDraft(this.view.world, this.effects));
  }

  get now(): number {
    return this.view.now;
  }

  get self(): ParticipantRef {
    return this.view.self;
  }

  get config(): EngineConfig {
    return this.view.config;
  }

  get openedPhase(): number | null {
    return this.view.openedPhase;
  }

  random(): number {
    return this.view.random();
  }

  newId(prefix: string): string {
    return this.view.newId(prefix);
  }

  useCause(seq: number | null): void {
    this.cause = seq;
  }

  usePhase(phase: PhaseRef | null): void {
    this.phase = this.openPhase(phase);
  }

  isPhaseOpen(phase: PhaseRef | null): boolean {
    return phase !== null && this.openPhase(phase) === this.canonical(phase);
  }

  send(to: ParticipantRef, msg: Message, options: SendOptions = {}): void {
    this.sendAs(this.self, to, msg, options);
  }

  /** Send on behalf of another participant of the same process (a serverless endpoint and its runner). */
  sendAs(from: ParticipantRef, to: ParticipantRef, msg: Message, options: SendOptions = {}): void {
    this.effects.push({ kind: "send", from, to, msg, label: options.label ?? null, relayOf: options.relayOf ?? null, cause: this.cause, phase: this.phase });
  }

  note(note: Note): void {
    this.effects.push({ kind: "note", over: this.self, note, cause: this.cause, phase: this.phase });
  }

  relation(to: ParticipantRef, type: string, label: string): void {
    this.effects.push({ kind: "relation", over: this.self, to, type, label, cause: this.cause, phase: this.phase });
  }

  /** Opens a phase under the current one; what follows belongs to it. */
  phaseStart(label: string): string {
    const key = `p${this.view.stepId}.${this.keys++}`;
    this.effects.push({ kind: "phase-start", over: this.self, key, label, cause: this.cause, parent: this.phase });
    this.localPhases().set(key, { open: true, parent: this.phase });
    this.phase = key;
    return key;
  }

  /** Ends a phase if it is open; what follows belongs to the nearest phase still open. */
  phaseEnd(phase: PhaseRef | null): void {
    if (phase === null || !this.isPhaseOpen(phase)) return;
    const ref = this.canonical(phase);
    this.effects.push({ kind: "phase-end", over: this.self, phase: ref, cause: this.cause });
    this.localPhases().set(ref, { open: false, parent: this.parentOf(ref) });
    this.phase = this.openPhase(this.phase);
  }

  setTimer<T>(timer: T, delayMs: number): TimerRef {
    // Numbers, not strings: timers are set and cancelled on every request. A step sets one or two;
    // one more than TIMERS_PER_STEP would take the next step's first key, so it is refused.
    if (this.timers === TIMERS_PER_STEP) throw new Error(`a step sets at most ${TIMERS_PER_STEP} timers`);
    const key = this.view.stepId * TIMERS_PER_STEP + this.timers++;
    this.effects.push({ kind: "set-timer", key, self: this.self, timer, delayMs: Math.max(0, delayMs), cause: this.cause, phase: this.phase });
    return key;
  }

  cancelTimer(timer: TimerRef | null): void {
    if (timer !== null) this.effects.push({ kind: "cancel-timer", key: timer });
  }

  /** A step for this participant that runs once this one has been applied, before anything queued. */
  continueWith<C>(command: C): void {
    this.effects.push({ kind: "continue", self: this.self, command, cause: this.cause, phase: this.phase });
  }

  /** A new participant instance; `startWith` is its first command, caused by this step. */
  spawn<C>(instance: Instance, startWith?: C): void {
    this.effects.push({ kind: "spawn", instance, startWith: startWith ?? null, cause: this.cause, phase: this.phase });
  }

  /** This instance is gone: no more deliveries, held messages are dropped. */
  close(): void {
    this.effects.push({ kind: "close", self: this.self });
  }

  /** No runner will ever close this request's tunnel: whoever holds it may forget it. */
  forgetRequest(requestId: string): void {
    this.effects.push({ kind: "forget-request", requestId });
  }

  isOpen(ref: ParticipantRef): boolean {
    return this.view.isOpen(ref);
  }

  private localPhases(): Map<PhaseRef, LocalPhase> {
    return (this.phasesHere ??= new Map());
  }

  done<S>(state: S): Step<S> {
    return { state, effects: this.effects };
  }

  /** A phase as this step knows it: its own key, or the recorded seq a key stands for. */
  private canonical(phase: PhaseRef): PhaseRef {
    if (typeof phase === "number" || this.phasesHere?.has(phase)) return phase;
    return this.view.phaseInfo(phase)?.seq ?? phase;
  }

  private parentOf(phase: PhaseRef): PhaseRef | null {
    const local = this.phasesHere?.get(phase);
    if (local) return local.parent;
    return this.view.phaseInfo(phase)?.parent ?? null;
  }

  /** The phase itself when open, else its nearest open ancestor (null when none). */
  private openPhase(phase: PhaseRef | null): PhaseRef | null {
    let current = phase === null ? null : this.canonical(phase);
    while (current !== null) {
      const local = this.phasesHere?.get(current);
      if (local) {
        if (local.open) return current;
        current = local.parent === null ? null : this.canonical(local.parent);
        continue;
      }
      const info = this.view.phaseInfo(current);
      if (!info) return null;
      if (info.open) return current;
      current = info.parent;
    }
    return null;
  }
}
