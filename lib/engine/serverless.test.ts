// The serverless autoscaler (engine.md §5): /start requests up to the desired count, drains of the
// surplus, request lifespans with grace and eviction, endpoint failures with backoff.
import { describe, expect, it } from "vitest";
import { builtInScenario, messages, notes, pool, request, runInline, runInlineSession, stateChanges, states } from "../runtime/testing";
import type { TraceEvent } from "../trace/types";

const wakeAll = (count: number) => Array.from({ length: count }, (_, i) => request(10 + 2 * i, `actor-${i}`, "/", `user-${i}`));
const actors = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `actor-${i}` }));
const delayOf = (note: TraceEvent) => (note.payload as { delayMs: number }).delayMs;

describe("starting runners", () => {
  it.each([
    { name: "one runner per slot", overrides: { slotsPerRunner: 1 }, actors: 3, starts: 3 },
    { name: "slots share runners", overrides: { slotsPerRunner: 2 }, actors: 3, starts: 2 },
    { name: "a margin of spare runners", overrides: { slotsPerRunner: 1, runnersMargin: 1 }, actors: 1, starts: 2 },
    { name: "a minimum above demand", overrides: { slotsPerRunner: 1, minRunners: 2 }, actors: 1, starts: 2 },
    { name: "the maximum caps demand", overrides: { slotsPerRunner: 1, maxRunners: 1 }, actors: 3, starts: 1 },
  ])("starts /start requests up to the desired count: $name", ({ overrides, actors: count, starts }) => {
    const events = runInline({ durationMs: 1_000, pools: [pool(overrides)], actors: actors(count), steps: wakeAll(count) });
    expect(messages(events, "StartRequest", { from: "Serverless", to: "ServerlessEndpoint" })).toHaveLength(starts);
    expect(notes(events, "desired").at(-1)!.label).toBe(`Desired: ${starts}`);
    expect(messages(events, "ToClientInit")).toHaveLength(starts);
  });

  it("sends the runner pool headers with each /start", () => {
    const events = runInline({ durationMs: 500, pools: [pool({ slotsPerRunner: 3, headers: { "x-custom": "yes" } })], actors: actors(1), steps: wakeAll(1) });
    const [start] = messages(events, "StartRequest");
    expect(start.payload).toMatchObject({
      url: "http://localhost:3000/api/serverless/start",
      headers: { "x-custom": "yes", "x-rivet-total-slots": "3", "x-rivet-runner-name": "default", "x-rivet-namespace-name": "default" },
    });
    expect(events.filter((e) => e.kind === "relation" && e.type === "SameProcess")).toHaveLength(1);
  });
});

describe("draining", () => {
  it("drains the surplus oldest first when demand drops, as the real engine's pool", () => {
    const events = runInline({
      durationMs: 3_000,
      pools: [pool()],
      actors: [{ id: "a" }, { id: "b" }],
      steps: [request(10, "a"), request(500, "b", "/", "user-2"), request(1_000, "b", "/sleep", "user-2")],
    });
    const runnerOf = (actorId: string) => stateChanges(events, actorId).find((c) => c.to === "Starting")!.runnerId;
    const stops = messages(events, "Stop", { from: "Serverless", to: "RunnerWorkflow" });
    // b (on the newer runner) went to sleep, yet the older runner, a's, is the one drained: the
    // real engine does not prefer a runner without actors.
    expect(stops.map((s) => s.to!.id)).toEqual([runnerOf("a")]);
    expect(states(events, "a").at(-1)).toBe("Running");
  });

  it("stops a runner when its request's lifespan minus the grace period is over, evicts it after the grace", () => {
    const events = runInline({ durationMs: 4_000, pools: [pool({ requestLifespan: 2, drainGracePeriod: 0.5 })], actors: [{ id: "a" }], steps: [request(10, "a")] });
    const [start] = messages(events, "StartRequest");
    const [stop] = messages(events, "Stop", { to: "RunnerWorkflow" });
    expect(stop.time - start.time).toBeGreaterThanOrEqual(1_500);
    expect(stop.time - start.time).toBeLessThanOrEqual(1_530);
    const [afterGrace] = notes(events, "after-grace");
    expect(afterGrace.time - stop.time).toBeGreaterThanOrEqual(500);
    expect(afterGrace.time - stop.time).toBeLessThanOrEqual(530);
    const evict = messages(events, "Evict");
    expect(evict.map((e) => `${e.from!.role}>${e.to!.role}`)).toEqual(["Serverless>RunnerWS", "RunnerWS>Runner"]);
    expect(evict[0].seq).toBeGreaterThan(afterGrace.seq);
    // The actor still on the evicted runner is lost with it.
    expect(messages(events, "Lost", { actorId: "a" })[0].payload).toMatchObject({ reason: "RunnerEvicted" });
    expect(states(events, "a").at(-1)).toBe("Sleeping");
  });
});

describe("endpoint failures", () => {
  it("are retried with backoff until a start succeeds, and the pool error is cleared", () => {
    const run = runInlineSession(builtInScenario("endpoint-recovers"));
    const { events } = run;
    const failures = notes(events, "endpoint-failed");
    expect(failures).toHaveLength(2);
    expect(delayOf(failures[0])).toBeGreaterThanOrEqual(2_000);
    expect(delayOf(failures[0])).toBeLessThan(2_500);
    expect(delayOf(failures[1])).toBeGreaterThanOrEqual(4_000);
    expect(delayOf(failures[1])).toBeLessThan(4_500);
    const starts = messages(events, "StartRequest");
    expect(starts).toHaveLength(3);
    // No new /start while backing off.
    expect(starts[1].time - failures[0].time).toBeGreaterThanOrEqual(delayOf(failures[0]));
    expect(starts[2].time - failures[1].time).toBeGreaterThanOrEqual(delayOf(failures[1]));
    // The first request failed fast on the failing pool; the one after the recovery is served.
    expect(messages(events, "UserError").map((e) => (e.payload as { code: string }).code)).toEqual(["guard.actor_runner_failed"]);
    expect(messages(events, "UserResponse")).toHaveLength(1);
    expect(run.world.poolErrors.get("default")).toBeNull();
  });

  it("hold back only the failed start: the pool keeps starting runners for new demand meanwhile", () => {
    // As the real engine's per-request connection workflows: one backs off, the pool still scales.
    const events = runInline({
      durationMs: 6_000,
      pools: [pool()],
      actors: [{ id: "a" }, { id: "b" }],
      endpointFailures: [{ times: 1, status: 502 }],
      steps: [request(10, "a"), request(500, "b", "/", "user-2")],
    });
    const [failure] = notes(events, "endpoint-failed");
    const starts = messages(events, "StartRequest");
    expect(starts).toHaveLength(3);
    // b's demand starts a runner at once, long before the failed start's retry.
    expect(starts[1].time).toBeLessThan(600);
    expect(starts[2].time - failure.time).toBeGreaterThanOrEqual(delayOf(failure));
    const answers = messages(events, "UserResponse");
    expect(answers).toHaveLength(2);
    expect(answers[0].time).toBeLessThan(1_000);
  });

  it("back off further for each failure of the same start, as the real engine: 2, 4, 8, 16 s (+ up to 0.5 s)", () => {
    const events = runInline({ durationMs: 40_000, pools: [pool()], actors: [{ id: "a" }], endpointFailures: [{ times: 4, status: 502 }], steps: [request(10, "a")] });
    const delays = notes(events, "endpoint-failed").map(delayOf);
    expect(delays).toHaveLength(4);
    delays.forEach((delay, n) => {
      expect(delay).toBeGreaterThanOrEqual(2_000 * 2 ** n);
      expect(delay).toBeLessThan(2_000 * 2 ** n + 500);
    });
  });

  it("are reported by the gateway when the actor does not become ready in time", () => {
    const events = runInline({ durationMs: 12_000, pools: [pool()], actors: [{ id: "a" }], endpointFailures: [{ times: 10, status: 503 }], steps: [request(10, "a")] });
    const [error] = messages(events, "UserError");
    // As the real engine: a failing pool is guard.actor_runner_failed (400), not a ready timeout.
    expect(error.payload).toMatchObject({ status: 400, code: "guard.actor_runner_failed" });
    expect((error.payload as { message: string }).message).toContain("serverless endpoint failed: 503");
  });
});
