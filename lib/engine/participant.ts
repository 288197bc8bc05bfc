// What a participant sees of the runtime. Handlers are deterministic: they read the input, their own
// state, the shared world and `ctx`, and act only through `ctx` (time and randomness come in from
// outside, every effect goes out through the runtime, which records it).
import type { ParticipantRef, Role } from "../trace/types";
import type { EngineConfig } from "./config";
import type { Message } from "./messages";
import type { World } from "./world";

export interface SendOptions {
  label?: string;
  /** Seq of the message this one forwards unchanged. */
  relayOf?: number | null;
}

export interface NoteOptions {
  payload?: unknown;
  /** A second participant the note spans to. */
  to?: ParticipantRef;
  actorId?: string | null;
  runnerId?: string | null;
  housekeeping?: boolean;
}

export interface Delivered {
  kind: "message";
  msg: Message;
  from: ParticipantRef;
  /** Seq of the recorded message. */
  seq: number;
}

export interface TimerFired {
  kind: "timer";
  name: string;
  data: unknown;
}

/** A step a workflow schedules for itself; it runs before anything else in its mailbox. */
export interface Continued {
  kind: "continue";
  name: string;
  data: unknown;
}

export type Input = Delivered | TimerFired | Continued;

export interface Ctx {
  readonly now: number;
  readonly self: ParticipantRef;
  readonly world: World;
  readonly config: EngineConfig;
  random(): number;
  /** A short random id, deterministic for a seed. */
  newId(prefix: string): string;
  /** Seq of the event that caused the current step (null for roots). */
  readonly cause: number | null;
  /** The open phase the current step belongs to. */
  readonly phase: number | null;
  /** A phase opened for this input before it was recorded (see Participant.phaseBeforeInput). */
  readonly openedPhase: number | null;
  /** Changes the cause / phase of the effects that follow in this step. */
  useCause(seq: number | null): void;
  usePhase(phase: number | null): void;
  send(to: ParticipantRef, msg: Message, options?: SendOptions): void;
  /** Send on behalf of another participant of the same process (a serverless endpoint and its runner). */
  sendAs(from: ParticipantRef, to: ParticipantRef, msg: Message, options?: SendOptions): void;
  note(type: string, label: string, options?: NoteOptions): number;
  relation(to: ParticipantRef, type: string, label: string): number;
  phaseStart(label: string): number;
  phaseEnd(phase: number | null): void;
  isPhaseOpen(phase: number | null): boolean;
  setTimer(name: string, delayMs: number, data?: unknown): number;
  cancelTimer(id: number | null): void;
  /** Queue a step for this participant that runs once its current step has committed. */
  continueWith(name: string, data?: unknown): void;
  /** Create a participant instance (a runner process, a connection, a workflow). */
  spawn(participant: Participant, startWith?: string): void;
  /** Mark this instance as gone: no more deliveries, held messages are dropped. */
  close(): void;
  /** Is that instance known and still open. */
  isOpen(ref: ParticipantRef): boolean;
}

export interface Participant {
  readonly ref: ParticipantRef;
  handle(input: Input, ctx: Ctx): void;
  /**
   * For a message recorded on arrival (it comes from outside the engine): a phase that this input
   * opens, recorded just before the input so the input belongs to it.
   */
  phaseBeforeInput?(msg: Message, ctx: Ctx): string | null;
  /**
   * Selective receive (engine.md §1): whether the next step takes this queued input. Inputs it
   * does not listen for stay queued, in order, until it does. Every input when absent.
   */
  listensFor?(input: Input, world: World): boolean;
  /** Most queued inputs one step takes at once (a workflow listening for n signals); 1 when absent. */
  readonly stepBatch?: number;
}

export function ref(role: Role, id: string): ParticipantRef {
  return { role, id };
}

export const GATEWAY: ParticipantRef = { role: "Gateway", id: "gateway" };
export const API: ParticipantRef = { role: "API", id: "api" };
export const actorWorkflow = (actorId: string): ParticipantRef => ({ role: "ActorWorkflow", id: actorId });
export const runnerWorkflow = (runnerId: string): ParticipantRef => ({ role: "RunnerWorkflow", id: runnerId });
export const serverless = (pool: string): ParticipantRef => ({ role: "Serverless", id: pool });
export const endpoint = (pool: string): ParticipantRef => ({ role: "ServerlessEndpoint", id: pool });
