// Participants still written as classes that act through a `ctx` (`handle(input, ctx)`): they run on
// the same interpreter. Their ctx only builds effects (applied after the step, as for modules);
// their reads and writes of the world are direct. For adapters not yet written as outside
// participants.
import type { Ctx, Input as OldInput, NoteOptions, Participant, SendOptions } from "../engine/participant";
import type { Message } from "../engine/messages";
import { Fx } from "../engine/core/fx";
import type { Input, Instance, Step } from "../engine/core/module";
import type { Note } from "../engine/core/notes";
import type { StepView } from "../engine/core/view";
import type { World } from "../engine/world";
import type { ParticipantRef } from "../trace/types";

export type LegacyParticipant = Participant;

interface LegacyTimer {
  legacyName: string;
  data: unknown;
}

interface LegacyCommand {
  legacyName: string;
  data: unknown;
}

export function legacyStep(participant: LegacyParticipant, input: Input<unknown, unknown>, view: StepView, world: World): Step<null> {
  const fx = new Fx(view);
  participant.handle(toOldInput(input), new LegacyCtx(fx, world));
  return fx.done(null);
}

function toOldInput(input: Input<unknown, unknown>): OldInput {
  switch (input.kind) {
    case "message":
      return input;
    case "timer": {
      const timer = input.timer as LegacyTimer;
      return { kind: "timer", name: timer.legacyName, data: timer.data };
    }
    case "command": {
      const command = input.command as Record<string, unknown>;
      if (typeof command.legacyName === "string") return { kind: "continue", name: command.legacyName, data: command.data };
      const { command: name, ...rest } = command;
      const data = rest.data ?? rest.runnerId ?? rest.actorId ?? rest.msg ?? null;
      return { kind: "continue", name: String(name), data };
    }
  }
}

class LegacyCtx implements Ctx {
  constructor(
    private readonly fx: Fx,
    readonly world: World,
  ) {}

  get now() {
    return this.fx.now;
  }
  get self() {
    return this.fx.self;
  }
  get config() {
    return this.fx.config;
  }
  get cause() {
    return this.fx.cause;
  }
  get phase() {
    return this.fx.phase as number | null;
  }
  get openedPhase() {
    return this.fx.openedPhase;
  }
  random() {
    return this.fx.random();
  }
  newId(prefix: string) {
    return this.fx.newId(prefix);
  }
  useCause(seq: number | null) {
    this.fx.useCause(seq);
  }
  usePhase(phase: number | null) {
    this.fx.usePhase(phase);
  }
  send(to: ParticipantRef, msg: Message, options?: SendOptions) {
    this.fx.send(to, msg, options);
  }
  sendAs(from: ParticipantRef, to: ParticipantRef, msg: Message, options?: SendOptions) {
    this.fx.sendAs(from, to, msg, options);
  }
  note(type: string, label: string, options: NoteOptions = {}): number {
    this.fx.note({ type, label, ...options } as Note);
    return 0;
  }
  relation(to: ParticipantRef, type: string, label: string): number {
    this.fx.relation(to, type, label);
    return 0;
  }
  phaseStart(label: string): number {
    return this.fx.phaseStart(label) as unknown as number;
  }
  phaseEnd(phase: number | null) {
    this.fx.phaseEnd(phase);
  }
  isPhaseOpen(phase: number | null) {
    return this.fx.isPhaseOpen(phase);
  }
  setTimer(name: string, delayMs: number, data?: unknown): number {
    const timer: LegacyTimer = { legacyName: name, data: data ?? null };
    return this.fx.setTimer(timer, delayMs) as unknown as number;
  }
  cancelTimer(id: number | null) {
    this.fx.cancelTimer(id as unknown as string | null);
  }
  continueWith(name: string, data?: unknown) {
    const command: LegacyCommand = { legacyName: name, data: data ?? null };
    this.fx.continueWith(command);
  }
  spawn(participant: Participant, startWith?: string) {
    const command: LegacyCommand | undefined = startWith ? { legacyName: startWith, data: null } : undefined;
    this.fx.spawn(participant as unknown as Instance, command);
  }
  close() {
    this.fx.close();
  }
  isOpen(ref: ParticipantRef) {
    return this.fx.isOpen(ref);
  }
}
