// Drives an engine runtime on wall time: engine time advances as wall time passes, multiplied by a
// speed, so a scenario can be watched while it happens. The wall clock and its timers come in from
// outside, so tests drive the driver with a fake clock and no real waiting. Work is done in slices
// of wall time, one scheduled engine time after another, and the event loop is free between them:
// a scenario that is heavy for its speed falls behind its pace instead of stalling the process.
import { monotonicClock, type Clock } from "../clock";

/** What the driver needs of the engine runtime (EngineRuntime has exactly this). */
export interface PacedTarget {
  readonly now: number;
  advanceTo(time: number): void;
  /** Engine time of the next scheduled work, or null when idle. */
  nextWorkAt(): number | null;
}

export interface PacedDriverOptions {
  target: PacedTarget;
  /** Engine time at which the run is over. */
  endTime: number;
  /** Engine milliseconds per wall millisecond: 1 is real time, 10 is ten times faster. */
  speed: number;
  clock?: Clock;
  /** Longest wall wait between two advances, so progress shows even through idle stretches. */
  maxWaitMs?: number;
  /** Shortest wall wait: work due within it is done together instead of in a tight loop. */
  minWaitMs?: number;
  /** Longest wall time one advance may take before the event loop gets a turn. */
  sliceMs?: number;
  /** Called after every advance with the engine time reached. */
  onProgress?: (engineTime: number) => void;
}

export interface PacedOutcome {
  /** Engine time reached. */
  engineTime: number;
  /** True when `stop()` ended the run before its end time. */
  stopped: boolean;
}

export interface PacedDriver {
  /** Settles when the end time is reached (or on stop); rejects when the engine throws. */
  readonly done: Promise<PacedOutcome>;
  stop(): void;
}

export class PacedDriverError extends Error {
  readonly code = "invalid_speed";
  constructor(message: string) {
    super(message);
    this.name = "PacedDriverError";
  }
}

const DEFAULT_MAX_WAIT_MS = 250;
const DEFAULT_MIN_WAIT_MS = 10;
export const DEFAULT_SLICE_MS = 5;

/**
 * Advances `target` to `due` one scheduled engine time after another (the same tasks in the same
 * order as one advance to `due`), stopping early once `overBudget()` says the slice is used up.
 * Returns true when `due` was reached.
 */
export function advanceInSlice(target: PacedTarget, due: number, overBudget: () => boolean): boolean {
  for (;;) {
    const next = target.nextWorkAt();
    if (next === null || next > due) {
      // Also at an unchanged time: work scheduled for exactly now is due.
      if (due >= target.now) target.advanceTo(due);
      return true;
    }
    target.advanceTo(Math.max(next, target.now));
    if (overBudget()) return false;
  }
}

export interface SliceOptions {
  sliceMs?: number;
  clock?: Pick<Clock, "now">;
  /** Awaited between slices (a consumer of the events that needs the engine to wait for it). */
  between?: () => Promise<void> | void;
}

/**
 * Runs `target` to `endTime` as fast as it goes (an instant run), a slice of wall time at a time,
 * with the event loop free between slices. Same events, same order as one advance to the end.
 */
export async function runInSlices(target: PacedTarget, endTime: number, options: SliceOptions = {}): Promise<void> {
  const clock = options.clock ?? monotonicClock;
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  for (;;) {
    const until = clock.now() + sliceMs;
    if (advanceInSlice(target, endTime, () => clock.now() >= until)) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    await options.between?.();
  }
}

/** Starts driving at once (the first advance runs on the next timer turn). */
export function startPacedDriver(options: PacedDriverOptions): PacedDriver {
  const { target, endTime, speed } = options;
  if (!Number.isFinite(speed) || speed <= 0) throw new PacedDriverError(`speed must be a positive number, not ${speed}`);
  if (!Number.isFinite(endTime) || endTime < target.now) {
    throw new PacedDriverError(`end time ${endTime} is not after the engine's time ${target.now}`);
  }
  const clock = options.clock ?? monotonicClock;
  const maxWait = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const minWait = Math.min(options.minWaitMs ?? DEFAULT_MIN_WAIT_MS, maxWait);
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const wallStart = clock.now();
  const engineStart = target.now;

  let handle: unknown = null;
  let settled = false;
  let resolveDone!: (outcome: PacedOutcome) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<PacedOutcome>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  function settle(outcome: PacedOutcome | { error: unknown }) {
    if (settled) return;
    settled = true;
    if (handle !== null) clock.clearTimer(handle);
    handle = null;
    if ("error" in outcome) rejectDone(outcome.error);
    else resolveDone(outcome);
  }

  function tick() {
    handle = null;
    if (settled) return;
    const started = clock.now();
    const due = Math.min(endTime, engineStart + (started - wallStart) * speed);
    let caughtUp: boolean;
    try {
      caughtUp = advanceInSlice(target, due, () => clock.now() - started >= sliceMs);
      options.onProgress?.(target.now);
    } catch (error) {
      settle({ error });
      return;
    }
    if (target.now >= endTime) {
      settle({ engineTime: target.now, stopped: false });
      return;
    }
    if (!caughtUp) {
      // Behind the pace: carry on after the event loop had its turn.
      handle = clock.setTimer(tick, 0);
      return;
    }
    // Sleep until the next piece of work is due (in wall time), within the bounds above.
    const next = target.nextWorkAt();
    const engineWait = Math.min(next ?? endTime, endTime) - target.now;
    const wallWait = Math.min(maxWait, Math.max(minWait, engineWait / speed));
    handle = clock.setTimer(tick, wallWait);
  }

  handle = clock.setTimer(tick, 0);
  return {
    done,
    stop() {
      settle({ engineTime: target.now, stopped: true });
    },
  };
}
