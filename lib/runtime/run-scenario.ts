// Runs a scenario on the virtual clock: instant, deterministic for a seed.
import type { TraceEvent } from "../trace/types";
import { EngineSession, scenarioDuration } from "./engine-session";
import type { Scenario } from "./scenario-schema";

export { DEFAULT_MAX_HEAP_FRACTION, DEFAULT_MAX_RUN_EVENTS, RunBudgetError, budgetedSink, maxRunEvents, type RunBudget } from "./run-budget";

export interface ScenarioRunOptions {
  seed: number;
  sink: (event: TraceEvent) => void;
  /** Most events the run may record; the next one stops it with a RunBudgetError. */
  maxEvents?: number;
  /** Share of the heap limit (0–1) past which the run stops with a RunBudgetError. */
  maxHeapFraction?: number;
}

export interface ScenarioRunResult {
  endTime: number;
  eventCount: number;
}

export function runScenario(scenario: Scenario, options: ScenarioRunOptions): ScenarioRunResult {
  const session = new EngineSession(scenario, options.seed, options.sink, { maxEvents: options.maxEvents, maxHeapFraction: options.maxHeapFraction });
  const endTime = scenarioDuration(scenario);
  session.runtime.advanceTo(endTime);
  return { endTime, eventCount: session.runtime.eventCount };
}
