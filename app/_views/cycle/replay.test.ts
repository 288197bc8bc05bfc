import { describe, expect, it } from "vitest";
import { normalizePosition, REPLAY_END, replayReducer, scrubberValue, stepInterval, type ReplayAction, type ReplayState } from "./replay";

const run = (state: ReplayState, actions: ReplayAction[], steps: number) =>
  actions.reduce((current, action) => replayReducer(current, action, steps), state);

describe("replayReducer", () => {
  it("plays from the start when at the end, one step per tick, and stops at the end", () => {
    let state = replayReducer(REPLAY_END, { type: "play" }, 3);
    expect(state).toEqual({ position: 0, playing: true });
    state = replayReducer(state, { type: "tick" }, 3);
    expect(state).toEqual({ position: 1, playing: true });
    state = replayReducer(state, { type: "tick" }, 3);
    // The last step is the end: everything drawn, playback over.
    expect(state).toEqual(REPLAY_END);
    expect(replayReducer(state, { type: "tick" }, 3)).toEqual(REPLAY_END);
  });

  it("steps forward and back and pauses while doing so", () => {
    const playing = { position: 2, playing: true };
    expect(replayReducer(playing, { type: "step", delta: 1 }, 10)).toEqual({ position: 3, playing: false });
    expect(replayReducer(playing, { type: "step", delta: -1 }, 10)).toEqual({ position: 1, playing: false });
    expect(replayReducer({ position: 0, playing: false }, { type: "step", delta: -1 }, 10)).toEqual({ position: 0, playing: false });
    // Back from the end lands on the step before the last; forward at the end stays there.
    expect(replayReducer(REPLAY_END, { type: "step", delta: -1 }, 10)).toEqual({ position: 8, playing: false });
    expect(replayReducer(REPLAY_END, { type: "step", delta: 1 }, 10)).toEqual(REPLAY_END);
    expect(replayReducer({ position: 8, playing: false }, { type: "step", delta: 1 }, 10)).toEqual(REPLAY_END);
  });

  it("Home and End jump to the first step and to the whole cycle", () => {
    expect(replayReducer({ position: 5, playing: true }, { type: "first" }, 10)).toEqual({ position: 0, playing: false });
    expect(replayReducer({ position: 5, playing: true }, { type: "last" }, 10)).toEqual(REPLAY_END);
  });

  it("seeks with the scrubber, clamped, keeping play on", () => {
    expect(replayReducer({ position: 1, playing: true }, { type: "seek", index: 4 }, 10)).toEqual({ position: 4, playing: true });
    expect(replayReducer({ position: 1, playing: false }, { type: "seek", index: -5 }, 10)).toEqual({ position: 0, playing: false });
    expect(replayReducer({ position: 1, playing: true }, { type: "seek", index: 99 }, 10)).toEqual(REPLAY_END);
  });

  it("toggles play and pause (the space key)", () => {
    const state = run(REPLAY_END, [{ type: "toggle" }, { type: "tick" }, { type: "toggle" }], 5);
    expect(state).toEqual({ position: 1, playing: false });
    expect(replayReducer(state, { type: "toggle" }, 5)).toEqual({ position: 1, playing: true });
  });

  it("has nothing to play with fewer than two steps", () => {
    expect(replayReducer(REPLAY_END, { type: "play" }, 1)).toEqual(REPLAY_END);
    expect(replayReducer(REPLAY_END, { type: "play" }, 0)).toEqual(REPLAY_END);
    expect(replayReducer(REPLAY_END, { type: "step", delta: -1 }, 0)).toEqual(REPLAY_END);
  });
});

describe("positions", () => {
  it("treats the last step as the end and clamps the rest", () => {
    expect(normalizePosition(9, 10)).toBeNull();
    expect(normalizePosition(12, 10)).toBeNull();
    expect(normalizePosition(-1, 10)).toBe(0);
    expect(normalizePosition(3.7, 10)).toBe(3);
    expect(normalizePosition(3, 0)).toBeNull();
  });

  it("shows the end on the scrubber's last value", () => {
    expect(scrubberValue(REPLAY_END, 10)).toBe(9);
    expect(scrubberValue({ position: 4, playing: false }, 10)).toBe(4);
    expect(scrubberValue(REPLAY_END, 0)).toBe(0);
  });

  it("spaces steps by the replay rate", () => {
    expect(stepInterval(1)).toBe(1000);
    expect(stepInterval(4)).toBe(250);
    expect(stepInterval(0.5)).toBe(2000);
  });
});
