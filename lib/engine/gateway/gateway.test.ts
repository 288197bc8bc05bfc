// The gateway module: which rules see which input (a topic message reaches the sockets first, then
// the requests), the phase a user's input opens, and the instance it spawns as.
import { describe, expect, it } from "vitest";
import { effectsOf } from "../core/testing";
import { GATEWAY } from "../core/refs";
import type { ActorState } from "../world";
import { gatewayInstance, gatewayModule, isConnectable } from "./gateway";
import { PHASE, USER, actor, deliver, pendingRequest, pendingSocket, runner, stateWith, tags, userFrame, userOpen, userRequest, viewWith, world } from "./testing";

describe("gateway module", () => {
  it("spawns as the one Gateway with empty tables", () => {
    const gateway = gatewayInstance();
    expect(gateway.ref).toEqual(GATEWAY);
    expect(gateway.module).toBe(gatewayModule);
    expect(gateway.state).toEqual({ requests: new Map(), sockets: new Map() });
  });

  it("names the phase a request opens after its actor's state", () => {
    const label = (state: ActorState | null) => gatewayModule.phaseBeforeInput!(stateWith({}), userRequest(), state ? viewWith({ actors: [actor(state)], runners: [runner()] }) : viewWith());
    expect(label("Running")).toBe("request to running actor");
    expect(label("Sleeping")).toBe("request to sleeping actor");
    expect(label("SleepIntent")).toBe("request to actor marked as sleeping");
    expect(label("StopIntent")).toBe("request to actor marked as sleeping");
    expect(label("Pending")).toBe("request to starting actor");
    expect(label("Destroyed")).toBeNull();
    expect(label(null)).toBeNull();
  });

  it("names the phase a socket open opens, and none for a message to a socket that is not hibernating", () => {
    const label = (state: ActorState | null) => gatewayModule.phaseBeforeInput!(stateWith({}), userOpen(), state ? viewWith({ actors: [actor(state)], runners: [runner()] }) : viewWith());
    expect(label("Running")).toBe("websocket to running actor");
    expect(label("Sleeping")).toBe("websocket to sleeping actor");
    expect(label("SleepIntent")).toBe("websocket to starting actor");
    expect(label("Destroyed")).toBeNull();
    expect(label(null)).toBeNull();
    const open = stateWith({ sockets: [pendingSocket({ stage: "open" })] });
    expect(gatewayModule.phaseBeforeInput!(open, userFrame("x"), viewWith())).toBeNull();
    expect(gatewayModule.phaseBeforeInput!(open, { type: "Ready", actorId: "a1", runnerId: "r1", generation: 1 }, viewWith())).toBeNull();
  });

  it("hands a topic message to the sockets first, then to the requests", () => {
    const state = stateWith({ requests: [pendingRequest()], sockets: [pendingSocket()] });
    const step = deliver(state, { type: "Ready", actorId: "a1", runnerId: "r1", generation: 1 }, { world: world({ actors: [actor("Running")], runners: [runner()] }) });
    expect(tags(step)).toEqual(["send ToClientWebSocketOpen → RunnerWS:c1", "send ToClientRequestStart → RunnerWS:c1"]);
    expect(effectsOf(step.effects, "send").map((e) => e.phase)).toEqual([PHASE, PHASE]);
  });

  it("gives a socket's own messages to the socket rules only", () => {
    // A request and a socket share an id here: the socket close must not touch the request.
    const state = stateWith({ requests: [pendingRequest({ request: { ...userRequest("ws-1") } })], sockets: [pendingSocket()] });
    deliver(state, { type: "UserWebSocketClose", requestId: "ws-1", actorId: "a1", code: 1000, reason: null });
    expect(state.requests.has("ws-1")).toBe(true);
    expect(state.sockets.has("ws-1")).toBe(false);
  });

  it("takes no commands, and ignores messages it has no rule for", () => {
    const state = stateWith({ requests: [pendingRequest()] });
    expect(deliver(state, { type: "ToClientPing", ts: 1 }).effects).toEqual([]);
    expect(deliver(state, { type: "ToServerResponseStart", requestId: "other", status: 200, headers: {}, body: null }, { from: USER }).effects).toEqual([]);
  });

  it("counts an actor as connectable only when Running with a runner and a connectable time", () => {
    expect(isConnectable(actor("Running"))).toBe(true);
    expect(isConnectable({ ...actor("Running"), connectableTs: null })).toBe(false);
    expect(isConnectable({ ...actor("Running"), runnerId: null })).toBe(false);
    expect(isConnectable(actor("Starting"))).toBe(false);
  });
});
