import { describe, expect, it } from "vitest";
import { loadScenario } from "@/lib/runtime";
import { runInline } from "@/lib/runtime/testing";
import { computeCycles } from "@/lib/trace/cycles";
import { combineCycles, MAX_RANGE, mergeSelections, rangeName, rangeOrdinals } from "./cycle-range";
import { selectLiveCycle } from "./live-events";

const messy = runInline(loadScenario("messy") as unknown as Record<string, unknown>);
const { cycles } = computeCycles("run", messy);

describe("rangeOrdinals", () => {
  it("lists the cycles from the first through the last, within bounds", () => {
    expect(rangeOrdinals(2, null)).toEqual([2]);
    expect(rangeOrdinals(2, 4)).toEqual([2, 3, 4]);
    expect(rangeOrdinals(3, 1)).toEqual([3]);
    expect(rangeOrdinals(1, 1_000)).toHaveLength(MAX_RANGE);
  });
});

describe("a range of cycles", () => {
  it("has the events of each cycle once, in order", () => {
    expect(cycles.length).toBeGreaterThan(1);
    const selections = cycles.map((cycle) => selectLiveCycle("run", messy, cycle.actorId, cycle.ordinal));
    const merged = mergeSelections(selections);
    expect(merged.map((e) => e.seq)).toEqual([...new Set(selections.flatMap((s) => s.events.map((e) => e.seq)))].sort((a, b) => a - b));
    for (const cycle of cycles) expect(merged.filter((e) => e.cycleId === cycle.id)).toHaveLength(cycle.eventCount);
  });

  it("sums up as one cycle: first start, last end and outcome, every anomaly", () => {
    const combined = combineCycles(cycles);
    const last = cycles[cycles.length - 1];
    expect(combined).toMatchObject({ ordinal: 1, startTime: cycles[0].startTime, endTime: last.endTime, outcome: last.outcome });
    expect(combined.eventCount).toBe(cycles.reduce((sum, c) => sum + c.eventCount, 0));
    expect(combined.anomalies).toEqual(cycles.flatMap((c) => c.anomalies));
    expect(combineCycles([cycles[0]])).toBe(cycles[0]);
    expect(rangeName(cycles.slice(0, 1))).toBe("cycle 1");
    expect(rangeName(cycles.slice(0, 2))).toBe("cycles 1–2");
  });
});
