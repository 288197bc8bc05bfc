// Runner WS and runner workflow (engine.md §4): handshake, pending placement, pings, drain, loss,
// reconnects. Runner faults come from scenario steps; a few signals are injected directly.
import { describe, expect, it } from "vitest";
import { runnerWorkflow, serverless } from "./core/refs";
import { continueTo, messages, notes, phases, pool, request, runInline, runInlineSession, stateChanges, states } from "../runtime/testing";
import type { TraceEvent } from "../trace/types";

const runnerIdOf = (event: TraceEvent) => (event.payload as { runnerId: string }).runnerId;
const lostReasons = (events: TraceEvent[]) => messages(events, "Lost", { to: "ActorWorkflow" }).map((m) => (m.payload as { reason: string }).reason);

describe("connection", () => {
  it("answers ToServerInit by creating the runner workflow and sending ToClientInit, inside a runner connection phase", () => {
    const run = runInlineSession({ durationMs: 1_000, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a")] });
    const { events } = run;
    const [connection] = phases(events, "runner connection");
    const init = messages(events, "ToServerInit", { from: "Runner", to: "RunnerWS" });
    const create = messages(events, "CreateRunnerWorkflow", { from: "RunnerWS", to: "RunnerWorkflow" });
    expect(init).toHaveLength(1);
    expect(create).toHaveLength(1);
    expect([init[0].phaseId, create[0].phaseId]).toEqual([connection.seq, connection.seq]);
    const reply = messages(events, "ToClientInit", { from: "RunnerWS", to: "Runner" });
    expect(reply).toHaveLength(1);
    expect(reply[0].housekeeping).toBe(true);
    expect(run.world.runners.get(runnerIdOf(reply[0]))).toMatchObject({ name: "default", totalSlots: 1, alive: true, draining: false });
    // The new workflow then places the queued actor.
    const allocatePending = notes(events, "allocate-pending")[0];
    expect(allocatePending.seq).toBeGreaterThan(create[0].seq);
    expect(messages(events, "Allocate", { from: "RunnerWorkflow" }).map((m) => m.actorId)).toEqual(["a"]);
  });

  it("places queued actors on its free slots first in, first out", () => {
    const run = runInlineSession({
      durationMs: 1_000,
      pools: [pool({ slotsPerRunner: 2, maxRunners: 1 })],
      actors: [{ id: "a" }, { id: "b" }, { id: "c" }],
      steps: [request(10, "a"), request(12, "b", "/", "user-2"), request(14, "c", "/", "user-3")],
    });
    expect(messages(run.events, "Allocate", { from: "RunnerWorkflow" }).map((m) => m.actorId)).toEqual(["a", "b"]);
    expect(states(run.events, "c")).toEqual(["Pending"]);
    expect(run.world.pending.get("default")).toEqual(["c"]);
  });
});

describe("pings", () => {
  it("pings every 3 s and the runner answers", () => {
    const events = runInline({ durationMs: 10_000, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a")] });
    const pings = messages(events, "ToClientPing", { from: "RunnerWS" });
    expect(pings.map((p, i) => (i === 0 ? 3_000 : p.time - pings[i - 1].time))).toEqual([3_000, 3_000, 3_000]);
    expect(messages(events, "ToServerPong", { from: "Runner" })).toHaveLength(3);
  });

  it("without pongs the runner leaves the allocation index, then its socket is closed and it is lost", () => {
    const run = runInlineSession({
      durationMs: 40_000,
      pools: [pool({ slotsPerRunner: 2 })],
      actors: [{ id: "a" }, { id: "b" }],
      faults: [{ from: "Runner", to: "RunnerWS", type: "ToServerPong", mode: "drop" }],
      steps: [request(10, "a"), request(12_000, "b", "/", "user-2")],
    });
    const { events } = run;
    const [init] = messages(events, "ToClientInit");
    const placedA = stateChanges(events, "a").find((c) => c.to === "Starting")!;
    // b comes after 10 s without a pong: the runner's free slot is not offered to it.
    expect(states(events, "b")[0]).toEqual("Pending");
    expect(stateChanges(events, "b").filter((c) => c.runnerId === placedA.runnerId)).toEqual([]);
    const closed = messages(events, "RunnerDisconnected").find((m) => m.runnerId === placedA.runnerId)!;
    expect(closed.label).toContain("ws.ping_timeout");
    // No pong ever came: closed exactly pongTimeout after the handshake.
    expect(closed.time - init.time).toBe(15_000);
    const lost = messages(events, "Lost", { actorId: "a" });
    expect(lost).toHaveLength(1);
    expect(lost[0].time - closed.time).toBeGreaterThanOrEqual(15_000);
    expect(lostReasons(events)).toEqual(["RunnerLost"]);
  });
});

describe("drain", () => {
  it("happens once: the runner leaves the index and its actors keep running", () => {
    const run = runInlineSession(
      {
        durationMs: 3_000,
        pools: [pool({ slotsPerRunner: 2 })],
        actors: [{ id: "a" }, { id: "b" }],
        steps: [request(10, "a"), { at: 500, fault: { kind: "drain-runner" } }, request(1_000, "b", "/", "user-2")],
      },
      1,
      600,
    );
    const runnerId = run.world.actors.get("a")!.runnerId!;
    // A second Stop for the same runner (the autoscaler's own is already in).
    run.session.runtime.inject(serverless("default"), runnerWorkflow(runnerId), { type: "Stop", runnerId }, "Stop");
    continueTo(run, 3_000);
    const { events, world } = run;
    expect(messages(events, "Stop", { to: "RunnerWorkflow" })).toHaveLength(2);
    expect(notes(events, "remove-from-index")).toHaveLength(1);
    expect(world.runners.get(runnerId)!.draining).toBe(true);
    expect(world.actors.get("a")).toMatchObject({ state: "Running", runnerId });
    expect(messages(events, "Lost")).toHaveLength(0);
    // A new actor is not placed on the draining runner, although it has a free slot.
    expect(stateChanges(events, "b")[0].to).toBe("Pending");
    expect(world.actors.get("b")!.runnerId).not.toBe(runnerId);
    expect(world.actors.get("b")!.state).toBe("Running");
  });

  it("a StartActor that reaches a draining runner is answered with Lost, and the actor is placed elsewhere", () => {
    const events = runInline({
      durationMs: 3_000,
      pools: [pool({ slotsPerRunner: 2 })],
      actors: [{ id: "a" }, { id: "b" }],
      faults: [{ from: "ActorWorkflow", to: "RunnerWorkflow", type: "CommandStartActor", mode: "transit", ms: 300, nth: [2] }],
      steps: [request(10, "a"), request(500, "b", "/", "user-2"), { at: 600, fault: { kind: "drain-runner" } }],
    });
    const lost = messages(events, "Lost", { actorId: "b" });
    expect(lost).toHaveLength(1);
    expect(lost[0].payload).toMatchObject({ generation: 1, reason: "RunnerDraining" });
    const placements = stateChanges(events, "b").filter((c) => c.to === "Starting");
    expect(placements).toHaveLength(2);
    expect(placements[1].runnerId).not.toBe(placements[0].runnerId);
    expect(messages(events, "UserResponse")).toHaveLength(2);
  });
});

describe("loss", () => {
  it("a runner that disappears is lost after the lost threshold, not before", () => {
    const events = runInline({ durationMs: 20_000, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a"), { at: 500, fault: { kind: "kill-runner" } }] });
    const [closed] = messages(events, "RunnerDisconnected");
    const lost = messages(events, "Lost", { actorId: "a" });
    expect(lost).toHaveLength(1);
    expect(lost[0].time - closed.time).toBeGreaterThanOrEqual(15_000);
    expect(lost[0].time - closed.time).toBeLessThanOrEqual(15_005);
    expect(lostReasons(events)).toEqual(["RunnerLost"]);
    expect(notes(events, "evict-running-actors")).toHaveLength(1);
    expect(states(events, "a").at(-1)).toBe("Sleeping");
  });

  it.each([
    { fault: "evict-runner", reason: "RunnerEvicted" },
    { fault: "kill-runner", reason: "RunnerDraining" },
  ])("a draining runner whose socket closes ($fault) is lost at once", ({ fault, reason }) => {
    const events = runInline({
      durationMs: 2_000,
      pools: [pool()],
      actors: [{ id: "a" }],
      steps: [request(10, "a"), { at: 500, fault: { kind: "drain-runner" } }, { at: 700, fault: { kind: fault } }],
    });
    const [closed] = messages(events, "RunnerDisconnected");
    const lost = messages(events, "Lost", { actorId: "a" });
    expect(lost).toHaveLength(1);
    expect(lost[0].time - closed.time).toBeLessThanOrEqual(5);
    expect(lostReasons(events)).toEqual([reason]);
  });
});

describe("reconnect", () => {
  it("within the lost threshold keeps the runner id, its actors, and delivers commands sent meanwhile", () => {
    const run = runInlineSession({
      durationMs: 5_000,
      pools: [pool()],
      actors: [{ id: "a" }],
      steps: [request(10, "a"), { at: 500, fault: { kind: "disconnect-runner" } }, { at: 700, destroy: { actor: "a" } }],
    });
    const { events } = run;
    const inits = messages(events, "ToClientInit");
    expect(inits).toHaveLength(2);
    expect(runnerIdOf(inits[1])).toBe(runnerIdOf(inits[0]));
    expect(messages(events, "RunnerReconnected")).toHaveLength(1);
    expect(messages(events, "CreateRunnerWorkflow")).toHaveLength(1);
    expect(messages(events, "Lost")).toHaveLength(0);
    // The StopActor of the destroy waited in the workflow and reached the runner after the reconnect.
    const stopToRunner = messages(events, "CommandStopActor", { to: "Runner" });
    expect(stopToRunner).toHaveLength(1);
    expect(stopToRunner[0].time).toBeGreaterThan(inits[1].time);
    expect(states(events, "a").at(-1)).toBe("Destroyed");
    expect(run.world.runners.get(runnerIdOf(inits[0]))!.freeSlots).toBe(1);
  });

  it("after the lost threshold gets a new runner id", () => {
    const events = runInline({
      durationMs: 25_000,
      config: { timing: { reconnectBaseMs: 20_000 } },
      pools: [pool()],
      actors: [{ id: "a" }],
      steps: [request(10, "a"), { at: 500, fault: { kind: "disconnect-runner" } }],
    });
    const inits = messages(events, "ToClientInit");
    expect(inits).toHaveLength(2);
    expect(runnerIdOf(inits[1])).not.toBe(runnerIdOf(inits[0]));
    expect(messages(events, "CreateRunnerWorkflow")).toHaveLength(2);
    expect(lostReasons(events)).toEqual(["RunnerLost"]);
    expect(messages(events, "Lost")[0].time).toBeLessThan(inits[1].time);
  });
});
