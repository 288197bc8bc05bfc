// The gateway's WebSocket rules, from state literals: open to a running actor, messages queued until
// the runner accepts the socket, hibernation on Stopped, a client message that wakes a hibernating
// socket's actor and its restore, a socket closed 1011 when its actor stops, and the tunnel
// forgotten when the client leaves a hibernating socket.
import { describe, expect, it } from "vitest";
import { effectsOf } from "../core/testing";
import { runnerWs } from "../core/refs";
import { viewOf } from "../core/world-draft";
import { gatewayModule } from "./gateway";
import { initialGatewayState } from "./state";
import { PHASE, USER, actor, deliver, fire, pendingSocket, runner, stateWith, tags, userFrame, userOpen, world } from "./testing";

const running = () => world({ actors: [actor("Running")], runners: [runner()] });
const stopped = { type: "Stopped", actorId: "a1", generation: 1 } as const;
const conn = runnerWs("c1");

describe("gateway: WebSockets", () => {
  it("opens a socket to a running actor through its runner's connection, without a note", () => {
    const step = deliver(initialGatewayState(), userOpen(), { world: running(), openedPhase: PHASE, phase: PHASE });
    expect(tags(step)).toEqual(["world subscribe true", "send ToClientWebSocketOpen → RunnerWS:c1"]);
    expect(effectsOf(step.effects, "send")[0]).toMatchObject({ label: "Tunnel ToClientWebSocketOpen<br/>/ws", msg: { requestId: "ws-1", actorId: "a1", path: "/ws", headers: {} } });
    expect(step.state.sockets.get("ws-1")).toMatchObject({ stage: "opening", conn });
  });

  it("wakes a sleeping actor for a socket on the socket's own timers", () => {
    const step = deliver(initialGatewayState(), userOpen(), { world: world({ actors: [actor("Sleeping")] }), openedPhase: PHASE });
    expect(tags(step)).toEqual([
      "world subscribe true",
      "note actor-sleeping",
      "send Wake → ActorWorkflow:a1",
      "note await-ready",
      "set-timer ws-ready-timeout 10000",
      "set-timer ws-pool-error-check 1000",
    ]);
  });

  it("queues the user's messages until the runner opens the socket, then sends them in order", () => {
    const state = stateWith({ sockets: [pendingSocket({ stage: "opening", conn })] });
    expect(deliver(state, userFrame("one"), { world: running() }).effects).toEqual([]);
    expect(deliver(state, userFrame("two"), { world: running() }).effects).toEqual([]);
    expect(state.sockets.get("ws-1")!.queued.map((m) => m.data)).toEqual(["one", "two"]);

    const step = deliver(state, { type: "ToServerWebSocketOpen", requestId: "ws-1", actorId: "a1", canHibernate: false }, { world: running(), from: conn, seq: 40 });
    expect(tags(step)).toEqual(["send UserWebSocketOpened → User:user-1", `phase-end ${PHASE}`, "send ToClientWebSocketMessage → RunnerWS:c1", "send ToClientWebSocketMessage → RunnerWS:c1"]);
    const [opened, one, two] = effectsOf(step.effects, "send");
    expect(opened).toMatchObject({ relayOf: 40, label: "WebSocket open", phase: PHASE });
    expect([one.msg, two.msg]).toMatchObject([{ data: "one" }, { data: "two" }]);
    expect(one).toMatchObject({ relayOf: null, label: "ToClientWebSocketMessage", phase: null });
    expect(step.state.sockets.get("ws-1")).toMatchObject({ stage: "open", opened: true, phase: null, queued: [] });
  });

  it("relays frames both ways on an open socket", () => {
    const state = stateWith({ sockets: [pendingSocket({ stage: "open", opened: true, conn, phase: null })] });
    const toActor = deliver(state, userFrame("hi"), { seq: 50 });
    expect(effectsOf(toActor.effects, "send")[0]).toMatchObject({ to: conn, relayOf: 50, label: "ToClientWebSocketMessage", msg: { type: "ToClientWebSocketMessage", data: "hi" } });
    const frame = { type: "ToServerWebSocketMessage", requestId: "ws-1", actorId: "a1", data: "ho", binary: false } as const;
    const toUser = deliver(state, frame, { from: conn, seq: 51 });
    expect(effectsOf(toUser.effects, "send")[0]).toMatchObject({ to: USER, relayOf: 51, label: "", msg: { type: "UserWebSocketMessage", data: "ho" } });
  });

  it("lists a socket accepted with canHibernate as hibernatable, and keeps it open to the client when the actor stops", () => {
    const state = stateWith({ sockets: [pendingSocket({ stage: "opening", conn })] });
    const w = running();
    const opened = deliver(state, { type: "ToServerWebSocketOpen", requestId: "ws-1", actorId: "a1", canHibernate: true }, { world: w });
    expect(effectsOf(opened.effects, "world").map((e) => e.op)).toEqual([{ op: "hibernatable", actorId: "a1", requestId: "ws-1", hibernatable: true }]);
    w.hibernatable.set("a1", new Set(["ws-1"]));

    const step = deliver(opened.state, stopped, { world: w });
    expect(tags(step)).toEqual(["note websocket-hibernating"]);
    expect(effectsOf(step.effects, "note")[0].note).toEqual({ type: "websocket-hibernating", label: "WebSocket hibernating", actorId: "a1", payload: { requestId: "ws-1" } });
    expect(step.state.sockets.get("ws-1")).toMatchObject({ stage: "hibernating", conn: null });
  });

  it("wakes the actor on a client message to a hibernating socket, then restores it on Ready with the message", () => {
    const state = stateWith({ sockets: [pendingSocket({ stage: "hibernating", opened: true, canHibernate: true, phase: null, wakeAttempts: 3 })] });
    const sleeping = world({ actors: [actor("Sleeping")] });
    expect(gatewayModule.phaseBeforeInput!(state, userFrame("wake up"), viewOf(sleeping))).toBe("websocket message to hibernating actor");

    const step = deliver(state, userFrame("wake up"), { world: sleeping, openedPhase: 30, phase: 30 });
    expect(tags(step)).toEqual(["note actor-sleeping", "send Wake → ActorWorkflow:a1", "note await-ready", "set-timer ws-ready-timeout 10000", "set-timer ws-pool-error-check 1000"]);
    expect(effectsOf(step.effects, "note")[0].note.label).toBe("Actor sleeping<br/>(WebSocket hibernating)");
    expect(effectsOf(step.effects, "send")[0].msg).toMatchObject({ retry: false, attempt: 0 });
    const socket = step.state.sockets.get("ws-1")!;
    expect(socket).toMatchObject({ stage: "waiting", phase: 30, wakeAttempts: 0 });

    const [ready, poolCheck] = effectsOf(step.effects, "set-timer");
    const restored = deliver(step.state, { type: "Ready", actorId: "a1", runnerId: "r1", generation: 2 }, { world: running() });
    expect(tags(restored)).toEqual([`cancel-timer ${ready.key}`, `cancel-timer ${poolCheck.key}`, "note websocket-restored", "phase-end 30", "send ToClientWebSocketMessage → RunnerWS:c1"]);
    expect(effectsOf(restored.effects, "note")[0].note).toMatchObject({ runnerId: "r1", payload: { requestId: "ws-1", queued: 1 } });
    expect(restored.state.sockets.get("ws-1")).toMatchObject({ stage: "open", conn, phase: null, queued: [] });
  });

  it("closes a socket that is not hibernatable with 1011 when its actor stops", () => {
    const state = stateWith({ sockets: [pendingSocket({ stage: "open", opened: true, conn, phase: null })] });
    const step = deliver(state, stopped, { world: world({ actors: [actor("Sleeping")] }) });
    expect(tags(step)).toEqual(["send ToClientWebSocketClose → RunnerWS:c1", "note websocket-failed", "send UserWebSocketClose → User:user-1", "world subscribe false"]);
    const [tunnelClose, userClose] = effectsOf(step.effects, "send");
    expect(tunnelClose.msg).toEqual({ type: "ToClientWebSocketClose", requestId: "ws-1", actorId: "a1", code: 1011, reason: "actor.stopped" });
    expect(userClose).toMatchObject({ label: "Close 1011 actor.stopped", msg: { code: 1011, reason: "actor.stopped" } });
    expect(effectsOf(step.effects, "note")[0].note).toEqual({ type: "websocket-failed", label: "the actor stopped", actorId: "a1", payload: { code: "actor.stopped" } });
    expect(step.state.sockets.size).toBe(0);
  });

  it("forgets the tunnel when the client closes a hibernating socket, and unlists it", () => {
    const state = stateWith({ sockets: [pendingSocket({ stage: "hibernating", opened: true, canHibernate: true, phase: null })] });
    const step = deliver(state, { type: "UserWebSocketClose", requestId: "ws-1", actorId: "a1", code: 1000, reason: null });
    expect(tags(step)).toEqual(["forget-request ws-1", "world hibernatable false", "world subscribe false"]);
    expect(step.state.sockets.size).toBe(0);
  });

  it("closes the tunnel, as a relay, when the client closes an open socket", () => {
    const state = stateWith({ sockets: [pendingSocket({ stage: "open", opened: true, conn, phase: null })] });
    const step = deliver(state, { type: "UserWebSocketClose", requestId: "ws-1", actorId: "a1", code: 1000, reason: "bye" }, { seq: 60 });
    expect(tags(step)).toEqual(["send ToClientWebSocketClose → RunnerWS:c1", "world subscribe false"]);
    expect(effectsOf(step.effects, "send")[0]).toMatchObject({ relayOf: 60, msg: { code: 1000, reason: "bye" } });
  });

  it("closes a waiting socket with 1011 on the ready timeout and on a failing pool", () => {
    const state = stateWith({ sockets: [pendingSocket({ readyTimer: 1, poolCheckTimer: 2 })] });
    const timeout = fire(state, { timer: "ws-ready-timeout", requestId: "ws-1" });
    expect(tags(timeout)).toEqual(["note websocket-failed", "send UserWebSocketClose → User:user-1", "cancel-timer 1", "cancel-timer 2", "world subscribe false", `phase-end ${PHASE}`]);
    expect(effectsOf(timeout.effects, "send")[0].label).toBe("Close 1011 guard.actor_ready_timeout");

    const failing = world({ actors: [actor("Pending")], poolErrors: { pool: "down" } });
    const pool = fire(stateWith({ sockets: [pendingSocket({ readyTimer: 1, poolCheckTimer: 2 })] }), { timer: "ws-pool-error-check", requestId: "ws-1" }, { world: failing });
    expect(effectsOf(pool.effects, "send")[0].label).toBe("Close 1011 guard.actor_runner_failed");
  });
});
