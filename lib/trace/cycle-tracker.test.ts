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

  it("reports every written event whose cycle moved after it was written, with its final cycle", async () => {
    const events = recorded("messy", 1);
    const tracker = new CycleTracker("run");
    // Each event written as soon as it is recorded: nothing is known yet of what follows it.
    const written = events.map((event) => {
      tracker.add(event);
      return tracker.cycleIdsToWrite(event.seq, event.seq)[0];
    });
    const { changed } = await tracker.complete();
    const final = computeCycles("run", events).cycleOf;
    const moved = events.filter((e, i) => (final.get(e.seq) ?? null) !== written[i]).map((e) => e.seq);
    // The causes of a wake were written before the wake opened their cycle.
    expect(moved.length).toBeGreaterThan(0);
    expect(changed.map((c) => c.seq)).toEqual(moved);
    for (const c of changed) expect(c.cycleId).toBe(final.get(c.seq) ?? null);
  });

  it.each([1, 50, 500])("written in batches of %i: exactly the events written with another cycle than their final one are changed", async (size) => {
    for (const name of ["messy", "ideal"]) {
      const events = recorded(name, 1);
      const tracker = new CycleTracker("run");
      const written: (string | null)[] = [];
      for (let start = 0; start < events.length; start += size) {
        const batch = events.slice(start, start + size);
        for (const event of batch) tracker.add(event);
        written.push(...tracker.cycleIdsToWrite(batch[0].seq, batch[batch.length - 1].seq));
      }
      const { changed } = await tracker.complete();
      const final = computeCycles("run", events).cycleOf;
      const moved = events.filter((e, i) => (final.get(e.seq) ?? null) !== written[i]).map((e) => e.seq);
      expect(changed.map((c) => c.seq)).toEqual(moved);
      for (const c of changed) expect(c.cycleId).toBe(final.get(c.seq) ?? null);
    }
  });

  it("writes a request's phase with the cycle of its first content, so a busy cycle moves nothing at the end", async () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    const events = b.events;
    expect(events.some((e) => e.kind === "phase-start")).toBe(true);
    const tracker = new CycleTracker("run");
    for (const event of events) tracker.add(event);
    const written = tracker.cycleIdsToWrite(1, events.length);
    const { changed } = await tracker.complete();
    const final = computeCycles("run", events).cycleOf;
    expect(written).toEqual(events.map((e) => final.get(e.seq) ?? null));
    expect(changed).toEqual([]);
  });

  it("refuses to hand out cycles for events out of write order", () => {
    const tracker = new CycleTracker("run");
    for (const event of recorded("ideal", 1).slice(0, 5)) tracker.add(event);
    expect(() => tracker.cycleIdsToWrite(2, 3)).toThrow(/not the next to write/);
    expect(() => tracker.cycleIdsToWrite(1, 6)).toThrow(/not the next to write/);
    expect(tracker.cycleIdsToWrite(1, 5)).toHaveLength(5);
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
