// The per-actor workflow (engine.md §3): wake, allocation, sleep, loss, crash policies, destroy.
// One instance per actor; the actor's record is in the world, what the workflow remembers is its state.
import { dispatch } from "../core/dispatch";
import { Fx } from "../core/fx";
import { instance, type Input, type Instance, type ParticipantModule, type Step } from "../core/module";
import { actorWorkflow, serverless } from "../core/refs";
import type { StepView } from "../core/view";
import type { WorldView } from "../core/world-draft";
import { assertNever, type Message, type MessageOf } from "../messages";
import { desiredSlotsOp } from "../world";
import { actorOf, finishDestroy, publish, sendStop, setState, updateActor } from "./actor-ops";
import { onAlarm, restoreAlarm, setAlarm } from "./alarm";
import { allocate, onAllocate } from "./allocate";
import { deallocate } from "./deallocate";
import { freshEvent, initialActorWorkflowState, type ActorWorkflowState } from "./state";

export type { ActorWorkflowState } from "./state";

export type ActorWorkflowTimer =
  | { timer: "alarm"; alarmAt: number }
  | { timer: "start-deadline"; generation: number }
  | { timer: "stop-deadline"; generation: number }
  | { timer: "backoff" };

export type ActorWorkflowCommand = { command: "restore-alarm" } | { command: "deferred-wake" };

type AwInput = Input<ActorWorkflowTimer, ActorWorkflowCommand>;

/** Signals one workflow step takes at most (the real actor workflow listens for 256 at once). */
const SIGNALS_PER_STEP = 256;

export const actorWorkflowModule: ParticipantModule<ActorWorkflowState, ActorWorkflowTimer, ActorWorkflowCommand> = {
  role: "ActorWorkflow",
  stepBatch: SIGNALS_PER_STEP,

  /**
   * While Pending the workflow waits for its allocation only (or a destroy): wakes and anything
   * else that arrives meanwhile stay queued and do not delay the Allocate.
   */
  listensFor(state: ActorWorkflowState, input: AwInput, world: WorldView): boolean {
    if (world.actor(state.actorId)?.state !== "Pending") return true;
    return input.kind !== "message" || input.msg.type === "Allocate" || input.msg.type === "DestroyActor";
  },

  step(state: ActorWorkflowState, input: AwInput, view: StepView): Step<ActorWorkflowState> {
    const fx = new Fx(view);
    const actor = fx.world.actor(state.actorId);
    if (!actor) return fx.done(state);
    // A destroyed actor still answers wakes (ignored, with a note) and gives back a slot that a
    // runner workflow reserved for it before the destroy.
    if (actor.state === "Destroyed" && !(input.kind === "message" && (input.msg.type === "Wake" || input.msg.type === "Allocate"))) return fx.done(state);
    // While the actor is being (re)allocated, everything it does belongs to that phase.
    if (state.allocationPhase !== null && fx.isPhaseOpen(state.allocationPhase)) fx.usePhase(state.allocationPhase);
    dispatch(state, input, fx, { message: (s, input, f) => onMessage(s, f, input.msg), timer: (s, timer, f) => onTimer(s, f, timer), command: (s, command, f) => onCommand(s, f, command) });
    return fx.done(state);
  },
};

export function actorWorkflowInstance(actorId: string, restoredAlarmAt: number | null = null): Instance {
  return instance(actorWorkflow(actorId), actorWorkflowModule, initialActorWorkflowState(actorId, restoredAlarmAt));
}

function onMessage(s: ActorWorkflowState, fx: Fx, msg: Message): void {
  const actor = actorOf(s, fx);
  switch (msg.type) {
    case "CreateActor":
      return allocate(s, fx, "actor allocation");
    case "Wake":
      return onWake(s, fx, msg);
    case "Allocate":
      return onAllocate(s, fx, msg);
    case "EventActorStateUpdate":
      if (!freshEvent(s, actor, msg.checkpoint)) return;
      if (msg.update.state === "Running") return onRunning(s, fx);
      // Already deallocated (a deadline expired, or the actor was lost first): nothing to free.
      if (actor.runnerId === null) return;
      return deallocate(s, fx, actor.state === "SleepIntent" || actor.state === "StopIntent" ? "stopped" : "crashed");
    case "EventActorIntent":
      if (!freshEvent(s, actor, msg.checkpoint)) return;
      return onIntent(s, fx, msg.intent);
    case "EventActorSetAlarm":
      // As the real engine: only from the runner the actor is allocated to.
      if (actor.runnerId === null || !freshEvent(s, actor, msg.checkpoint)) return;
      return setAlarm(s, fx, msg.alarmTs);
    case "Lost":
      if (msg.generation !== actor.generation || actor.runnerId === null) return;
      return deallocate(s, fx, "lost", msg.reason);
    case "GoingAway":
      if (msg.generation !== actor.generation || actor.runnerId === null) return;
      setState(s, fx, "GoingAway");
      sendStop(s, fx);
      return;
    case "DestroyActor":
      return destroy(s, fx);
    default:
      return;
  }
}

function onWake(s: ActorWorkflowState, fx: Fx, msg: MessageOf<"Wake">): void {
  const actor = actorOf(s, fx);
  switch (actor.state) {
    case "Sleeping":
      return allocate(s, fx, "actor allocation");
    case "SleepIntent":
      if (!s.rewake) s.rewake = { cause: fx.cause, phase: fx.phase };
      fx.note({ type: "defer-wake", label: "Actor is currently marked<br/>as sleeping but has not stopped<br/>yet, defer wake after stop", actorId: actor.actorId });
      return;
    case "Starting":
    case "Running":
      fx.note({
        type: "ignored-wake",
        label: msg.retry ? "Ignore retry wake (from before)<br/>because we are already allocated" : "Ignore wake because<br/>we are already allocated",
        actorId: actor.actorId,
        payload: { state: actor.state, retry: msg.retry },
      });
      return;
    default:
      fx.note({ type: "ignored-wake", label: `Cannot wake an actor that<br/>is not sleeping (${actor.state})`, actorId: actor.actorId, payload: { state: actor.state, retry: msg.retry } });
      return;
  }
}

/** Rule 5: the actor runs; whoever waits for it hears it is Ready, and its allocation is over. */
function onRunning(s: ActorWorkflowState, fx: Fx): void {
  const before = actorOf(s, fx);
  if (before.state !== "Starting") return;
  fx.cancelTimer(s.startDeadline);
  s.startDeadline = null;
  updateActor(s, fx, { startTs: before.startTs ?? fx.now, connectableTs: fx.now });
  setState(s, fx, "Running");
  const actor = actorOf(s, fx);
  fx.note({ type: "publish-ready", label: "Publish Ready msg", actorId: actor.actorId, runnerId: actor.runnerId });
  if (s.allocationPhase !== null) {
    fx.phaseEnd(s.allocationPhase);
    s.allocationPhase = null;
  }
  publish(s, fx, { type: "Ready", actorId: actor.actorId, runnerId: actor.runnerId!, generation: actor.generation }, `Receive runner ID<br/>${actor.runnerId}`);
}

/** Rule 4 (and `Stop` intents: destroy or failed start). */
function onIntent(s: ActorWorkflowState, fx: Fx, intent: "Sleep" | "Stop"): void {
  const actor = actorOf(s, fx);
  if (actor.state === "SleepIntent" || actor.state === "StopIntent") {
    fx.note({ type: "ignored-sleep-intent", label: "Ignored, already<br/>marked as sleeping", actorId: actor.actorId });
    return;
  }
  if (actor.state !== "Running" && actor.state !== "Starting") return;
  s.sleepPhase = fx.phase;
  updateActor(s, fx, { connectableTs: null });
  if (intent === "Sleep") {
    fx.note({ type: "mark-sleeping", label: "Mark as sleeping", actorId: actor.actorId });
    updateActor(s, fx, { sleepTs: fx.now });
    setState(s, fx, "SleepIntent");
  } else {
    fx.note({ type: "mark-stopping", label: "Mark as stopping", actorId: actor.actorId });
    setState(s, fx, "StopIntent");
  }
  sendStop(s, fx);
}

/** Rule 8. */
function destroy(s: ActorWorkflowState, fx: Fx): void {
  const actor = actorOf(s, fx);
  // Already stopping to be destroyed: its Stopped finishes the destroy (and frees the slot).
  if (actor.state === "StopIntent") return;
  if (actor.state === "Pending") {
    fx.world.apply({ op: "remove-pending", name: actor.name, actorId: actor.actorId });
    fx.world.apply(desiredSlotsOp(fx.world, actor.pool, -1));
    // As the real engine: the pool is bumped so that it scales down (and gives up a start that
    // is still backing off for this actor).
    fx.send(serverless(actor.pool), { type: "Bump", pool: actor.pool });
  }
  fx.cancelTimer(s.backoffTimer);
  fx.cancelTimer(s.alarmTimer);
  s.alarmTimer = s.alarmAt = null;
  publish(s, fx, { type: "DestroyStarted", actorId: actor.actorId }, "Destroy started");
  if (actor.runnerId !== null && (actor.state === "Starting" || actor.state === "Running" || actor.state === "GoingAway")) {
    setState(s, fx, "StopIntent");
    sendStop(s, fx);
    return;
  }
  if (actor.state === "SleepIntent") {
    setState(s, fx, "StopIntent");
    return;
  }
  finishDestroy(s, fx);
}

function onTimer(s: ActorWorkflowState, fx: Fx, timer: ActorWorkflowTimer): void {
  const actor = actorOf(s, fx);
  switch (timer.timer) {
    case "alarm":
      if (timer.alarmAt !== s.alarmAt) return;
      return onAlarm(s, fx);
    case "start-deadline":
    case "stop-deadline":
      if (timer.generation !== actor.generation || actor.runnerId === null) return;
      fx.note({
        type: "deadline-expired",
        label: timer.timer === "start-deadline" ? "Start deadline expired,<br/>treat as lost" : "Stop deadline expired,<br/>treat as lost",
        actorId: actor.actorId,
        payload: { generation: actor.generation },
      });
      return deallocate(s, fx, "lost", "RunnerNoResponse");
    case "backoff":
      s.backoffTimer = null;
      if (actor.state !== "Backoff") return;
      return allocate(s, fx, "actor reallocation");
    default:
      return assertNever(timer);
  }
}

function onCommand(s: ActorWorkflowState, fx: Fx, command: ActorWorkflowCommand): void {
  switch (command.command) {
    case "restore-alarm":
      return restoreAlarm(s, fx);
    case "deferred-wake": {
      const rewake = s.rewake;
      if (!rewake) return;
      s.rewake = null;
      // The re-allocation happens because of the wake that was deferred.
      fx.useCause(rewake.cause);
      fx.usePhase(rewake.phase);
      s.allocationPhase = fx.phaseStart("actor reallocation");
      fx.note({ type: "deferred-wake", label: "Deferred wake", actorId: s.actorId });
      return allocate(s, fx, "actor reallocation");
    }
    default:
      return assertNever(command);
  }
}
