// Running scenarios and reading recorded runs.
import { createRecorder } from "@/lib/recorder";
import * as runtime from "@/lib/runtime";
import type { Db } from "@/lib/store/db";
import type { CycleInfo, RunInfo } from "@/lib/trace/types";
import { internalError, invalidInput, notFound, ServiceError } from "./errors";
import { runScenarioInSlices } from "./paced-runs";

export { getEvents, getRun, listActors, listCycles, listRuns, type ActorSummary, type ListRunsQuery } from "./run-queries";

export interface RunScenarioInput {
  /** A built-in scenario's name, a path to a scenario JSON file, or the scenario object itself. */
  scenario: string | object;
  /** Default: the scenario's own seed, else 1. */
  seed?: number;
}

export function listScenarios(): { name: string; description: string }[] {
  return runtime.listScenarios();
}

/** Events a scenario run may have recorded ahead of the database before its engine waits. */
export const MAX_UNWRITTEN_EVENTS = 20_000;

/** Runs a scenario on the virtual clock and records every event; resolves once all is stored. */
export async function runScenario(db: Db, input: RunScenarioInput): Promise<{ run: RunInfo; cycles: CycleInfo[] }> {
  const scenario = resolveScenario(input.scenario);
  const seed = input.seed ?? scenario.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) throw invalidInput(`Seed must be a whole number ≥ 0, not ${seed}`);

  const recorder = createRecorder(db, { name: scenario.name, source: "scenario", seed, config: scenario });
  let result: { endTime: number; eventCount: number };
  try {
    // In slices: a large scenario run from the dashboard must not hold the server's event loop.
    // The engine runs faster than its events are written: it waits while the writes fall too far
    // behind, so the events waiting to be written stay few (memory, and the time the garbage
    // collector spends on them).
    result = await runScenarioInSlices(scenario, {
      seed,
      sink: (event) => recorder.record(event),
      between: () => recorder.caughtUp(MAX_UNWRITTEN_EVENTS),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const { run } = await recorder.finish("failed", message);
    const coded = fromScenarioError(err);
    if (coded) throw coded;
    throw internalError(`Scenario ${scenario.name} failed (run ${run.id}): ${message}`, "scenario_failed");
  }
  if (result.eventCount !== recorder.lastSeq) {
    const message = `the runtime reported ${result.eventCount} events but recorded ${recorder.lastSeq}`;
    const { run } = await recorder.finish("failed", message);
    throw internalError(`Scenario ${scenario.name} failed (run ${run.id}): ${message}`, "scenario_failed");
  }
  return recorder.finish("finished");
}

function resolveScenario(input: string | object): runtime.Scenario {
  try {
    return typeof input === "string" ? runtime.loadScenario(input) : runtime.parseScenario(input);
  } catch (err) {
    const coded = fromScenarioError(err);
    if (coded) throw coded;
    throw err;
  }
}

/** ScenarioError → a coded service error: an unknown scenario is 404, a bad one 400. */
function fromScenarioError(err: unknown): ServiceError | null {
  if (!(err instanceof runtime.ScenarioError)) return null;
  return err.code === "scenario_not_found" ? notFound(err.message, err.code) : invalidInput(err.message, err.code);
}
