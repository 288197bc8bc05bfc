// Wake-and-wait, the part requests and sockets share: subscribe first (done by the caller), send
// Wake, then wait for Ready under a ready timeout and a pool-error check at 1 s, then every 2 s.
import type { Fx } from "../core/fx";
import { actorWorkflow } from "../core/refs";
import type { WorldView } from "../core/world-draft";
import { POOL_ERROR_CHECK_DELAY_MS, POOL_ERROR_CHECK_INTERVAL_MS } from "./errors";
import type { GatewayTimer, Waiting } from "./state";

/** Which timers a wait runs on: the request's or the socket's (their names differ in the trace). */
export type WaitKind = "http" | "ws";

function readyTimer(kind: WaitKind, requestId: string): GatewayTimer {
  return kind === "http" ? { timer: "ready-timeout", requestId } : { timer: "ws-ready-timeout", requestId };
}

function poolCheckTimer(kind: WaitKind, requestId: string): GatewayTimer {
  return kind === "http" ? { timer: "pool-error-check", requestId } : { timer: "ws-pool-error-check", requestId };
}

/**
 * Sends Wake (a retry says so, and the first wait notes that it awaits Ready), restarts the ready
 * timeout and starts the pool-error check unless one is already pending for this wait.
 */
export function wakeAndWait(fx: Fx, wait: Waiting, kind: WaitKind, actorId: string, requestId: string, retry: boolean): void {
  fx.send(actorWorkflow(actorId), { type: "Wake", actorId, retry, attempt: wait.wakeAttempts, requestId }, { label: retry ? "Retry wake" : "Wake" });
  if (!retry) fx.note({ type: "await-ready", label: "Await actor ready", actorId });
  fx.cancelTimer(wait.readyTimer);
  wait.readyTimer = fx.setTimer(readyTimer(kind, requestId), fx.config.timing.actorReadyTimeoutMs);
  wait.poolCheckTimer ??= fx.setTimer(poolCheckTimer(kind, requestId), POOL_ERROR_CHECK_DELAY_MS);
}

/** The wait is over (Ready, or it is being retried later): its timers go. */
export function stopWaiting(fx: Fx, wait: Waiting): void {
  fx.cancelTimer(wait.readyTimer);
  fx.cancelTimer(wait.poolCheckTimer);
  wait.readyTimer = wait.poolCheckTimer = null;
}

/**
 * The pool-error check fired: the failure to answer with, or null after arming the next check.
 * The caller has already cleared `poolCheckTimer` and seen that the wait is still on.
 */
export function checkPool(fx: Fx, wait: Waiting, kind: WaitKind, actorId: string, requestId: string): string | null {
  const failure = poolFailure(fx.world, actorId);
  if (failure) return failure;
  wait.poolCheckTimer = fx.setTimer(poolCheckTimer(kind, requestId), POOL_ERROR_CHECK_INTERVAL_MS);
  return null;
}

/** The error a waiting request gets when its actor's pool is failing, or null to keep waiting. */
export function poolFailure(world: WorldView, actorId: string): string | null {
  const actor = world.actor(actorId);
  const poolError = actor ? world.poolError(actor.pool) : null;
  return poolError ? `the actor's runner pool is failing (${poolError})` : null;
}

/** The message of a ready timeout, for requests and sockets alike. */
export function readyTimeoutMessage(fx: Fx): string {
  return `actor did not become ready in ${fx.config.timing.actorReadyTimeoutMs} ms`;
}
