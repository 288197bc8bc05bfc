import { describe, expect, it } from "vitest";
import { computeCycles } from "@/lib/trace/cycles";
import { loadScenario } from "@/lib/runtime";
import { runInline } from "@/lib/runtime/testing";
import { mergeEvents, resumeSeq, selectLiveCycle } from "./live-events";
import { cycleEvents } from "./test-traces";

const messy = runInline(loadScenario("messy") as unknown as Record<string, unknown>);

describe("mergeEvents", () => {
  it("appends events in order and keeps the same array when nothing is new", () => {
    const first = mergeEvents(undefined, messy.slice(0, 10));
    expect(first.map((e) => e.seq)).toEqual(messy.slice(0, 10).map((e) => e.seq));
    const second = mergeEvents(first, messy.slice(10, 20));
    expect(second).toHaveLength(20);
    expect(mergeEvents(second, messy.slice(5, 15))).toBe(second);
  });

  it("drops duplicates and sorts out-of-order deliveries after a reconnect", () => {
    const held = mergeEvents(undefined, messy.slice(0, 10));
    const replayed = [...messy.slice(8, 14), messy[4], messy[12]].reverse();
    const merged = mergeEvents(held, replayed);
    expect(merged.map((e) => e.seq)).toEqual(messy.slice(0, 14).map((e) => e.seq));
  });

  it("resumes after the highest seq held", () => {
    expect(resumeSeq(undefined)).toBe(0);
    expect(resumeSeq([])).toBe(0);
    expect(resumeSeq(mergeEvents(undefined, messy.slice(0, 33)))).toBe(33);
  });

  it("ends with the same events whatever the chunks the stream delivered", () => {
    let held = mergeEvents(undefined, []);
    for (let i = 0; i < messy.length; i += 7) held = mergeEvents(held, messy.slice(Math.max(0, i - 3), i + 7));
    expect(held).toEqual(messy);
  });
});

describe("selectLiveCycle", () => {
  it("selects the same events as a stored cycle once the run is complete", () => {
    const { cycles } = computeCycles("run", messy);
    for (const cycle of cycles) {
      const live = selectLiveCycle("run", messy, cycle.actorId, cycle.ordinal);
      expect(live.cycle).toEqual(cycle);
      const members = cycleEvents("run", messy, cycle.ordinal);
      // Enclosing phases from outside the cycle are added, nothing else.
      expect(live.events.filter((e) => e.cycleId === cycle.id)).toEqual(members);
      for (const extra of live.events.filter((e) => e.cycleId !== cycle.id)) expect(extra.kind).toMatch(/^phase-/);
    }
  });

  it("finds an open cycle while the run records, and nothing before it starts", () => {
    const { cycles, cycleOf } = computeCycles("run", messy);
    const first = cycles[0];
    const partial = messy.filter((e) => e.seq <= first.firstSeq + 10);
    const live = selectLiveCycle("run", partial, first.actorId, 1);
    expect(live.cycle?.outcome).toBe("open");
    expect(live.events.length).toBeGreaterThan(0);
    expect(live.events.every((e) => e.seq <= first.firstSeq + 10)).toBe(true);
    expect(selectLiveCycle("run", messy.slice(0, 1), first.actorId, 1)).toEqual({ cycles: [], cycle: null, events: [] });
    expect(cycleOf.size).toBeGreaterThan(0);
  });
});
