// Allocation (engine.md §3 rule 1): take a free slot if there is one, else queue the actor and
// bump the autoscaler; a queued actor is placed when a runner workflow hands it a slot.
import type { Fx } from "../core/fx";
import { runnerWorkflow, serverless } from "../core/refs";
import type { MessageOf } from "../messages";
import { desiredSlotsOp, pickRunnerIn } from "../world";
import { actorOf, adjustFreeSlots, placeQueuedActor, setState, updateActor } from "./actor-ops";
import { nextCommandCheckpoint, type ActorWorkflowState } from "./state";

export function allocate(s: ActorWorkflowState, fx: Fx, phaseLabel: string): void {
  if (s.allocationPhase === null || !fx.isPhaseOpen(s.allocationPhase)) {
    s.allocationPhase = fx.phaseStart(phaseLabel);
  }
  const actor = actorOf(s, fx);
  fx.note({ type: "allocate", label: "Allocate", actorId: actor.actorId });
  fx.world.apply(desiredSlotsOp(fx.world, actor.pool, +1));
  const runner = pickRunnerIn(fx.world, actor.name, fx.now, fx.config.timing.pingFreshMs);
  if (runner) {
    adjustFreeSlots(fx, runner.runnerId, -1);
    return place(s, fx, runner.runnerId);
  }
  fx.note({ type: "no-runners-pending", label: "No runners available,<br/>Start pending", actorId: actor.actorId });
  fx.world.apply({ op: "enqueue-pending", name: actor.name, actorId: actor.actorId });
  setState(s, fx, "Pending");
  fx.send(serverless(actor.pool), { type: "Bump", pool: actor.pool });
}

/** The runner workflow placed a queued actor on its slot. */
export function onAllocate(s: ActorWorkflowState, fx: Fx, msg: MessageOf<"Allocate">): void {
  const actor = actorOf(s, fx);
  if (actor.state !== "Pending") {
    // The slot was reserved for us: give it back, to the next queued actor if there is one.
    const runner = fx.world.runner(msg.runnerId);
    if (runner) {
      adjustFreeSlots(fx, runner.runnerId, +1);
      if (runner.alive && !runner.draining && runner.connId !== null) placeQueuedActor(fx, actor.name, runner.runnerId);
    }
    return;
  }
  place(s, fx, msg.runnerId);
}

/** A new generation of the actor on that runner: Starting, with a deadline for it to run. */
function place(s: ActorWorkflowState, fx: Fx, runnerId: string): void {
  updateActor(s, fx, { generation: actorOf(s, fx).generation + 1, runnerId });
  s.lastCommandIndex = -1;
  fx.world.apply({ op: "host-actor", runnerId, actorId: s.actorId, hosted: true });
  setState(s, fx, "Starting");
  const actor = actorOf(s, fx);
  s.startDeadline = fx.setTimer({ timer: "start-deadline", generation: actor.generation }, fx.config.timing.actorStartThresholdMs);
  const hibernating = fx.world.hibernatable(actor.actorId);
  fx.send(
    runnerWorkflow(runnerId),
    {
      type: "CommandStartActor",
      runnerId,
      checkpoint: nextCommandCheckpoint(s, actor),
      config: { name: actor.name, key: actor.key, createTs: actor.createTs, input: actor.input },
      ...(hibernating.length > 0 ? { hibernatingRequests: [...hibernating] } : {}),
    },
    { label: "Send StartActor" },
  );
}
