// Replay of a cycle step by step. Pure: the position is a step index, null meaning "the end" (the
// whole cycle drawn, nothing highlighted), so that reaching the last step and showing everything
// are one and the same state — and a live cycle that grows while at the end keeps showing it all.

export interface ReplayState {
  /** Index into the view's steps; null at the end. */
  position: number | null;
  playing: boolean;
}

export type ReplayAction =
  | { type: "play" }
  | { type: "pause" }
  | { type: "toggle" }
  /** One step forward (+1) or back (−1); pauses. */
  | { type: "step"; delta: 1 | -1 }
  | { type: "first" }
  | { type: "last" }
  /** Jump to a step (the scrubber); its last value is the end. */
  | { type: "seek"; index: number }
  /** The player's clock: one step forward while playing; stops at the end. */
  | { type: "tick" };

export const REPLAY_END: ReplayState = { position: null, playing: false };

/** Brings `index` into the steps; the last step is the end (null). */
export function normalizePosition(index: number | null, stepCount: number): number | null {
  if (index === null || stepCount === 0) return null;
  const clamped = Math.min(Math.max(Math.trunc(index), 0), stepCount - 1);
  return clamped >= stepCount - 1 ? null : clamped;
}

/** The index the scrubber shows: the position, or the last step at the end. */
export function scrubberValue(state: ReplayState, stepCount: number): number {
  return state.position ?? Math.max(0, stepCount - 1);
}

export function replayReducer(state: ReplayState, action: ReplayAction, stepCount: number): ReplayState {
  const at = (index: number | null, playing = false): ReplayState => {
    const position = normalizePosition(index, stepCount);
    // Nothing left to play at the end.
    return { position, playing: playing && position !== null };
  };
  switch (action.type) {
    case "play":
      if (stepCount < 2) return at(null);
      // From the end, playing starts over.
      return at(state.position ?? 0, true);
    case "pause":
      return { ...state, playing: false };
    case "toggle":
      return replayReducer(state, { type: state.playing ? "pause" : "play" }, stepCount);
    case "step":
      if (state.position === null) return action.delta > 0 ? at(null) : at(stepCount - 2);
      return at(state.position + action.delta);
    case "first":
      return at(0);
    case "last":
      return at(null);
    case "seek":
      return at(action.index, state.playing);
    case "tick":
      if (!state.playing || state.position === null) return { ...state, playing: false };
      return at(state.position + 1, true);
  }
}

/** Wall milliseconds between two steps at a replay rate (1 = one step per second). */
export function stepInterval(rate: number): number {
  return Math.round(1000 / Math.max(rate, 0.01));
}
