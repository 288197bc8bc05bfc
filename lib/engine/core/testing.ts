// For unit tests of a participant's rules: a StepView built from literals (a world, the time, the
// input's cause and phase), so a test reads "given this state and input, these effects".
import type { ParticipantRef } from "../../trace/types";
import { engineConfig, type EngineConfig } from "../config";
import { emptyWorld, type ActorRecord, type RunnerRecord, type World } from "../world";
import type { Effect, PhaseRef } from "./effects";
import type { PhaseInfo, StepView } from "./view";
import { viewOf } from "./world-draft";

export interface StepViewInit {
  self: ParticipantRef;
  now?: number;
  config?: EngineConfig;
  world?: World;
  cause?: number | null;
  phase?: number | null;
  openedPhase?: number | null;
  stepId?: number;
  /** Recorded phases the step may ask about (all open unless listed with open: false). */
  phases?: Record<number, Partial<PhaseInfo>>;
  /** Participants that are open (isOpen answers true for them only); every one when absent. */
  open?: ParticipantRef[];
  /** The random stream's numbers, in order (then 0.5). */
  random?: number[];
}

export function stepView(init: StepViewInit): StepView {
  const random = [...(init.random ?? [])];
  let ids = 0;
  const phases = init.phases ?? {};
  return {
    now: init.now ?? 0,
    self: init.self,
    config: init.config ?? engineConfig({}),
    world: viewOf(init.world ?? emptyWorld()),
    stepId: init.stepId ?? 1,
    cause: init.cause ?? null,
    phase: init.phase ?? null,
    openedPhase: init.openedPhase ?? null,
    random: () => random.shift() ?? 0.5,
    newId: (prefix) => `${prefix}-${String(++ids).padStart(8, "0")}`,
    phaseInfo: (phase: PhaseRef) => {
      if (typeof phase !== "number" || !(phase in phases)) return undefined;
      const info = phases[phase];
      return { seq: phase, open: info.open ?? true, parent: info.parent ?? null };
    },
    isOpen: (ref) => !init.open || init.open.some((r) => r.role === ref.role && r.id === ref.id),
  };
}

/** A world holding these records (runners' allocation keys filled in). */
export function worldWith(records: { actors?: ActorRecord[]; runners?: RunnerRecord[]; pending?: Record<string, string[]>; desiredSlots?: Record<string, number> }): World {
  const world = emptyWorld();
  for (const actor of records.actors ?? []) world.actors.set(actor.actorId, actor);
  for (const runner of records.runners ?? []) world.runners.set(runner.runnerId, runner);
  for (const [name, queue] of Object.entries(records.pending ?? {})) world.pending.set(name, queue);
  for (const [pool, slots] of Object.entries(records.desiredSlots ?? {})) world.desiredSlots.set(pool, slots);
  return world;
}

/** The effects of one kind, for assertions. */
export function effectsOf<K extends Effect["kind"]>(effects: Effect[], kind: K): Extract<Effect, { kind: K }>[] {
  return effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
}
