// The gateway (engine.md §6): routes a user request to its actor, wakes sleeping actors and waits
// for them, tunnels the request to the actor's runner and relays the answer, with coded errors.
import type { ParticipantRef } from "../trace/types";
import { assertNever, type Message, type MessageOf } from "./messages";
import { GATEWAY, actorWorkflow, type Ctx, type Input, type Participant } from "./participant";
import { subscribe, unsubscribe, type ActorRecord } from "./world";

interface PendingRequest {
  request: MessageOf<"UserRequest">;
  user: ParticipantRef;
  phase: number | null;
  /** waiting: for Ready; tunnelled: sent to the runner; done: answered. */
  stage: "waiting" | "tunnelled" | "done";
  wakeAttempts: number;
  tunnelAttempts: number;
  readyTimer: number | null;
  /** The pool-error check of the current wait (started with it, like the ready timeout). */
  poolCheckTimer: number | null;
}

/**
 * While a request waits for its actor, the real guard looks at the actor's runner pool 1 s into the
 * wait (so a flapping pool may still allocate cleanly), then every 2 s, and fails the request with
 * guard.actor_runner_failed as soon as the pool reports an error.
 */
export const POOL_ERROR_CHECK_DELAY_MS = 1000;
export const POOL_ERROR_CHECK_INTERVAL_MS = 2000;

/** The error a waiting request gets when its actor's pool is failing, or null to keep waiting. */
export function poolFailure(ctx: Ctx, actorId: string): string | null {
  const actor = ctx.world.actors.get(actorId);
  const poolError = actor ? ctx.world.poolErrors.get(actor.pool) : null;
  return poolError ? `the actor's runner pool is failing (${poolError})` : null;
}

/**
 * The gateway's coded errors, as the real engine's guard answers them (`group.code`; HTTP turns
 * them into `{group, code, message}` with the bare code and `x-rivet-error: group.code`). The
 * statuses are the guard's: 404 actor.not_found (also for a destroyed actor: the real engine does
 * not tell them apart), 503 for the retryable guard errors, and 400 for codes its status table does
 * not list (wake retries exceeded, runner pool failing, destroyed while waiting).
 */
export const GATEWAY_ERRORS = {
  actorNotFound: { status: 404, code: "actor.not_found" },
  actorDestroyed: { status: 404, code: "actor.not_found" },
  destroyedWhileWaiting: { status: 400, code: "actor.destroyed_while_waiting_for_ready" },
  readyTimeout: { status: 503, code: "guard.actor_ready_timeout" },
  runnerFailed: { status: 400, code: "guard.actor_runner_failed" },
  wakeRetriesExceeded: { status: 400, code: "guard.actor_wake_retries_exceeded" },
  stoppedWhileWaiting: { status: 503, code: "guard.actor_stopped_while_waiting" },
  actorFailed: { status: 503, code: "actor.failed" },
} as const;

export class Gateway implements Participant {
  readonly ref = GATEWAY;
  private readonly requests = new Map<string, PendingRequest>();

  phaseBeforeInput(msg: Message, ctx: Ctx): string | null {
    if (msg.type !== "UserRequest") return null;
    const actor = ctx.world.actors.get(msg.actorId);
    if (!actor || actor.state === "Destroyed") return null;
    if (isConnectable(actor)) return "request to running actor";
    if (actor.state === "SleepIntent" || actor.state === "StopIntent") return "request to actor marked as sleeping";
    if (actor.state === "Sleeping") return "request to sleeping actor";
    return "request to starting actor";
  }

  handle(input: Input, ctx: Ctx): void {
    switch (input.kind) {
      case "message":
        return this.onMessage(input.msg, input.from, input.seq, ctx);
      case "timer":
        return this.onTimer(input.name, input.data, ctx);
      case "continue":
        return;
      default:
        return assertNever(input);
    }
  }

  private onMessage(msg: Message, from: ParticipantRef, seq: number, ctx: Ctx): void {
    switch (msg.type) {
      case "UserRequest":
        return this.onRequest(msg, from, ctx);
      case "Ready":
        return this.forWaiting(msg.actorId, ctx, (pending) => this.tunnel(pending, msg.runnerId, ctx));
      case "Stopped":
        return this.onStopped(msg.actorId, ctx);
      case "Failed":
        return this.forWaiting(msg.actorId, ctx, (pending) => this.fail(pending, GATEWAY_ERRORS.actorFailed, msg.message, ctx), true);
      case "DestroyStarted":
        return this.forWaiting(msg.actorId, ctx, (pending) => this.fail(pending, GATEWAY_ERRORS.destroyedWhileWaiting, "the actor is being destroyed", ctx), true);
      case "ToServerResponseStart":
        return this.onResponse(msg, seq, ctx);
      default:
        return;
    }
  }

  private onRequest(request: MessageOf<"UserRequest">, user: ParticipantRef, ctx: Ctx): void {
    const pending: PendingRequest = { request, user, phase: ctx.openedPhase, stage: "waiting", wakeAttempts: 0, tunnelAttempts: 0, readyTimer: null, poolCheckTimer: null };
    this.requests.set(request.requestId, pending);
    const actor = ctx.world.actors.get(request.actorId);
    if (!actor) return this.fail(pending, GATEWAY_ERRORS.actorNotFound, `no actor with id ${request.actorId}`, ctx);
    if (actor.state === "Destroyed") return this.fail(pending, GATEWAY_ERRORS.actorDestroyed, `actor ${request.actorId} was destroyed`, ctx);
    // Subscribe to the actor's topic first, then read its state, so no Ready can be missed.
    subscribe(ctx.world, actor.actorId, request.requestId);
    if (isConnectable(actor)) {
      ctx.note("actor-running", "Actor running", { actorId: actor.actorId });
      return this.tunnel(pending, actor.runnerId!, ctx);
    }
    const asleep = actor.state === "Sleeping" || actor.state === "SleepIntent" || actor.state === "StopIntent";
    ctx.note(asleep ? "actor-sleeping" : "actor-starting", asleep ? "Actor sleeping" : "Actor starting", { actorId: actor.actorId });
    this.wakeAndWait(pending, false, ctx);
  }

  private wakeAndWait(pending: PendingRequest, retry: boolean, ctx: Ctx): void {
    const { actorId, requestId } = pending.request;
    pending.stage = "waiting";
    ctx.send(
      actorWorkflow(actorId),
      { type: "Wake", actorId, retry, attempt: pending.wakeAttempts, requestId },
      { label: retry ? "Retry wake" : "Wake" },
    );
    if (!retry) ctx.note("await-ready", "Await actor ready", { actorId });
    ctx.cancelTimer(pending.readyTimer);
    pending.readyTimer = ctx.setTimer("ready-timeout", ctx.config.timing.actorReadyTimeoutMs, requestId);
    pending.poolCheckTimer ??= ctx.setTimer("pool-error-check", POOL_ERROR_CHECK_DELAY_MS, requestId);
  }

  private tunnel(pending: PendingRequest, runnerId: string, ctx: Ctx): void {
    ctx.cancelTimer(pending.readyTimer);
    ctx.cancelTimer(pending.poolCheckTimer);
    pending.readyTimer = pending.poolCheckTimer = null;
    const runner = ctx.world.runners.get(runnerId);
    if (!runner?.connId) return this.onStoppedWhileWaiting(pending, ctx);
    pending.stage = "tunnelled";
    const { request } = pending;
    ctx.send(
      { role: "RunnerWS", id: runner.connId },
      { ...request, type: "ToClientRequestStart" },
      { label: `Tunnel ToClientRequestStart<br/>${request.method} ${request.path}` },
    );
  }

  private onStopped(actorId: string, ctx: Ctx): void {
    for (const pending of this.pendingFor(actorId)) {
      ctx.usePhase(pending.phase);
      if (pending.stage === "tunnelled") {
        this.onStoppedWhileWaiting(pending, ctx);
        continue;
      }
      pending.wakeAttempts += 1;
      if (pending.wakeAttempts > ctx.config.timing.wakeRetryLimit) {
        this.fail(pending, GATEWAY_ERRORS.wakeRetriesExceeded, `actor ${actorId} stopped ${pending.wakeAttempts} times while waking`, ctx);
        continue;
      }
      this.wakeAndWait(pending, true, ctx);
    }
  }

  /** The actor stopped after the request reached it: retry wake-and-wait with backoff, or give up. */
  private onStoppedWhileWaiting(pending: PendingRequest, ctx: Ctx): void {
    pending.tunnelAttempts += 1;
    if (pending.tunnelAttempts >= ctx.config.timing.tunnelRetryAttempts) {
      return this.fail(pending, GATEWAY_ERRORS.stoppedWhileWaiting, "the actor stopped while the request was in flight", ctx);
    }
    pending.stage = "waiting";
    const delay = ctx.config.timing.tunnelRetryBaseMs * 2 ** (pending.tunnelAttempts - 1);
    ctx.note("request-retry", `Actor stopped while waiting,<br/>retry in ${delay} ms`, { actorId: pending.request.actorId, payload: { attempt: pending.tunnelAttempts, delayMs: delay } });
    ctx.setTimer("tunnel-retry", delay, pending.request.requestId);
  }

  private onResponse(msg: MessageOf<"ToServerResponseStart">, seq: number, ctx: Ctx): void {
    const pending = this.requests.get(msg.requestId);
    if (!pending || pending.stage !== "tunnelled") return;
    if (msg.status === 503 && msg.headers["x-rivet-error"] === "runner.actor_not_found") return this.onStoppedWhileWaiting(pending, ctx);
    ctx.usePhase(pending.phase);
    ctx.send(pending.user, { ...msg, type: "UserResponse" }, { relayOf: seq, label: `${msg.status}` });
    this.finish(pending, ctx);
  }

  private onTimer(name: string, data: unknown, ctx: Ctx): void {
    const pending = this.requests.get(data as string);
    if (!pending || pending.stage === "done") return;
    ctx.usePhase(pending.phase);
    switch (name) {
      case "ready-timeout": {
        if (pending.stage !== "waiting") return;
        return this.fail(pending, GATEWAY_ERRORS.readyTimeout, `actor did not become ready in ${ctx.config.timing.actorReadyTimeoutMs} ms`, ctx);
      }
      case "pool-error-check": {
        pending.poolCheckTimer = null;
        if (pending.stage !== "waiting") return;
        const failure = poolFailure(ctx, pending.request.actorId);
        if (failure) return this.fail(pending, GATEWAY_ERRORS.runnerFailed, failure, ctx);
        pending.poolCheckTimer = ctx.setTimer("pool-error-check", POOL_ERROR_CHECK_INTERVAL_MS, pending.request.requestId);
        return;
      }
      case "tunnel-retry": {
        const actor = ctx.world.actors.get(pending.request.actorId);
        if (actor && isConnectable(actor)) return this.tunnel(pending, actor.runnerId!, ctx);
        return this.wakeAndWait(pending, true, ctx);
      }
      default:
        return;
    }
  }

  private fail(pending: PendingRequest, error: { status: number; code: string }, message: string, ctx: Ctx): void {
    const { requestId } = pending.request;
    ctx.usePhase(pending.phase);
    ctx.send(pending.user, { type: "UserError", requestId, status: error.status, code: error.code, message }, { label: `${error.status} ${error.code}` });
    this.finish(pending, ctx);
  }

  private finish(pending: PendingRequest, ctx: Ctx): void {
    pending.stage = "done";
    ctx.cancelTimer(pending.readyTimer);
    ctx.cancelTimer(pending.poolCheckTimer);
    unsubscribe(ctx.world, pending.request.actorId, pending.request.requestId);
    this.requests.delete(pending.request.requestId);
    if (pending.phase !== null) ctx.phaseEnd(pending.phase);
  }

  private forWaiting(actorId: string, ctx: Ctx, action: (pending: PendingRequest) => void, includeTunnelled = false): void {
    for (const pending of this.pendingFor(actorId)) {
      if (pending.stage === "waiting" || (includeTunnelled && pending.stage === "tunnelled")) {
        ctx.usePhase(pending.phase);
        action(pending);
      }
    }
  }

  private pendingFor(actorId: string): PendingRequest[] {
    return [...this.requests.values()].filter((p) => p.request.actorId === actorId && p.stage !== "done");
  }
}

function isConnectable(actor: ActorRecord): boolean {
  return actor.state === "Running" && actor.connectableTs !== null && actor.runnerId !== null;
}
