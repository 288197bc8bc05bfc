// Actor workflow rules 1–6 of engine.md §3, driven through small scenarios on the virtual clock.
import { describe, expect, it } from "vitest";
import { GATEWAY, actorWorkflow } from "./core/refs";
import { continueTo, messages, notes, pool, request, runInline, runInlineSession, stateChanges, states } from "../runtime/testing";

describe("wake while sleeping (rule 1)", () => {
  it("queues the actor and bumps the autoscaler when no runner has a free slot", () => {
    const run = runInlineSession({ durationMs: 2_000, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a")] });
    const { events } = run;
    expect(notes(events, "allocate", "a")).toHaveLength(1);
    expect(notes(events, "no-runners-pending", "a")).toHaveLength(1);
    const bump = messages(events, "Bump", { from: "ActorWorkflow", actorId: "a" });
    expect(bump).toHaveLength(1);
    expect(bump[0].time).toBe(notes(events, "no-runners-pending", "a")[0].time);
    expect(notes(events, "desired").map((n) => n.label)).toEqual(["Desired: 1"]);
    expect(states(events, "a")).toEqual(["Pending", "Starting", "Running"]);
    // Desired slots: +1 for the allocation attempt, still held while the actor runs.
    expect(run.world.desiredSlots.get("default")).toBe(1);
  });

  it("takes a free slot at once, without queueing or bumping", () => {
    const events = runInline({
      durationMs: 2_000,
      pools: [pool({ slotsPerRunner: 2 })],
      actors: [{ id: "a" }, { id: "b" }],
      steps: [request(10, "a"), request(500, "b", "/", "user-2")],
    });
    expect(states(events, "b")).toEqual(["Starting", "Running"]);
    expect(notes(events, "no-runners-pending", "b")).toHaveLength(0);
    expect(messages(events, "Bump", { actorId: "b" })).toHaveLength(0);
    const placedA = stateChanges(events, "a").find((c) => c.to === "Starting")!;
    const placedB = stateChanges(events, "b").find((c) => c.to === "Starting")!;
    expect(placedB.runnerId).toBe(placedA.runnerId);
    expect(messages(events, "StartRequest")).toHaveLength(1);
  });
});

describe("wakes in other states (rules 2 and 3)", () => {
  // The actor asks to sleep; its StopActor is slow, so a wake arrives while it is still stopping.
  const wokenWhileStopping = {
    durationMs: 2_000,
    pools: [pool()],
    actors: [{ id: "a" }],
    faults: [{ from: "ActorWorkflow", to: "RunnerWorkflow", type: "CommandStopActor", mode: "transit", ms: 200, nth: [1] }],
    steps: [request(10, "a", "/sleep"), request(200, "a", "/", "user-2")],
  };

  it("defers a wake that arrives while the actor is stopping, then reallocates at once", () => {
    const events = runInline(wokenWhileStopping);
    const deferred = notes(events, "defer-wake", "a");
    expect(deferred).toHaveLength(1);
    const deallocate = notes(events, "deallocate", "a")[0];
    const reallocation = notes(events, "deferred-wake", "a")[0];
    expect(deallocate.seq).toBeGreaterThan(deferred[0].seq);
    // The reallocation is the workflow's very next step (one commit later), not a new wake.
    expect(reallocation.time - deallocate.time).toBeLessThanOrEqual(20);
    expect(states(events, "a")).toEqual(["Pending", "Starting", "Running", "SleepIntent", "Starting", "Running"]);
    const generations = stateChanges(events, "a").filter((c) => c.to === "Starting").map((c) => c.generation);
    expect(generations).toEqual([1, 2]);
    // The user whose wake was deferred is served by the reallocated actor.
    const answers = messages(events, "UserResponse", { to: "User" });
    expect(answers.map((a) => (a.payload as { status: number }).status)).toEqual([200, 200]);
  });

  it("ignores the gateway's retry wake that follows the Stopped of a deferred wake", () => {
    const events = runInline(wokenWhileStopping);
    const retry = messages(events, "Wake").filter((w) => (w.payload as { retry: boolean }).retry);
    expect(retry).toHaveLength(1);
    const ignored = notes(events, "ignored-wake", "a");
    expect(ignored).toHaveLength(1);
    expect(ignored[0].label).toContain("Ignore retry wake");
    expect(ignored[0].payload).toMatchObject({ retry: true });
    expect(notes(events, "allocate", "a")).toHaveLength(2);
  });

  it("allocates once for a storm of wakes and ignores the rest once it is allocated", () => {
    const steps = Array.from({ length: 8 }, (_, i) => request(10 + i, "a", "/", `user-${i + 1}`));
    const events = runInline({ durationMs: 2_000, pools: [pool()], actors: [{ id: "a" }], steps });
    expect(notes(events, "allocate", "a")).toHaveLength(1);
    const ignored = notes(events, "ignored-wake", "a");
    expect(ignored).toHaveLength(7);
    // While pending the workflow listens for its Allocate only; the wakes wait behind it.
    const started = messages(events, "CommandStartActor", { from: "ActorWorkflow", actorId: "a" })[0];
    expect(ignored.every((n) => n.seq > started.seq)).toBe(true);
    expect(new Set(ignored.map((n) => (n.payload as { state: string }).state))).toEqual(new Set(["Starting"]));
    expect(messages(events, "UserResponse")).toHaveLength(8);
  });

  it("keeps a retry wake that queued up while the actor is pending until it is allocated, then ignores it", () => {
    // The endpoint fails a few times, so the actor stays pending for a while.
    const run = runInlineSession({ pools: [pool()], actors: [{ id: "a" }], endpointFailures: [{ times: 2 }], steps: [request(10, "a")] }, 1, 1_000);
    run.session.runtime.inject(GATEWAY, actorWorkflow("a"), { type: "Wake", actorId: "a", retry: true, attempt: 1, requestId: null }, "Retry wake");
    continueTo(run, 1_500);
    expect(notes(run.events, "ignored-wake", "a")).toHaveLength(0);
    expect(run.world.actors.get("a")?.state).toBe("Pending");
    continueTo(run, 60_000);
    const ignored = notes(run.events, "ignored-wake", "a");
    expect(ignored).toHaveLength(1);
    expect(ignored[0].payload).toMatchObject({ retry: true });
    expect(["Starting", "Running"]).toContain((ignored[0].payload as { state: string }).state);
    expect(notes(run.events, "allocate", "a")).toHaveLength(1);
  });
});

describe("sleep intents (rule 4)", () => {
  it("marks the actor sleeping, sends one StopActor and ignores a second intent", () => {
    const events = runInline({
      durationMs: 2_000,
      pools: [pool()],
      actors: [{ id: "a" }],
      faults: [{ from: "ActorWorkflow", to: "RunnerWorkflow", type: "CommandStopActor", mode: "transit", ms: 150, nth: [1] }],
      steps: [request(10, "a", "/sleep"), request(130, "a", "/sleep", "user-2")],
    });
    expect(messages(events, "EventActorIntent", { to: "ActorWorkflow" })).toHaveLength(2);
    expect(notes(events, "mark-sleeping", "a")).toHaveLength(1);
    expect(notes(events, "ignored-sleep-intent", "a")).toHaveLength(1);
    expect(messages(events, "CommandStopActor", { from: "ActorWorkflow" })).toHaveLength(1);
    expect(states(events, "a")).toEqual(["Pending", "Starting", "Running", "SleepIntent", "Sleeping"]);
  });
});

describe("running and stopped (rules 5 and 6)", () => {
  it("publishes Ready with the runner the actor was placed on", () => {
    const events = runInline({ durationMs: 40_000, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a")] });
    const placed = stateChanges(events, "a").find((c) => c.to === "Starting")!;
    const ready = messages(events, "Ready", { from: "ActorWorkflow", to: "Gateway" });
    expect(ready).toHaveLength(1);
    expect(ready[0].payload).toMatchObject({ actorId: "a", runnerId: placed.runnerId, generation: 1 });
    expect(notes(events, "publish-ready", "a")[0].seq).toBeLessThan(ready[0].seq);
    // The start deadline was cleared: 40 s later nothing expired.
    expect(notes(events, "deadline-expired", "a")).toHaveLength(0);
  });

  it("deallocates a stopped actor: frees its slot, bumps the autoscaler and goes to sleep", () => {
    const run = runInlineSession({ durationMs: 1_000, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a", "/sleep")] });
    const { events, world } = run;
    const placed = stateChanges(events, "a").find((c) => c.to === "Starting")!;
    const deallocate = notes(events, "deallocate", "a");
    expect(deallocate).toHaveLength(1);
    expect(deallocate[0].payload).toMatchObject({ runnerId: placed.runnerId, generation: 1, why: "stopped" });
    const bumps = messages(events, "Bump", { actorId: "a" });
    expect(bumps.at(-1)!.seq).toBeGreaterThan(deallocate[0].seq);
    expect(states(events, "a").at(-1)).toBe("Sleeping");
    expect(world.desiredSlots.get("default")).toBe(0);
    expect(world.actors.get("a")!.runnerId).toBeNull();
  });

  it("hands a freed slot to the queued actors first in, first out, instead of bumping", () => {
    const events = runInline({
      durationMs: 1_500,
      pools: [pool({ maxRunners: 1 })],
      actors: [{ id: "a" }, { id: "b" }, { id: "c" }],
      steps: [request(10, "a"), request(12, "b", "/", "user-2"), request(14, "c", "/", "user-3"), request(300, "a", "/sleep")],
    });
    const deallocateA = notes(events, "deallocate", "a")[0];
    const handedOver = messages(events, "Allocate", { from: "ActorWorkflow", to: "ActorWorkflow" });
    expect(handedOver.map((m) => m.actorId)).toEqual(["b"]);
    expect(handedOver[0].causeSeq).toBe(deallocateA.causeSeq);
    expect(messages(events, "Bump", { actorId: "a" }).filter((m) => m.seq > deallocateA.seq)).toHaveLength(0);
    expect(states(events, "b").at(-1)).toBe("Running");
    expect(states(events, "c")).toEqual(["Pending"]);
  });
});
