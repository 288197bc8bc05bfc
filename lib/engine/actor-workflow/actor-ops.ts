// Small steps the actor workflow's rules share. The actor's record is read through `fx.world`
// every time, so a read after a write in the same step sees the write.
import type { Fx } from "../core/fx";
import { GATEWAY, actorWorkflow, runnerWorkflow } from "../core/refs";
import type { Message } from "../messages";
import type { ActorRecord, ActorState } from "../world";
import { nextCommandCheckpoint, type ActorWorkflowState } from "./state";

/** The actor as this step has changed it so far (the step only runs while it exists). */
export function actorOf(s: ActorWorkflowState, fx: Fx): Readonly<ActorRecord> {
  return fx.world.actor(s.actorId)!;
}

export function updateActor(s: ActorWorkflowState, fx: Fx, set: Partial<Omit<ActorRecord, "actorId">>): void {
  fx.world.apply({ op: "update-actor", actorId: s.actorId, set });
}

/** Moves a runner's free-slot count by `delta`. */
export function adjustFreeSlots(fx: Fx, runnerId: string, delta: number): void {
  const runner = fx.world.runner(runnerId);
  if (runner) fx.world.apply({ op: "update-runner", runnerId, set: { freeSlots: runner.freeSlots + delta } });
}

export function setState(s: ActorWorkflowState, fx: Fx, to: ActorState): void {
  const from = actorOf(s, fx).state;
  updateActor(s, fx, { state: to });
  const actor = actorOf(s, fx);
  fx.note({
    type: "state",
    label: `${from} → ${to}`,
    actorId: actor.actorId,
    runnerId: actor.runnerId,
    housekeeping: true,
    payload: { from, to, generation: actor.generation, runnerId: actor.runnerId },
  });
}

/** Broadcast on the actor's topic: only a gateway waiting on it receives a message. */
export function publish(s: ActorWorkflowState, fx: Fx, msg: Message, label: string): void {
  if (fx.world.hasSubscribers(s.actorId)) fx.send(GATEWAY, msg, { label });
}

/** Asks the actor's runner to stop it, with a deadline for the answer. */
export function sendStop(s: ActorWorkflowState, fx: Fx): void {
  const actor = actorOf(s, fx);
  if (actor.runnerId === null) return;
  fx.send(
    runnerWorkflow(actor.runnerId),
    { type: "CommandStopActor", runnerId: actor.runnerId, checkpoint: nextCommandCheckpoint(s, actor) },
    { label: "Send StopActor" },
  );
  fx.cancelTimer(s.stopDeadline);
  s.stopDeadline = fx.setTimer({ timer: "stop-deadline", generation: actor.generation }, fx.config.timing.actorStopThresholdMs);
}

/** Hand a freed slot to the first queued actor of that runner name. */
export function placeQueuedActor(fx: Fx, name: string, runnerId: string): boolean {
  const next = fx.world.pending(name)[0];
  if (next === undefined) return false;
  fx.world.apply({ op: "remove-pending", name, actorId: next });
  adjustFreeSlots(fx, runnerId, -1);
  fx.send(actorWorkflow(next), { type: "Allocate", actorId: next, runnerId }, { label: "Allocate" });
  return true;
}

export function finishDestroy(s: ActorWorkflowState, fx: Fx): void {
  updateActor(s, fx, { destroyTs: fx.now });
  setState(s, fx, "Destroyed");
  fx.note({ type: "destroyed", label: "Destroyed", actorId: s.actorId });
  if (s.allocationPhase !== null) fx.phaseEnd(s.allocationPhase);
  s.allocationPhase = null;
}
