// Scenarios that would never end or never fit: refused up front (timings that repeat at one
// instant, unknown timing keys) or stopped with a clear error (the event and heap budgets).
import { describe, expect, it } from "vitest";
import { EngineConfigError, engineConfig } from "../engine/config";
import type { TraceEvent } from "../trace/types";
import { RunBudgetError, maxRunEvents, runScenario } from "./run-scenario";
import { Scheduler } from "./scheduler";
import { ScenarioError, loadScenario, parseScenario } from "./scenarios";

const withTiming = (timing: Record<string, unknown>) => ({ name: "timing", config: { timing } });

function refusal(json: unknown): ScenarioError {
  try {
    parseScenario(json);
  } catch (err) {
    if (err instanceof ScenarioError) return err;
    throw err;
  }
  throw new Error("the scenario was accepted");
}

describe("scenario timings", () => {
  it("refuses a period of a repeating timer at 0 or below, naming the key", () => {
    for (const key of ["pingIntervalMs", "endpointPingMs", "backoffBaseMs", "reconnectBaseMs"]) {
      for (const value of [0, -5]) {
        const error = refusal(withTiming({ [key]: value }));
        expect(error.code).toBe("scenario_invalid");
        expect(error.message).toContain(`config.timing.${key}`);
        expect(error.message).toMatch(/repeating timer|must be above 0/);
      }
    }
  });

  it("refuses unknown timing keys, negative delays and fractional counts, naming the key", () => {
    expect(refusal(withTiming({ pingIntervalMS: 1_000 })).message).toMatch(/config\.timing\.pingIntervalMS: unknown timing "pingIntervalMS"/);
    expect(refusal(withTiming({ sleepTimeoutMs: -1 })).message).toContain("config.timing.sleepTimeoutMs");
    expect(refusal(withTiming({ wakeRetryLimit: 1.5 })).message).toContain("config.timing.wakeRetryLimit");
    expect(refusal(withTiming({ pongTimeoutMs: "soon" })).message).toContain("config.timing.pongTimeoutMs");
  });

  it("takes zero where nothing repeats, and every known key", () => {
    expect(parseScenario(withTiming({ requestHandlingMs: 0, actorStartMs: 0, tunnelRetryBaseMs: 0, pingIntervalMs: 0.5 })).config.timing).toMatchObject({ requestHandlingMs: 0 });
  });

  it("guards the engine configuration itself, for callers that are not scenarios", () => {
    expect(() => engineConfig({ timing: { pingIntervalMs: 0 } })).toThrow(EngineConfigError);
    expect(() => engineConfig({ timing: { endpointPingMs: -1 } })).toThrow(/endpointPingMs/);
    expect(engineConfig({ timing: { pingIntervalMs: 10 } }).timing.pingIntervalMs).toBe(10);
  });
});

describe("run budgets", () => {
  it("stops a run at its event budget with a clear error; what was recorded is gap-free", () => {
    const events: TraceEvent[] = [];
    let error: unknown;
    try {
      runScenario(loadScenario("messy"), { seed: 1, sink: (event) => events.push(event), maxEvents: 50 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RunBudgetError);
    expect(error).toMatchObject({ code: "event_budget_exceeded", message: expect.stringMatching(/more than 50 events/) });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it("stops a run whose timers would go on for a day when the budget is reached", () => {
    // A ping every 0.001 ms for a whole day: far more events than any budget.
    const endless = parseScenario({
      name: "endless",
      durationMs: 24 * 3600_000,
      config: { timing: { pingIntervalMs: 0.001 } },
      actors: [{ id: "a" }],
      steps: [{ at: 10, request: { actor: "a" } }],
    });
    let count = 0;
    expect(() => runScenario(endless, { seed: 1, sink: () => void count++, maxEvents: 20_000 })).toThrow(/more than 20000 events/);
    expect(count).toBe(20_000);
  });

  it("stops a run when the heap is fuller than its budget", () => {
    const events: TraceEvent[] = [];
    expect(() => runScenario(loadScenario("ideal"), { seed: 1, sink: (event) => events.push(event), maxHeapFraction: 1e-9 })).toThrow(
      expect.objectContaining({ code: "heap_budget_exceeded", message: expect.stringMatching(/MB of heap/) }),
    );
    expect(events).toHaveLength(0);
  });

  it("reads the budget from WAKELINE_MAX_RUN_EVENTS, defaulting to two million", () => {
    expect(maxRunEvents({})).toBe(2_000_000);
    expect(maxRunEvents({ WAKELINE_MAX_RUN_EVENTS: "1234" })).toBe(1234);
    expect(maxRunEvents({ WAKELINE_MAX_RUN_EVENTS: "zero" })).toBe(2_000_000);
    expect(maxRunEvents({ WAKELINE_MAX_RUN_EVENTS: "0" })).toBe(2_000_000);
  });

  it("leaves a run within its budget as it was", () => {
    const a: TraceEvent[] = [];
    const b: TraceEvent[] = [];
    runScenario(loadScenario("messy"), { seed: 3, sink: (event) => a.push(event) });
    runScenario(loadScenario("messy"), { seed: 3, sink: (event) => b.push(event), maxEvents: a.length });
    expect(b).toEqual(a);
  });
});

describe("Scheduler order with steps scheduled up front and work scheduled as it runs", () => {
  it("runs everything in (time, scheduling order), as one sorted list would", () => {
    let state = 7;
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const scheduler = new Scheduler();
    const expected: { time: number; order: number }[] = [];
    const ran: number[] = [];
    let order = 0;
    const schedule = (time: number, depth: number) => {
      const task = { time: Math.max(time, scheduler.now), order: order++ };
      expected.push(task);
      scheduler.at(time, () => {
        ran.push(task.order);
        if (depth < 3) for (let i = 0; i < 3; i++) schedule(scheduler.now + Math.floor(random() * 40) - 5, depth + 1);
      });
    };
    // Steps in time order with ties, then a few out of order, as a scenario file may list them.
    for (let i = 0; i < 200; i++) schedule(Math.floor(i / 3) * 10, 0);
    for (let i = 0; i < 20; i++) schedule(Math.floor(random() * 700), 0);
    scheduler.advanceTo(10_000);
    const byTime = [...expected].sort((x, y) => x.time - y.time || x.order - y.order).map((t) => t.order);
    expect(ran).toEqual(byTime);
    expect(scheduler.size).toBe(0);
  });
});
