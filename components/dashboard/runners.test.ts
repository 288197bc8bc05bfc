import { describe, expect, it } from "vitest";
import { TraceBuilder } from "@/lib/trace/testing/trace-builder";
import { actorSleeps, drainRunner, requestToSleepingActor, sleepingActor } from "@/lib/trace/testing/flows";
import { summarizeRunners } from "./runners";

describe("summarizeRunners", () => {
  it("follows a runner from connection, with the actor placed on it, until the actor sleeps", () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1, newRunnerId: "runner-1" });
    const running = summarizeRunners(b.events);
    expect(running).toMatchObject([{ runnerId: "runner-1", state: "connected", actors: ["a1"], placements: 1 }]);

    actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
    expect(summarizeRunners(b.events)).toMatchObject([{ runnerId: "runner-1", state: "connected", actors: [], placements: 1 }]);
  });

  it("reports a drained runner as evicted once the autoscaler closes its connection", () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    const wake = requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1, newRunnerId: "runner-1" });
    actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
    drainRunner(b, { runnerId: "runner-1", startRequest: wake.startRequest! });
    const [runner] = summarizeRunners(b.events);
    expect(runner.state).toBe("evicted");
    expect(runner.lastTime).toBe(b.events.at(-1)!.time);
    expect(runner.eventCount).toBe(b.events.filter((event) => event.runnerId === "runner-1").length);
  });

  it("lists runners in the order they first appear, and none for a trace without runners", () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    expect(summarizeRunners(b.events)).toEqual([]);
    requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1, newRunnerId: "runner-b" });
    actorSleeps(b, { actorId: "a1", runnerId: "runner-b", generation: 1 });
    requestToSleepingActor(b, { actorId: "a1", requestId: "r2", generation: 2, newRunnerId: "runner-a" });
    expect(summarizeRunners(b.events).map((runner) => runner.runnerId)).toEqual(["runner-b", "runner-a"]);
  });
});
