// The serverless autoscaler of one runner pool (engine.md §5): desired runners from the desired-slot
// counter, outbound `/start` requests with a lifespan, drain with grace, eviction, endpoint backoff.
import { backoffMs, desiredRunners, type PoolConfig } from "../config";
import { dispatch } from "../core/dispatch";
import { Fx } from "../core/fx";
import { instance, type Input, type Instance, type ParticipantModule, type Step } from "../core/module";
import { endpoint, runnerWorkflow, runnerWs, serverless } from "../core/refs";
import type { StepView } from "../core/view";
import { assertNever, type Message } from "../messages";
import { activeRequests, initialServerlessState, newStartRequest, poolSettings, requestOfRunner, type ServerlessState, type StartRequest } from "./state";

export type ServerlessTimer = { timer: "lifespan"; startId: string } | { timer: "grace"; startId: string } | { timer: "retry"; startId: string };

/** Operator faults from a scenario: drain a runner now, or evict its socket without grace. */
export type ServerlessCommand = { command: "drain-runner"; runnerId: string } | { command: "evict-runner"; runnerId: string };

export const serverlessModule: ParticipantModule<ServerlessState, ServerlessTimer, ServerlessCommand> = {
  role: "Serverless",
  step(state: ServerlessState, input: Input<ServerlessTimer, ServerlessCommand>, view: StepView): Step<ServerlessState> {
    const fx = new Fx(view);
    dispatch(state, input, fx, { message: (s, input, f) => onMessage(s, input.msg, f), timer: onTimer, command: onCommand });
    return fx.done(state);
  },
};

export function serverlessInstance(pool: PoolConfig): Instance {
  return instance(serverless(pool.name), serverlessModule, initialServerlessState(pool.name));
}

function onCommand(state: ServerlessState, command: ServerlessCommand, fx: Fx): void {
  const request = requestOfRunner(state, command.runnerId);
  switch (command.command) {
    case "drain-runner":
      if (request) drain(state, request, fx);
      return;
    case "evict-runner": {
      if (request) {
        fx.cancelTimer(request.lifespanTimer);
        state.requests.delete(request.startId);
      }
      evict(command.runnerId, fx);
      return;
    }
    default:
      return assertNever(command);
  }
}

function onMessage(state: ServerlessState, msg: Message, fx: Fx): void {
  switch (msg.type) {
    case "Bump":
      return reconcile(state, fx);
    case "ToServerlessServerInit": {
      const request = state.requests.get(msg.startId);
      if (!request) return;
      request.runnerId = msg.runnerId;
      fx.world.apply({ op: "pool-error", pool: state.pool, error: null });
      return;
    }
    case "StartFailed": {
      const request = state.requests.get(msg.startId);
      if (!request) return;
      return backOff(state, request, msg.status, msg.reason, fx);
    }
    case "StartStreamClosed": {
      const request = state.requests.get(msg.startId);
      if (request) {
        fx.cancelTimer(request.lifespanTimer);
        state.requests.delete(msg.startId);
      }
      return;
    }
    default:
      return;
  }
}

/**
 * On every bump: start `/start` requests up to the desired count, drain the surplus oldest first.
 * As the real engine's pool: it drains the runners it started first, whether or not they host
 * actors (it has no preference for idle runners yet).
 */
function reconcile(state: ServerlessState, fx: Fx): void {
  forgetLostRunners(state, fx);
  const pool = poolSettings(fx.config, state.pool);
  const slots = fx.world.desiredSlots(state.pool);
  const desired = desiredRunners(pool, slots);
  const active = activeRequests(state);
  if (desired > active.length) {
    fx.note({ type: "desired", label: `Desired: ${desired}`, payload: { desiredSlots: slots, desiredRunners: desired, active: active.length } });
    for (let i = active.length; i < desired; i++) send(state, newStartRequest(fx.now), fx);
  } else if (desired < active.length) {
    const surplus = active.sort((a, b) => a.startedAt - b.startedAt).slice(0, active.length - desired);
    for (const request of surplus) drain(state, request, fx);
  }
}

/**
 * A request whose runner workflow has ended (lost: silent, or gone without its stream closing)
 * no longer brings capacity, so it must not count against the desired runners.
 */
function forgetLostRunners(state: ServerlessState, fx: Fx): void {
  for (const request of [...state.requests.values()]) {
    if (request.runnerId === null) continue;
    if (fx.world.runner(request.runnerId)?.alive) continue;
    fx.cancelTimer(request.lifespanTimer);
    state.requests.delete(request.startId);
    fx.note({ type: "runner-lost", label: "Runner lost,<br/>no longer counted", runnerId: request.runnerId, housekeeping: true });
  }
}

/** One attempt of a start: a new `/start` request, living its lifespan from now. */
function send(state: ServerlessState, request: StartRequest, fx: Fx): void {
  const pool = poolSettings(fx.config, state.pool);
  const startId = fx.newId("start");
  const lifespanMs = Math.max(0, (pool.requestLifespan - pool.drainGracePeriod) * 1000);
  request.startId = startId;
  request.lifespanTimer = fx.setTimer<ServerlessTimer>({ timer: "lifespan", startId }, lifespanMs);
  state.requests.set(startId, request);
  const headers: Record<string, string> = {
    ...pool.headers,
    "x-rivet-endpoint": "engine",
    "x-rivet-total-slots": String(pool.slotsPerRunner),
    "x-rivet-runner-name": pool.name,
    "x-rivet-namespace-name": fx.config.namespace,
  };
  fx.send(endpoint(pool.name), { type: "StartRequest", startId, url: `${pool.url}/start`, headers }, { label: "GET /start" });
}

/**
 * A failed `/start` is retried by itself, as the real engine's connection workflow does: after
 * 2 s × 2^n (+ up to 0.5 s, n = its failures before this one, capped), n reset once it has not had
 * to retry for a quiet while. Meanwhile it keeps its place: the pool neither starts another
 * runner in its stead nor stops starting runners for other demand.
 */
function backOff(state: ServerlessState, request: StartRequest, status: number, reason: string, fx: Fx): void {
  fx.cancelTimer(request.lifespanTimer);
  request.lifespanTimer = null;
  if (request.lastRetryAt !== null && fx.now - request.lastRetryAt > fx.config.timing.backoffResetMs) request.failures = 0;
  const delay = backoffMs(request.failures + 1, fx.config.timing, () => fx.random());
  request.failures += 1;
  request.lastRetryAt = fx.now;
  fx.world.apply({ op: "pool-error", pool: state.pool, error: `serverless endpoint failed: ${status} ${reason}` });
  fx.note({
    type: "endpoint-failed",
    label: `Endpoint failed (${status}),<br/>retry in ${delay} ms`,
    payload: { status, reason, delayMs: delay, failures: request.failures },
  });
  request.retryTimer = fx.setTimer<ServerlessTimer>({ timer: "retry", startId: request.startId }, delay);
}

/** Stop the runner workflow, then evict the socket once the grace period is over. */
function drain(state: ServerlessState, request: StartRequest, fx: Fx): void {
  if (request.draining) return;
  request.draining = true;
  fx.cancelTimer(request.lifespanTimer);
  request.lifespanTimer = null;
  fx.cancelTimer(request.retryTimer);
  request.retryTimer = null;
  if (request.runnerId === null) {
    state.requests.delete(request.startId);
    return;
  }
  fx.send(runnerWorkflow(request.runnerId), { type: "Stop", runnerId: request.runnerId }, { label: "Stop" });
  fx.setTimer<ServerlessTimer>({ timer: "grace", startId: request.startId }, poolSettings(fx.config, state.pool).drainGracePeriod * 1000);
}

/** The runner's socket is closed by the engine (ws.eviction), if it has one. */
function evict(runnerId: string, fx: Fx): void {
  const connId = fx.world.runner(runnerId)?.connId;
  if (connId) fx.send(runnerWs(connId), { type: "Evict", runnerId, reason: "ws.eviction" }, { label: "Evict WS" });
}

function onTimer(state: ServerlessState, timer: ServerlessTimer, fx: Fx): void {
  const request = state.requests.get(timer.startId);
  switch (timer.timer) {
    case "lifespan":
      if (request) drain(state, request, fx);
      return;
    case "grace":
      if (!request || request.runnerId === null) return;
      state.requests.delete(request.startId);
      fx.note({ type: "after-grace", label: "After grace", runnerId: request.runnerId });
      evict(request.runnerId, fx);
      return;
    case "retry":
      if (!request || request.draining) return;
      state.requests.delete(request.startId);
      request.retryTimer = null;
      return send(state, request, fx);
    default:
      return assertNever(timer);
  }
}
