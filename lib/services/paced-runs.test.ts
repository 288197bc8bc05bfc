import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { loadEvents } from "@/lib/store/trace-store";
import { pacedRunFinished, speedFactor, startPacedRun, stopPacedRun } from "./paced-runs";
import { getRun, listCycles, runScenario } from "./runs";

let temp: TempDb;
beforeAll(async () => {
  temp = await createTempDb();
});
afterAll(() => temp.cleanup());

/** Waits (on real time, for the database) until `check` passes. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("speedFactor", () => {
  it("maps real time to 1 and keeps N×; refuses other values with a coded error", () => {
    expect(speedFactor("realtime")).toBe(1);
    expect(speedFactor(25)).toBe(25);
    expect(speedFactor(0.5)).toBe(0.5);
    for (const bad of [0, -2, Number.NaN, 1e9]) {
      expect(() => speedFactor(bad)).toThrow(expect.objectContaining({ code: "invalid_speed", status: 400 }));
    }
  });
});

describe("startPacedRun", () => {
  it("answers at once with a running run, records as it goes, and stores cycles at the end", async () => {
    // Fast enough for a test (ideal lasts 5 s of engine time), slow enough to be seen running.
    const { run, cycles } = await startPacedRun(temp.db, { scenario: "ideal", seed: 3, speed: 5 });
    expect(run).toMatchObject({ name: "ideal", status: "running", seed: 3 });
    expect(cycles).toEqual([]);
    expect((await getRun(temp.db, run.id)).status).toBe("running");

    // Events show up in the database while the run is still going.
    await eventually(async () => (await loadEvents(temp.db, run.id)).length > 0, "the first events");
    expect((await getRun(temp.db, run.id)).status).toBe("running");
    // While it runs, its cycles are computed on read.
    await eventually(async () => (await listCycles(temp.db, run.id)).length > 0, "an open cycle");

    const finished = await pacedRunFinished(run.id);
    expect(finished).toMatchObject({ id: run.id, status: "finished", error: null });
    expect(pacedRunFinished(run.id)).toBeNull();

    // Same scenario and seed instantly: the same events and cycles.
    const instant = await runScenario(temp.db, { scenario: "ideal", seed: 3 });
    const strip = async (runId: string) =>
      (await loadEvents(temp.db, runId)).map((event) => ({ ...event, cycleId: event.cycleId?.replace(runId, "") ?? null }));
    expect(await strip(run.id)).toEqual(await strip(instant.run.id));
    expect((await listCycles(temp.db, run.id)).map((cycle) => cycle.eventCount)).toEqual(
      instant.cycles.map((cycle) => cycle.eventCount),
    );
  }, 20_000);

  it("can be stopped early; the run is then marked failed with a reason", async () => {
    const { run } = await startPacedRun(temp.db, { scenario: "ideal", speed: 0.01 });
    const stopped = await stopPacedRun(run.id);
    expect(stopped).toMatchObject({ status: "failed", error: "The run was stopped before its end." });
    await expect(stopPacedRun(run.id)).rejects.toMatchObject({ code: "run_not_active", status: 404 });
  });

  it("refuses an unknown scenario, a bad seed and a bad speed without recording a run", async () => {
    const before = await temp.db.run.count();
    await expect(startPacedRun(temp.db, { scenario: "no-such", speed: 2 })).rejects.toMatchObject({ status: 404 });
    await expect(startPacedRun(temp.db, { scenario: { name: 5 }, speed: 2 })).rejects.toMatchObject({ code: "scenario_invalid" });
    await expect(startPacedRun(temp.db, { scenario: "ideal", seed: -1, speed: 2 })).rejects.toMatchObject({ status: 400 });
    await expect(startPacedRun(temp.db, { scenario: "ideal", speed: 0 })).rejects.toMatchObject({ code: "invalid_speed" });
    expect(await temp.db.run.count()).toBe(before);
  });
});
