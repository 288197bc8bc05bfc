import { describe, expect, it } from "vitest";
import { chooseWindow, isWindowed, shiftedStart } from "./windowing";

describe("chooseWindow", () => {
  it("draws everything when it fits", () => {
    expect(chooseWindow(120, 250, { kind: "end" })).toEqual({ start: 0, end: 120, total: 120 });
    expect(isWindowed(chooseWindow(120, 250, { kind: "start" }))).toBe(false);
  });

  it("starts, ends or begins where asked, never past the edges", () => {
    expect(chooseWindow(5_000, 250, { kind: "start" })).toEqual({ start: 0, end: 250, total: 5_000 });
    expect(chooseWindow(5_000, 250, { kind: "end" })).toEqual({ start: 4_750, end: 5_000, total: 5_000 });
    expect(chooseWindow(5_000, 250, { kind: "from", index: 1_000 })).toEqual({ start: 1_000, end: 1_250, total: 5_000 });
    expect(chooseWindow(5_000, 250, { kind: "from", index: 4_900 })).toEqual({ start: 4_750, end: 5_000, total: 5_000 });
  });

  it("keeps the focus inside with context on both sides", () => {
    for (const focus of [0, 1, 124, 125, 2_222, 4_000, 4_998, 4_999]) {
      const window = chooseWindow(5_000, 250, { kind: "around", index: focus });
      expect(window.end - window.start).toBe(250);
      expect(focus).toBeGreaterThanOrEqual(window.start);
      expect(focus).toBeLessThan(window.end);
      if (window.start > 0 && window.end < 5_000) {
        expect(focus - window.start).toBeGreaterThanOrEqual(62);
        expect(window.end - 1 - focus).toBeGreaterThanOrEqual(62);
      }
    }
  });

  it("keeps the same window while a replay steps through its middle (no redraw jumps)", () => {
    const starts = new Set<number>();
    for (let focus = 1_000; focus < 1_125; focus++) starts.add(chooseWindow(5_000, 250, { kind: "around", index: focus }).start);
    expect(starts.size).toBe(1);
  });
});

describe("shiftedStart", () => {
  it("moves by half a window, within the edges", () => {
    const window = chooseWindow(1_000, 200, { kind: "from", index: 300 });
    expect(shiftedStart(window, 1, 200)).toBe(400);
    expect(shiftedStart(window, -1, 200)).toBe(200);
    expect(shiftedStart(chooseWindow(1_000, 200, { kind: "start" }), -1, 200)).toBe(0);
    expect(shiftedStart(chooseWindow(1_000, 200, { kind: "end" }), 1, 200)).toBe(800);
  });
});
