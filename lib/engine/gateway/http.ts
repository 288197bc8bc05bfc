// The gateway's HTTP rules (engine.md §6): route a user request to its actor, wake a sleeping actor
// and wait for it, tunnel the request to the actor's runner and relay the answer, with coded errors.
import type { ParticipantRef } from "../../trace/types";
import type { Fx } from "../core/fx";
import { runnerWs } from "../core/refs";
import type { WorldView } from "../core/world-draft";
import { assertNever, type Message, type MessageOf } from "../messages";
import { GATEWAY_ERRORS, type GatewayError } from "./errors";
import { isConnectable, newPendingRequest, requestsFor, type GatewayState, type HttpTimer, type PendingRequest } from "./state";
import { checkPool, readyTimeoutMessage, stopWaiting, wakeAndWait } from "./waiting";

/** The phase a user request opens, named after the state its actor is in when it arrives. */
export function requestPhase(msg: Message, world: WorldView): string | null {
  if (msg.type !== "UserRequest") return null;
  const actor = world.actor(msg.actorId);
  if (!actor || actor.state === "Destroyed") return null;
  if (isConnectable(actor)) return "request to running actor";
  if (actor.state === "SleepIntent" || actor.state === "StopIntent") return "request to actor marked as sleeping";
  if (actor.state === "Sleeping") return "request to sleeping actor";
  return "request to starting actor";
}

export function onHttpMessage(state: GatewayState, msg: Message, from: ParticipantRef, seq: number, fx: Fx): void {
  switch (msg.type) {
    case "UserRequest":
      return onRequest(state, msg, from, fx);
    case "Ready":
      return forWaiting(state, msg.actorId, fx, (pending) => tunnel(state, pending, msg.runnerId, fx));
    case "Stopped":
      return onStopped(state, msg.actorId, fx);
    case "Failed":
      return forWaiting(state, msg.actorId, fx, (pending) => fail(state, pending, GATEWAY_ERRORS.actorFailed, msg.message, fx), true);
    case "DestroyStarted":
      return forWaiting(state, msg.actorId, fx, (pending) => fail(state, pending, GATEWAY_ERRORS.destroyedWhileWaiting, "the actor is being destroyed", fx), true);
    case "ToServerResponseStart":
      return onResponse(state, msg, seq, fx);
    default:
      return;
  }
}

function onRequest(state: GatewayState, request: MessageOf<"UserRequest">, user: ParticipantRef, fx: Fx): void {
  const pending = newPendingRequest(request, user, fx.openedPhase);
  state.requests.set(request.requestId, pending);
  const actor = fx.world.actor(request.actorId);
  if (!actor) return fail(state, pending, GATEWAY_ERRORS.actorNotFound, `no actor with id ${request.actorId}`, fx);
  if (actor.state === "Destroyed") return fail(state, pending, GATEWAY_ERRORS.actorDestroyed, `actor ${request.actorId} was destroyed`, fx);
  // Subscribe to the actor's topic first, then read its state, so no Ready can be missed.
  fx.world.apply({ op: "subscribe", actorId: actor.actorId, requestId: request.requestId, subscribed: true });
  if (isConnectable(actor)) {
    fx.note({ type: "actor-running", label: "Actor running", actorId: actor.actorId });
    return tunnel(state, pending, actor.runnerId!, fx);
  }
  const asleep = actor.state === "Sleeping" || actor.state === "SleepIntent" || actor.state === "StopIntent";
  fx.note(asleep ? { type: "actor-sleeping", label: "Actor sleeping", actorId: actor.actorId } : { type: "actor-starting", label: "Actor starting", actorId: actor.actorId });
  wait(pending, false, fx);
}

function wait(pending: PendingRequest, retry: boolean, fx: Fx): void {
  pending.stage = "waiting";
  wakeAndWait(fx, pending, "http", pending.request.actorId, pending.request.requestId, retry);
}

function tunnel(state: GatewayState, pending: PendingRequest, runnerId: string, fx: Fx): void {
  stopWaiting(fx, pending);
  const runner = fx.world.runner(runnerId);
  if (!runner?.connId) return retryLater(state, pending, fx);
  pending.stage = "tunnelled";
  const { request } = pending;
  fx.send(runnerWs(runner.connId), { ...request, type: "ToClientRequestStart" }, { label: `Tunnel ToClientRequestStart<br/>${request.method} ${request.path}` });
}

function onStopped(state: GatewayState, actorId: string, fx: Fx): void {
  for (const pending of requestsFor(state, actorId)) {
    fx.usePhase(pending.phase);
    if (pending.stage === "tunnelled") {
      retryLater(state, pending, fx);
      continue;
    }
    pending.wakeAttempts += 1;
    if (pending.wakeAttempts > fx.config.timing.wakeRetryLimit) {
      fail(state, pending, GATEWAY_ERRORS.wakeRetriesExceeded, `actor ${actorId} stopped ${pending.wakeAttempts} times while waking`, fx);
      continue;
    }
    wait(pending, true, fx);
  }
}

/** The actor stopped after the request reached it: retry wake-and-wait with backoff, or give up. */
function retryLater(state: GatewayState, pending: PendingRequest, fx: Fx): void {
  pending.tunnelAttempts += 1;
  if (pending.tunnelAttempts >= fx.config.timing.tunnelRetryAttempts) {
    return fail(state, pending, GATEWAY_ERRORS.stoppedWhileWaiting, "the actor stopped while the request was in flight", fx);
  }
  pending.stage = "waiting";
  const delayMs = fx.config.timing.tunnelRetryBaseMs * 2 ** (pending.tunnelAttempts - 1);
  fx.note({ type: "request-retry", label: `Actor stopped while waiting,<br/>retry in ${delayMs} ms`, actorId: pending.request.actorId, payload: { attempt: pending.tunnelAttempts, delayMs } });
  // Not kept: a finished request ignores it when it fires.
  fx.setTimer<HttpTimer>({ timer: "tunnel-retry", requestId: pending.request.requestId }, delayMs);
}

function onResponse(state: GatewayState, msg: MessageOf<"ToServerResponseStart">, seq: number, fx: Fx): void {
  const pending = state.requests.get(msg.requestId);
  if (!pending || pending.stage !== "tunnelled") return;
  // The runner no longer has the actor (it stopped under the request): as a stop while in flight.
  if (msg.status === 503 && msg.headers["x-rivet-error"] === "runner.actor_not_found") return retryLater(state, pending, fx);
  fx.usePhase(pending.phase);
  fx.send(pending.user, { ...msg, type: "UserResponse" }, { relayOf: seq, label: `${msg.status}` });
  finish(state, pending, fx);
}

export function onHttpTimer(state: GatewayState, timer: HttpTimer, fx: Fx): void {
  const pending = state.requests.get(timer.requestId);
  if (!pending || pending.stage === "done") return;
  fx.usePhase(pending.phase);
  switch (timer.timer) {
    case "ready-timeout":
      if (pending.stage !== "waiting") return;
      return fail(state, pending, GATEWAY_ERRORS.readyTimeout, readyTimeoutMessage(fx), fx);
    case "pool-error-check": {
      pending.poolCheckTimer = null;
      if (pending.stage !== "waiting") return;
      const failure = checkPool(fx, pending, "http", pending.request.actorId, pending.request.requestId);
      if (failure) return fail(state, pending, GATEWAY_ERRORS.runnerFailed, failure, fx);
      return;
    }
    case "tunnel-retry": {
      const actor = fx.world.actor(pending.request.actorId);
      if (actor && isConnectable(actor)) return tunnel(state, pending, actor.runnerId!, fx);
      return wait(pending, true, fx);
    }
    default:
      return assertNever(timer);
  }
}

function fail(state: GatewayState, pending: PendingRequest, error: GatewayError, message: string, fx: Fx): void {
  const { requestId } = pending.request;
  fx.usePhase(pending.phase);
  fx.send(pending.user, { type: "UserError", requestId, status: error.status, code: error.code, message }, { label: `${error.status} ${error.code}` });
  finish(state, pending, fx);
}

function finish(state: GatewayState, pending: PendingRequest, fx: Fx): void {
  pending.stage = "done";
  fx.cancelTimer(pending.readyTimer);
  fx.cancelTimer(pending.poolCheckTimer);
  fx.world.apply({ op: "subscribe", actorId: pending.request.actorId, requestId: pending.request.requestId, subscribed: false });
  state.requests.delete(pending.request.requestId);
  if (pending.phase !== null) fx.phaseEnd(pending.phase);
}

function forWaiting(state: GatewayState, actorId: string, fx: Fx, action: (pending: PendingRequest) => void, includeTunnelled = false): void {
  for (const pending of requestsFor(state, actorId)) {
    if (pending.stage === "waiting" || (includeTunnelled && pending.stage === "tunnelled")) {
      fx.usePhase(pending.phase);
      action(pending);
    }
  }
}
