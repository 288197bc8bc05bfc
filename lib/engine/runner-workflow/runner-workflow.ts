// The per-runner workflow (engine.md §4): slots and allocation index entry, pending placement,
// forwarding events and commands, drain, loss.
import { dispatch } from "../core/dispatch";
import { Fx } from "../core/fx";
import { instance, type Input, type Instance, type ParticipantModule, type Step } from "../core/module";
import { actorWorkflow, runnerWorkflow, runnerWs, serverless } from "../core/refs";
import type { StepView } from "../core/view";
import { assertNever, type Message } from "../messages";
import { countIntent, initialRunnerWorkflowState, intentLabel, type RunnerCommand, type RunnerWorkflowState } from "./state";

export type RunnerWorkflowTimer = { timer: "lost-threshold" };

type LoseReason = "RunnerLost" | "RunnerDraining" | "RunnerEvicted";

export const runnerWorkflowModule: ParticipantModule<RunnerWorkflowState, RunnerWorkflowTimer, never> = {
  role: "RunnerWorkflow",
  step(state: RunnerWorkflowState, input: Input<RunnerWorkflowTimer, never>, view: StepView): Step<RunnerWorkflowState> {
    const fx = new Fx(view);
    if (state.ended) {
      // An ended workflow still owes an answer to a start it can no longer place.
      if (input.kind === "message" && input.msg.type === "CommandStartActor") answerLost(input.msg.checkpoint.actorId, input.msg.checkpoint.generation, fx);
      return fx.done(state);
    }
    dispatch(state, input, fx, { message: (s, input, f) => onMessage(s, input.msg, input.seq, f), timer: onTimer });
    return fx.done(state);
  },
};

export function runnerWorkflowInstance(runnerId: string): Instance {
  return instance(runnerWorkflow(runnerId), runnerWorkflowModule, initialRunnerWorkflowState(runnerId));
}

function onTimer(state: RunnerWorkflowState, timer: RunnerWorkflowTimer, fx: Fx): void {
  switch (timer.timer) {
    case "lost-threshold":
      return lose(state, fx, "RunnerLost");
    default:
      return assertNever(timer.timer);
  }
}

function onMessage(state: RunnerWorkflowState, msg: Message, seq: number, fx: Fx): void {
  const runner = fx.world.runner(state.runnerId);
  if (!runner) return;
  switch (msg.type) {
    case "CreateRunnerWorkflow":
      return allocatePending(state, fx);
    case "RunnerReconnected":
      fx.cancelTimer(state.lostTimer);
      state.lostTimer = null;
      for (const command of state.unacked.splice(0)) forwardCommand(state, command, null, fx);
      return allocatePending(state, fx);
    case "RunnerDisconnected":
      if (runner.draining) return lose(state, fx, msg.evicted ? "RunnerEvicted" : "RunnerDraining");
      // Wait for a reconnect within the lost threshold before giving its actors up.
      fx.cancelTimer(state.lostTimer);
      state.lostTimer = fx.setTimer<RunnerWorkflowTimer>({ timer: "lost-threshold" }, fx.config.timing.runnerLostThresholdMs);
      return;
    case "Stop":
      return drain(state, fx);
    case "RunnerStopping":
      return sendGoingAway(state, fx);
    case "CommandStartActor":
      if (runner.draining) return answerLost(msg.checkpoint.actorId, msg.checkpoint.generation, fx);
      return forwardCommand(state, msg, seq, fx);
    case "CommandStopActor":
      return forwardCommand(state, msg, seq, fx);
    case "EventActorIntent": {
      const count = countIntent(state, msg.checkpoint.actorId, msg.checkpoint.generation);
      if (msg.intent === "Sleep" && count === 1) fx.usePhase(fx.phaseStart("actor sleep"));
      fx.send(actorWorkflow(msg.checkpoint.actorId), msg, { relayOf: seq, label: intentLabel(count, msg.intent) });
      return;
    }
    case "EventActorStateUpdate":
      if (msg.update.state === "Stopped") fx.world.apply({ op: "host-actor", runnerId: state.runnerId, actorId: msg.checkpoint.actorId, hosted: false });
      fx.send(actorWorkflow(msg.checkpoint.actorId), msg, { relayOf: seq, label: `Actor state update: ${msg.update.state}` });
      return;
    case "EventActorSetAlarm":
      fx.send(actorWorkflow(msg.checkpoint.actorId), msg, { relayOf: seq, label: msg.alarmTs === null ? "Actor clear alarm" : "Actor set alarm" });
      return;
    default:
      return;
  }
}

/** Down the runner's socket, or kept until it reconnects. */
function forwardCommand(state: RunnerWorkflowState, msg: RunnerCommand, seq: number | null, fx: Fx): void {
  const connId = fx.world.runner(state.runnerId)?.connId;
  if (!connId) {
    state.unacked.push(msg);
    return;
  }
  const name = msg.type === "CommandStartActor" ? "StartActor" : "StopActor";
  fx.send(runnerWs(connId), msg, { relayOf: seq, label: `Proxy ${name}` });
}

/** Place queued actors FIFO on the free slots, each told with Allocate. */
function allocatePending(state: RunnerWorkflowState, fx: Fx): void {
  const { runnerId } = state;
  const name = fx.world.runner(runnerId)!.name;
  fx.note({ type: "allocate-pending", label: "Allocate pending actors", runnerId });
  for (;;) {
    // Read back each time round: this step's own ops change the slots and the queue.
    const runner = fx.world.runner(runnerId)!;
    const queue = fx.world.pending(name);
    if (!(runner.freeSlots > 0 && queue.length > 0 && !runner.draining)) return;
    const actorId = queue[0];
    fx.world.apply({ op: "remove-pending", name, actorId });
    fx.world.apply({ op: "update-runner", runnerId, set: { freeSlots: runner.freeSlots - 1 } });
    fx.send(actorWorkflow(actorId), { type: "Allocate", actorId, runnerId }, { label: "Allocate" });
  }
}

/** `Stop` from the autoscaler: once, leave the allocation index; actors keep running. */
function drain(state: RunnerWorkflowState, fx: Fx): void {
  const { runnerId } = state;
  if (fx.world.runner(runnerId)!.draining) return;
  fx.world.apply({ op: "update-runner", runnerId, set: { draining: true } });
  fx.note({ type: "remove-from-index", label: "Remove from alloc idx", runnerId });
  if (fx.config.goingAwayOnDrain) sendGoingAway(state, fx);
  if (fx.world.runner(runnerId)!.connId === null) lose(state, fx, "RunnerDraining");
}

/** Tells each hosted actor's workflow that the runner is going away. */
function sendGoingAway(state: RunnerWorkflowState, fx: Fx): void {
  for (const actorId of fx.world.runner(state.runnerId)!.actorIds) {
    const actor = fx.world.actor(actorId);
    if (actor) fx.send(actorWorkflow(actorId), { type: "GoingAway", actorId, generation: actor.generation }, { label: "Going away" });
  }
}

/** The runner is gone: the workflow ends and every actor still on it is lost. */
function lose(state: RunnerWorkflowState, fx: Fx, reason: LoseReason): void {
  const { runnerId } = state;
  fx.cancelTimer(state.lostTimer);
  state.lostTimer = null;
  if (!fx.world.runner(runnerId)!.draining) {
    fx.world.apply({ op: "update-runner", runnerId, set: { draining: true } });
    fx.note({ type: "remove-from-index", label: "Remove from alloc idx", runnerId });
  }
  fx.world.apply({ op: "update-runner", runnerId, set: { alive: false } });
  state.ended = true;
  const runner = fx.world.runner(runnerId)!;
  const hosted = [...runner.actorIds];
  if (hosted.length > 0) fx.note({ type: "evict-running-actors", label: "Evict running actors", runnerId, payload: { reason } });
  for (const actorId of hosted) {
    const actor = fx.world.actor(actorId);
    if (actor && actor.runnerId === runnerId) {
      fx.send(actorWorkflow(actorId), { type: "Lost", actorId, generation: actor.generation, reason }, { label: "Actor lost" });
    }
  }
  fx.world.apply({ op: "clear-hosted", runnerId });
  // A runner the autoscaler did not drain went missing: its pool must count it out and may have
  // to start another one (the real engine's /start stream ends and is started again).
  const pool = fx.config.pools.find((p) => p.name === runner.name);
  if (reason === "RunnerLost" && pool) fx.send(serverless(pool.name), { type: "Bump", pool: pool.name }, { label: "Bump (runner lost)" });
}

function answerLost(actorId: string, generation: number, fx: Fx): void {
  fx.send(actorWorkflow(actorId), { type: "Lost", actorId, generation, reason: "RunnerDraining" }, { label: "Actor lost<br/>(runner draining)" });
}
