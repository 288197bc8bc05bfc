// Ending a run whose recording process died: the cycles computed from its events replace whatever
// the recorder had stored (open cycles, tags written as it went), and every event ends up with
// exactly its computed cycle.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeCycles } from "../trace/cycles";
import { actorSleeps, requestToSleepingActor, sleepingActor } from "../trace/testing/flows";
import { TraceBuilder } from "../trace/testing/trace-builder";
import type { RunInfo } from "../trace/types";
import { eventWriterFor } from "./event-writer";
import { eventToRow, openedCycleToRow } from "./mappers";
import { createTempDb, type TempDb } from "./testing/temp-db";
import { finishRun, insertRun, loadCycles, loadEvents } from "./trace-store";

let temp: TempDb;
beforeEach(async () => {
  temp = await createTempDb();
});
afterEach(async () => {
  await temp.cleanup();
});

const run: RunInfo = {
  id: "r1", name: "died", source: "scenario", seed: null, config: null, status: "running", error: null,
  eventCount: 0, startedAt: new Date().toISOString(), endedAt: null,
};

describe("finishRun", () => {
  it("replaces stale tags and open cycles with the computed ones", async () => {
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
    actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
    const events = b.events;
    const { cycles, cycleOf } = computeCycles(run.id, events);
    await insertRun(temp.db, run);
    // As a recorder killed mid-run may leave it: an open cycle no longer wanted, wrong tags.
    const stale = openedCycleToRow(run.id, { id: "r1:ghost:1", actorId: "ghost", ordinal: 1 }, 1, 0);
    const rows = events.map((event, i) => ({ ...eventToRow(run.id, event), cycleId: i % 3 === 0 ? stale.id : (cycleOf.get(event.seq) ?? null) }));
    await eventWriterFor(temp.db).append(run.id, { rows, openedCycles: [stale] });

    await finishRun(temp.db, run.id, { status: "interrupted", error: "gone", endedAt: new Date(), cycles, cycleOf });

    expect(await loadCycles(temp.db, run.id)).toEqual(cycles);
    const stored = await loadEvents(temp.db, run.id);
    expect(stored.map((e) => e.cycleId)).toEqual(events.map((e) => cycleOf.get(e.seq) ?? null));
  });
});
