import { describe, expect, it } from "vitest";
import { EngineSession } from "../engine-session";
import { startPacedDriver, type PacedTarget } from "./paced";
import type { Clock } from "../clock";
import { parseScenario } from "../scenarios";
import { Scheduler } from "../scheduler";

/** A wall clock that only moves when the test says so, firing due timers in order. */
class FakeClock implements Clock {
  private time = 0;
  private nextId = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.timers.set(id, { at: this.time + Math.max(0, ms), callback });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  /** Moves wall time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = end;
  }
}

/** A scheduler with a log of the engine time each task ran at. */
function fakeEngine(taskTimes: number[]): PacedTarget & { ran: number[] } {
  const scheduler = new Scheduler();
  const ran: number[] = [];
  for (const time of taskTimes) scheduler.at(time, () => ran.push(scheduler.now));
  return {
    ran,
    get now() {
      return scheduler.now;
    },
    advanceTo: (time) => scheduler.advanceTo(time),
    nextWorkAt: () => scheduler.peekTime(),
  };
}

describe("startPacedDriver", () => {
  it("runs engine work when wall time × speed reaches it, never earlier", () => {
    const clock = new FakeClock();
    const engine = fakeEngine([0, 500, 1_000, 3_000]);
    startPacedDriver({ target: engine, endTime: 4_000, speed: 2, clock });

    clock.advance(0);
    expect(engine.ran).toEqual([0]);
    clock.advance(249); // engine time 498: the task at 500 is not due yet
    expect(engine.ran).toEqual([0]);
    expect(engine.now).toBeLessThan(500);
    clock.advance(1); // wall 250 × 2 = engine 500
    expect(engine.ran).toEqual([0, 500]);
    clock.advance(250);
    expect(engine.ran).toEqual([0, 500, 1_000]);
    clock.advance(999);
    expect(engine.ran).toEqual([0, 500, 1_000]);
    clock.advance(1);
    expect(engine.ran).toEqual([0, 500, 1_000, 3_000]);
  });

  it("finishes at the end time exactly and then stops scheduling", async () => {
    const clock = new FakeClock();
    const engine = fakeEngine([100, 9_000]);
    const progress: number[] = [];
    const driver = startPacedDriver({ target: engine, endTime: 1_000, speed: 1, clock, onProgress: (t) => progress.push(t) });
    clock.advance(5_000);
    await expect(driver.done).resolves.toEqual({ engineTime: 1_000, stopped: false });
    expect(engine.ran).toEqual([100]); // the task after the end time never runs
    expect(engine.now).toBe(1_000);
    expect(clock.pending).toBe(0);
    // Progress is reported through idle stretches too, and never goes back.
    expect(progress.length).toBeGreaterThan(3);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it("reports progress at least every maxWaitMs while the engine is idle", () => {
    const clock = new FakeClock();
    const engine = fakeEngine([]);
    const progress: number[] = [];
    startPacedDriver({ target: engine, endTime: 10_000, speed: 1, clock, maxWaitMs: 100, onProgress: (t) => progress.push(t) });
    clock.advance(1_000);
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress.at(-1)).toBe(1_000);
  });

  it("stop() ends the run where it is", async () => {
    const clock = new FakeClock();
    const engine = fakeEngine([100, 5_000]);
    const driver = startPacedDriver({ target: engine, endTime: 10_000, speed: 1, clock });
    clock.advance(200);
    const reached = engine.now;
    driver.stop();
    clock.advance(10_000);
    await expect(driver.done).resolves.toEqual({ engineTime: reached, stopped: true });
    expect(engine.now).toBe(reached);
    expect(engine.ran).toEqual([100]);
    expect(clock.pending).toBe(0);
  });

  it("rejects when the engine throws, and stops", async () => {
    const clock = new FakeClock();
    const scheduler = new Scheduler();
    scheduler.at(50, () => {
      throw new Error("participant broke");
    });
    const target: PacedTarget = {
      get now() {
        return scheduler.now;
      },
      advanceTo: (time) => scheduler.advanceTo(time),
      nextWorkAt: () => scheduler.peekTime(),
    };
    const driver = startPacedDriver({ target, endTime: 1_000, speed: 1, clock });
    clock.advance(100);
    await expect(driver.done).rejects.toThrow("participant broke");
    expect(clock.pending).toBe(0);
  });

  it("refuses a speed that is not a positive number", () => {
    const engine = fakeEngine([]);
    for (const speed of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => startPacedDriver({ target: engine, endTime: 10, speed, clock: new FakeClock() })).toThrow(/speed/);
    }
  });

  it("records the same trace as an instant run of the same scenario and seed", async () => {
    const scenario = parseScenario({
      name: "paced",
      durationMs: 3_000,
      pools: [{ name: "default", slotsPerRunner: 1, requestLifespan: 300, drainGracePeriod: 5 }],
      actors: [{ id: "actor-1" }],
      steps: [
        { at: 10, request: { actor: "actor-1" } },
        { at: 1_500, request: { actor: "actor-1", path: "/two" } },
      ],
    });
    const instant: unknown[] = [];
    new EngineSession(scenario, 7, (event) => instant.push(event)).runtime.advanceTo(3_000);

    const paced: unknown[] = [];
    const session = new EngineSession(scenario, 7, (event) => paced.push(event));
    const clock = new FakeClock();
    const driver = startPacedDriver({ target: session.runtime, endTime: 3_000, speed: 4, clock });
    clock.advance(300); // engine 1,200: the first request has been served, the second not sent yet
    const partway = paced.length;
    expect(partway).toBeGreaterThan(0);
    expect(partway).toBeLessThan(instant.length);
    clock.advance(500);
    await driver.done;
    expect(paced).toEqual(instant);
  });
});
