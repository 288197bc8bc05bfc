// What the engine keeps per runner key stays as large as the actors it hosts, however many times
// they wake and sleep, and still tells re-sent events from new ones.
import { describe, expect, it } from "vitest";
import { RunnerKeyState } from "./runner-state";

const checkpoint = (actorId: string, generation: number, index: number) => ({ actorId, generation, index });

describe("RunnerKeyState", () => {
  it("takes each event once, and treats an older generation's events as re-sent", () => {
    const state = new RunnerKeyState();
    expect(state.takeEvent(checkpoint("a", 1, 0))).toBe(true);
    expect(state.takeEvent(checkpoint("a", 1, 0))).toBe(false);
    expect(state.takeEvent(checkpoint("a", 1, 1))).toBe(true);
    expect(state.hasEvents("a", 1)).toBe(true);
    expect(state.hasEvents("a", 2)).toBe(false);
    state.commandSent("a", 2);
    expect(state.takeEvent(checkpoint("a", 1, 2))).toBe(false);
    expect(state.takeEvent(checkpoint("a", 2, 0))).toBe(true);
  });

  it("remembers one entry per actor across 10,000 wake/sleep cycles", () => {
    const state = new RunnerKeyState();
    for (let generation = 1; generation <= 10_000; generation++) {
      for (const actorId of ["a", "b"]) {
        state.commandSent(actorId, generation);
        state.takeEvent(checkpoint(actorId, generation, 0));
        state.takeEvent(checkpoint(actorId, generation, 1));
        state.commandSent(actorId, generation);
      }
    }
    expect(state.rememberedActors).toBe(2);
  });
});
