// Runs a scenario on the virtual clock: instant, deterministic for a seed.
import type { TraceEvent } from "../trace/types";
import { EngineSession, scenarioDuration } from "./engine-session";
import type { Scenario } from "./scenario-schema";

export interface ScenarioRunOptions {
  seed: number;
  sink: (event: TraceEvent) => void;
}

export interface ScenarioRunResult {
  endTime: number;
  eventCount: number;
}

export function runScenario(scenario: Scenario, options: ScenarioRunOptions): ScenarioRunResult {
  const session = new EngineSession(scenario, options.seed, options.sink);
  const endTime = scenarioDuration(scenario);
  session.runtime.advanceTo(endTime);
  return { endTime, eventCount: session.runtime.eventCount };
}
