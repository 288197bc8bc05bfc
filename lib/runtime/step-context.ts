// The `ctx` a participant handles one input with. One object per step whose methods live on the
// prototype: a step creates no closures (a busy scenario handles millions of steps), and the cause
// and phase of the effects that follow are plain fields the step moves on.
import type { EngineConfig } from "../engine/config";
import type { Message } from "../engine/messages";
import type { Ctx, NoteOptions, Participant, SendOptions } from "../engine/participant";
import type { World } from "../engine/world";
import type { ParticipantRef } from "../trace/types";

/** What a step reaches of its runtime; the runtime builds it once. */
export interface StepHost {
  readonly world: World;
  readonly config: EngineConfig;
  now(): number;
  random(): number;
  newId(prefix: string): string;
  send(from: ParticipantRef, to: ParticipantRef, msg: Message, options: SendOptions, cause: number | null, phase: number | null): void;
  note(self: ParticipantRef, type: string, label: string, options: NoteOptions, cause: number | null, phase: number | null): number;
  relation(self: ParticipantRef, to: ParticipantRef, type: string, label: string, cause: number | null, phase: number | null): number;
  /** Records the start of a phase under `parent`; returns its id. */
  phaseStart(self: ParticipantRef, label: string, cause: number | null, parent: number | null): number;
  /** Records the end of an open phase; false when it was not open. */
  phaseEnd(self: ParticipantRef, phase: number, cause: number | null): boolean;
  /** The phase itself when open, else its nearest open ancestor. */
  openPhase(phase: number | null): number | null;
  isPhaseOpen(phase: number | null): boolean;
  setTimer(self: ParticipantRef, name: string, delayMs: number, data: unknown, cause: number | null, phase: number | null): number;
  cancelTimer(id: number | null): void;
  continueWith(self: ParticipantRef, name: string, data: unknown, cause: number | null, phase: number | null): void;
  spawn(participant: Participant, startWith: string | undefined, cause: number | null, phase: number | null): void;
  close(self: ParticipantRef): void;
  isOpen(ref: ParticipantRef): boolean;
}

export class StepContext implements Ctx {
  constructor(
    private readonly host: StepHost,
    readonly self: ParticipantRef,
    /** The cause and phase of the effects that follow; the step moves them on. */
    public cause: number | null,
    public phase: number | null,
    public openedPhase: number | null = null,
  ) {}

  get now(): number {
    return this.host.now();
  }

  get world(): World {
    return this.host.world;
  }

  get config(): EngineConfig {
    return this.host.config;
  }

  random(): number {
    return this.host.random();
  }

  newId(prefix: string): string {
    return this.host.newId(prefix);
  }

  useCause(seq: number | null): void {
    this.cause = seq;
  }

  usePhase(phase: number | null): void {
    this.phase = this.host.openPhase(phase);
  }

  send(to: ParticipantRef, msg: Message, options: SendOptions = {}): void {
    this.host.send(this.self, to, msg, options, this.cause, this.phase);
  }

  sendAs(from: ParticipantRef, to: ParticipantRef, msg: Message, options: SendOptions = {}): void {
    this.host.send(from, to, msg, options, this.cause, this.phase);
  }

  note(type: string, label: string, options: NoteOptions = {}): number {
    return this.host.note(this.self, type, label, options, this.cause, this.phase);
  }

  relation(to: ParticipantRef, type: string, label: string): number {
    return this.host.relation(this.self, to, type, label, this.cause, this.phase);
  }

  phaseStart(label: string): number {
    const seq = this.host.phaseStart(this.self, label, this.cause, this.phase);
    this.phase = seq;
    return seq;
  }

  phaseEnd(phase: number | null): void {
    if (phase === null || !this.host.phaseEnd(this.self, phase, this.cause)) return;
    this.phase = this.host.openPhase(this.phase);
  }

  isPhaseOpen(phase: number | null): boolean {
    return this.host.isPhaseOpen(phase);
  }

  setTimer(name: string, delayMs: number, data?: unknown): number {
    return this.host.setTimer(this.self, name, delayMs, data ?? null, this.cause, this.phase);
  }

  cancelTimer(id: number | null): void {
    this.host.cancelTimer(id);
  }

  continueWith(name: string, data?: unknown): void {
    this.host.continueWith(this.self, name, data ?? null, this.cause, this.phase);
  }

  spawn(participant: Participant, startWith?: string): void {
    this.host.spawn(participant, startWith, this.cause, this.phase);
  }

  close(): void {
    this.host.close(this.self);
  }

  isOpen(ref: ParticipantRef): boolean {
    return this.host.isOpen(ref);
  }
}
