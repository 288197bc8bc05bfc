// A runner that stops answering without closing its socket (the `silent-runner` scenario fault):
// the engine closes the socket once no pong came for pongTimeout, declares the runner lost
// runnerLostThreshold later, and its actor is placed again on a runner the autoscaler starts anew.
import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../trace/types";
import { messages, pool, request, runInline, stateChanges } from "../runtime/testing";

const silentAt = 7_000;

function silentRun(): TraceEvent[] {
  return runInline({
    durationMs: 60_000,
    pools: [pool()],
    actors: [{ id: "a" }],
    steps: [request(10, "a"), { at: silentAt, fault: { kind: "silent-runner" } }, request(8_000, "a", "/", "user-2"), request(50_000, "a", "/", "user-3")],
  });
}

describe("a silent runner", () => {
  const events = silentRun();
  const lastPong = messages(events, "ToServerPong").filter((e) => e.time <= silentAt).at(-1)!;
  const [closed] = messages(events, "RunnerDisconnected");

  it("stops answering: no pong after the fault", () => {
    expect(lastPong).toBeDefined();
    const pongsAfter = messages(events, "ToServerPong").filter((e) => e.time > silentAt && e.time < closed.time);
    expect(pongsAfter).toEqual([]);
  });

  it("has its socket closed exactly pongTimeout after its last pong", () => {
    expect(closed.label).toBe("Disconnected (ws.ping_timeout)");
    expect(closed.time - lastPong.time).toBe(15_000);
  });

  it("is declared lost runnerLostThreshold after its socket closed, its actor with it", () => {
    const lost = messages(events, "Lost", { actorId: "a" });
    expect(lost).toHaveLength(1);
    expect(lost[0].payload).toMatchObject({ reason: "RunnerLost" });
    expect(lost[0].time - closed.time).toBeGreaterThanOrEqual(15_000);
    expect(lost[0].time - closed.time).toBeLessThanOrEqual(15_005);
  });

  it("gets its actor placed again on a new runner that the autoscaler starts", () => {
    const lost = messages(events, "Lost", { actorId: "a" })[0];
    const starts = messages(events, "StartRequest");
    expect(starts).toHaveLength(2);
    expect(starts[1].time).toBeGreaterThan(lost.time);
    const placements = stateChanges(events, "a").filter((c) => c.to === "Starting");
    expect(placements).toHaveLength(2);
    expect(placements[1].runnerId).not.toBe(placements[0].runnerId);
    expect(placements[1].time).toBeGreaterThan(lost.time);
  });

  it("answers the users: the request stuck on the silent runner and a later one, both with 200", () => {
    const answers = events.filter((e) => e.kind === "message" && e.from?.role === "Gateway" && e.to?.role === "User");
    const byUser = new Map(answers.map((e) => [e.to!.id, e.label]));
    expect(byUser.get("user-2")).toBe("200");
    expect(byUser.get("user-3")).toBe("200");
    expect(answers.filter((e) => e.type === "UserError")).toEqual([]);
  });
});
