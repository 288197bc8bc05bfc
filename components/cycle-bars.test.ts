import { describe, expect, it } from "vitest";
import { cycleBar, pageOf, runSpan } from "./cycle-bars";

const cycle = (startTime: number, endTime: number | null, wakeToReadyMs: number | null = null) => ({ startTime, endTime, wakeToReadyMs });

describe("cycle bars", () => {
  it("places each cycle in the run's span, with its wake as a share of it", () => {
    const cycles = [cycle(0, 100, 25), cycle(100, 400, 30), cycle(500, 1000, null)];
    const span = runSpan(cycles)!;
    expect(span).toEqual({ start: 0, end: 1000 });
    expect(cycleBar(cycles[0], span)).toEqual({ left: 0, width: 10, wake: 25 });
    expect(cycleBar(cycles[1], span)).toEqual({ left: 10, width: 30, wake: 10 });
    expect(cycleBar(cycles[2], span)).toEqual({ left: 50, width: 50, wake: 0 });
  });

  it("keeps short cycles visible and open cycles running to now", () => {
    const span = { start: 0, end: 100_000 };
    expect(cycleBar(cycle(50_000, 50_001), span).width).toBeGreaterThan(0.5);
    expect(cycleBar(cycle(99_999, 100_000), span).left + cycleBar(cycle(99_999, 100_000), span).width).toBeLessThanOrEqual(100);
    expect(runSpan([cycle(0, 10), cycle(20, null)], 50)).toEqual({ start: 0, end: 50 });
    expect(cycleBar(cycle(20, null), { start: 0, end: 50 }, 50)).toMatchObject({ left: 40, width: 60 });
    expect(runSpan([])).toBeNull();
  });

  it("pages rows", () => {
    expect(pageOf(120, 0, 50)).toEqual({ start: 0, end: 50, page: 0, pages: 3 });
    expect(pageOf(120, 2, 50)).toEqual({ start: 100, end: 120, page: 2, pages: 3 });
    expect(pageOf(120, 9, 50)).toEqual({ start: 100, end: 120, page: 2, pages: 3 });
    expect(pageOf(0, 0, 50)).toEqual({ start: 0, end: 0, page: 0, pages: 1 });
  });
});
