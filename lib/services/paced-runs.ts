// Scenario runs paced on wall time ("real time" or N× faster), so a run can be watched while it
// happens. The run starts in the background of the server process: the caller gets the run id at
// once, the recorder writes events in batches as they happen (status "running"), and the cycles are
// computed and stored when the scenario reaches its end. Instant runs go as fast as the engine goes,
// but in slices too: neither kind holds the server's event loop (the live engine, other requests).
import { createRecorder } from "@/lib/recorder";
import * as runtime from "@/lib/runtime";
import { scenarioDuration } from "@/lib/runtime/engine-session";
import { runInSlices, startPacedDriver, type PacedDriver, } from "@/lib/runtime/drivers/paced";
import type { Clock } from "@/lib/runtime/clock";
import type { Db } from "@/lib/store/db";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";
import { invalidInput, notFound, ServiceError } from "./errors";

/** How a scenario is played: all at once, at the pace of the clock, or N times faster. */
export type RunSpeed = "instant" | "realtime" | number;

/** Fastest pace accepted: beyond it a paced run is an instant run in disguise. */
export const MAX_SPEED = 10_000;

export interface StartPacedRunInput {
  /** A built-in scenario's name or a scenario object. */
  scenario: string | object;
  seed?: number;
  speed: Exclude<RunSpeed, "instant">;
}

export interface PacedRunOptions {
  /** Wall clock and timers; the system clock by default. */
  clock?: Clock;
}

/** Engine milliseconds per wall millisecond for a speed; throws a coded error for a bad one. */
export function speedFactor(speed: Exclude<RunSpeed, "instant">): number {
  if (speed === "realtime") return 1;
  if (typeof speed !== "number" || !Number.isFinite(speed) || speed <= 0 || speed > MAX_SPEED) {
    throw invalidInput(`Speed must be "instant", "realtime" or a number above 0 and at most ${MAX_SPEED}, not ${String(speed)}`, "invalid_speed");
  }
  return speed;
}

interface ActiveRun {
  driver: PacedDriver;
  /** Settles once the run is finished (or failed) and its cycles are stored. */
  finished: Promise<RunInfo>;
}

/** Paced runs in progress, kept per process (and across module reloads in development). */
const active: Map<string, ActiveRun> = ((globalThis as Record<string, unknown>).__wakelinePacedRuns ??=
  new Map<string, ActiveRun>()) as Map<string, ActiveRun>;

/**
 * Starts a paced run and answers once its run row is stored (status "running", no cycles yet).
 * Bad input (unknown scenario, bad seed or speed) is refused before anything is recorded.
 */
export async function startPacedRun(
  db: Db,
  input: StartPacedRunInput,
  options: PacedRunOptions = {},
): Promise<{ run: RunInfo; cycles: CycleInfo[] }> {
  const factor = speedFactor(input.speed);
  const scenario = resolveScenario(input.scenario);
  const seed = input.seed ?? scenario.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) throw invalidInput(`Seed must be a whole number ≥ 0, not ${seed}`);

  const recorder = createRecorder(db, { name: scenario.name, source: "scenario", seed, config: scenario });
  const session = new runtime.EngineSession(scenario, seed, (event) => recorder.record(event));
  const driver = startPacedDriver({
    target: session.runtime,
    endTime: scenarioDuration(scenario),
    speed: factor,
    clock: options.clock,
  });
  const runId = recorder.run.id;

  const finished = driver.done.then(
    async ({ stopped }) => {
      if (recorder.lastSeq !== session.runtime.eventCount) {
        const message = `the runtime reported ${session.runtime.eventCount} events but recorded ${recorder.lastSeq}`;
        return (await recorder.finish("failed", message)).run;
      }
      return (await recorder.finish(stopped ? "failed" : "finished", stopped ? "The run was stopped before its end." : null)).run;
    },
    async (error: unknown) => (await recorder.finish("failed", messageOf(error))).run,
  ).finally(() => active.delete(runId));
  active.set(runId, { driver, finished });
  // Nobody awaits a background run: log its failure here rather than leave an unhandled rejection.
  finished.catch((error: unknown) => console.error(`[wakeline] paced run ${runId} could not be finished`, error));

  try {
    // The run row (and anything recorded meanwhile) is in the database before we answer.
    await recorder.flush();
  } catch (error) {
    driver.stop();
    throw error;
  }
  return { run: { ...recorder.run }, cycles: [] };
}

/**
 * Runs a scenario to its end on the virtual clock, as `runtime.runScenario` does (the same events in
 * the same order), in slices of wall time with the event loop free between them (the recorder
 * writes its batches in those turns).
 */
export async function runScenarioInSlices(
  scenario: runtime.Scenario,
  options: { seed: number; sink: (event: TraceEvent) => void; between?: () => Promise<void> | void },
): Promise<{ endTime: number; eventCount: number }> {
  const session = new runtime.EngineSession(scenario, options.seed, options.sink);
  const endTime = scenarioDuration(scenario);
  await runInSlices(session.runtime, endTime, { between: options.between });
  return { endTime, eventCount: session.runtime.eventCount };
}

/** Resolves when a paced run of this process has finished; null when none is in progress. */
export function pacedRunFinished(runId: string): Promise<RunInfo> | null {
  return active.get(runId)?.finished ?? null;
}

/** Ends a paced run early (it is recorded as failed: "stopped before its end"). */
export async function stopPacedRun(runId: string): Promise<RunInfo> {
  const run = active.get(runId);
  if (!run) throw notFound(`No paced run ${runId} is in progress in this server`, "run_not_active");
  run.driver.stop();
  return run.finished;
}

function resolveScenario(input: string | object): runtime.Scenario {
  try {
    return typeof input === "string" ? runtime.loadScenario(input) : runtime.parseScenario(input);
  } catch (error) {
    if (error instanceof runtime.ScenarioError) {
      throw error.code === "scenario_not_found"
        ? notFound(error.message, error.code)
        : invalidInput(error.message, error.code);
    }
    throw error;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof ServiceError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
