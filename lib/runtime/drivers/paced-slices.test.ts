// Heavy work is done in slices: the same tasks in the same order as one advance, with the event loop
// free between slices, for paced runs that fall behind their pace and for instant runs.
import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../trace/types";
import { EngineSession, scenarioDuration } from "../engine-session";
import { advanceInSlice, runInSlices, startPacedDriver, type PacedTarget } from "./paced";
import type { Clock } from "../clock";
import { runScenario } from "../run-scenario";
import { parseScenario } from "../scenarios";
import { Scheduler } from "../scheduler";

/** A wall clock where every look costs a millisecond (so a slice fills up), with timers run by the test. */
class CostlyClock implements Clock {
  time = 0;
  readonly timers: { at: number; callback: () => void }[] = [];
  now(): number {
    return ++this.time;
  }
  setTimer(callback: () => void, ms: number): unknown {
    const timer = { at: this.time + ms, callback };
    this.timers.push(timer);
    return timer;
  }
  clearTimer(handle: unknown): void {
    const index = this.timers.indexOf(handle as (typeof this.timers)[number]);
    if (index >= 0) this.timers.splice(index, 1);
  }
  /** Runs the earliest timer; false when none is left. */
  runNext(): boolean {
    this.timers.sort((a, b) => a.at - b.at);
    const next = this.timers.shift();
    if (!next) return false;
    this.time = Math.max(this.time, next.at);
    next.callback();
    return true;
  }
}

/** Tasks at the given engine times, each scheduling a follow-up at the same time (ties keep their order). */
function engine(times: number[]): PacedTarget & { ran: string[] } {
  const scheduler = new Scheduler();
  const ran: string[] = [];
  times.forEach((time, i) =>
    scheduler.at(time, () => {
      ran.push(`${i}@${scheduler.now}`);
      scheduler.at(scheduler.now, () => ran.push(`${i}'@${scheduler.now}`));
    }),
  );
  return { ran, get now() { return scheduler.now; }, advanceTo: (t) => scheduler.advanceTo(t), nextWorkAt: () => scheduler.peekTime() };
}

/** A scenario heavy for its length: many requests to one actor that stays awake. */
const busy = (requests: number) =>
  parseScenario({
    name: "busy",
    durationMs: requests * 2 + 1_000,
    config: { timing: { sleepTimeoutMs: 3_600_000 } },
    pools: [{ name: "default", requestLifespan: 3_600 }],
    actors: [{ id: "actor-1" }],
    steps: Array.from({ length: requests }, (_, i) => ({ at: 10 + i * 2, request: { actor: "actor-1", path: "/" } })),
  });

describe("advanceInSlice", () => {
  it("runs the same tasks in the same order as one advance, and stops when the slice is used up", () => {
    const times = [0, 0, 3, 3, 7, 20, 20, 41];
    const whole = engine(times);
    whole.advanceTo(30);

    const sliced = engine(times);
    let looks = 0;
    const slices: number[] = [];
    while (!advanceInSlice(sliced, 30, () => ++looks % 2 === 0)) slices.push(sliced.now);
    expect(sliced.ran).toEqual(whole.ran);
    expect(sliced.now).toBe(30);
    // One scheduled time per look, two looks per slice.
    expect(slices).toEqual([3, 20]);
  });
});

describe("startPacedDriver", () => {
  it("splits work it cannot do within a slice over several timer turns, recording the same events", async () => {
    const scenario = busy(300);
    const instant: TraceEvent[] = [];
    runScenario(scenario, { seed: 2, sink: (event) => instant.push(event) });

    const paced: TraceEvent[] = [];
    const session = new EngineSession(scenario, 2, (event) => paced.push(event));
    const clock = new CostlyClock();
    const progress: number[] = [];
    // Far too fast to keep up with: every tick is cut short after 5 looks at the clock.
    const driver = startPacedDriver({ target: session.runtime, endTime: scenarioDuration(scenario), speed: 1_000_000, clock, sliceMs: 5, onProgress: (t) => progress.push(t) });
    let turns = 0;
    while (clock.runNext()) turns += 1;
    await expect(driver.done).resolves.toEqual({ engineTime: scenarioDuration(scenario), stopped: false });
    expect(turns).toBeGreaterThan(50);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(paced).toEqual(instant);
  });
});

describe("runInSlices", () => {
  it("runs to the end with the event loop turning between slices, recording what one advance records", async () => {
    const scenario = busy(500);
    const whole: TraceEvent[] = [];
    runScenario(scenario, { seed: 5, sink: (event) => whole.push(event) });

    const sliced: TraceEvent[] = [];
    const session = new EngineSession(scenario, 5, (event) => sliced.push(event));
    // Count the event loop's turns while the run goes on.
    let turns = 0;
    let running = true;
    const spin = () => {
      if (!running) return;
      turns += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    await runInSlices(session.runtime, scenarioDuration(scenario), { sliceMs: 1, clock: new CostlyClock() });
    running = false;
    expect(turns).toBeGreaterThan(10);
    expect(session.runtime.now).toBe(scenarioDuration(scenario));
    expect(sliced).toEqual(whole);
  });

  it("waits for `between` after each slice (a consumer that needs the engine to hold on), with the same events", async () => {
    const scenario = busy(300);
    const whole: TraceEvent[] = [];
    runScenario(scenario, { seed: 5, sink: (event) => whole.push(event) });

    const sliced: TraceEvent[] = [];
    const session = new EngineSession(scenario, 5, (event) => sliced.push(event));
    // The consumer takes a turn of the loop after each slice; the engine makes no event meanwhile.
    let slices = 0;
    let madeWhileWaiting = 0;
    const between = async () => {
      slices += 1;
      const before = sliced.length;
      await new Promise((resolve) => setImmediate(resolve));
      madeWhileWaiting += sliced.length - before;
    };
    await runInSlices(session.runtime, scenarioDuration(scenario), { sliceMs: 1, clock: new CostlyClock(), between });
    expect(slices).toBeGreaterThan(10);
    expect(madeWhileWaiting).toBe(0);
    expect(sliced).toEqual(whole);
  });
});
