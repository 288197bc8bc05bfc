// Actor workflow rules 6–8 of engine.md §3: crash policies and backoff, deadlines, destroy,
// generations. Faults hold or drop single messages to create the races.
import { describe, expect, it } from "vitest";
import { actorWorkflow, runnerWorkflow } from "./core/refs";
import type { Message } from "./messages";
import { continueTo, messages, notes, pool, request, runInline, runInlineSession, stateChanges, states } from "../runtime/testing";

function crashScenario(crashAt: number[], timing: Record<string, number> = {}, crashPolicy = "restart") {
  return {
    durationMs: Math.max(...crashAt) + 6_000,
    config: { timing },
    // One runner always wanted, so a crash never drains it and every restart lands on it.
    pools: [pool({ slotsPerRunner: 2, minRunners: 1 })],
    actors: [{ id: "a", crashPolicy }],
    steps: [request(10, "a"), ...crashAt.map((at) => ({ at, fault: { kind: "crash-actor", actor: "a" } }))],
  };
}

const backoffDelays = (events: ReturnType<typeof runInline>) => notes(events, "backoff", "a").map((n) => (n.payload as { delayMs: number }).delayMs);

describe("crash policies", () => {
  it("sleep: a crashed actor goes to sleep and is not restarted", () => {
    const events = runInline(crashScenario([500], {}, "sleep"));
    expect(notes(events, "deallocate", "a")[0].payload).toMatchObject({ why: "crashed" });
    expect(states(events, "a").slice(-2)).toEqual(["Running", "Sleeping"]);
    expect(notes(events, "allocate", "a")).toHaveLength(1);
  });

  it("destroy: a crashed actor is destroyed and later requests get actor.not_found (as on the real engine)", () => {
    const scenario = crashScenario([500], {}, "destroy");
    const events = runInline({ ...scenario, steps: [...scenario.steps, request(1_000, "a")] });
    expect(states(events, "a").at(-1)).toBe("Destroyed");
    expect(notes(events, "destroyed", "a")).toHaveLength(1);
    const errors = messages(events, "UserError");
    expect(errors.map((e) => e.payload)).toEqual([expect.objectContaining({ status: 404, code: "actor.not_found" })]);
  });

  it("restart: the first retry is immediate, then 2 s × 2^n plus at most 500 ms of jitter", () => {
    const events = runInline(crashScenario([500, 1_000, 4_000]));
    const delays = backoffDelays(events);
    expect(delays).toHaveLength(3);
    expect(delays[0]).toBe(0);
    expect(delays[1]).toBeGreaterThanOrEqual(2_000);
    expect(delays[1]).toBeLessThan(2_500);
    expect(delays[2]).toBeGreaterThanOrEqual(4_000);
    expect(delays[2]).toBeLessThan(4_500);
    // Each reallocation waits for its delay (plus one workflow step), no more.
    const backoffs = notes(events, "backoff", "a");
    const allocations = notes(events, "allocate", "a").slice(1);
    backoffs.forEach((backoff, i) => {
      const waited = allocations[i].time - backoff.time;
      expect(waited).toBeGreaterThanOrEqual(delays[i]);
      expect(waited).toBeLessThanOrEqual(delays[i] + 20);
    });
    expect(states(events, "a").filter((s) => s === "Backoff")).toHaveLength(3);
    expect(states(events, "a").at(-1)).toBe("Running");
  });

  it("restart: the delay is capped", () => {
    const delays = backoffDelays(runInline(crashScenario([500, 1_000, 4_000], { backoffMaxMs: 3_000 })));
    expect(delays[2]).toBe(3_000);
  });

  it("restart: a quiet period resets the backoff to an immediate retry", () => {
    const delays = backoffDelays(runInline(crashScenario([500, 3_000], { backoffResetMs: 1_000 })));
    expect(delays).toEqual([0, 0]);
  });
});

describe("deadlines (rule 7)", () => {
  it("an actor that never reports Running is treated as lost after the start threshold", () => {
    const events = runInline({
      durationMs: 35_000,
      pools: [pool()],
      actors: [{ id: "a" }],
      faults: [{ from: "Runner", to: "RunnerWS", type: "EventActorStateUpdate", mode: "drop", nth: [1] }],
      steps: [request(10, "a")],
    });
    const starting = stateChanges(events, "a").find((c) => c.to === "Starting")!;
    const expired = notes(events, "deadline-expired", "a");
    expect(expired).toHaveLength(1);
    expect(expired[0].label).toContain("Start deadline");
    expect(expired[0].time - starting.time).toBeGreaterThanOrEqual(30_000);
    expect(expired[0].time - starting.time).toBeLessThanOrEqual(30_020);
    expect(notes(events, "deallocate", "a")[0].payload).toMatchObject({ why: "lost", reason: "RunnerNoResponse" });
    expect(states(events, "a").at(-1)).toBe("Sleeping");
    // The gateway gave up long before (ready timeout): the failed allocation's phase ends with it.
    const allocation = events.find((e) => e.kind === "phase-start" && e.label === "actor allocation")!;
    const end = events.find((e) => e.kind === "phase-end" && e.phaseId === allocation.seq);
    expect(end?.time).toBe(expired[0].time);
  });

  it("a stop that does not finish within the stop threshold is treated as lost, and the late Stopped is ignored", () => {
    // Restart policy: handling the late Stopped as a second stop would reallocate an actor nobody woke.
    const run = runInlineSession({
      durationMs: 40_000,
      pools: [pool()],
      actors: [{ id: "a", crashPolicy: "restart" }],
      faults: [{ from: "ActorWorkflow", to: "RunnerWorkflow", type: "CommandStopActor", mode: "transit", ms: 31_000 }],
      steps: [request(10, "a", "/sleep")],
    });
    const { events } = run;
    const sleepIntent = stateChanges(events, "a").find((c) => c.to === "SleepIntent")!;
    const expired = notes(events, "deadline-expired", "a");
    expect(expired.map((n) => n.label)).toEqual([expect.stringContaining("Stop deadline")]);
    expect(expired[0].time - sleepIntent.time).toBeGreaterThanOrEqual(30_000);
    // The runner finally reports Stopped after the deadline: it reaches the workflow and changes nothing.
    const lateStopped = messages(events, "EventActorStateUpdate", { to: "ActorWorkflow" }).filter((m) => m.time > expired[0].time);
    expect(lateStopped).toHaveLength(1);
    expect(notes(events, "deallocate", "a")).toHaveLength(1);
    expect(states(events, "a")).toEqual(["Pending", "Starting", "Running", "SleepIntent", "Sleeping"]);
    expect(run.world.desiredSlots.get("default")).toBe(0);
  });
});

describe("destroy (rule 8)", () => {
  it("stops a running actor, then destroys it and frees its slot", () => {
    const run = runInlineSession({ durationMs: 1_500, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a"), { at: 500, destroy: { actor: "a" } }, request(1_000, "a")] });
    const { events, world } = run;
    expect(states(events, "a").slice(-3)).toEqual(["Running", "StopIntent", "Destroyed"]);
    const stop = messages(events, "CommandStopActor", { from: "ActorWorkflow" });
    expect(stop).toHaveLength(1);
    expect(notes(events, "destroyed", "a")[0].seq).toBeGreaterThan(notes(events, "deallocate", "a")[0].seq);
    const runnerId = stateChanges(events, "a").find((c) => c.to === "Starting")!.runnerId!;
    expect(world.runners.get(runnerId)!.freeSlots).toBe(1);
    // A request after the destroy is refused without waking anything.
    expect(messages(events, "UserError").map((e) => e.payload)).toEqual([expect.objectContaining({ status: 404, code: "actor.not_found" })]);
    expect(messages(events, "Wake")).toHaveLength(1);
  });

  it("removes a pending actor from the queue and tells the waiting request", () => {
    // Destroyed within the first second: the gateway's first pool-error check comes 1 s into the wait.
    const run = runInlineSession({ durationMs: 5_000, pools: [pool()], actors: [{ id: "a" }], endpointFailures: [{ times: 10 }], steps: [request(10, "a"), { at: 500, destroy: { actor: "a" } }] });
    expect(states(run.events, "a")).toEqual(["Pending", "Destroyed"]);
    expect(messages(run.events, "DestroyStarted", { to: "Gateway" })).toHaveLength(1);
    expect(messages(run.events, "UserError")[0].payload).toMatchObject({ status: 400, code: "actor.destroyed_while_waiting_for_ready" });
    expect(run.world.pending.get("default")).toEqual([]);
    expect(run.world.desiredSlots.get("default")).toBe(0);
    expect(messages(run.events, "CommandStartActor")).toHaveLength(0);
  });

  it("a second destroy while the first is stopping the actor waits for the Stopped", () => {
    const run = runInlineSession({
      durationMs: 2_000,
      pools: [pool()],
      actors: [{ id: "a" }],
      faults: [{ from: "ActorWorkflow", to: "RunnerWorkflow", type: "CommandStopActor", mode: "transit", ms: 300 }],
      steps: [request(10, "a"), { at: 200, destroy: { actor: "a" } }, { at: 250, destroy: { actor: "a" } }],
    });
    const { events, world } = run;
    expect(notes(events, "destroyed", "a")).toHaveLength(1);
    expect(notes(events, "destroyed", "a")[0].seq).toBeGreaterThan(notes(events, "deallocate", "a")[0].seq);
    const runnerId = stateChanges(events, "a").find((c) => c.to === "Starting")!.runnerId!;
    expect(world.runners.get(runnerId)!.freeSlots).toBe(1);
  });

  it("gives back a slot reserved for an actor destroyed before its Allocate arrived", () => {
    const events = runInline({
      durationMs: 2_000,
      // One runner at least, so that the bump of the destroy does not drain the runner started for a.
      pools: [pool({ minRunners: 1 })],
      actors: [{ id: "a" }, { id: "b" }],
      faults: [{ from: "RunnerWorkflow", to: "ActorWorkflow", type: "Allocate", mode: "hold", ms: 500 }],
      steps: [request(10, "a"), { at: 200, destroy: { actor: "a" } }, request(1_000, "b", "/", "user-2")],
    });
    // b finds the runner started for a with its slot free again.
    expect(states(events, "b")).toEqual(["Starting", "Running"]);
    expect(messages(events, "StartRequest")).toHaveLength(1);
    expect(messages(events, "UserResponse")).toHaveLength(1);
  });
});

describe("generations", () => {
  // Sleep, then a wake while stopping: generation 1, then generation 2 on the same runner.
  const twoGenerations = {
    pools: [pool()],
    actors: [{ id: "a" }],
    faults: [{ from: "ActorWorkflow", to: "RunnerWorkflow", type: "CommandStopActor", mode: "transit", ms: 200, nth: [1] }],
    steps: [request(10, "a", "/sleep"), request(200, "a", "/", "user-2")],
  };

  it("increase by one on every placement", () => {
    const placements = stateChanges(runInline({ ...twoGenerations, durationMs: 2_000 }), "a").filter((c) => c.to === "Starting");
    expect(placements.map((p) => p.generation)).toEqual([1, 2]);
  });

  it("events and Lost of an older generation are ignored", () => {
    const run = runInlineSession(twoGenerations, 1, 1_000);
    expect(run.world.actors.get("a")).toMatchObject({ state: "Running", generation: 2 });
    const runnerId = run.world.actors.get("a")!.runnerId!;
    const fromRunner = (msg: Message) => run.session.runtime.inject(runnerWorkflow(runnerId), actorWorkflow("a"), msg, msg.type);
    const checkpoint = { actorId: "a", generation: 1, index: 99 };
    fromRunner({ type: "EventActorStateUpdate", checkpoint, update: { state: "Stopped", code: "Error", message: "old" } });
    fromRunner({ type: "EventActorIntent", checkpoint, intent: "Sleep" });
    fromRunner({ type: "Lost", actorId: "a", generation: 1, reason: "RunnerLost" });
    continueTo(run, 1_500);
    expect(notes(run.events, "deallocate", "a")).toHaveLength(1);
    expect(notes(run.events, "mark-sleeping", "a")).toHaveLength(1);
    expect(run.world.actors.get("a")!.state).toBe("Running");
    // The same Lost for the current generation is not ignored.
    fromRunner({ type: "Lost", actorId: "a", generation: 2, reason: "RunnerLost" });
    continueTo(run, 2_000);
    expect(notes(run.events, "deallocate", "a")).toHaveLength(2);
    expect(run.world.actors.get("a")!.state).toBe("Sleeping");
  });
});

describe("Stopped is always published", () => {
  it("even when the actor is reallocated right after it stopped", () => {
    const events = runInline({
      durationMs: 2_000,
      pools: [pool()],
      actors: [{ id: "a" }],
      faults: [{ from: "ActorWorkflow", to: "RunnerWorkflow", type: "CommandStopActor", mode: "transit", ms: 200, nth: [1] }],
      steps: [request(10, "a", "/sleep"), request(200, "a", "/", "user-2")],
    });
    const deallocate = notes(events, "deallocate", "a")[0];
    const stopped = messages(events, "Stopped", { from: "ActorWorkflow", to: "Gateway" });
    expect(stopped).toHaveLength(1);
    expect(stopped[0].time).toBe(deallocate.time);
    expect(stopped[0].seq).toBeLessThan(notes(events, "deferred-wake", "a")[0].seq);
  });
});
