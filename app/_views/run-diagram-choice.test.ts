import { describe, expect, it } from "vitest";
import {
  choiceName,
  defaultChoice,
  formatDraw,
  MAX_CYCLES_AT_ONCE,
  parseDraw,
  resolveChoice,
  smallerChoices,
  WHOLE_RUN_DEFAULT_MAX_EVENTS,
  wholeRunDrawable,
  WHOLE_RUN_MAX_EVENTS,
} from "./run-diagram-choice";

const cycles = (count: number) => Array.from({ length: count }, (_, index) => ({ ordinal: index + 1 }));
const small = { eventCount: 180, status: "finished" };
const large = { eventCount: WHOLE_RUN_DEFAULT_MAX_EVENTS + 1, status: "finished" };

describe("what the run page draws", () => {
  it("reads and writes the URL form", () => {
    expect(parseDraw("run")).toEqual({ kind: "run" });
    expect(parseDraw("3")).toEqual({ kind: "cycles", from: 3, to: 3 });
    expect(parseDraw("7-3")).toEqual({ kind: "cycles", from: 3, to: 7 });
    expect(parseDraw("1-999")).toEqual({ kind: "cycles", from: 1, to: MAX_CYCLES_AT_ONCE });
    for (const bad of [null, undefined, "", "0", "x", "3-", "-3", "1.5"]) expect(parseDraw(bad)).toBeNull();
    expect(formatDraw({ kind: "run" })).toBe("run");
    expect(formatDraw({ kind: "cycles", from: 2, to: 2 })).toBe("2");
    expect(formatDraw({ kind: "cycles", from: 2, to: 5 })).toBe("2-5");
    expect(choiceName({ kind: "cycles", from: 2, to: 5 })).toBe("cycles 2–5");
    expect(choiceName({ kind: "cycles", from: 2, to: 2 })).toBe("cycle 2");
  });

  it("opens a small run on the whole run and a large one on a single cycle", () => {
    expect(defaultChoice(small, cycles(2))).toEqual({ kind: "run" });
    expect(defaultChoice(large, cycles(80))).toEqual({ kind: "cycles", from: 1, to: 1 });
    expect(defaultChoice({ ...large, status: "running" }, cycles(80))).toEqual({ kind: "cycles", from: 80, to: 80 });
    expect(defaultChoice(large, [])).toEqual({ kind: "run" });
    expect(wholeRunDrawable({ eventCount: WHOLE_RUN_MAX_EVENTS, status: "finished" })).toBe(true);
    expect(wholeRunDrawable({ eventCount: WHOLE_RUN_MAX_EVENTS + 1, status: "finished" })).toBe(false);
  });

  it("brings a choice into the cycles that exist", () => {
    expect(resolveChoice(null, large, cycles(5))).toEqual({ kind: "cycles", from: 1, to: 1 });
    expect(resolveChoice({ kind: "cycles", from: 4, to: 9 }, large, cycles(5))).toEqual({ kind: "cycles", from: 4, to: 5 });
    expect(resolveChoice({ kind: "cycles", from: 9, to: 9 }, large, cycles(5))).toEqual({ kind: "cycles", from: 1, to: 1 });
    expect(resolveChoice({ kind: "run" }, large, cycles(5))).toEqual({ kind: "run" });
    expect(resolveChoice({ kind: "cycles", from: 1, to: 1 }, large, [])).toEqual({ kind: "run" });
  });

  it("offers something smaller when a drawing is too large, down to one cycle", () => {
    expect(smallerChoices({ kind: "run" }, cycles(80))).toEqual([
      { kind: "cycles", from: 1, to: 5 },
      { kind: "cycles", from: 1, to: 1 },
      { kind: "cycles", from: 80, to: 80 },
    ]);
    expect(smallerChoices({ kind: "cycles", from: 10, to: 20 }, cycles(80))).toEqual([
      { kind: "cycles", from: 10, to: 15 },
      { kind: "cycles", from: 10, to: 10 },
    ]);
    expect(smallerChoices({ kind: "cycles", from: 10, to: 11 }, cycles(80))).toEqual([{ kind: "cycles", from: 10, to: 10 }]);
    // One cycle is as small as it gets: the cycle view draws it a part at a time.
    expect(smallerChoices({ kind: "cycles", from: 10, to: 10 }, cycles(80))).toEqual([]);
  });
});
