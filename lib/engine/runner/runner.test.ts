// The built-in runner's rules, from state literals: its connection and the endpoint stream it
// speaks on, the demo actor's lifecycle and requests, and the process faults.
import { describe, expect, it } from "vitest";
import { engineConfig } from "../config";
import { effectsOf, stepView } from "../core/testing";
import type { Effect } from "../core/effects";
import type { Input } from "../core/module";
import { endpoint, runnerWs, serverless } from "../core/refs";
import type { Message, MessageOf } from "../messages";
import { runnerInstance, runnerModule, type RunnerCommand, type RunnerTimer } from "./runner";
import { initialRunnerState, type HostedActor, type RunnerState } from "./state";

const SELF = { role: "Runner", id: "runner-1" } as const;
const CONN = runnerWs("runner-1/ws-1");
const TIMING = engineConfig({}).timing;
type In = Input<RunnerTimer, RunnerCommand>;

const options = { processId: "runner-1", name: "default", runnerKey: "key-1", totalSlots: 2, version: 1 };

/** A runner of the endpoint's stream s1, connected, its init done. */
function connected(set: Partial<RunnerState> = {}, actors: Record<string, Partial<HostedActor>> = {}): RunnerState {
  const state = initialRunnerState({ ...options, stream: { pool: "p", startId: "s1" } });
  Object.assign(state, { runnerId: "r1", conn: CONN, connCount: 1, ...set });
  if (state.stream && !("stream" in set)) Object.assign(state.stream, { runnerId: "r1", pingTimer: 900 });
  for (const [actorId, actor] of Object.entries(actors)) state.actors.set(actorId, { generation: 1, eventIndex: 0, idleTimer: null, stopping: false, ...actor });
  return state;
}

const msg = (m: Message): In => ({ kind: "message", msg: m, from: CONN, seq: 9 });
const command = (c: RunnerCommand): In => ({ kind: "command", command: c });
const timer = (t: RunnerTimer): In => ({ kind: "timer", timer: t });

function step(state: RunnerState, input: In, extra: { open?: { role: "RunnerWS"; id: string }[]; now?: number } = {}) {
  return runnerModule.step(state, input, stepView({ self: SELF, now: 1_000, cause: 9, phase: 4, phases: { 4: {} }, ...extra }));
}

const sends = (effects: Effect[]) => effectsOf(effects, "send").map((s) => ({ from: s.from, to: s.to, msg: s.msg, label: s.label }));
const startCommand = (generation = 1, hibernatingRequests?: string[]): MessageOf<"CommandStartActor"> =>
  ({
    type: "CommandStartActor",
    checkpoint: { actorId: "a", generation, index: 0 },
    config: { name: "a", key: null, createTs: 0, input: null },
    ...(hibernatingRequests ? { hibernatingRequests } : {}),
  }) as MessageOf<"CommandStartActor">;
const request = (path: string): MessageOf<"ToClientRequestStart"> =>
  ({ type: "ToClientRequestStart", requestId: "req-1", actorId: "a", method: "GET", path, headers: {}, body: null }) as MessageOf<"ToClientRequestStart">;

describe("connecting", () => {
  it("start spawns its Runner WS, sends the handshake, and starts the endpoint's pings", () => {
    const state = initialRunnerState({ ...options, stream: { pool: "p", startId: "s1" } });
    const { effects } = step(state, command({ command: "start" }));
    expect(effects.map((e) => e.kind)).toEqual(["spawn", "send", "set-timer"]);
    const [spawn] = effectsOf(effects, "spawn");
    expect(spawn.instance.ref).toEqual(CONN);
    expect(spawn.startWith).toEqual({ command: "start" });
    expect(spawn).toMatchObject({ cause: 9, phase: 4 });
    expect(sends(effects)).toEqual([
      {
        from: SELF,
        to: CONN,
        msg: { type: "ToServerInit", name: "default", version: 1, totalSlots: 2, runnerKey: "key-1", connId: "runner-1/ws-1" },
        label: "Connect<br/>(ToServerInit default)",
      },
    ]);
    const [ping] = effectsOf(effects, "set-timer");
    expect(ping).toMatchObject({ timer: { timer: "ping", startId: "s1" }, delayMs: TIMING.endpointPingMs, cause: 9, phase: 4 });
    expect(state).toMatchObject({ conn: CONN, connCount: 1, stream: { pingTimer: ping.key } });
  });

  it("a runner without an endpoint stream does not ping", () => {
    const { effects } = step(initialRunnerState(options), command({ command: "start" }));
    expect(effectsOf(effects, "set-timer")).toEqual([]);
  });

  it("its first init is reported on the stream as the endpoint, only once", () => {
    const state = connected({ runnerId: null, stream: { pool: "p", startId: "s1", runnerId: null, pingTimer: 900 } });
    const first = step(state, msg({ type: "ToClientInit", runnerId: "r1" } as Message));
    expect(sends(first.effects)).toEqual([
      {
        from: endpoint("p"),
        to: serverless("p"),
        msg: { type: "ToServerlessServerInit", startId: "s1", runnerId: "r1", runnerProtocolVersion: 7 },
        label: "ToServerlessServerInit r1",
      },
    ]);
    expect(state.runnerId).toBe("r1");
    expect(sends(step(state, msg({ type: "ToClientInit", runnerId: "r1" } as Message)).effects)).toEqual([]);
  });

  it("answers a ping with a pong", () => {
    const { effects } = step(connected(), msg({ type: "ToClientPing", ts: 5 } as Message));
    expect(sends(effects)).toEqual([{ from: SELF, to: CONN, msg: { type: "ToServerPong", ts: 5 }, label: "ToServerPong" }]);
  });

  it("a lost connection reconnects after the backoff, with the next connection id", () => {
    const state = connected({ connCount: 2 });
    const lost = step(state, command({ command: "connection-lost" }));
    expect(state.conn).toBeNull();
    expect(effectsOf(lost.effects, "set-timer").map((t) => [t.timer, t.delayMs])).toEqual([[{ timer: "reconnect" }, 2 * TIMING.reconnectBaseMs]]);
    const again = step(state, timer({ timer: "reconnect" }));
    expect(effectsOf(again.effects, "spawn")[0].instance.ref).toEqual(runnerWs("runner-1/ws-3"));
    // A reconnect does not start a second ping on the stream.
    expect(effectsOf(again.effects, "set-timer")).toEqual([]);
  });
});

describe("the endpoint's stream pings", () => {
  it("pings as the endpoint once its runner is known, as a root, and pings again", () => {
    const state = connected();
    const { effects } = step(state, timer({ timer: "ping", startId: "s1" }));
    expect(effects.map((e) => e.kind)).toEqual(["send", "set-timer"]);
    const [ping] = effectsOf(effects, "send");
    expect(ping).toMatchObject({ from: endpoint("p"), to: serverless("p"), msg: { type: "EndpointPing", startId: "s1" }, label: "ping", cause: null, phase: 4 });
    const [next] = effectsOf(effects, "set-timer");
    expect(next).toMatchObject({ timer: { timer: "ping", startId: "s1" }, delayMs: TIMING.endpointPingMs, cause: null });
    expect(state.stream!.pingTimer).toBe(next.key);
  });

  it("stays silent before the init, but keeps its timer", () => {
    const state = connected({ stream: { pool: "p", startId: "s1", runnerId: null, pingTimer: 900 } });
    const { effects } = step(state, timer({ timer: "ping", startId: "s1" }));
    expect(effects.map((e) => e.kind)).toEqual(["set-timer"]);
  });

  it("keeps pinging while the runner hangs", () => {
    const { effects } = step(connected({ silent: true }), timer({ timer: "ping", startId: "s1" }));
    expect(effects.map((e) => e.kind)).toEqual(["send", "set-timer"]);
  });

  it("stops once the process exited", () => {
    expect(step(connected({ exited: true }), timer({ timer: "ping", startId: "s1" })).effects).toEqual([]);
  });
});

describe("the demo actor", () => {
  it("start actor → ack and the actor-started timer → Running and the idle timer → Sleep intent", () => {
    const state = connected();
    const started = step(state, msg(startCommand()));
    expect(effectsOf(started.effects, "note").map((n) => n.note)).toEqual([{ type: "start-actor", label: "Start actor", actorId: "a", runnerId: "r1" }]);
    expect(sends(started.effects)).toEqual([
      { from: SELF, to: CONN, msg: { type: "ToServerAckCommands", lastCommandCheckpoints: [{ actorId: "a", generation: 1, index: 0 }] }, label: "ToServerAckCommands" },
    ]);
    const [startedTimer] = effectsOf(started.effects, "set-timer");
    expect([startedTimer.timer, startedTimer.delayMs]).toEqual([{ timer: "actor-started", actorId: "a", generation: 1 }, TIMING.actorStartMs]);

    const running = step(state, timer(startedTimer.timer as RunnerTimer));
    expect(sends(running.effects)).toEqual([
      { from: SELF, to: CONN, msg: { type: "EventActorStateUpdate", checkpoint: { actorId: "a", generation: 1, index: 0 }, update: { state: "Running" } }, label: "Actor state update: Running" },
    ]);
    const [idle] = effectsOf(running.effects, "set-timer");
    expect([idle.timer, idle.delayMs]).toEqual([{ timer: "idle", actorId: "a", generation: 1 }, TIMING.sleepTimeoutMs]);
    expect(state.actors.get("a")!.idleTimer).toBe(idle.key);

    const sleepy = step(state, timer(idle.timer as RunnerTimer));
    expect(sends(sleepy.effects)).toEqual([
      { from: SELF, to: CONN, msg: { type: "EventActorIntent", checkpoint: { actorId: "a", generation: 1, index: 1 }, intent: "Sleep" }, label: "Actor intent: Sleep" },
    ]);
  });

  it("restores the hibernating sockets a start lists", () => {
    const state = connected();
    const { effects } = step(state, msg(startCommand(1, ["ws-1"])));
    expect(effectsOf(effects, "note")[1].note).toEqual({
      type: "restore-websockets",
      label: "Restore 1 hibernating<br/>WebSocket(s)",
      actorId: "a",
      runnerId: "r1",
      payload: { requestIds: ["ws-1"] },
    });
    expect(state.sockets.get("ws-1")).toEqual({ actorId: "a", canHibernate: true });
  });

  it("an actor-started timer of another generation does nothing", () => {
    expect(step(connected({}, { a: { generation: 2 } }), timer({ timer: "actor-started", actorId: "a", generation: 1 })).effects).toEqual([]);
  });

  it("handles a request after requestHandlingMs, then arms the idle timer again", () => {
    const state = connected({}, { a: { idleTimer: 901 } });
    const req = request("/hello");
    const handled = step(state, msg(req));
    expect(effectsOf(handled.effects, "note").map((n) => n.note)).toEqual([
      { type: "handle-request", label: "Handle request<br/>GET /hello", actorId: "a", runnerId: "r1", payload: { method: "GET", path: "/hello" } },
    ]);
    expect(effectsOf(handled.effects, "cancel-timer").map((c) => c.key)).toEqual([901]);
    const [respond] = effectsOf(handled.effects, "set-timer");
    expect([respond.timer, respond.delayMs]).toEqual([{ timer: "respond", request: req, generation: 1 }, TIMING.requestHandlingMs]);

    const answered = step(state, timer(respond.timer as RunnerTimer));
    expect(sends(answered.effects)).toEqual([
      {
        from: SELF,
        to: CONN,
        msg: { type: "ToServerResponseStart", requestId: "req-1", status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ actorId: "a", generation: 1, path: "/hello" }) },
        label: "ToServerResponseStart 200",
      },
    ]);
    expect(effectsOf(answered.effects, "set-timer").map((t) => t.timer)).toEqual([{ timer: "idle", actorId: "a", generation: 1 }]);
  });

  it("a response for a stopped generation is dropped", () => {
    const state = connected({}, { a: { generation: 2 } });
    expect(step(state, timer({ timer: "respond", request: request("/"), generation: 1 })).effects).toEqual([]);
  });

  it("answers 503 for an actor it does not host", () => {
    const { effects } = step(connected(), msg(request("/")));
    expect(sends(effects)[0]).toMatchObject({ msg: { status: 503, headers: { "x-rivet-error": "runner.actor_not_found" } }, label: "ToServerResponseStart 503" });
  });

  it("/sleep sends the Sleep intent before answering", () => {
    const { effects } = step(connected({}, { a: {} }), msg(request("/sleep")));
    expect(sends(effects).map((s) => s.label)).toEqual(["Actor intent: Sleep"]);
  });

  it("/schedule sets an alarm event at the epoch time, /schedule?cancel clears it", () => {
    const state = connected({}, { a: { eventIndex: 3 } });
    const set = runnerModule.step(state, msg(request("/schedule?after=500")), stepView({ self: SELF, now: 1_000, config: engineConfig({ epochMs: 10_000 }) }));
    expect(sends(set.effects)).toEqual([
      { from: SELF, to: CONN, msg: { type: "EventActorSetAlarm", checkpoint: { actorId: "a", generation: 1, index: 3 }, alarmTs: 11_500 }, label: "Actor set alarm" },
    ]);
    const cleared = step(state, msg(request("/schedule?cancel")));
    expect(sends(cleared.effects)).toEqual([
      { from: SELF, to: CONN, msg: { type: "EventActorSetAlarm", checkpoint: { actorId: "a", generation: 1, index: 4 }, alarmTs: null }, label: "Actor clear alarm" },
    ]);
  });

  it("stops the actor of that generation: ack, then Stopped Ok; a stop for another generation is ignored", () => {
    const state = connected({}, { a: { generation: 2, idleTimer: 901 } });
    state.sockets.set("ws-1", { actorId: "a", canHibernate: false });
    expect(step(state, msg({ type: "CommandStopActor", checkpoint: { actorId: "a", generation: 1, index: 1 } } as Message)).effects).toEqual([]);
    const { effects } = step(state, msg({ type: "CommandStopActor", checkpoint: { actorId: "a", generation: 2, index: 1 } } as Message));
    expect(effectsOf(effects, "note").map((n) => n.note.type)).toEqual(["stop-actor"]);
    expect(sends(effects).map((s) => s.label)).toEqual(["ToServerAckCommands", "Actor state update: Stopped"]);
    expect(sends(effects)[1].msg).toMatchObject({ update: { state: "Stopped", code: "Ok", message: null } });
    expect(effectsOf(effects, "cancel-timer").map((c) => c.key)).toEqual([901]);
    expect(state.actors.size).toBe(0);
    expect(state.sockets.size).toBe(0);
  });

  it("opens sockets (hibernatable by path) and echoes their messages", () => {
    const state = connected({}, { a: {} });
    const open = step(state, msg({ type: "ToClientWebSocketOpen", requestId: "ws-1", actorId: "a", path: "/hibernatable/x", headers: {} }));
    expect(sends(open.effects)[0]).toMatchObject({ msg: { type: "ToServerWebSocketOpen", canHibernate: true }, label: "ToServerWebSocketOpen" });
    const echo = step(state, msg({ type: "ToClientWebSocketMessage", requestId: "ws-1", actorId: "a", data: "hi", binary: false } as Message));
    expect(sends(echo.effects)[0]).toMatchObject({ msg: { type: "ToServerWebSocketMessage", data: "hi", actorId: "a" } });
    expect(step(state, msg({ type: "ToClientWebSocketMessage", requestId: "ws-9", actorId: "a", data: "hi", binary: false } as Message)).effects).toEqual([]);
  });

  it("sends nothing down a connection that is no longer open", () => {
    const { effects } = step(connected(), msg({ type: "ToClientPing", ts: 5 } as Message), { open: [] });
    expect(effects).toEqual([]);
  });
});

describe("process faults", () => {
  it("kill exits: the actors die, the process closes, the stream closes as the endpoint", () => {
    const state = connected({}, { a: { idleTimer: 901 } });
    const { effects } = step(state, command({ command: "kill" }));
    expect(effects.map((e) => e.kind)).toEqual(["note", "cancel-timer", "close", "cancel-timer", "send"]);
    expect(effectsOf(effects, "note")[0].note).toEqual({ type: "process-killed", label: "Process killed", runnerId: "r1" });
    expect(effectsOf(effects, "cancel-timer").map((c) => c.key)).toEqual([901, 900]);
    expect(sends(effects)).toEqual([{ from: endpoint("p"), to: serverless("p"), msg: { type: "StartStreamClosed", startId: "s1" }, label: "/start stream closed" }]);
    expect(state).toMatchObject({ exited: true, stream: { pingTimer: null } });
    expect(state.actors.size).toBe(0);
    expect(step(state, msg({ type: "ToClientPing", ts: 5 } as Message)).effects).toEqual([]);
  });

  it("an eviction exits too", () => {
    const { effects } = step(connected(), msg({ type: "Evict", runnerId: "r1", reason: "ws.eviction" }));
    expect(effects.map((e) => e.kind)).toEqual(["close", "cancel-timer", "send"]);
  });

  it("crash-actor → Stopped with code Error", () => {
    const state = connected({}, { a: { eventIndex: 1, idleTimer: 901 } });
    const { effects } = step(state, command({ command: "crash-actor", actorId: "a" }));
    expect(effectsOf(effects, "note")[0].note).toEqual({ type: "actor-crashed", label: "Actor crashed", actorId: "a", runnerId: "r1" });
    expect(sends(effects)).toEqual([
      {
        from: SELF,
        to: CONN,
        msg: { type: "EventActorStateUpdate", checkpoint: { actorId: "a", generation: 1, index: 1 }, update: { state: "Stopped", code: "Error", message: "actor crashed" } },
        label: "Actor state update: Stopped",
      },
    ]);
    expect(state.actors.size).toBe(0);
    expect(step(state, command({ command: "crash-actor", actorId: "a" })).effects).toEqual([]);
  });

  it("a silent runner answers nothing", () => {
    const state = connected({}, { a: {} });
    const silenced = step(state, command({ command: "fall-silent" }));
    expect(effectsOf(silenced.effects, "note")[0].note).toEqual({ type: "process-silent", label: "Process stops answering<br/>(socket left open)", runnerId: "r1" });
    for (const input of [msg({ type: "ToClientPing", ts: 5 } as Message), msg(request("/")), timer({ timer: "idle", actorId: "a", generation: 1 }), command({ command: "kill" })]) {
      expect(step(state, input).effects).toEqual([]);
    }
  });
});

it("an instance is named by its process", () => {
  const instance = runnerInstance({ ...options, stream: { pool: "p", startId: "s1" } });
  expect(instance.ref).toEqual(SELF);
  expect(instance.state).toMatchObject({ processId: "runner-1", runnerId: null, conn: null, stream: { pool: "p", startId: "s1", runnerId: null, pingTimer: null } });
});
