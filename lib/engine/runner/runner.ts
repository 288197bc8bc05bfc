// The built-in runner process and its demo actor (engine.md §7). It speaks the same messages a real
// runner sends over the WebSocket, so a real runner can take its place without engine changes.
// A runner started by the serverless endpoint shares its process: it reports its init on the
// endpoint's `/start` stream, pings on it, and closes it when it exits, all as the endpoint.
import type { Checkpoint, Message, MessageOf } from "../messages";
import { assertNever } from "../messages";
import { dispatch } from "../core/dispatch";
import { Fx } from "../core/fx";
import { instance, type Input, type Instance, type ParticipantModule, type Step } from "../core/module";
import { endpoint, ref, runnerWs, serverless } from "../core/refs";
import type { StepView } from "../core/view";
import { RUNNER_PROTOCOL_VERSION, runnerWsInstance } from "../runner-ws/runner-ws";
import { dropSockets, initialRunnerState, nextCheckpoint, reconnectDelayMs, type HostedActor, type RunnerProcessOptions, type RunnerState } from "./state";

export type { RunnerProcessOptions, RunnerState } from "./state";

/**
 * The demo actor accepts a WebSocket whose path starts with this as hibernatable: the socket
 * outlives the actor's sleep (the actor keeps it in its state, as rivetkit does) and is restored
 * when a start command lists it. Other sockets close when the actor stops.
 */
export const HIBERNATABLE_SOCKET_PATH = "/hibernatable";

export type RunnerTimer =
  | { timer: "actor-started"; actorId: string; generation: number }
  | { timer: "respond"; request: MessageOf<"ToClientRequestStart">; generation: number }
  | { timer: "idle"; actorId: string; generation: number }
  | { timer: "reconnect" }
  /** The endpoint's SSE ping on the `/start` stream of this process. */
  | { timer: "ping"; startId: string };

/** `start` connects; the others are scenario faults acting on the process itself. */
export type RunnerCommand =
  | { command: "start" }
  | { command: "kill" }
  | { command: "fall-silent" }
  | { command: "connection-lost" }
  | { command: "crash-actor"; actorId: string };

export const runnerModule: ParticipantModule<RunnerState, RunnerTimer, RunnerCommand> = {
  role: "Runner",
  step(state: RunnerState, input: Input<RunnerTimer, RunnerCommand>, view: StepView): Step<RunnerState> {
    const fx = new Fx(view);
    // The endpoint's half of the process keeps pinging while the runner hangs.
    if (input.kind === "timer" && input.timer.timer === "ping") {
      streamPing(state, input.timer.startId, fx);
      return fx.done(state);
    }
    if (state.exited || state.silent) return fx.done(state);
    dispatch(state, input, fx, { message: (s, input, f) => onMessage(s, input.msg, f), timer: onTimer, command: onCommand });
    return fx.done(state);
  },
};

export function runnerInstance(options: RunnerProcessOptions): Instance {
  return instance(ref("Runner", options.processId), runnerModule, initialRunnerState(options));
}

/** Connect and send the handshake. */
function start(state: RunnerState, fx: Fx): void {
  state.connCount += 1;
  const connId = `${state.processId}/ws-${state.connCount}`;
  fx.spawn(runnerWsInstance(connId, fx.self), { command: "start" });
  const conn = runnerWs(connId);
  state.conn = conn;
  fx.send(
    conn,
    { type: "ToServerInit", name: state.name, version: state.version, totalSlots: state.totalSlots, runnerKey: state.runnerKey, connId },
    { label: `Connect<br/>(ToServerInit ${state.name})` },
  );
}

function onCommand(state: RunnerState, command: RunnerCommand, fx: Fx): void {
  switch (command.command) {
    case "start":
      start(state, fx);
      // The endpoint starts pinging its stream as it starts the process.
      if (state.stream && state.stream.pingTimer === null) {
        state.stream.pingTimer = fx.setTimer<RunnerTimer>({ timer: "ping", startId: state.stream.startId }, fx.config.timing.endpointPingMs);
      }
      return;
    case "kill":
      fx.note({ type: "process-killed", label: "Process killed", runnerId: state.runnerId });
      return exit(state, fx);
    case "fall-silent":
      fx.note({ type: "process-silent", label: "Process stops answering<br/>(socket left open)", runnerId: state.runnerId });
      state.silent = true;
      return;
    case "connection-lost":
      state.conn = null;
      return connectionLost(state, fx);
    case "crash-actor": {
      const { actorId } = command;
      const actor = state.actors.get(actorId);
      if (!actor) return;
      fx.note({ type: "actor-crashed", label: "Actor crashed", actorId, runnerId: state.runnerId });
      fx.cancelTimer(actor.idleTimer);
      state.actors.delete(actorId);
      dropSockets(state, actorId);
      emit(state, fx, actorId, actor, { state: "Stopped", code: "Error", message: "actor crashed" });
      return;
    }
    default:
      return assertNever(command);
  }
}

function onMessage(state: RunnerState, msg: Message, fx: Fx): void {
  switch (msg.type) {
    case "ToClientInit":
      state.runnerId = msg.runnerId;
      return reportInit(state, msg.runnerId, fx);
    case "ToClientPing":
      send(state, fx, { type: "ToServerPong", ts: msg.ts }, "ToServerPong");
      return;
    case "ToClientAckEvents":
      return;
    case "CommandStartActor":
      return startActor(state, msg, fx);
    case "CommandStopActor":
      return stopActor(state, msg.checkpoint, fx);
    case "ToClientRequestStart":
      return handleRequest(state, msg, fx);
    case "ToClientWebSocketOpen":
      return openSocket(state, msg, fx);
    case "ToClientWebSocketMessage":
      return echo(state, msg, fx);
    case "ToClientWebSocketClose":
      state.sockets.delete(msg.requestId);
      return;
    case "Evict":
      // ws.eviction: shut down without reconnecting.
      return exit(state, fx);
    default:
      return;
  }
}

/** The endpoint's stream stays silent until the runner got its init; then one message, then pings. */
function reportInit(state: RunnerState, runnerId: string, fx: Fx): void {
  const stream = state.stream;
  if (!stream || stream.runnerId !== null) return;
  stream.runnerId = runnerId;
  fx.sendAs(
    endpoint(stream.pool),
    serverless(stream.pool),
    { type: "ToServerlessServerInit", startId: stream.startId, runnerId, runnerProtocolVersion: RUNNER_PROTOCOL_VERSION },
    { label: `ToServerlessServerInit ${runnerId}` },
  );
}

/** One SSE ping, once the stream reported its runner; pinging stops when the stream closed. */
function streamPing(state: RunnerState, startId: string, fx: Fx): void {
  const stream = state.stream;
  if (!stream || stream.startId !== startId || state.exited) return;
  fx.useCause(null);
  if (stream.runnerId !== null) fx.sendAs(endpoint(stream.pool), serverless(stream.pool), { type: "EndpointPing", startId }, { label: "ping" });
  stream.pingTimer = fx.setTimer<RunnerTimer>({ timer: "ping", startId }, fx.config.timing.endpointPingMs);
}

function startActor(state: RunnerState, msg: MessageOf<"CommandStartActor">, fx: Fx): void {
  const { actorId, generation } = msg.checkpoint;
  fx.note({ type: "start-actor", label: "Start actor", actorId, runnerId: state.runnerId });
  state.actors.set(actorId, { generation, eventIndex: 0, idleTimer: null, stopping: false });
  const restored = msg.hibernatingRequests ?? [];
  for (const requestId of restored) state.sockets.set(requestId, { actorId, canHibernate: true });
  if (restored.length > 0) {
    fx.note({
      type: "restore-websockets",
      label: `Restore ${restored.length} hibernating<br/>WebSocket(s)`,
      actorId,
      runnerId: state.runnerId,
      payload: { requestIds: restored },
    });
  }
  send(state, fx, { type: "ToServerAckCommands", lastCommandCheckpoints: [msg.checkpoint] }, "ToServerAckCommands");
  fx.setTimer<RunnerTimer>({ timer: "actor-started", actorId, generation }, fx.config.timing.actorStartMs);
}

function stopActor(state: RunnerState, checkpoint: Checkpoint, fx: Fx): void {
  const actor = state.actors.get(checkpoint.actorId);
  // A stop for another generation is ignored, as real runners do.
  if (!actor || actor.generation !== checkpoint.generation) return;
  fx.note({ type: "stop-actor", label: "Stop actor", actorId: checkpoint.actorId, runnerId: state.runnerId });
  send(state, fx, { type: "ToServerAckCommands", lastCommandCheckpoints: [checkpoint] }, "ToServerAckCommands");
  fx.cancelTimer(actor.idleTimer);
  state.actors.delete(checkpoint.actorId);
  dropSockets(state, checkpoint.actorId);
  // Pending requests of the actor are dropped without telling the engine, as real runners do.
  emit(state, fx, checkpoint.actorId, actor, { state: "Stopped", code: "Ok", message: null });
}

function handleRequest(state: RunnerState, msg: MessageOf<"ToClientRequestStart">, fx: Fx): void {
  const actor = state.actors.get(msg.actorId);
  if (!actor) {
    send(
      state,
      fx,
      { type: "ToServerResponseStart", requestId: msg.requestId, status: 503, headers: { "x-rivet-error": "runner.actor_not_found" }, body: null },
      "ToServerResponseStart 503",
    );
    return;
  }
  fx.note({
    type: "handle-request",
    label: `Handle request<br/>${msg.method} ${msg.path}`,
    actorId: msg.actorId,
    runnerId: state.runnerId,
    payload: { method: msg.method, path: msg.path },
  });
  fx.cancelTimer(actor.idleTimer);
  const [path, query = ""] = msg.path.split("?");
  if (path === "/sleep") emitIntent(state, fx, msg.actorId, actor, "Sleep");
  if (path === "/schedule") schedule(state, fx, msg.actorId, actor, new URLSearchParams(query));
  fx.setTimer<RunnerTimer>({ timer: "respond", request: msg, generation: actor.generation }, fx.config.timing.requestHandlingMs);
}

function openSocket(state: RunnerState, msg: MessageOf<"ToClientWebSocketOpen">, fx: Fx): void {
  const { requestId, actorId } = msg;
  const actor = state.actors.get(actorId);
  if (!actor) {
    send(state, fx, { type: "ToServerWebSocketClose", requestId, actorId, code: 1011, reason: "Actor not found" }, "ToServerWebSocketClose 1011");
    return;
  }
  const canHibernate = msg.path.startsWith(HIBERNATABLE_SOCKET_PATH);
  state.sockets.set(requestId, { actorId, canHibernate });
  send(state, fx, { type: "ToServerWebSocketOpen", requestId, actorId, canHibernate }, "ToServerWebSocketOpen");
  armIdle(fx, actorId, actor);
}

function echo(state: RunnerState, msg: MessageOf<"ToClientWebSocketMessage">, fx: Fx): void {
  const socket = state.sockets.get(msg.requestId);
  const actor = socket ? state.actors.get(socket.actorId) : undefined;
  // A message for a socket the actor does not hold (it stopped meanwhile) is dropped, as real runners do.
  if (!socket || !actor) return;
  send(state, fx, { type: "ToServerWebSocketMessage", requestId: msg.requestId, actorId: socket.actorId, data: msg.data, binary: msg.binary }, "ToServerWebSocketMessage");
  armIdle(fx, socket.actorId, actor);
}

/**
 * `GET /schedule?after=MS` sets the actor's alarm MS from now (rivetkit's `c.schedule.after`);
 * `GET /schedule?cancel` clears it. Either way the engine keeps the alarm while the actor sleeps.
 */
function schedule(state: RunnerState, fx: Fx, actorId: string, actor: HostedActor, query: URLSearchParams): void {
  const after = Number(query.get("after"));
  const alarmTs = query.has("cancel") || !Number.isFinite(after) || after < 0 ? null : fx.config.epochMs + fx.now + after;
  send(state, fx, { type: "EventActorSetAlarm", checkpoint: nextCheckpoint(actorId, actor), alarmTs }, alarmTs === null ? "Actor clear alarm" : "Actor set alarm");
}

function onTimer(state: RunnerState, timer: RunnerTimer, fx: Fx): void {
  switch (timer.timer) {
    case "actor-started": {
      const actor = state.actors.get(timer.actorId);
      if (!actor || actor.generation !== timer.generation) return;
      emit(state, fx, timer.actorId, actor, { state: "Running" });
      armIdle(fx, timer.actorId, actor);
      return;
    }
    case "respond": {
      const { request, generation } = timer;
      const actor = state.actors.get(request.actorId);
      // The actor stopped meanwhile: the request is dropped silently.
      if (!actor || actor.generation !== generation) return;
      const body = JSON.stringify({ actorId: request.actorId, generation, path: request.path });
      send(
        state,
        fx,
        { type: "ToServerResponseStart", requestId: request.requestId, status: 200, headers: { "content-type": "application/json" }, body },
        "ToServerResponseStart 200",
      );
      armIdle(fx, request.actorId, actor);
      return;
    }
    case "idle": {
      const actor = state.actors.get(timer.actorId);
      if (!actor || actor.generation !== timer.generation) return;
      emitIntent(state, fx, timer.actorId, actor, "Sleep");
      return;
    }
    case "reconnect":
      if (!state.exited) start(state, fx);
      return;
    case "ping":
      return streamPing(state, timer.startId, fx);
    default:
      return assertNever(timer);
  }
}

function armIdle(fx: Fx, actorId: string, actor: HostedActor): void {
  fx.cancelTimer(actor.idleTimer);
  actor.idleTimer = fx.setTimer<RunnerTimer>({ timer: "idle", actorId, generation: actor.generation }, fx.config.timing.sleepTimeoutMs);
}

function emitIntent(state: RunnerState, fx: Fx, actorId: string, actor: HostedActor, intent: "Sleep" | "Stop"): void {
  send(state, fx, { type: "EventActorIntent", checkpoint: nextCheckpoint(actorId, actor), intent }, `Actor intent: ${intent}`);
}

function emit(state: RunnerState, fx: Fx, actorId: string, actor: HostedActor, update: MessageOf<"EventActorStateUpdate">["update"]): void {
  send(state, fx, { type: "EventActorStateUpdate", checkpoint: nextCheckpoint(actorId, actor), update }, `Actor state update: ${update.state}`);
}

/** Down its connection, while that is open. */
function send(state: RunnerState, fx: Fx, msg: Message, label: string): void {
  if (state.conn && fx.isOpen(state.conn)) fx.send(state.conn, msg, { label });
}

/** The process ends: its actors die with it, and the endpoint's stream closes. */
function exit(state: RunnerState, fx: Fx): void {
  if (state.exited) return;
  state.exited = true;
  for (const actor of state.actors.values()) fx.cancelTimer(actor.idleTimer);
  state.actors.clear();
  state.sockets.clear();
  fx.close();
  const stream = state.stream;
  if (!stream) return;
  // The stream closed: no more pings on it.
  fx.cancelTimer(stream.pingTimer);
  stream.pingTimer = null;
  fx.sendAs(endpoint(stream.pool), serverless(stream.pool), { type: "StartStreamClosed", startId: stream.startId }, { label: "/start stream closed" });
}

/** The connection dropped (not an eviction): reconnect with backoff, keeping the runner key. */
function connectionLost(state: RunnerState, fx: Fx): void {
  if (state.exited) return;
  fx.setTimer<RunnerTimer>({ timer: "reconnect" }, reconnectDelayMs(state.connCount, fx.config.timing.reconnectBaseMs));
}
