import { describe, expect, it } from "vitest";
import { engineConfig } from "../../engine/config";
import { EngineRuntime } from "../runtime";
import { scripted } from "../testing-participants";
import type { TraceEvent } from "../../trace/types";
import type { Clock } from "../clock";
import { WallDriver } from "./wall";

/** A clock moved by hand; timers fire when it passes them. */
class ManualClock implements Clock {
  private current = 1_000_000;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private ids = 0;
  now() {
    return this.current;
  }
  setTimer(run: () => void, delayMs: number) {
    const id = ++this.ids;
    this.timers.push({ at: this.current + delayMs, run, id });
    return id;
  }
  clearTimer(handle: unknown) {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  get pending() {
    return this.timers.map((timer) => timer.at - this.current);
  }
  advance(ms: number) {
    this.current += ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= this.current).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.timers = this.timers.filter((timer) => timer !== due);
      due.run();
    }
  }
}

/** Notes every tick of a repeating timer. */
function ticker() {
  return scripted({ role: "Gateway", id: "ticker" }, (input, fx) => {
    if (input.kind === "command" || input.kind === "timer") {
      fx.note({ type: "narrative", label: `tick at ${fx.now}` });
      fx.setTimer({ name: "tick" }, 500);
    }
  }).instance;
}

describe("WallDriver", () => {
  function setup() {
    const events: TraceEvent[] = [];
    const runtime = new EngineRuntime({ config: engineConfig(), seed: 1, sink: (event) => events.push(event) });
    const clock = new ManualClock();
    const driver = new WallDriver(runtime, clock);
    return { events, runtime, clock, driver };
  }

  it("runs inputs at wall-clock time and wakes for the runtime's next timer", () => {
    const { events, runtime, clock, driver } = setup();
    clock.advance(120);
    driver.input(() => runtime.add(ticker(), { command: "start" }));
    expect(events.map((e) => [e.time, e.label])).toEqual([[120, "tick at 120"]]);
    expect(clock.pending).toEqual([500]);
    clock.advance(499);
    expect(events).toHaveLength(1);
    clock.advance(1);
    clock.advance(500);
    expect(events.map((e) => e.time)).toEqual([120, 620, 1120]);
    expect(driver.toEpoch(620)).toBe(1_000_620);
  });

  it("catches up on timers that fell due while the process was busy, in order", () => {
    const { events, runtime, clock, driver } = setup();
    driver.input(() => runtime.add(ticker(), { command: "start" }));
    clock.advance(1_600);
    expect(events.map((e) => e.time)).toEqual([0, 500, 1000, 1500]);
  });

  it("keeps going after a participant throws, reporting the error", () => {
    const errors: unknown[] = [];
    const events: TraceEvent[] = [];
    const runtime = new EngineRuntime({ config: engineConfig(), seed: 1, sink: (event) => events.push(event) });
    const clock = new ManualClock();
    const driver = new WallDriver(runtime, clock, (err) => errors.push(err));
    const broken = scripted({ role: "API", id: "broken" }, () => {
      throw new Error("bug");
    });
    driver.input(() => runtime.add(broken.instance, { command: "start" }));
    driver.input(() => runtime.add(ticker(), { command: "start" }));
    expect(errors).toHaveLength(1);
    expect(events.map((e) => e.label)).toEqual(["tick at 0"]);
    driver.stop();
    expect(clock.pending).toEqual([]);
  });
});
