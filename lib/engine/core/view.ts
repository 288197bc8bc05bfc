// What the runtime tells a step: the time, the input's cause and phase, the world (read-only), the
// phases and participants it may ask about, and the run's seeded randomness.
import type { ParticipantRef } from "../../trace/types";
import type { EngineConfig } from "../config";
import type { PhaseRef } from "./effects";
import type { WorldView } from "./world-draft";

export interface PhaseInfo {
  /** Seq of its recorded start. */
  seq: number;
  open: boolean;
  parent: number | null;
}

export interface StepView {
  readonly now: number;
  readonly self: ParticipantRef;
  readonly config: EngineConfig;
  readonly world: WorldView;
  /** Unique in the run: keys a step makes (its phases, its timers) start with it. */
  readonly stepId: number;
  /** Seq of the event that caused this input (null for roots). */
  readonly cause: number | null;
  /** The open phase this input belongs to. */
  readonly phase: number | null;
  /** A phase opened for this input before it was recorded (see phaseBeforeInput). */
  readonly openedPhase: number | null;
  /** The run's seeded stream: the same seed draws the same numbers in the same order. */
  random(): number;
  /** A short random id from the same stream. */
  newId(prefix: string): string;
  /** A recorded (or keyed) phase: whether it is open, and its parent; undefined when forgotten. */
  phaseInfo(phase: PhaseRef): PhaseInfo | undefined;
  /** Is that instance known and still open. */
  isOpen(ref: ParticipantRef): boolean;
}
