import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createRecorder } from "@/lib/recorder";
import { loadScenario, runScenario } from "@/lib/runtime";
import { closeDb, openDb } from "@/lib/store/db";
import { findRun, loadCycles } from "@/lib/store/trace-store";
import { closeInterruptedRuns, INTERRUPTED_ERROR } from "./interrupted-runs";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-interrupted-"));
const url = `file:${path.join(dir, "test.db")}`;
afterAll(async () => {
  await closeDb(url);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("closeInterruptedRuns", () => {
  it("closes runs a stopped server left recording, keeping their events and computing their cycles", async () => {
    const db = await openDb(url);
    // A run whose recorder never finished (its process went away), and one that finished.
    const abandoned = await createRecorder(db, { name: "abandoned", source: "scenario", seed: 1 });
    runScenario(loadScenario("ideal"), { seed: 1, sink: (event) => abandoned.record(event) });
    await abandoned.flush();
    const done = await createRecorder(db, { name: "done", source: "scenario", seed: 1 });
    runScenario(loadScenario("ideal"), { seed: 1, sink: (event) => done.record(event) });
    await done.finish();

    expect(await closeInterruptedRuns(db)).toEqual([abandoned.run.id]);
    const closed = await findRun(db, abandoned.run.id);
    expect(closed).toMatchObject({ status: "failed", error: INTERRUPTED_ERROR, eventCount: abandoned.lastSeq });
    expect(closed?.endedAt).not.toBeNull();
    expect((await loadCycles(db, abandoned.run.id)).map((cycle) => cycle.actorId)).toEqual(["actor-1"]);
    expect((await findRun(db, done.run.id))?.status).toBe("finished");
    // Nothing left to close the second time.
    expect(await closeInterruptedRuns(db)).toEqual([]);
  });
});
