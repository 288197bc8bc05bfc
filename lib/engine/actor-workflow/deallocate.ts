// Deallocation (engine.md §3 rule 6): free the slot, hand it to a queued actor or bump the
// autoscaler, decide what comes next (sleep, wake again, destroy, restart after a backoff), and
// always publish Stopped.
import { backoffMs } from "../config";
import type { Fx } from "../core/fx";
import { serverless } from "../core/refs";
import { assertNever, type LostReason } from "../messages";
import { desiredSlotsOp, type ActorRecord, type ActorState } from "../world";
import { actorOf, adjustFreeSlots, finishDestroy, placeQueuedActor, publish, setState, updateActor } from "./actor-ops";
import type { ActorWorkflowState } from "./state";

export type StopWhy = "stopped" | "crashed" | "lost";
type Next = "rewake" | "sleep" | "destroy" | "restart";

export function deallocate(s: ActorWorkflowState, fx: Fx, why: StopWhy, reason?: LostReason): void {
  const before = actorOf(s, fx);
  const runnerId = before.runnerId;
  const wasState = before.state;
  fx.cancelTimer(s.startDeadline);
  fx.cancelTimer(s.stopDeadline);
  s.startDeadline = s.stopDeadline = null;
  fx.note({ type: "deallocate", label: "Deallocate", actorId: before.actorId, runnerId, payload: { runnerId, generation: before.generation, why, reason: reason ?? null } });
  updateActor(s, fx, { runnerId: null, connectableTs: null });
  fx.world.apply(desiredSlotsOp(fx.world, before.pool, -1));
  const runner = runnerId ? fx.world.runner(runnerId) : undefined;
  if (runner) {
    fx.world.apply({ op: "host-actor", runnerId: runner.runnerId, actorId: s.actorId, hosted: false });
    adjustFreeSlots(fx, runner.runnerId, +1);
    const slotBackInIndex = runner.alive && !runner.draining && runner.connId !== null;
    if (slotBackInIndex && !placeQueuedActor(fx, before.name, runner.runnerId)) {
      fx.send(serverless(before.pool), { type: "Bump", pool: before.pool });
    }
  }
  const actor = actorOf(s, fx);
  const next = nextAfterStop(s, actor, wasState, why);
  fx.note({ type: "send-stopped", label: "Send Stopped msg", actorId: actor.actorId });
  if (s.sleepPhase !== null) {
    fx.phaseEnd(s.sleepPhase);
    s.sleepPhase = null;
  }
  publish(s, fx, { type: "Stopped", actorId: actor.actorId, generation: actor.generation }, "Receive Stopped msg");
  enter(s, fx, next);
}

function nextAfterStop(s: ActorWorkflowState, actor: Readonly<ActorRecord>, wasState: ActorState, why: StopWhy): Next {
  if (wasState === "SleepIntent") return s.rewake ? "rewake" : "sleep";
  if (wasState === "StopIntent") return "destroy";
  if (why === "stopped") return "sleep";
  switch (actor.crashPolicy) {
    case "sleep":
      return "sleep";
    case "destroy":
      return "destroy";
    case "restart":
      return "restart";
    default:
      return assertNever(actor.crashPolicy);
  }
}

function enter(s: ActorWorkflowState, fx: Fx, next: Next): void {
  switch (next) {
    case "rewake":
      // The next workflow step, after this one commits.
      fx.continueWith({ command: "deferred-wake" });
      return;
    case "sleep":
      // Asleep without having asked (its runner was drained or lost, or it crashed): it went to
      // sleep now. An actor that asked keeps the time of its intent.
      if (actorOf(s, fx).state !== "SleepIntent") updateActor(s, fx, { sleepTs: fx.now });
      setState(s, fx, "Sleeping");
      // Nobody waits for this actor any more: its allocation attempt is over. (A gateway still
      // waiting will retry the wake, and that wake continues the same allocation phase.)
      if (s.allocationPhase !== null && !fx.world.hasSubscribers(s.actorId)) {
        fx.phaseEnd(s.allocationPhase);
        s.allocationPhase = null;
      }
      return;
    case "destroy":
      return finishDestroy(s, fx);
    case "restart":
      return backoff(s, fx);
    default:
      return assertNever(next);
  }
}

/** Crash policy `restart`: wait a growing, jittered delay (reset after a quiet spell), then reallocate. */
function backoff(s: ActorWorkflowState, fx: Fx): void {
  if (s.lastCrashAt !== null && fx.now - s.lastCrashAt > fx.config.timing.backoffResetMs) s.crashCount = 0;
  s.lastCrashAt = fx.now;
  const delay = backoffMs(s.crashCount, fx.config.timing, () => fx.random());
  s.crashCount += 1;
  setState(s, fx, "Backoff");
  fx.note({ type: "backoff", label: `Reallocate in ${delay} ms<br/>(attempt ${s.crashCount})`, actorId: s.actorId, payload: { delayMs: delay, attempt: s.crashCount } });
  s.backoffTimer = fx.setTimer({ timer: "backoff" }, delay);
}
