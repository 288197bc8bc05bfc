// The gateway's HTTP rules, from state literals: tunnel to a running actor, wake-and-wait for a
// sleeping one, Ready, retried wakes and their cap, the answer relayed, timeouts, pool errors and
// the runner's actor_not_found answer.
import { describe, expect, it } from "vitest";
import { effectsOf } from "../core/testing";
import { engineConfig } from "../config";
import { GATEWAY_ERRORS } from "./errors";
import { PHASE, USER, actor, deliver, fire, pendingRequest, runner, stateWith, tags, userRequest, world } from "./testing";
import { initialGatewayState } from "./state";

const running = () => world({ actors: [actor("Running")], runners: [runner()] });

describe("gateway: HTTP requests", () => {
  it("tunnels a request to a running actor to its runner's connection at once", () => {
    const state = initialGatewayState();
    const step = deliver(state, userRequest(), { world: running(), openedPhase: PHASE, phase: PHASE });
    expect(tags(step)).toEqual(["world subscribe true", "note actor-running", "send ToClientRequestStart → RunnerWS:c1"]);
    const [tunnel] = effectsOf(step.effects, "send");
    expect(tunnel).toMatchObject({ label: "Tunnel ToClientRequestStart<br/>GET /ping", phase: PHASE, msg: { ...userRequest(), type: "ToClientRequestStart" } });
    expect(step.state.requests.get("req-1")).toMatchObject({ stage: "tunnelled", phase: PHASE, user: USER });
  });

  it("subscribes, wakes a sleeping actor and waits under a ready timeout and a pool check", () => {
    const step = deliver(initialGatewayState(), userRequest(), { world: world({ actors: [actor("Sleeping")] }), openedPhase: PHASE, phase: PHASE });
    expect(tags(step)).toEqual([
      "world subscribe true",
      "note actor-sleeping",
      "send Wake → ActorWorkflow:a1",
      "note await-ready",
      "set-timer ready-timeout 10000",
      "set-timer pool-error-check 1000",
    ]);
    const [wake] = effectsOf(step.effects, "send");
    expect(wake).toMatchObject({ label: "Wake", msg: { type: "Wake", actorId: "a1", retry: false, attempt: 0, requestId: "req-1" } });
    const [ready, poolCheck] = effectsOf(step.effects, "set-timer");
    expect(ready.timer).toEqual({ timer: "ready-timeout", requestId: "req-1" });
    expect(step.state.requests.get("req-1")).toMatchObject({ stage: "waiting", readyTimer: ready.key, poolCheckTimer: poolCheck.key });
  });

  it("notes a starting actor, and one marked as sleeping as asleep", () => {
    const starting = deliver(initialGatewayState(), userRequest(), { world: world({ actors: [actor("Starting")] }) });
    expect(effectsOf(starting.effects, "note")[0].note).toMatchObject({ type: "actor-starting", label: "Actor starting" });
    const intent = deliver(initialGatewayState(), userRequest(), { world: world({ actors: [actor("SleepIntent")] }) });
    expect(effectsOf(intent.effects, "note")[0].note).toMatchObject({ type: "actor-sleeping", label: "Actor sleeping" });
  });

  it("answers 404 actor.not_found for an unknown or destroyed actor, without subscribing", () => {
    for (const w of [world(), world({ actors: [actor("Destroyed")] })]) {
      const step = deliver(initialGatewayState(), userRequest(), { world: w });
      const [error] = effectsOf(step.effects, "send");
      expect(error.msg).toMatchObject({ type: "UserError", status: 404, code: "actor.not_found" });
      expect(error).toMatchObject({ to: USER, label: "404 actor.not_found" });
      expect(step.state.requests.size).toBe(0);
    }
  });

  it("tunnels a waiting request on Ready, ending its wait's timers", () => {
    const state = stateWith({ requests: [pendingRequest({ readyTimer: 1, poolCheckTimer: 2 })] });
    const step = deliver(state, { type: "Ready", actorId: "a1", runnerId: "r1", generation: 1 }, { world: running() });
    expect(tags(step)).toEqual(["cancel-timer 1", "cancel-timer 2", "send ToClientRequestStart → RunnerWS:c1"]);
    expect(effectsOf(step.effects, "send")[0].phase).toBe(PHASE);
    expect(step.state.requests.get("req-1")).toMatchObject({ stage: "tunnelled", readyTimer: null, poolCheckTimer: null });
  });

  it("retries the wake when the actor stops while waking, then gives up with 400 wake retries exceeded", () => {
    const stopped = { type: "Stopped", actorId: "a1", generation: 1 } as const;
    const state = stateWith({ requests: [pendingRequest({ readyTimer: 1, poolCheckTimer: 2 })] });
    const retry = deliver(state, stopped, { world: world({ actors: [actor("Sleeping")] }) });
    expect(tags(retry)).toEqual(["send Wake → ActorWorkflow:a1", "cancel-timer 1", "set-timer ready-timeout 10000"]);
    expect(effectsOf(retry.effects, "send")[0]).toMatchObject({ label: "Retry wake", msg: { retry: true, attempt: 1 } });

    const limit = engineConfig({}).timing.wakeRetryLimit;
    const last = stateWith({ requests: [pendingRequest({ wakeAttempts: limit, readyTimer: 1, poolCheckTimer: 2 })] });
    const given = deliver(last, stopped, { world: world({ actors: [actor("Sleeping")] }) });
    expect(tags(given)).toEqual(["send UserError → User:user-1", "cancel-timer 1", "cancel-timer 2", "world subscribe false", `phase-end ${PHASE}`]);
    expect(effectsOf(given.effects, "send")[0]).toMatchObject({
      label: "400 guard.actor_wake_retries_exceeded",
      msg: { status: 400, code: GATEWAY_ERRORS.wakeRetriesExceeded.code, message: `actor a1 stopped ${limit + 1} times while waking` },
    });
    expect(given.state.requests.size).toBe(0);
  });

  it("relays the runner's answer to the user as a relay of it, and ends the request's phase", () => {
    const state = stateWith({ requests: [pendingRequest({ stage: "tunnelled" })] });
    const answer = { type: "ToServerResponseStart", requestId: "req-1", status: 200, headers: {}, body: "pong" } as const;
    const step = deliver(state, answer, { world: running(), from: { role: "RunnerWS", id: "c1" }, seq: 20 });
    expect(tags(step)).toEqual(["send UserResponse → User:user-1", "world subscribe false", `phase-end ${PHASE}`]);
    expect(effectsOf(step.effects, "send")[0]).toMatchObject({ relayOf: 20, label: "200", phase: PHASE, msg: { ...answer, type: "UserResponse" } });
    expect(step.state.requests.size).toBe(0);
  });

  it("answers 503 guard.actor_ready_timeout when the actor is not Ready in time", () => {
    const state = stateWith({ requests: [pendingRequest({ readyTimer: 1, poolCheckTimer: 2 })] });
    const step = fire(state, { timer: "ready-timeout", requestId: "req-1" });
    const [error] = effectsOf(step.effects, "send");
    expect(error).toMatchObject({ label: "503 guard.actor_ready_timeout", phase: PHASE, msg: { status: 503, message: "actor did not become ready in 10000 ms" } });
    expect(step.state.requests.size).toBe(0);
  });

  it("ignores the timers of a request that is gone or no longer waiting", () => {
    expect(fire(initialGatewayState(), { timer: "ready-timeout", requestId: "req-1" }).effects).toEqual([]);
    const tunnelled = stateWith({ requests: [pendingRequest({ stage: "tunnelled" })] });
    expect(fire(tunnelled, { timer: "ready-timeout", requestId: "req-1" }).effects).toEqual([]);
  });

  it("fails with 400 guard.actor_runner_failed when the pool check sees a pool error, else checks again in 2 s", () => {
    const state = stateWith({ requests: [pendingRequest({ readyTimer: 1, poolCheckTimer: 2 })] });
    const healthy = fire(state, { timer: "pool-error-check", requestId: "req-1" }, { world: world({ actors: [actor("Pending")] }) });
    expect(tags(healthy)).toEqual(["set-timer pool-error-check 2000"]);
    expect(healthy.state.requests.get("req-1")!.poolCheckTimer).toBe(effectsOf(healthy.effects, "set-timer")[0].key);

    const failing = world({ actors: [actor("Pending")], poolErrors: { pool: "serverless endpoint failed: 500" } });
    const state2 = stateWith({ requests: [pendingRequest({ readyTimer: 1, poolCheckTimer: 2 })] });
    const step = fire(state2, { timer: "pool-error-check", requestId: "req-1" }, { world: failing });
    // The fired check is no longer pending: only the ready timeout is cancelled.
    expect(tags(step)).toEqual(["send UserError → User:user-1", "cancel-timer 1", "world subscribe false", `phase-end ${PHASE}`]);
    expect(effectsOf(step.effects, "send")[0]).toMatchObject({
      label: "400 guard.actor_runner_failed",
      msg: { code: "guard.actor_runner_failed", message: "the actor's runner pool is failing (serverless endpoint failed: 500)" },
    });
  });

  it("retries later when the runner answers 503 runner.actor_not_found, then tunnels again", () => {
    const state = stateWith({ requests: [pendingRequest({ stage: "tunnelled" })] });
    const notFound = { type: "ToServerResponseStart", requestId: "req-1", status: 503, headers: { "x-rivet-error": "runner.actor_not_found" }, body: null } as const;
    const step = deliver(state, notFound, { world: running(), phase: PHASE });
    expect(tags(step)).toEqual(["note request-retry", "set-timer tunnel-retry 150"]);
    expect(effectsOf(step.effects, "note")[0].note).toEqual({ type: "request-retry", label: "Actor stopped while waiting,<br/>retry in 150 ms", actorId: "a1", payload: { attempt: 1, delayMs: 150 } });
    expect(step.state.requests.get("req-1")).toMatchObject({ stage: "waiting", tunnelAttempts: 1 });

    const again = fire(step.state, { timer: "tunnel-retry", requestId: "req-1" }, { world: running() });
    expect(tags(again)).toEqual(["send ToClientRequestStart → RunnerWS:c1"]);
  });

  it("wakes again on a tunnel retry when the actor is not connectable, and gives up after the retry budget", () => {
    const state = stateWith({ requests: [pendingRequest({ stage: "waiting", tunnelAttempts: 1 })] });
    const retry = fire(state, { timer: "tunnel-retry", requestId: "req-1" }, { world: world({ actors: [actor("Sleeping")] }) });
    expect(tags(retry)).toEqual(["send Wake → ActorWorkflow:a1", "set-timer ready-timeout 10000", "set-timer pool-error-check 1000"]);

    const attempts = engineConfig({}).timing.tunnelRetryAttempts;
    const last = stateWith({ requests: [pendingRequest({ stage: "tunnelled", tunnelAttempts: attempts - 1 })] });
    const step = deliver(last, { type: "Stopped", actorId: "a1", generation: 1 }, { world: world({ actors: [actor("Sleeping")] }) });
    expect(effectsOf(step.effects, "send")[0]).toMatchObject({ label: "503 guard.actor_stopped_while_waiting" });
  });

  it("fails waiting and tunnelled requests when the actor fails or is destroyed", () => {
    const state = stateWith({ requests: [pendingRequest({ stage: "tunnelled" })] });
    const failed = deliver(state, { type: "Failed", actorId: "a1", code: "crash", message: "boom" });
    expect(effectsOf(failed.effects, "send")[0]).toMatchObject({ label: "503 actor.failed", msg: { message: "boom" } });
    const destroyed = deliver(stateWith({ requests: [pendingRequest()] }), { type: "DestroyStarted", actorId: "a1" });
    expect(effectsOf(destroyed.effects, "send")[0]).toMatchObject({ label: "400 actor.destroyed_while_waiting_for_ready" });
  });
});
