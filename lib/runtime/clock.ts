// The one clock port every driver runs on: the time and timers of the world outside the engine
// (the wall clock in production, a hand-driven fake in tests). The engine itself never reads it:
// drivers advance the engine's virtual clock to it.

export interface Clock {
  /** Milliseconds (epoch for the wall clock, monotonic for pacing). */
  now(): number;
  setTimer(run: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** Epoch time; a waiting engine timer must not keep a finished process alive. */
export const wallClock: Clock = {
  now: () => Date.now(),
  setTimer: (run, delayMs) => {
    const handle = setTimeout(run, delayMs);
    handle.unref?.();
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Monotonic time, for pacing a scenario (its timers keep the process alive while it runs). */
export const monotonicClock: Clock = {
  now: () => performance.now(),
  setTimer: (run, delayMs) => setTimeout(run, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
