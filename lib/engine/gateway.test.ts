// The gateway (engine.md §6): wake-and-wait, retry wakes and their cap, ready timeout, unknown
// actors, tunnelling to a running actor, requests caught by an actor stopping.
import { describe, expect, it } from "vitest";
import { bySeq, causedBy, messages, notes, phases, pool, request, runInline } from "../runtime/testing";
import type { TraceEvent } from "../trace/types";

const payloadOf = <T>(event: TraceEvent) => event.payload as T;
const isRetry = (wake: TraceEvent) => payloadOf<{ retry: boolean }>(wake).retry;

describe("gateway", () => {
  it("wakes a sleeping actor, waits for Ready, then tunnels the request and relays the answer", () => {
    const events = runInline({ durationMs: 1_000, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a")] });
    const [phase] = phases(events, "request to sleeping actor");
    const [userRequest] = messages(events, "UserRequest");
    expect(userRequest.phaseId).toBe(phase.seq);
    expect(notes(events, "actor-sleeping", "a")).toHaveLength(1);
    expect(notes(events, "await-ready", "a")).toHaveLength(1);
    const wakes = messages(events, "Wake", { from: "Gateway", to: "ActorWorkflow" });
    expect(wakes.map(isRetry)).toEqual([false]);
    const [ready] = messages(events, "Ready", { to: "Gateway" });
    const [tunnel] = messages(events, "ToClientRequestStart", { from: "Gateway" });
    expect(tunnel.seq).toBeGreaterThan(ready.seq);
    const [answer] = messages(events, "UserResponse", { from: "Gateway", to: "User" });
    expect(payloadOf<{ status: number; requestId: string }>(answer)).toMatchObject({ status: 200, requestId: payloadOf<{ requestId: string }>(userRequest).requestId });
    expect(bySeq(events, answer.relayOf!)).toMatchObject({ type: "ToServerResponseStart", from: { role: "RunnerWS" }, to: { role: "Gateway" } });
    expect(events.some((e) => e.kind === "phase-end" && e.phaseId === phase.seq && e.time === answer.time)).toBe(true);
  });

  it("records causes: everything the wake set off traces back to the user's request", () => {
    const events = runInline({ durationMs: 1_000, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a")] });
    const [userRequest] = messages(events, "UserRequest");
    const afterRequest = events.filter((e) => e.seq > userRequest.seq);
    expect(afterRequest.map((e) => e.type)).toEqual(expect.arrayContaining(["Bump", "StartRequest", "ToServerInit", "CreateRunnerWorkflow", "Allocate", "CommandStartActor", "Ready", "UserResponse"]));
    for (const event of afterRequest) expect(causedBy(events, event, userRequest), `${event.seq} ${event.type}`).toBe(true);
    // The scenario's opening narrative is not.
    expect(causedBy(events, events[0], userRequest)).toBe(false);
  });

  it("tunnels a request to a running actor at once, without a wake", () => {
    const events = runInline({ durationMs: 1_000, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a"), request(500, "a", "/", "user-2")] });
    const [phase] = phases(events, "request to running actor");
    const second = messages(events, "UserRequest")[1];
    expect(second.phaseId).toBe(phase.seq);
    expect(notes(events, "actor-running", "a")).toHaveLength(1);
    expect(messages(events, "Wake")).toHaveLength(1);
    const tunnel = messages(events, "ToClientRequestStart", { from: "Gateway" })[1];
    expect(tunnel.time).toBe(second.time);
    expect(messages(events, "UserResponse")).toHaveLength(2);
  });

  it("fails a waiting request with 400 guard.actor_runner_failed 1 s into its wait when the pool is failing", () => {
    // The ready timeout is far away: the answer comes from the pool-error check, not from it.
    const events = runInline({
      durationMs: 3_000,
      config: { timing: { actorReadyTimeoutMs: 30_000 } },
      pools: [pool()],
      actors: [{ id: "a" }],
      endpointFailures: [{ times: 10, status: 500 }],
      steps: [request(10, "a")],
    });
    const [userRequest] = messages(events, "UserRequest");
    const [error] = messages(events, "UserError");
    expect(error.payload).toMatchObject({ status: 400, code: "guard.actor_runner_failed" });
    expect(payloadOf<{ message: string }>(error).message).toContain("serverless endpoint failed: 500");
    expect(error.time - userRequest.time).toBeGreaterThanOrEqual(1_000);
    expect(error.time - userRequest.time).toBeLessThan(1_100);
  });

  it("checks the pool again every 2 s: a pool that starts failing later fails the request at the next check", () => {
    // The first /start fails only after 1.5 s (its answer is held), so the 1 s check sees a healthy
    // pool and the 3 s check sees the error.
    const events = runInline({
      durationMs: 5_000,
      config: { timing: { actorReadyTimeoutMs: 30_000 } },
      pools: [pool()],
      actors: [{ id: "a" }],
      endpointFailures: [{ times: 10, status: 500 }],
      faults: [{ from: "ServerlessEndpoint", to: "Serverless", type: "StartFailed", mode: "transit", ms: 1_500 }],
      steps: [request(10, "a")],
    });
    const [userRequest] = messages(events, "UserRequest");
    const [error] = messages(events, "UserError");
    expect(messages(events, "StartFailed")[0].time - userRequest.time).toBeGreaterThan(1_000);
    expect(error.payload).toMatchObject({ code: "guard.actor_runner_failed" });
    expect(error.time - userRequest.time).toBeGreaterThanOrEqual(3_000);
    expect(error.time - userRequest.time).toBeLessThan(3_100);
  });

  it("answers a request for an unknown actor with 404 actor.not_found", () => {
    const events = runInline({ durationMs: 500, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "ghost")] });
    const [error] = messages(events, "UserError", { to: "User" });
    expect(error.payload).toMatchObject({ status: 404, code: "actor.not_found" });
    expect(messages(events, "Wake")).toHaveLength(0);
  });

  it.each([2_000, 10_000])("gives up with 503 guard.actor_ready_timeout after %i ms without Ready", (timeoutMs) => {
    // The runner's Running never arrives, and the actor is not declared lost before the timeout.
    const events = runInline({
      durationMs: timeoutMs + 1_000,
      config: { timing: { actorReadyTimeoutMs: timeoutMs, actorStartThresholdMs: timeoutMs * 2 } },
      pools: [pool()],
      actors: [{ id: "a" }],
      faults: [{ from: "Runner", to: "RunnerWS", type: "EventActorStateUpdate", mode: "drop" }],
      steps: [request(10, "a")],
    });
    const [userRequest] = messages(events, "UserRequest");
    const [error] = messages(events, "UserError");
    expect(error.payload).toMatchObject({ status: 503, code: "guard.actor_ready_timeout" });
    expect(error.time - userRequest.time).toBe(timeoutMs);
  });

  it.each([1, 3])("retries the wake on every Stopped, at most wakeRetryLimit (%i) times", (limit) => {
    // Every start fails (the runner's Running never arrives), so each attempt ends in Stopped.
    const events = runInline({
      durationMs: 3_000,
      config: { timing: { wakeRetryLimit: limit, actorStartThresholdMs: 200 } },
      pools: [pool()],
      actors: [{ id: "a" }],
      faults: [{ from: "Runner", to: "RunnerWS", type: "EventActorStateUpdate", mode: "drop" }],
      steps: [request(10, "a")],
    });
    const wakes = messages(events, "Wake", { from: "Gateway" });
    expect(wakes.map(isRetry)).toEqual([false, ...Array(limit).fill(true)]);
    expect(messages(events, "Stopped", { to: "Gateway" })).toHaveLength(limit + 1);
    const errors = messages(events, "UserError");
    expect(errors).toHaveLength(1);
    // The real engine's guard has no status for this code: 400.
    expect(errors[0].payload).toMatchObject({ status: 400, code: "guard.actor_wake_retries_exceeded" });
  });

  describe("an actor stopping while the request is in flight", () => {
    const crashDuringRequest = (tunnelRetryAttempts?: number) => ({
      durationMs: 3_000,
      config: { timing: { requestHandlingMs: 500, ...(tunnelRetryAttempts ? { tunnelRetryAttempts } : {}) } },
      pools: [pool()],
      actors: [{ id: "a" }],
      steps: [request(10, "a"), { at: 300, fault: { kind: "crash-actor", actor: "a" } }],
    });

    it("re-runs wake-and-wait after a short delay and answers from the new generation", () => {
      const events = runInline(crashDuringRequest());
      const [phase] = phases(events, "request to sleeping actor");
      const [retry] = notes(events, "request-retry", "a");
      expect(retry.phaseId).toBe(phase.seq);
      expect(retry.payload).toMatchObject({ attempt: 1, delayMs: 150 });
      const retryWake = messages(events, "Wake").filter(isRetry);
      expect(retryWake).toHaveLength(1);
      expect(retryWake[0].time - retry.time).toBeGreaterThanOrEqual(150);
      const answers = messages(events, "UserResponse");
      expect(answers).toHaveLength(1);
      expect(JSON.parse(payloadOf<{ body: string }>(answers[0]).body)).toMatchObject({ actorId: "a", generation: 2 });
      expect(messages(events, "UserError")).toHaveLength(0);
    });

    it("gives up with guard.actor_stopped_while_waiting when out of attempts", () => {
      const events = runInline(crashDuringRequest(1));
      const errors = messages(events, "UserError");
      expect(errors.map((e) => e.payload)).toEqual([expect.objectContaining({ status: 503, code: "guard.actor_stopped_while_waiting" })]);
      expect(messages(events, "UserResponse")).toHaveLength(0);
    });
  });
});
