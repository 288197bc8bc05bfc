// The tracker the recorder feeds event by event must find exactly what computeCycles finds on the
// whole run: the same cycles with the same figures, and every event in the same cycle.
import { describe, expect, it } from "vitest";
import { runScenario } from "../runtime/run-scenario";
import { builtInScenarios } from "../runtime/scenarios";
import { CycleTracker, trackCycles } from "./cycle-tracker";
import { computeCycles } from "./cycles";
import { actorSleeps, requestToSleepingActor, sleepingActor } from "./testing/flows";
import { TraceBuilder } from "./testing/trace-builder";
import type { TraceEvent } from "./types";

function recorded(name: string, seed: number): TraceEvent[] {
  const scenario = builtInScenarios().find((s) => s.name === name)!;
  const events: TraceEvent[] = [];
  runScenario(scenario, { seed, sink: (event) => events.push(event) });
  return events;
}

async function expectSameAsComputeCycles(events: TraceEvent[]) {
  const reference = computeCycles("run", events);
  const tracked = await trackCycles("run", events);
  expect(tracked.cycles).toEqual(reference.cycles);
  expect(tracked.cycleOf).toEqual(reference.cycleOf);
  return reference;
}

describe("CycleTracker", () => {
  it.each(builtInScenarios().flatMap((s) => [[s.name, s.seed ?? 1] as const, [s.name, 7] as const]))(
    "%s (seed %i): the same cycles, figures and members as computeCycles",
    async (name, seed) => {
      const { cycles } = await expectSameAsComputeCycles(recorded(name, seed));
      expect(cycles.length).toBeGreaterThan(0);
    },
  );

  it("a retry wake caused by the previous cycle's Stopped: the same as computeCycles", async () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    const slept = actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
    const retry = b.message("Wake", "Gateway", ["ActorWorkflow", "a1"], { actorId: "a1", cause: slept.stopped, payload: { retry: true, attempt: 1 } });
    b.state("a1", "Sleeping", "Pending", { cause: retry, generation: 1 });
    const { cycles } = await expectSameAsComputeCycles(b.events);
    expect(cycles).toHaveLength(2);
  });

  it("reports every event whose cycle moved after it was first answered, with its final cycle", async () => {
    const events = recorded("messy", 1);
    const tracker = new CycleTracker("run");
    const firstAnswer = events.map((event) => tracker.add(event));
    const { changed } = await tracker.complete();
    const final = computeCycles("run", events).cycleOf;
    const moved = events.filter((e, i) => (final.get(e.seq) ?? null) !== firstAnswer[i]).map((e) => e.seq);
    // The causes of a wake were answered before the wake opened their cycle.
    expect(moved.length).toBeGreaterThan(0);
    const changedSeqs = new Set(changed.map((c) => c.seq));
    for (const seq of moved) expect(changedSeqs.has(seq), `seq ${seq}`).toBe(true);
    for (const c of changed) expect(c.cycleId).toBe(final.get(c.seq) ?? null);
  });

  it("lists each cycle once, when it opens", () => {
    const tracker = new CycleTracker("run");
    const opened: string[] = [];
    for (const event of recorded("ideal", 1)) {
      tracker.add(event);
      opened.push(...tracker.takeOpened().map((span) => span.id));
    }
    expect(opened).toEqual(computeCycles("run", recorded("ideal", 1)).cycles.map((c) => c.id));
  });

  it("refuses an event out of order (coded by the recorder before it gets here)", () => {
    const tracker = new CycleTracker("run");
    const [first, second] = recorded("ideal", 1);
    expect(() => tracker.add(second)).toThrow(/expected seq 1/);
    tracker.add(first);
    expect(tracker.eventCount).toBe(1);
  });
});
