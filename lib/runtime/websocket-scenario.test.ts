// WebSockets in a seeded scenario: the built-in runner echoes, a socket under /hibernatable outlives
// its actor's sleep (listed in the next CommandStartActor, its waiting messages delivered after the
// restart), any other socket closes 1011 actor.stopped; the same seed records the same events.
import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../trace/types";
import { runScenario } from "./run-scenario";
import { parseScenario } from "./scenarios";

function scenarioWith(path: string) {
  return parseScenario({
    name: "websocket",
    seed: 3,
    config: { timing: { sleepTimeoutMs: 1000 } },
    actors: [{ id: "chat" }],
    steps: [
      { at: 0, websocket: { actor: "chat", socket: "s1", path, send: ["one"] } },
      // Past the idle timeout: the actor has gone to sleep.
      { at: 5000, websocket: { actor: "chat", socket: "s1", send: ["two", "three"] } },
      { at: 9000, websocket: { actor: "chat", socket: "s1", close: true } },
    ],
    durationMs: 12_000,
  });
}

function record(path: string): TraceEvent[] {
  const events: TraceEvent[] = [];
  runScenario(scenarioWith(path), { seed: 3, sink: (event) => events.push(event) });
  return events;
}

const toUser = (events: TraceEvent[], type: string) => events.filter((e) => e.type === type && e.to?.role === "User");
const payloadOf = <T>(event: TraceEvent) => event.payload as T;

describe("WebSocket steps in a scenario", () => {
  it("keeps a hibernatable socket across the actor's sleep: the next start lists it, and the waiting messages are answered in order", () => {
    const events = record("/hibernatable/room");
    const starts = events.filter((e) => e.type === "CommandStartActor" && e.to?.role === "RunnerWorkflow");
    expect(starts.map((e) => payloadOf<{ hibernatingRequests?: string[] }>(e).hibernatingRequests)).toEqual([undefined, ["ws-s1"]]);
    expect(events.some((e) => e.type === "websocket-hibernating")).toBe(true);
    const hibernatedAt = events.find((e) => e.type === "websocket-hibernating")!.time;
    expect(hibernatedAt).toBeLessThan(5000);
    // Opened once, restored once; the client saw only the answers, then its own close.
    expect(events.filter((e) => e.type === "ToClientWebSocketOpen" && e.to?.role === "Runner")).toHaveLength(1);
    expect(events.filter((e) => e.type === "restore-websockets")).toHaveLength(1);
    expect(toUser(events, "UserWebSocketMessage").map((e) => payloadOf<{ data: string }>(e).data)).toEqual(["one", "two", "three"]);
    expect(toUser(events, "UserWebSocketClose")).toEqual([]);
    // The actor slept again before the client closed: no runner holds the socket, so none is told.
    expect(events.filter((e) => e.type === "websocket-hibernating")).toHaveLength(2);
    expect(events.some((e) => e.type === "ToClientWebSocketClose" && e.to?.role === "Runner")).toBe(false);
  });

  it("closes any other socket when its actor sleeps, and the later messages go nowhere", () => {
    const events = record("/room");
    expect(toUser(events, "UserWebSocketClose").map((e) => payloadOf<{ code: number; reason: string }>(e))).toMatchObject([{ code: 1011, reason: "actor.stopped" }]);
    expect(toUser(events, "UserWebSocketMessage").map((e) => payloadOf<{ data: string }>(e).data)).toEqual(["one"]);
    expect(events.some((e) => e.type === "websocket-hibernating")).toBe(false);
  });

  it("restores a hibernating socket when something else wakes the actor, so a later message goes straight to it", () => {
    const events: TraceEvent[] = [];
    const scenario = parseScenario({
      name: "websocket-woken-by-request",
      config: { timing: { sleepTimeoutMs: 1000 } },
      actors: [{ id: "chat" }],
      steps: [
        { at: 0, websocket: { actor: "chat", socket: "s1", path: "/hibernatable", send: ["one"] } },
        { at: 5000, request: { actor: "chat" } },
        { at: 5500, websocket: { actor: "chat", socket: "s1", send: ["two"] } },
      ],
      durationMs: 8000,
    });
    runScenario(scenario, { seed: 5, sink: (event) => events.push(event) });
    const restored = events.find((e) => e.type === "websocket-restored");
    expect(restored?.time).toBeGreaterThan(5000);
    expect(restored!.time).toBeLessThan(5500);
    expect(toUser(events, "UserWebSocketMessage").map((e) => payloadOf<{ data: string }>(e).data)).toEqual(["one", "two"]);
    // Only the HTTP request woke the actor after its sleep.
    expect(events.filter((e) => e.type === "Wake" && e.time > 1000).map((e) => payloadOf<{ requestId: string }>(e).requestId)).toEqual(["req-1"]);
  });

  it("records the same events for the same seed", () => {
    expect(JSON.stringify(record("/hibernatable/room"))).toBe(JSON.stringify(record("/hibernatable/room")));
  });
});
