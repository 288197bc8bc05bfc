// A participant of the engine: a module with its own typed state and a step function. The runtime
// holds each instance's state, hands a step one input at a time, applies the effects it returns
// and keeps the state it returns (engine.md; xstate's pure `transition`, temporal's activations
// that return commands).
import type { ParticipantRef, Role } from "../../trace/types";
import type { Message } from "../messages";
import type { Effect } from "./effects";
import type { Note } from "./notes";
import type { StepView } from "./view";
import type { WorldView } from "./world-draft";

export interface Delivered {
  kind: "message";
  msg: Message;
  from: ParticipantRef;
  /** Seq of the recorded message. */
  seq: number;
}

export interface TimerFired<T> {
  kind: "timer";
  timer: T;
}

/** A command from outside (a scenario step, the live API) or a step's own continuation. */
export interface CommandGiven<C> {
  kind: "command";
  command: C;
}

export type Input<T = never, C = never> = Delivered | TimerFired<T> | CommandGiven<C>;

export interface Step<S> {
  state: S;
  effects: Effect[];
}

export interface ParticipantModule<S, T = never, C = never> {
  readonly role: Role;
  /**
   * One input → the next state and the effects. The state passed in is this instance's own: a step
   * may return it changed in place (its tables stay O(1) per step). A step that throws is a bug:
   * the runtime drops its effects, so the world and the trace stay whole.
   */
  step(state: S, input: Input<T, C>, view: StepView): Step<S>;
  /**
   * For a message recorded on arrival (it comes from outside the engine): a phase that this input
   * opens, recorded just before the input so the input belongs to it.
   */
  phaseBeforeInput?(state: S, msg: Message, world: WorldView): string | null;
  /**
   * Selective receive (engine.md §1): whether the next step takes this queued input. Inputs it
   * does not listen for stay queued, in order, until it does. Every input when absent.
   */
  listensFor?(state: S, input: Input<T, C>, world: WorldView): boolean;
  /** Most queued inputs one step takes at once (a workflow listening for n signals); 1 when absent. */
  readonly stepBatch?: number;
}

/** Something the engine delivers to but does not run: a user, a real runner behind a socket. */
export interface OutsideParticipant {
  readonly ref: ParticipantRef;
  /** A message for it (write it to its socket, answer its HTTP request); notes go through `port`. */
  receive(input: Delivered, port: OutsidePort): void;
}

export interface OutsidePort {
  readonly now: number;
  /** The phase the delivered message belongs to. */
  readonly phase: number | null;
  /** Records a note of the outside participant, caused by the delivered message. */
  note(note: Note): void;
  /** Its part is over: it takes no more messages. */
  close(): void;
  readonly world: WorldView;
}

/** One participant instance: who it is, what it runs, its state. */
export interface Instance<S = unknown> {
  readonly ref: ParticipantRef;
  readonly module: ParticipantModule<S, unknown, unknown> | null;
  readonly outside: OutsideParticipant | null;
  state: S;
}

export function instance<S, T, C>(ref: ParticipantRef, module: ParticipantModule<S, T, C>, state: S): Instance<S> {
  return { ref, module: module as unknown as ParticipantModule<S, unknown, unknown>, outside: null, state };
}

export function outside(participant: OutsideParticipant): Instance<null> {
  return { ref: participant.ref, module: null, outside: participant, state: null };
}
