// The wall clock and wall timers the live engine runs on, injected so tests can drive time by hand.

export interface LiveClock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimer(run: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: LiveClock = {
  now: () => Date.now(),
  setTimer: (run, delayMs) => {
    const handle = setTimeout(run, delayMs);
    // A waiting engine timer must not keep a finished process alive.
    handle.unref?.();
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
