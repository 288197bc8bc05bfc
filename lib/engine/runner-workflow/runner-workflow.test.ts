// The runner workflow's rules, from state literals: pending placement, disconnect and reconnect,
// drain, loss, intents and commands.
import { describe, expect, it } from "vitest";
import { effectsOf, stepView, worldWith } from "../core/testing";
import type { Effect } from "../core/effects";
import type { Input } from "../core/module";
import { actorWorkflow, runnerWorkflow, runnerWs, serverless } from "../core/refs";
import { engineConfig, type EngineConfig } from "../config";
import type { Checkpoint, Message, MessageOf } from "../messages";
import { newActorRecord, type ActorRecord, type RunnerRecord, type World } from "../world";
import { runnerWorkflowModule, type RunnerWorkflowTimer } from "./runner-workflow";
import { initialRunnerWorkflowState, type RunnerWorkflowState } from "./state";

const SELF = runnerWorkflow("r1");

function runner(set: Partial<RunnerRecord> = {}): RunnerRecord {
  return {
    runnerId: "r1",
    name: "default",
    runnerKey: "key-1",
    version: 1,
    totalSlots: 2,
    freeSlots: 2,
    lastPingAt: 0,
    connId: "conn-1",
    processId: "proc-1",
    draining: false,
    alive: true,
    disconnectedAt: null,
    actorIds: new Set(),
    ...set,
  };
}

function actor(actorId: string, set: Partial<ActorRecord> = {}): ActorRecord {
  return { ...newActorRecord({ actorId, name: "default", key: null, pool: "default", crashPolicy: "sleep", input: null, createTs: 0, state: "Running" }), runnerId: "r1", generation: 3, ...set };
}

function state(set: Partial<RunnerWorkflowState> = {}): RunnerWorkflowState {
  return { ...initialRunnerWorkflowState("r1"), ...set };
}

const checkpoint = (actorId: string, generation = 3): Checkpoint => ({ actorId, generation, index: 0 });
const msg = (m: Message, seq = 7): Input<RunnerWorkflowTimer, never> => ({ kind: "message", msg: m, from: runnerWs("conn-1"), seq });
const LOST: Input<RunnerWorkflowTimer, never> = { kind: "timer", timer: { timer: "lost-threshold" } };

function step(s: RunnerWorkflowState, input: Input<RunnerWorkflowTimer, never>, world: World, extra: { config?: EngineConfig; phase?: number | null; cause?: number | null } = {}) {
  return runnerWorkflowModule.step(s, input, stepView({ self: SELF, now: 1_000, world, ...extra }));
}

const sends = (effects: Effect[]) => effectsOf(effects, "send").map((e) => ({ to: e.to, type: e.msg.type, label: e.label }));
const ops = (effects: Effect[]) => effectsOf(effects, "world").map((e) => e.op);
const notes = (effects: Effect[]) => effectsOf(effects, "note").map((e) => e.note);
const startActor = (actorId: string): MessageOf<"CommandStartActor"> => ({
  type: "CommandStartActor",
  checkpoint: checkpoint(actorId),
  runnerId: "r1",
  config: { name: "default", key: null, createTs: 0, input: null },
});

describe("pending placement", () => {
  it("on create, places queued actors first in, first out on the free slots", () => {
    const world = worldWith({ runners: [runner({ freeSlots: 2 })], pending: { default: ["a", "b", "c"] } });
    const { effects } = step(state(), msg({ type: "CreateRunnerWorkflow", runnerId: "r1", name: "default", version: 1, totalSlots: 2, runnerKey: "key-1" }), world);
    expect(notes(effects)).toEqual([{ type: "allocate-pending", label: "Allocate pending actors", runnerId: "r1" }]);
    expect(sends(effects)).toEqual([
      { to: actorWorkflow("a"), type: "Allocate", label: "Allocate" },
      { to: actorWorkflow("b"), type: "Allocate", label: "Allocate" },
    ]);
    expect(ops(effects)).toEqual([
      { op: "remove-pending", name: "default", actorId: "a" },
      { op: "update-runner", runnerId: "r1", set: { freeSlots: 1 } },
      { op: "remove-pending", name: "default", actorId: "b" },
      { op: "update-runner", runnerId: "r1", set: { freeSlots: 0 } },
    ]);
    // The step reads the world, never writes it: the runtime applies the ops.
    expect(world.pending.get("default")).toEqual(["a", "b", "c"]);
    expect(world.runners.get("r1")!.freeSlots).toBe(2);
  });

  it("places nothing while draining, and nothing for a runner it does not know", () => {
    const draining = step(state(), msg({ type: "CreateRunnerWorkflow", runnerId: "r1", name: "default", version: 1, totalSlots: 2, runnerKey: "key-1" }), worldWith({ runners: [runner({ draining: true })], pending: { default: ["a"] } }));
    expect(sends(draining.effects)).toEqual([]);
    expect(notes(draining.effects).map((n) => n.type)).toEqual(["allocate-pending"]);
    const unknown = step(state(), msg({ type: "CreateRunnerWorkflow", runnerId: "r1", name: "default", version: 1, totalSlots: 2, runnerKey: "key-1" }), worldWith({ pending: { default: ["a"] } }));
    expect(unknown.effects).toEqual([]);
  });
});

describe("disconnect and reconnect", () => {
  it("a disconnect of a runner not draining arms the lost threshold", () => {
    const { state: next, effects } = step(state(), msg({ type: "RunnerDisconnected", runnerId: "r1", evicted: false }), worldWith({ runners: [runner({ connId: null })] }));
    const [timer] = effectsOf(effects, "set-timer");
    expect(timer).toMatchObject({ timer: { timer: "lost-threshold" }, delayMs: engineConfig({}).timing.runnerLostThresholdMs });
    expect(next.lostTimer).toBe(timer.key);
    expect(sends(effects)).toEqual([]);
  });

  it("a reconnect cancels the lost threshold, forwards the kept commands in order, then places pending actors", () => {
    const kept = [startActor("a"), { type: "CommandStopActor", checkpoint: checkpoint("b"), runnerId: "r1" } as const];
    const world = worldWith({ runners: [runner({ connId: "conn-2", freeSlots: 1 })], pending: { default: ["c"] } });
    const { state: next, effects } = step(state({ lostTimer: 4096, unacked: [...kept] }), msg({ type: "RunnerReconnected", runnerId: "r1" }), world);
    expect(effectsOf(effects, "cancel-timer")).toEqual([{ kind: "cancel-timer", key: 4096 }]);
    expect(next.lostTimer).toBeNull();
    expect(next.unacked).toEqual([]);
    expect(sends(effects)).toEqual([
      { to: runnerWs("conn-2"), type: "CommandStartActor", label: "Proxy StartActor" },
      { to: runnerWs("conn-2"), type: "CommandStopActor", label: "Proxy StopActor" },
      { to: actorWorkflow("c"), type: "Allocate", label: "Allocate" },
    ]);
    expect(effectsOf(effects, "send").slice(0, 2).map((e) => e.relayOf)).toEqual([null, null]);
  });

  it("commands while disconnected are kept, not sent", () => {
    const { state: next, effects } = step(state(), msg(startActor("a")), worldWith({ runners: [runner({ connId: null })] }));
    expect(effects).toEqual([]);
    expect(next.unacked).toEqual([startActor("a")]);
  });

  it("commands while connected go down the socket as relays", () => {
    const { effects } = step(state(), msg(startActor("a"), 42), worldWith({ runners: [runner()] }));
    expect(effectsOf(effects, "send")).toMatchObject([{ to: runnerWs("conn-1"), label: "Proxy StartActor", relayOf: 42 }]);
  });
});

describe("drain", () => {
  it("leaves the index once and keeps its actors running", () => {
    const world = worldWith({ runners: [runner({ actorIds: new Set(["a"]) })], actors: [actor("a")] });
    const first = step(state(), msg({ type: "Stop", runnerId: "r1" }), world);
    expect(ops(first.effects)).toEqual([{ op: "update-runner", runnerId: "r1", set: { draining: true } }]);
    expect(notes(first.effects)).toEqual([{ type: "remove-from-index", label: "Remove from alloc idx", runnerId: "r1" }]);
    expect(sends(first.effects)).toEqual([]);
    expect(first.state.ended).toBe(false);
    // A second Stop, once draining, does nothing.
    const again = step(first.state, msg({ type: "Stop", runnerId: "r1" }), worldWith({ runners: [runner({ draining: true })] }));
    expect(again.effects).toEqual([]);
  });

  it("tells hosted actors it is going away when configured to", () => {
    const world = worldWith({ runners: [runner({ actorIds: new Set(["a"]) })], actors: [actor("a")] });
    const { effects } = step(state(), msg({ type: "Stop", runnerId: "r1" }), world, { config: engineConfig({ goingAwayOnDrain: true }) });
    expect(sends(effects)).toEqual([{ to: actorWorkflow("a"), type: "GoingAway", label: "Going away" }]);
  });

  it("a drained runner without a connection is lost at once, without a Bump", () => {
    const world = worldWith({ runners: [runner({ connId: null, actorIds: new Set(["a"]) })], actors: [actor("a")] });
    const { state: next, effects } = step(state(), msg({ type: "Stop", runnerId: "r1" }), world, { config: engineConfig({ pools: [poolConfig()] }) });
    expect(next.ended).toBe(true);
    expect(notes(effects).map((n) => n.type)).toEqual(["remove-from-index", "evict-running-actors"]);
    expect(sends(effects)).toEqual([{ to: actorWorkflow("a"), type: "Lost", label: "Actor lost" }]);
    expect((effectsOf(effects, "send")[0].msg as MessageOf<"Lost">).reason).toBe("RunnerDraining");
  });

  it("a disconnect while draining loses it (evicted or draining)", () => {
    const world = () => worldWith({ runners: [runner({ draining: true, connId: null, actorIds: new Set(["a"]) })], actors: [actor("a")] });
    const evicted = step(state(), msg({ type: "RunnerDisconnected", runnerId: "r1", evicted: true }), world());
    expect((effectsOf(evicted.effects, "send")[0].msg as MessageOf<"Lost">).reason).toBe("RunnerEvicted");
    const drained = step(state(), msg({ type: "RunnerDisconnected", runnerId: "r1", evicted: false }), world());
    expect((effectsOf(drained.effects, "send")[0].msg as MessageOf<"Lost">).reason).toBe("RunnerDraining");
    expect(notes(drained.effects).map((n) => n.type)).toEqual(["evict-running-actors"]);
  });
});

/** The default config's one pool, named "default" like the runners here. */
const poolConfig = () => engineConfig({}).pools[0];

describe("loss", () => {
  it("at the lost threshold: leaves the index, every hosted actor of it is Lost, its pool is bumped", () => {
    const world = worldWith({
      runners: [runner({ connId: null, actorIds: new Set(["a", "b", "moved"]) })],
      actors: [actor("a"), actor("b", { generation: 5 }), actor("moved", { runnerId: "r9" })],
    });
    const { state: next, effects } = step(state({ lostTimer: 4096 }), LOST, world, { config: engineConfig({ pools: [poolConfig()] }) });
    expect(next).toMatchObject({ ended: true, lostTimer: null });
    expect(effectsOf(effects, "cancel-timer")).toEqual([{ kind: "cancel-timer", key: 4096 }]);
    expect(notes(effects)).toEqual([
      { type: "remove-from-index", label: "Remove from alloc idx", runnerId: "r1" },
      { type: "evict-running-actors", label: "Evict running actors", runnerId: "r1", payload: { reason: "RunnerLost" } },
    ]);
    expect(effectsOf(effects, "send").map((e) => e.msg)).toEqual([
      { type: "Lost", actorId: "a", generation: 3, reason: "RunnerLost" },
      { type: "Lost", actorId: "b", generation: 5, reason: "RunnerLost" },
      { type: "Bump", pool: "default" },
    ]);
    expect(sends(effects).at(-1)).toEqual({ to: serverless("default"), type: "Bump", label: "Bump (runner lost)" });
    expect(ops(effects)).toEqual([
      { op: "update-runner", runnerId: "r1", set: { draining: true } },
      { op: "update-runner", runnerId: "r1", set: { alive: false } },
      { op: "clear-hosted", runnerId: "r1" },
    ]);
  });

  it("without hosted actors or a pool of its name: no eviction note and no Bump", () => {
    const { effects } = step(state(), LOST, worldWith({ runners: [runner({ connId: null, name: "unpooled" })] }));
    expect(notes(effects).map((n) => n.type)).toEqual(["remove-from-index"]);
    expect(sends(effects)).toEqual([]);
  });

  it("once ended, a start is answered Lost (runner draining) and everything else is ignored", () => {
    const world = worldWith({ runners: [runner({ alive: false })] });
    const start = step(state({ ended: true }), msg(startActor("a")), world);
    expect(sends(start.effects)).toEqual([{ to: actorWorkflow("a"), type: "Lost", label: "Actor lost<br/>(runner draining)" }]);
    expect(step(state({ ended: true }), msg({ type: "RunnerReconnected", runnerId: "r1" }), world).effects).toEqual([]);
    expect(step(state({ ended: true }), LOST, world).effects).toEqual([]);
  });

  it("CommandStartActor while draining is answered Lost, not forwarded", () => {
    const { state: next, effects } = step(state(), msg(startActor("a")), worldWith({ runners: [runner({ draining: true })] }));
    expect(effectsOf(effects, "send").map((e) => [e.to, e.msg])).toEqual([[actorWorkflow("a"), { type: "Lost", actorId: "a", generation: 3, reason: "RunnerDraining" }]]);
    expect(next.unacked).toEqual([]);
  });

  it("RunnerStopping tells each hosted actor it is going away", () => {
    const world = worldWith({ runners: [runner({ actorIds: new Set(["a", "gone"]) })], actors: [actor("a")] });
    const { effects } = step(state(), msg({ type: "RunnerStopping", runnerId: "r1" }), world);
    expect(effectsOf(effects, "send").map((e) => e.msg)).toEqual([{ type: "GoingAway", actorId: "a", generation: 3 }]);
  });
});

describe("events", () => {
  const intent = (intent: "Sleep" | "Stop", generation = 3): MessageOf<"EventActorIntent"> => ({ type: "EventActorIntent", checkpoint: checkpoint("a", generation), intent });

  it("the first sleep intent opens the actor sleep phase; repeated ones are named by ordinal", () => {
    const world = worldWith({ runners: [runner()] });
    const first = step(state(), msg(intent("Sleep"), 11), world, { phase: 5, cause: 11 });
    expect(effectsOf(first.effects, "phase-start")).toMatchObject([{ label: "actor sleep", parent: 5, cause: 11 }]);
    const [key] = effectsOf(first.effects, "phase-start").map((e) => e.key);
    expect(effectsOf(first.effects, "send")).toMatchObject([{ to: actorWorkflow("a"), label: "Actor intent: Sleep", relayOf: 11, phase: key }]);
    const second = step(first.state, msg(intent("Sleep"), 12), world, { phase: 5 });
    expect(effectsOf(second.effects, "phase-start")).toEqual([]);
    expect(effectsOf(second.effects, "send")).toMatchObject([{ label: "Second actor intent: Sleep", phase: 5 }]);
    const third = step(second.state, msg(intent("Stop"), 13), world);
    expect(sends(third.effects).map((s) => s.label)).toEqual(["Third actor intent: Stop"]);
    // A new generation counts afresh.
    const fresh = step(third.state, msg(intent("Stop", 4), 14), world);
    expect(sends(fresh.effects).map((s) => s.label)).toEqual(["Actor intent: Stop"]);
    expect(fresh.state.intentsForwarded).toEqual(new Map([["a/3", 3], ["a/4", 1]]));
  });

  it("a Stop intent first opens no phase; past the named ordinals the count is shown", () => {
    const world = worldWith({ runners: [runner()] });
    expect(effectsOf(step(state(), msg(intent("Stop")), world).effects, "phase-start")).toEqual([]);
    const sixth = step(state({ intentsForwarded: new Map([["a/3", 5]]) }), msg(intent("Sleep")), world);
    expect(sends(sixth.effects).map((s) => s.label)).toEqual(["#6 actor intent: Sleep"]);
  });

  it("Stopped removes the actor from the runner; state updates and alarms are relayed", () => {
    const world = worldWith({ runners: [runner({ actorIds: new Set(["a"]) })] });
    const stopped = step(state(), msg({ type: "EventActorStateUpdate", checkpoint: checkpoint("a"), update: { state: "Stopped", code: "Ok", message: null } }, 9), world);
    expect(ops(stopped.effects)).toEqual([{ op: "host-actor", runnerId: "r1", actorId: "a", hosted: false }]);
    expect(effectsOf(stopped.effects, "send")).toMatchObject([{ label: "Actor state update: Stopped", relayOf: 9 }]);
    const running = step(state(), msg({ type: "EventActorStateUpdate", checkpoint: checkpoint("a"), update: { state: "Running" } }), world);
    expect(ops(running.effects)).toEqual([]);
    const alarm = step(state(), msg({ type: "EventActorSetAlarm", checkpoint: checkpoint("a"), alarmTs: null }), world);
    expect(sends(alarm.effects).map((s) => s.label)).toEqual(["Actor clear alarm"]);
  });
});
