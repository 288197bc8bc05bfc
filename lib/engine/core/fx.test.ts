import { describe, expect, it } from "vitest";
import { Fx, TIMERS_PER_STEP } from "./fx";
import { stepView } from "./testing";

const SELF = { role: "Runner", id: "runner-1" } as const;

describe("Fx timers", () => {
  it("gives each step's timers keys no other step's timers take", () => {
    const first = new Fx(stepView({ self: SELF, stepId: 1 }));
    const second = new Fx(stepView({ self: SELF, stepId: 2 }));
    const keys = new Set<number>();
    for (let n = 0; n < TIMERS_PER_STEP; n++) keys.add(first.setTimer("tick", 10));
    for (let n = 0; n < 3; n++) keys.add(second.setTimer("tick", 10));
    expect(keys.size).toBe(TIMERS_PER_STEP + 3);
  });

  it("refuses a timer past the step's share of keys rather than take the next step's", () => {
    const fx = new Fx(stepView({ self: SELF, stepId: 1 }));
    for (let n = 0; n < TIMERS_PER_STEP; n++) fx.setTimer("tick", 10);
    expect(() => fx.setTimer("tick", 10)).toThrow(`a step sets at most ${TIMERS_PER_STEP} timers`);
    expect(fx.effects).toHaveLength(TIMERS_PER_STEP);
  });
});
