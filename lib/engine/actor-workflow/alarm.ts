// The actor's alarm: set or cleared by its runner, kept while it sleeps, and when due it acts as a
// wake. The live engine stores `alarmAt` so that a restarted engine arms it again.
import type { Fx } from "../core/fx";
import { actorOf } from "./actor-ops";
import { allocate } from "./allocate";
import type { ActorWorkflowState } from "./state";

/** A restarted engine arms the stored alarm again; one already due fires at once. */
export function restoreAlarm(s: ActorWorkflowState, fx: Fx): void {
  if (s.alarmAt === null || s.alarmTimer !== null) return;
  fx.note({ type: "alarm-restored", label: `Alarm restored for ${s.alarmAt} ms`, actorId: s.actorId, housekeeping: true, payload: { alarmAt: s.alarmAt } });
  s.alarmTimer = fx.setTimer({ timer: "alarm", alarmAt: s.alarmAt }, Math.max(0, s.alarmAt - fx.now));
}

/** The runner sets (epoch ms) or clears (null) the actor's alarm; the last one wins. */
export function setAlarm(s: ActorWorkflowState, fx: Fx, alarmTs: number | null): void {
  fx.cancelTimer(s.alarmTimer);
  s.alarmTimer = null;
  s.alarmAt = alarmTs === null ? null : alarmTs - fx.config.epochMs;
  if (s.alarmAt === null) {
    fx.note({ type: "alarm-cleared", label: "Alarm cleared", actorId: s.actorId, housekeeping: true });
    return;
  }
  fx.note({ type: "alarm-set", label: `Alarm set for ${s.alarmAt} ms`, actorId: s.actorId, housekeeping: true, payload: { alarmAt: s.alarmAt } });
  s.alarmTimer = fx.setTimer({ timer: "alarm", alarmAt: s.alarmAt }, s.alarmAt - fx.now);
}

/**
 * The alarm is due. As in the real engine it acts as a wake and is cleared by it: a sleeping actor
 * is allocated, one that is stopping wakes once it has stopped, an awake one is left alone (its
 * runner runs the scheduled work itself).
 */
export function onAlarm(s: ActorWorkflowState, fx: Fx): void {
  s.alarmAt = null;
  s.alarmTimer = null;
  fx.useCause(null);
  switch (actorOf(s, fx).state) {
    case "Sleeping":
      fx.note({ type: "alarm-wake", label: "Alarm due, wake", actorId: s.actorId });
      return allocate(s, fx, "actor allocation");
    case "SleepIntent":
      fx.note({ type: "alarm-wake", label: "Alarm due, wake<br/>after stop", actorId: s.actorId });
      if (!s.rewake) s.rewake = { cause: fx.cause, phase: fx.phase };
      return;
    default:
      // Recorded so the live engine stores the cleared alarm (a restart must not wake it again).
      fx.note({ type: "alarm-due", label: "Alarm due,<br/>actor awake", actorId: s.actorId, housekeeping: true });
      return;
  }
}
