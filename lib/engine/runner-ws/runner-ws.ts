// The engine's end of one runner WebSocket (engine.md §4): handshake, runner id reuse, pings,
// relaying events to the runner workflow and commands / tunnel traffic to the runner, eviction.
import type { ParticipantRef } from "../../trace/types";
import { dispatch } from "../core/dispatch";
import { Fx } from "../core/fx";
import { instance, type Input, type Instance, type ParticipantModule, type Step } from "../core/module";
import { GATEWAY, runnerWorkflow, runnerWs } from "../core/refs";
import type { StepView } from "../core/view";
import { actorEventLabel, assertNever, type Message, type MessageOf } from "../messages";
import { runnerWorkflowInstance } from "../runner-workflow/runner-workflow";
import { initialRunnerWsState, newRunnerRecord, runnerKeyOf, type RunnerWsState } from "./state";

export const RUNNER_PROTOCOL_VERSION = 7;

export type RunnerWsTimer = { timer: "init-timeout" } | { timer: "ping" } | { timer: "pong-deadline" };

/** `start` when the connection opens; `transport-closed` when the socket under it went away. */
export type RunnerWsCommand = { command: "start" } | { command: "transport-closed" };

export const runnerWsModule: ParticipantModule<RunnerWsState, RunnerWsTimer, RunnerWsCommand> = {
  role: "RunnerWS",
  phaseBeforeInput(state: RunnerWsState, msg: Message): string | null {
    return msg.type === "ToServerInit" && state.runnerId === null ? "runner connection" : null;
  },
  step(state: RunnerWsState, input: Input<RunnerWsTimer, RunnerWsCommand>, view: StepView): Step<RunnerWsState> {
    const fx = new Fx(view);
    if (state.closed) return fx.done(state);
    dispatch(state, input, fx, { message: (s, input, f) => onMessage(s, input.msg, input.seq, f), timer: onTimer, command: onCommand });
    return fx.done(state);
  },
};

export function runnerWsInstance(connId: string, runner: ParticipantRef): Instance {
  return instance(runnerWs(connId), runnerWsModule, initialRunnerWsState(connId, runner));
}

function onCommand(state: RunnerWsState, command: RunnerWsCommand, fx: Fx): void {
  switch (command.command) {
    case "start":
      // The connection opened: the first frame must be ToServerInit in time.
      state.initTimer = fx.setTimer<RunnerWsTimer>({ timer: "init-timeout" }, fx.config.timing.initTimeoutMs);
      return;
    case "transport-closed":
      return close(state, fx, "ws.closed", false);
    default:
      return assertNever(command);
  }
}

function onMessage(state: RunnerWsState, msg: Message, seq: number, fx: Fx): void {
  if (msg.type === "ToServerInit") return onInit(state, msg, fx);
  const { runnerId } = state;
  if (runnerId === null) return close(state, fx, "ws.init_required", false);
  switch (msg.type) {
    case "EventActorIntent":
    case "EventActorStateUpdate":
    case "EventActorSetAlarm":
      fx.send(runnerWorkflow(runnerId), msg, { relayOf: seq, label: actorEventLabel(msg) });
      fx.send(state.runner, { type: "ToClientAckEvents", lastEventCheckpoints: [msg.checkpoint] }, { label: "ToClientAckEvents" });
      return;
    case "ToServerPong":
      state.lastPongAt = fx.now;
      if (fx.world.runner(runnerId)) fx.world.apply({ op: "update-runner", runnerId, set: { lastPingAt: fx.now } });
      return;
    case "ToServerStopping":
      fx.send(runnerWorkflow(runnerId), { type: "RunnerStopping", runnerId }, { relayOf: seq, label: "Runner stopping" });
      return;
    case "ToServerAckCommands":
    case "ToServerKvRequest":
      return;
    case "ToServerResponseStart":
      fx.send(GATEWAY, msg, { relayOf: seq, label: `ToServerResponseStart ${msg.status}` });
      return;
    case "CommandStartActor":
    case "CommandStopActor":
      // From the runner workflow: down the socket.
      fx.send(state.runner, msg, { relayOf: seq, label: msg.type === "CommandStartActor" ? "ToClientCommands StartActor" : "ToClientCommands StopActor" });
      return;
    case "ToClientRequestStart":
    case "ToClientRequestAbort":
    case "ToClientWebSocketOpen":
    case "ToClientWebSocketMessage":
    case "ToClientWebSocketClose":
      fx.send(state.runner, msg, { relayOf: seq, label: msg.type });
      return;
    case "ToServerWebSocketOpen":
    case "ToServerWebSocketMessage":
    case "ToServerWebSocketClose":
      fx.send(GATEWAY, msg, { relayOf: seq, label: msg.type });
      return;
    case "Evict":
      fx.send(state.runner, msg, { relayOf: seq, label: "Close ws.eviction" });
      return close(state, fx, "ws.eviction", true);
    default:
      return;
  }
}

function onInit(state: RunnerWsState, msg: MessageOf<"ToServerInit">, fx: Fx): void {
  if (state.runnerId !== null) return;
  fx.cancelTimer(state.initTimer);
  const key = runnerKeyOf(fx.config.namespace, msg);
  const existingId = fx.world.runnerIdByKey(key);
  const existing = existingId ? fx.world.runner(existingId) : undefined;
  let runnerId: string;
  if (existing && existing.alive) {
    // A reconnect within the lost threshold keeps the runner id and its workflow.
    runnerId = existing.runnerId;
    fx.world.apply({ op: "update-runner", runnerId, set: { connId: state.connId, processId: state.runner.id, disconnectedAt: null, lastPingAt: fx.now } });
    state.runnerId = runnerId;
    fx.send(runnerWorkflow(runnerId), { type: "RunnerReconnected", runnerId }, { label: "Runner reconnected" });
  } else {
    runnerId = fx.newId("runner");
    fx.world.apply({ op: "put-runner", runner: newRunnerRecord(runnerId, msg, state, fx.now), key });
    state.runnerId = runnerId;
    fx.spawn(runnerWorkflowInstance(runnerId));
    fx.send(
      runnerWorkflow(runnerId),
      { type: "CreateRunnerWorkflow", runnerId, name: msg.name, version: msg.version, totalSlots: msg.totalSlots, runnerKey: msg.runnerKey },
      { label: "Create runner workflow" },
    );
  }
  if (fx.openedPhase !== null) fx.phaseEnd(fx.openedPhase);
  state.lastPongAt = fx.now;
  fx.send(
    state.runner,
    {
      type: "ToClientInit",
      runnerId,
      runnerLostThreshold: fx.config.timing.runnerLostThresholdMs,
      actorStopThreshold: fx.config.timing.actorStopThresholdMs,
      serverlessDrainGracePeriod: null,
    },
    { label: `ToClientInit ${runnerId}` },
  );
  state.pingTimer = fx.setTimer<RunnerWsTimer>({ timer: "ping" }, fx.config.timing.pingIntervalMs);
  armPongDeadline(state, fx);
}

/** Closing on time needs no timer per pong: the deadline is checked, and moved, when it fires. */
function armPongDeadline(state: RunnerWsState, fx: Fx): void {
  fx.cancelTimer(state.pongDeadline);
  state.pongDeadline = fx.setTimer<RunnerWsTimer>({ timer: "pong-deadline" }, state.lastPongAt + fx.config.timing.pongTimeoutMs - fx.now);
}

function onTimer(state: RunnerWsState, timer: RunnerWsTimer, fx: Fx): void {
  switch (timer.timer) {
    case "init-timeout":
      if (state.runnerId === null) close(state, fx, "ws.init_timeout", false);
      return;
    case "pong-deadline":
      state.pongDeadline = null;
      fx.useCause(null);
      if (fx.now - state.lastPongAt >= fx.config.timing.pongTimeoutMs) return close(state, fx, "ws.ping_timeout", false);
      return armPongDeadline(state, fx);
    case "ping":
      fx.useCause(null);
      fx.send(state.runner, { type: "ToClientPing", ts: fx.now }, { label: "ToClientPing" });
      state.pingTimer = fx.setTimer<RunnerWsTimer>({ timer: "ping" }, fx.config.timing.pingIntervalMs);
      return;
    default:
      return assertNever(timer);
  }
}

/** Close the socket: the runner leaves the index at once; its workflow decides when it is lost. */
function close(state: RunnerWsState, fx: Fx, reason: string, evicted: boolean): void {
  if (state.closed) return;
  state.closed = true;
  fx.cancelTimer(state.pingTimer);
  fx.cancelTimer(state.initTimer);
  fx.cancelTimer(state.pongDeadline);
  fx.close();
  const { runnerId } = state;
  if (runnerId === null) return;
  if (fx.world.runner(runnerId)?.connId === state.connId) {
    fx.world.apply({ op: "update-runner", runnerId, set: { connId: null, disconnectedAt: fx.now } });
  }
  fx.send(runnerWorkflow(runnerId), { type: "RunnerDisconnected", runnerId, evicted }, { label: `Disconnected (${reason})` });
}
