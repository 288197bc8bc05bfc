// The gateway's WebSocket rules: a socket runs the same wake-and-wait as a request, then is
// tunnelled with ToClientWebSocketOpen / Message / Close; messages the user sends before the actor
// accepted the socket wait in order. A socket the runner accepted with canHibernate outlives its
// actor's sleep (as the real engine's pegboard-gateway): it stays open to the client, is listed in
// the actor's next CommandStartActor, and a client message meanwhile wakes the actor; once it is
// Ready again (on any runner) the waiting messages follow, with no new open.
import type { ParticipantRef } from "../../trace/types";
import type { Fx } from "../core/fx";
import { runnerWs } from "../core/refs";
import type { WorldView } from "../core/world-draft";
import { assertNever, type Message, type MessageOf } from "../messages";
import { GATEWAY_ERRORS, SOCKET_ACTOR_STOPPED } from "./errors";
import { isConnectable, newPendingSocket, type GatewayState, type PendingSocket, type SocketTimer } from "./state";
import { checkPool, readyTimeoutMessage, stopWaiting, wakeAndWait } from "./waiting";

/** The messages of a socket's own tunnel: only the socket rules see them. */
export const SOCKET_TYPES: ReadonlySet<Message["type"]> = new Set([
  "UserWebSocketOpen",
  "UserWebSocketMessage",
  "UserWebSocketClose",
  "ToServerWebSocketOpen",
  "ToServerWebSocketMessage",
  "ToServerWebSocketClose",
]);

/** The actor's topic: sockets see it first, then requests. */
export const TOPIC_TYPES: ReadonlySet<Message["type"]> = new Set(["Ready", "Stopped", "Failed", "DestroyStarted"]);

/** The phase a socket open (or a message that wakes a hibernating socket's actor) opens; undefined for other messages. */
export function socketPhase(state: GatewayState, msg: Message, world: WorldView): string | null | undefined {
  if (msg.type === "UserWebSocketMessage") return state.sockets.get(msg.requestId)?.stage === "hibernating" ? "websocket message to hibernating actor" : null;
  if (msg.type !== "UserWebSocketOpen") return undefined;
  const actor = world.actor(msg.actorId);
  if (!actor || actor.state === "Destroyed") return null;
  if (isConnectable(actor)) return "websocket to running actor";
  return actor.state === "Sleeping" ? "websocket to sleeping actor" : "websocket to starting actor";
}

export function onSocketMessage(state: GatewayState, msg: Message, from: ParticipantRef, seq: number, fx: Fx): void {
  switch (msg.type) {
    case "UserWebSocketOpen":
      return onOpen(state, msg, from, fx);
    case "UserWebSocketMessage": {
      const socket = state.sockets.get(msg.requestId);
      if (!socket || socket.stage === "closed") return;
      if (socket.stage === "hibernating") return wakeHibernating(socket, msg, fx);
      if (socket.stage !== "open" || !socket.conn) {
        socket.queued.push(msg);
        return;
      }
      fx.send(socket.conn, { ...msg, type: "ToClientWebSocketMessage" }, { relayOf: seq, label: "ToClientWebSocketMessage" });
      return;
    }
    case "UserWebSocketClose": {
      const socket = state.sockets.get(msg.requestId);
      if (!socket || socket.stage === "closed") return;
      if (socket.conn && (socket.stage === "open" || socket.stage === "opening")) {
        fx.send(socket.conn, { type: "ToClientWebSocketClose", requestId: msg.requestId, actorId: socket.open.actorId, code: msg.code, reason: msg.reason }, { relayOf: seq, label: "ToClientWebSocketClose" });
      }
      return finish(state, socket, fx);
    }
    case "ToServerWebSocketOpen": {
      const socket = state.sockets.get(msg.requestId);
      if (!socket || socket.stage !== "opening" || !socket.conn) return;
      socket.stage = "open";
      socket.opened = true;
      socket.canHibernate = msg.canHibernate;
      if (msg.canHibernate) fx.world.apply({ op: "hibernatable", actorId: socket.open.actorId, requestId: msg.requestId, hibernatable: true });
      fx.usePhase(socket.phase);
      fx.send(socket.user, { type: "UserWebSocketOpened", requestId: msg.requestId, actorId: socket.open.actorId }, { relayOf: seq, label: "WebSocket open" });
      if (socket.phase !== null) fx.phaseEnd(socket.phase);
      socket.phase = null;
      flushQueued(socket, socket.conn, fx);
      return;
    }
    case "ToServerWebSocketMessage": {
      const socket = state.sockets.get(msg.requestId);
      if (!socket || socket.stage !== "open") return;
      fx.send(socket.user, { ...msg, type: "UserWebSocketMessage" }, { relayOf: seq, label: "" });
      return;
    }
    case "ToServerWebSocketClose": {
      const socket = state.sockets.get(msg.requestId);
      if (!socket || socket.stage === "closed") return;
      fx.usePhase(socket.phase);
      fx.send(socket.user, { type: "UserWebSocketClose", requestId: msg.requestId, actorId: socket.open.actorId, code: msg.code, reason: msg.reason }, { relayOf: seq, label: `Close ${msg.code ?? ""}`.trim() });
      return finish(state, socket, fx);
    }
    default:
      return;
  }
}

function onOpen(state: GatewayState, open: MessageOf<"UserWebSocketOpen">, user: ParticipantRef, fx: Fx): void {
  const socket = newPendingSocket(open, user, fx.openedPhase);
  state.sockets.set(open.requestId, socket);
  const actor = fx.world.actor(open.actorId);
  if (!actor) return fail(state, socket, GATEWAY_ERRORS.actorNotFound.code, `no actor with id ${open.actorId}`, fx);
  if (actor.state === "Destroyed") return fail(state, socket, GATEWAY_ERRORS.actorDestroyed.code, `actor ${open.actorId} was destroyed`, fx);
  // Subscribe first, then read the actor's state, so no Ready can be missed.
  fx.world.apply({ op: "subscribe", actorId: actor.actorId, requestId: open.requestId, subscribed: true });
  if (isConnectable(actor)) return tunnel(socket, actor.runnerId!, fx);
  fx.note(actor.state === "Sleeping" ? { type: "actor-sleeping", label: "Actor sleeping", actorId: actor.actorId } : { type: "actor-starting", label: "Actor starting", actorId: actor.actorId });
  wake(socket, false, fx);
}

function wake(socket: PendingSocket, retry: boolean, fx: Fx): void {
  socket.stage = "waiting";
  wakeAndWait(fx, socket, "ws", socket.open.actorId, socket.open.requestId, retry);
}

function tunnel(socket: PendingSocket, runnerId: string, fx: Fx): void {
  stopWaiting(fx, socket);
  const connId = fx.world.runner(runnerId)?.connId;
  if (!connId) return wake(socket, true, fx);
  socket.conn = runnerWs(connId);
  socket.stage = "opening";
  const { requestId, actorId, path, headers } = socket.open;
  fx.send(socket.conn, { type: "ToClientWebSocketOpen", requestId, actorId, path, headers }, { label: `Tunnel ToClientWebSocketOpen<br/>${path}` });
}

/**
 * A client message to a hibernating socket: it waits, and wakes the actor (the real gateway leaves
 * hibernation on the client's next message and runs wake-and-wait again).
 */
function wakeHibernating(socket: PendingSocket, msg: MessageOf<"UserWebSocketMessage">, fx: Fx): void {
  socket.queued.push(msg);
  socket.phase = fx.openedPhase;
  socket.wakeAttempts = 0;
  const actor = fx.world.actor(socket.open.actorId);
  if (actor && isConnectable(actor)) return restore(socket, actor.runnerId!, fx);
  fx.note({ type: "actor-sleeping", label: "Actor sleeping<br/>(WebSocket hibernating)", actorId: socket.open.actorId });
  wake(socket, false, fx);
}

/** The actor stopped under a hibernatable socket: the client keeps it, no runner holds it. */
function hibernate(socket: PendingSocket, fx: Fx): void {
  socket.stage = "hibernating";
  socket.conn = null;
  fx.note({ type: "websocket-hibernating", label: "WebSocket hibernating", actorId: socket.open.actorId, payload: { requestId: socket.open.requestId } });
}

/**
 * The actor is Ready again with a socket it had accepted: no new open (its runner restored the
 * socket from the start command's hibernatingRequests); the waiting messages follow, their
 * indexes continuing the tunnel's.
 */
function restore(socket: PendingSocket, runnerId: string, fx: Fx): void {
  stopWaiting(fx, socket);
  const connId = fx.world.runner(runnerId)?.connId;
  if (!connId) return wake(socket, true, fx);
  socket.conn = runnerWs(connId);
  socket.stage = "open";
  fx.note({ type: "websocket-restored", label: "WebSocket restored", actorId: socket.open.actorId, runnerId, payload: { requestId: socket.open.requestId, queued: socket.queued.length } });
  if (socket.phase !== null) fx.phaseEnd(socket.phase);
  socket.phase = null;
  flushQueued(socket, socket.conn, fx);
}

function flushQueued(socket: PendingSocket, conn: ParticipantRef, fx: Fx): void {
  for (const queued of socket.queued.splice(0)) {
    fx.send(conn, { ...queued, type: "ToClientWebSocketMessage" }, { label: "ToClientWebSocketMessage" });
  }
}

/** The actor's topic: Ready opens waiting sockets; a stop retries them, or closes open ones. */
export function onSocketTopic(state: GatewayState, msg: Message, fx: Fx): void {
  const actorId = "actorId" in msg ? msg.actorId : null;
  for (const socket of state.sockets.values()) {
    if (socket.open.actorId !== actorId || socket.stage === "closed") continue;
    fx.usePhase(socket.phase);
    if (msg.type === "Ready") {
      if (socket.stage === "hibernating" || (socket.stage === "waiting" && socket.opened)) restore(socket, msg.runnerId, fx);
      else if (socket.stage === "waiting") tunnel(socket, msg.runnerId, fx);
    } else if (msg.type === "Stopped") {
      if (socket.stage === "waiting") {
        socket.wakeAttempts += 1;
        if (socket.wakeAttempts > fx.config.timing.wakeRetryLimit) fail(state, socket, GATEWAY_ERRORS.wakeRetriesExceeded.code, "the actor kept stopping while waking", fx);
        else wake(socket, true, fx);
      } else if (socket.stage === "open" && socket.canHibernate) {
        hibernate(socket, fx);
      } else if (socket.stage !== "hibernating") {
        // Not hibernatable (or not yet accepted): the actor stopped, so the socket closes.
        fail(state, socket, SOCKET_ACTOR_STOPPED, "the actor stopped", fx);
      }
    } else if (msg.type === "Failed") {
      fail(state, socket, GATEWAY_ERRORS.actorFailed.code, msg.message, fx);
    } else if (msg.type === "DestroyStarted") {
      fail(state, socket, GATEWAY_ERRORS.actorDestroyed.code, "the actor is being destroyed", fx);
    }
  }
}

export function onSocketTimer(state: GatewayState, timer: SocketTimer, fx: Fx): void {
  const socket = state.sockets.get(timer.requestId);
  if (!socket || socket.stage !== "waiting") return;
  fx.usePhase(socket.phase);
  switch (timer.timer) {
    case "ws-pool-error-check": {
      socket.poolCheckTimer = null;
      const failure = checkPool(fx, socket, "ws", socket.open.actorId, timer.requestId);
      if (failure) return fail(state, socket, GATEWAY_ERRORS.runnerFailed.code, failure, fx);
      return;
    }
    case "ws-ready-timeout":
      return fail(state, socket, GATEWAY_ERRORS.readyTimeout.code, readyTimeoutMessage(fx), fx);
    default:
      return assertNever(timer);
  }
}

/** Closes the user's socket with a coded reason (1011), and the tunnel if it was opening or open. */
function fail(state: GatewayState, socket: PendingSocket, code: string, message: string, fx: Fx): void {
  const { requestId, actorId } = socket.open;
  if (socket.conn && (socket.stage === "open" || socket.stage === "opening")) {
    fx.send(socket.conn, { type: "ToClientWebSocketClose", requestId, actorId, code: 1011, reason: code }, { label: "ToClientWebSocketClose" });
  }
  fx.note({ type: "websocket-failed", label: message, actorId, payload: { code } });
  fx.send(socket.user, { type: "UserWebSocketClose", requestId, actorId, code: 1011, reason: code }, { label: `Close 1011 ${code}` });
  finish(state, socket, fx);
}

function finish(state: GatewayState, socket: PendingSocket, fx: Fx): void {
  const { requestId, actorId } = socket.open;
  // A socket no runner holds (hibernating, or waiting to be restored) has nobody to close its tunnel.
  if (socket.opened && socket.conn === null) fx.forgetRequest(requestId);
  if (socket.canHibernate) fx.world.apply({ op: "hibernatable", actorId, requestId, hibernatable: false });
  socket.stage = "closed";
  fx.cancelTimer(socket.readyTimer);
  fx.cancelTimer(socket.poolCheckTimer);
  fx.world.apply({ op: "subscribe", actorId, requestId, subscribed: false });
  state.sockets.delete(requestId);
  if (socket.phase !== null) fx.phaseEnd(socket.phase);
}
