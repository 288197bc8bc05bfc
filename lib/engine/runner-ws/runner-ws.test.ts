// The runner WebSocket's rules, from state literals: handshake, reconnect, timeouts, pings,
// relays and eviction.
import { describe, expect, it } from "vitest";
import { effectsOf, stepView, worldWith } from "../core/testing";
import type { Effect } from "../core/effects";
import type { Input } from "../core/module";
import { GATEWAY, runnerWorkflow, runnerWs } from "../core/refs";
import { engineConfig } from "../config";
import type { Message, MessageOf } from "../messages";
import type { RunnerRecord, World } from "../world";
import { emptyWorld } from "../world";
import { viewOf } from "../core/world-draft";
import { runnerWsModule, type RunnerWsCommand, type RunnerWsTimer } from "./runner-ws";
import { initialRunnerWsState, type RunnerWsState } from "./state";

const RUNNER = { role: "Runner", id: "proc-2" } as const;
const SELF = runnerWs("conn-2");
const TIMING = engineConfig({}).timing;
type In = Input<RunnerWsTimer, RunnerWsCommand>;

const init: MessageOf<"ToServerInit"> = { type: "ToServerInit", name: "default", version: 1, totalSlots: 2, runnerKey: "key-1", connId: "conn-2" };

function runner(set: Partial<RunnerRecord> = {}): RunnerRecord {
  return {
    runnerId: "r1",
    name: "default",
    runnerKey: "key-1",
    version: 1,
    totalSlots: 2,
    freeSlots: 1,
    lastPingAt: 0,
    connId: null,
    processId: "proc-1",
    draining: false,
    alive: true,
    disconnectedAt: 500,
    actorIds: new Set(["a"]),
    ...set,
  };
}

/** A world whose runner r1 is known by its key, as the handshake looks it up. */
function worldOf(record: RunnerRecord): World {
  const world = worldWith({ runners: [record] });
  world.runnerByKey.set("default/default/key-1", record.runnerId);
  return world;
}

function state(set: Partial<RunnerWsState> = {}): RunnerWsState {
  return { ...initialRunnerWsState("conn-2", RUNNER), ...set };
}

/** A connection past its handshake, serving r1. */
const connected = (set: Partial<RunnerWsState> = {}) => state({ runnerId: "r1", pingTimer: 4096, pongDeadline: 4097, initTimer: 0, lastPongAt: 1_000, ...set });

const msg = (m: Message, seq = 7): In => ({ kind: "message", msg: m, from: RUNNER, seq });
const timer = (name: RunnerWsTimer["timer"]): In => ({ kind: "timer", timer: { timer: name } as RunnerWsTimer });
const command = (name: RunnerWsCommand["command"]): In => ({ kind: "command", command: { command: name } as RunnerWsCommand });

function step(s: RunnerWsState, input: In, world: World = emptyWorld(), extra: { now?: number; openedPhase?: number | null; phase?: number | null; cause?: number | null; phases?: Record<number, object> } = {}) {
  return runnerWsModule.step(s, input, stepView({ self: SELF, now: 1_000, world, ...extra }));
}

const sends = (effects: Effect[]) => effectsOf(effects, "send").map((e) => ({ to: e.to, type: e.msg.type, label: e.label }));
const ops = (effects: Effect[]) => effectsOf(effects, "world").map((e) => e.op);
const timers = (effects: Effect[]) => effectsOf(effects, "set-timer").map((e) => ({ timer: e.timer, delayMs: e.delayMs }));

describe("handshake", () => {
  it("start arms the init timeout", () => {
    const { state: next, effects } = step(state(), command("start"));
    expect(timers(effects)).toEqual([{ timer: { timer: "init-timeout" }, delayMs: TIMING.initTimeoutMs }]);
    expect(next.initTimer).toBe(effectsOf(effects, "set-timer")[0].key);
  });

  it("ToServerInit opens a runner connection phase only before the handshake", () => {
    expect(runnerWsModule.phaseBeforeInput!(state(), init, viewOf(emptyWorld()))).toBe("runner connection");
    expect(runnerWsModule.phaseBeforeInput!(connected(), init, viewOf(emptyWorld()))).toBeNull();
    expect(runnerWsModule.phaseBeforeInput!(state(), { type: "ToServerPong", ts: 0 }, viewOf(emptyWorld()))).toBeNull();
  });

  it("a new runner: record put under its key, workflow spawned and created, ToClientInit, ping and pong deadline", () => {
    const world = emptyWorld();
    const { state: next, effects } = step(state({ initTimer: 0 }), msg(init), world, { openedPhase: 3, phase: 3, cause: 4, phases: { 3: {} } });
    const runnerId = "runner-00000001";
    expect(next).toMatchObject({ runnerId, lastPongAt: 1_000 });
    expect(effects.map((e) => e.kind)).toEqual(["cancel-timer", "world", "spawn", "send", "phase-end", "send", "set-timer", "set-timer"]);
    expect(effectsOf(effects, "cancel-timer")).toEqual([{ kind: "cancel-timer", key: 0 }]);
    expect(ops(effects)).toEqual([
      {
        op: "put-runner",
        key: "default/default/key-1",
        runner: { runnerId, name: "default", runnerKey: "key-1", version: 1, totalSlots: 2, freeSlots: 2, lastPingAt: 1_000, connId: "conn-2", processId: "proc-2", draining: false, alive: true, disconnectedAt: null, actorIds: new Set() },
      },
    ]);
    const [spawn] = effectsOf(effects, "spawn");
    expect(spawn.instance.ref).toEqual(runnerWorkflow(runnerId));
    expect(spawn.instance.state).toMatchObject({ runnerId, ended: false, lostTimer: null });
    expect(sends(effects)).toEqual([
      { to: runnerWorkflow(runnerId), type: "CreateRunnerWorkflow", label: "Create runner workflow" },
      { to: RUNNER, type: "ToClientInit", label: `ToClientInit ${runnerId}` },
    ]);
    const [create, reply] = effectsOf(effects, "send");
    expect(create.phase).toBe(3);
    // The connection phase ends before the reply.
    expect(effectsOf(effects, "phase-end")).toEqual([{ kind: "phase-end", over: SELF, phase: 3, cause: 4 }]);
    expect(reply.phase).toBeNull();
    expect(reply.msg).toEqual({ type: "ToClientInit", runnerId, runnerLostThreshold: TIMING.runnerLostThresholdMs, actorStopThreshold: TIMING.actorStopThresholdMs, serverlessDrainGracePeriod: null });
    expect(timers(effects)).toEqual([
      { timer: { timer: "ping" }, delayMs: TIMING.pingIntervalMs },
      { timer: { timer: "pong-deadline" }, delayMs: TIMING.pongTimeoutMs },
    ]);
    const [ping, deadline] = effectsOf(effects, "set-timer").map((e) => e.key);
    expect([next.pingTimer, next.pongDeadline]).toEqual([ping, deadline]);
    expect(world.runners.size).toBe(0);
  });

  it("a reconnect within the threshold keeps the runner id, its workflow and its slots", () => {
    const { state: next, effects } = step(state(), msg(init), worldOf(runner()), { now: 2_000 });
    expect(next.runnerId).toBe("r1");
    expect(ops(effects)).toEqual([{ op: "update-runner", runnerId: "r1", set: { connId: "conn-2", processId: "proc-2", disconnectedAt: null, lastPingAt: 2_000 } }]);
    expect(effectsOf(effects, "spawn")).toEqual([]);
    expect(sends(effects)).toEqual([
      { to: runnerWorkflow("r1"), type: "RunnerReconnected", label: "Runner reconnected" },
      { to: RUNNER, type: "ToClientInit", label: "ToClientInit r1" },
    ]);
  });

  it("a runner whose workflow has ended comes back under a new id", () => {
    const { state: next, effects } = step(state(), msg(init), worldOf(runner({ alive: false })));
    expect(next.runnerId).toBe("runner-00000001");
    expect(ops(effects).map((op) => op.op)).toEqual(["put-runner"]);
  });

  it("a second ToServerInit is ignored", () => {
    expect(step(connected(), msg(init), worldOf(runner())).effects).toEqual([]);
  });

  it("closes at the init timeout when no ToServerInit came, and not after one", () => {
    const { state: next, effects } = step(state({ initTimer: 0 }), timer("init-timeout"));
    expect(next.closed).toBe(true);
    expect(effects.map((e) => e.kind)).toEqual(["cancel-timer", "close"]);
    expect(step(connected(), timer("init-timeout"), worldOf(runner())).effects).toEqual([]);
  });

  it("any other frame before ToServerInit closes it", () => {
    const { state: next, effects } = step(state(), msg({ type: "ToServerPong", ts: 0 }));
    expect(next.closed).toBe(true);
    expect(effects.map((e) => e.kind)).toEqual(["close"]);
  });
});

describe("pings", () => {
  it("ping sends ToClientPing as a root and re-arms", () => {
    const { state: next, effects } = step(connected(), timer("ping"), worldOf(runner()), { now: 4_000, cause: 9 });
    expect(effectsOf(effects, "send")).toMatchObject([{ to: RUNNER, msg: { type: "ToClientPing", ts: 4_000 }, label: "ToClientPing", cause: null }]);
    expect(timers(effects)).toEqual([{ timer: { timer: "ping" }, delayMs: TIMING.pingIntervalMs }]);
    expect(next.pingTimer).toBe(effectsOf(effects, "set-timer")[0].key);
  });

  it("a pong moves the last pong and the runner's lastPingAt", () => {
    const { state: next, effects } = step(connected(), msg({ type: "ToServerPong", ts: 3_000 }), worldOf(runner({ connId: "conn-2" })), { now: 3_010 });
    expect(next.lastPongAt).toBe(3_010);
    expect(effects).toEqual([{ kind: "world", op: { op: "update-runner", runnerId: "r1", set: { lastPingAt: 3_010 } } }]);
  });

  it("the pong deadline is re-armed from the last pong while one came in time", () => {
    const { state: next, effects } = step(connected({ lastPongAt: 9_000 }), timer("pong-deadline"), worldOf(runner()), { now: 16_000 });
    expect(next.closed).toBe(false);
    // The fired timer is not cancelled again; the new one is due pongTimeout after the last pong.
    expect(effectsOf(effects, "cancel-timer")).toEqual([]);
    expect(timers(effects)).toEqual([{ timer: { timer: "pong-deadline" }, delayMs: 9_000 + TIMING.pongTimeoutMs - 16_000 }]);
    expect(effectsOf(effects, "set-timer")[0].cause).toBeNull();
    expect(next.pongDeadline).toBe(effectsOf(effects, "set-timer")[0].key);
  });

  it("closes exactly pongTimeout after the last pong", () => {
    const lastPongAt = 9_000;
    const now = lastPongAt + TIMING.pongTimeoutMs;
    const world = worldOf(runner({ connId: "conn-2" }));
    const { state: next, effects } = step(connected({ lastPongAt }), timer("pong-deadline"), world, { now, cause: 5 });
    expect(next).toMatchObject({ closed: true, pongDeadline: null });
    expect(effects.map((e) => e.kind)).toEqual(["cancel-timer", "cancel-timer", "close", "world", "send"]);
    expect(ops(effects)).toEqual([{ op: "update-runner", runnerId: "r1", set: { connId: null, disconnectedAt: now } }]);
    expect(effectsOf(effects, "send")).toMatchObject([
      { to: runnerWorkflow("r1"), msg: { type: "RunnerDisconnected", runnerId: "r1", evicted: false }, label: "Disconnected (ws.ping_timeout)", cause: null },
    ]);
  });
});

describe("relays", () => {
  const checkpoint = { actorId: "a", generation: 1, index: 4 };

  it("events go to the runner workflow as relays, each acked to the runner", () => {
    const events: [Message, string][] = [
      [{ type: "EventActorIntent", checkpoint, intent: "Sleep" }, "Actor intent: Sleep"],
      [{ type: "EventActorStateUpdate", checkpoint, update: { state: "Running" } }, "Actor state update: Running"],
      [{ type: "EventActorSetAlarm", checkpoint, alarmTs: 5 }, "Actor set alarm"],
      [{ type: "EventActorSetAlarm", checkpoint, alarmTs: null }, "Actor clear alarm"],
    ];
    for (const [event, label] of events) {
      const { effects } = step(connected(), msg(event, 21), worldOf(runner()));
      expect(effectsOf(effects, "send")).toMatchObject([
        { to: runnerWorkflow("r1"), msg: event, label, relayOf: 21 },
        { to: RUNNER, msg: { type: "ToClientAckEvents", lastEventCheckpoints: [checkpoint] }, label: "ToClientAckEvents", relayOf: null },
      ]);
    }
  });

  it("commands and tunnel traffic go down the socket, the runner's answers to the gateway", () => {
    const world = worldOf(runner());
    const start: Message = { type: "CommandStartActor", checkpoint, runnerId: "r1", config: { name: "default", key: null, createTs: 0, input: null } };
    expect(sends(step(connected(), msg(start), world).effects)).toEqual([{ to: RUNNER, type: "CommandStartActor", label: "ToClientCommands StartActor" }]);
    expect(sends(step(connected(), msg({ type: "CommandStopActor", checkpoint, runnerId: "r1" }), world).effects)).toEqual([{ to: RUNNER, type: "CommandStopActor", label: "ToClientCommands StopActor" }]);
    expect(sends(step(connected(), msg({ type: "ToClientRequestAbort", requestId: "q" }), world).effects)).toEqual([{ to: RUNNER, type: "ToClientRequestAbort", label: "ToClientRequestAbort" }]);
    const close: Message = { type: "ToServerWebSocketClose", requestId: "q", actorId: "a", code: null, reason: null };
    expect(sends(step(connected(), msg(close), world).effects)).toEqual([{ to: GATEWAY, type: "ToServerWebSocketClose", label: "ToServerWebSocketClose" }]);
    expect(sends(step(connected(), msg({ type: "ToServerStopping" }), world).effects)).toEqual([{ to: runnerWorkflow("r1"), type: "RunnerStopping", label: "Runner stopping" }]);
    expect(step(connected(), msg({ type: "ToServerAckCommands", lastCommandCheckpoints: [] }), world).effects).toEqual([]);
  });
});

describe("closing", () => {
  it("eviction tells the runner, closes, and reports an evicted disconnect", () => {
    const world = worldOf(runner({ connId: "conn-2" }));
    const { state: next, effects } = step(connected(), msg({ type: "Evict", runnerId: "r1", reason: "ws.eviction" }, 30), world, { now: 7_000 });
    expect(next.closed).toBe(true);
    expect(effects.map((e) => e.kind)).toEqual(["send", "cancel-timer", "cancel-timer", "cancel-timer", "close", "world", "send"]);
    expect(effectsOf(effects, "cancel-timer").map((e) => e.key)).toEqual([4096, 0, 4097]);
    expect(sends(effects)).toEqual([
      { to: RUNNER, type: "Evict", label: "Close ws.eviction" },
      { to: runnerWorkflow("r1"), type: "RunnerDisconnected", label: "Disconnected (ws.eviction)" },
    ]);
    expect((effectsOf(effects, "send")[1].msg as MessageOf<"RunnerDisconnected">).evicted).toBe(true);
  });

  it("a runner already served by a newer connection keeps it", () => {
    const { effects } = step(connected(), command("transport-closed"), worldOf(runner({ connId: "conn-3" })));
    expect(ops(effects)).toEqual([]);
    expect(sends(effects)).toEqual([{ to: runnerWorkflow("r1"), type: "RunnerDisconnected", label: "Disconnected (ws.closed)" }]);
  });

  it("once closed, every input is a no-op", () => {
    const closed = connected({ closed: true });
    for (const input of [msg(init), msg({ type: "ToServerPong", ts: 0 }), timer("ping"), timer("pong-deadline"), command("start"), command("transport-closed")]) {
      expect(step(closed, input, worldOf(runner())).effects).toEqual([]);
    }
  });
});
