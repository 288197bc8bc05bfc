import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadScenario } from "@/lib/runtime";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { loadEvents } from "@/lib/store/trace-store";
import { checkRecordedRun } from "./check";
import { getRun, listCycles, runScenario } from "./runs";

let temp: TempDb;
beforeAll(async () => {
  temp = await createTempDb();
});
afterAll(() => temp.cleanup());

describe("runScenario", () => {
  it("records a built-in scenario completely: events, cycles, and a finished run", async () => {
    const { run, cycles } = await runScenario(temp.db, { scenario: "ideal" });
    expect(run).toMatchObject({ name: "ideal", source: "scenario", status: "finished", error: null });
    expect(await getRun(temp.db, run.id)).toEqual(run);
    const events = await loadEvents(temp.db, run.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events).toHaveLength(run.eventCount);
    expect(cycles.length).toBeGreaterThan(0);
    expect(await listCycles(temp.db, run.id)).toEqual(cycles);
    expect(events.filter((e) => e.cycleId === cycles[0].id)).toHaveLength(cycles[0].eventCount);
    expect((await checkRecordedRun(temp.db, run.id)).violations).toEqual([]);
  });

  it("records the same trace for the same seed", async () => {
    const strip = async (runId: string) =>
      (await loadEvents(temp.db, runId)).map((e) => ({ ...e, cycleId: e.cycleId?.replace(runId, "") ?? null }));
    const a = await runScenario(temp.db, { scenario: "messy", seed: 5 });
    const b = await runScenario(temp.db, { scenario: "messy", seed: 5 });
    expect(a.run.seed).toBe(5);
    expect(await strip(b.run.id)).toEqual(await strip(a.run.id));
  });

  it("runs a scenario file or object, using its seed when none is given", async () => {
    const file = path.join(temp.dir, "mine.json");
    const scenario = { ...loadScenario("ideal"), name: "mine", seed: 11 };
    fs.writeFileSync(file, JSON.stringify(scenario));
    expect((await runScenario(temp.db, { scenario: file })).run).toMatchObject({ name: "mine", seed: 11 });
    expect((await runScenario(temp.db, { scenario, seed: 12 })).run).toMatchObject({ name: "mine", seed: 12 });
  });

  it("answers unknown and invalid scenarios and seeds with coded errors, recording nothing", async () => {
    const before = await temp.db.run.count();
    await expect(runScenario(temp.db, { scenario: "no-such-scenario" })).rejects.toMatchObject({
      code: "scenario_not_found",
      status: 404,
    });
    await expect(runScenario(temp.db, { scenario: { name: 3 } })).rejects.toMatchObject({
      code: "scenario_invalid",
      status: 400,
    });
    await expect(runScenario(temp.db, { scenario: path.join(temp.dir, "absent.json") })).rejects.toMatchObject({
      status: 400,
    });
    await expect(runScenario(temp.db, { scenario: "ideal", seed: -1 })).rejects.toMatchObject({ code: "invalid_input" });
    expect(await temp.db.run.count()).toBe(before);
  });
});
