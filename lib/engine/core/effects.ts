// What a step asks for: one closed union of effects, applied and recorded by the runtime after the
// step has returned (a step that throws leaves nothing behind). Every effect that records or
// delivers something carries the cause and phase it belongs to, as the step decided them.
import type { ParticipantRef } from "../../trace/types";
import type { Message } from "../messages";
import type { Note } from "./notes";
import type { Instance } from "./module";
import type { WorldOp } from "./world-ops";

/**
 * A phase: the seq of its recorded start, or, for a phase a step opened itself, the key the step
 * gave it (the runtime maps keys to seqs once recorded, so a state may keep either).
 */
export type PhaseRef = number | string;

/** A pending timer, numbered by the step that set it (unique per run: see Fx.setTimer). */
export type TimerRef = number;

export interface Stamp {
  /** Seq of the recorded event this effect follows from (null for roots). */
  cause: number | null;
  /** The open phase it belongs to. */
  phase: PhaseRef | null;
}

export interface SendOptions {
  label?: string;
  /** Seq of the message this one forwards unchanged. */
  relayOf?: number | null;
}

export type Effect =
  | ({ kind: "send"; from: ParticipantRef; to: ParticipantRef; msg: Message; label: string | null; relayOf: number | null } & Stamp)
  | ({ kind: "note"; over: ParticipantRef; note: Note } & Stamp)
  | ({ kind: "relation"; over: ParticipantRef; to: ParticipantRef; type: string; label: string } & Stamp)
  | { kind: "phase-start"; over: ParticipantRef; key: string; label: string; cause: number | null; parent: PhaseRef | null }
  | { kind: "phase-end"; over: ParticipantRef; phase: PhaseRef; cause: number | null }
  | ({ kind: "set-timer"; key: TimerRef; self: ParticipantRef; timer: unknown; delayMs: number } & Stamp)
  | { kind: "cancel-timer"; key: TimerRef }
  | ({ kind: "continue"; self: ParticipantRef; command: unknown } & Stamp)
  | ({ kind: "spawn"; instance: Instance; startWith: unknown } & Stamp)
  | { kind: "close"; self: ParticipantRef }
  | { kind: "world"; op: WorldOp }
  /** The engine is done with a request whose tunnel an adapter may still hold (a hibernating socket's client left). */
  | { kind: "forget-request"; requestId: string };

export type EffectKind = Effect["kind"];
