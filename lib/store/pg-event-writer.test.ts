// The PostgreSQL recording writer against a real server (the PostgreSQL test run): rows as Prisma
// reads them, a batch all or nothing with the run's counter, cycles replaced as SQLite's INSERT OR
// REPLACE does, and a process that closes its database ending normally.
import { spawnSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventWriterFor } from "./event-writer";
import { eventToRow, openedCycleToRow } from "./mappers";
import { projectRoot } from "./location";
import { PgEventWriter } from "./pg-event-writer";
import { createPostgresDatabase } from "./testing/postgres-database";
import { createTempDb, onPostgres, type TempDb } from "./testing/temp-db";
import { insertRun, loadCycles, loadEvents } from "./trace-store";
import { TraceBuilder } from "../trace/testing/trace-builder";
import { actorSleeps, requestToSleepingActor, sleepingActor } from "../trace/testing/flows";
import type { CycleInfo, RunInfo } from "../trace/types";

let temp: TempDb;
beforeEach(async () => {
  if (!onPostgres) return; // PostgreSQL only: the PostgreSQL run (vitest.postgres.config.ts)
  temp = await createTempDb();
});
afterEach(async () => {
  await temp?.cleanup();
});

const run: RunInfo = {
  id: "r1", name: "writer", source: "scenario", seed: null, config: null, status: "running", error: null,
  eventCount: 0, startedAt: new Date().toISOString(), endedAt: null,
};

function trace() {
  const b = new TraceBuilder();
  sleepingActor(b, "a1");
  requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1, runnerId: "runner-1" });
  actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
  return b.events;
}

const count = async () => (await temp.db.run.findUniqueOrThrow({ where: { id: run.id } })).eventCount;

describe.runIf(onPostgres)("PgEventWriter", () => {
  it("is the writer of a PostgreSQL database", () => {
    expect(eventWriterFor(temp.db)).toBeInstanceOf(PgEventWriter);
  });

  it("writes the rows as Prisma reads them, with the cycles they open, and raises the run's count", async () => {
    await insertRun(temp.db, run);
    const events = trace();
    const opened = openedCycleToRow(run.id, { id: "c1", actorId: "a1", ordinal: 1 }, 2, events[1].time);
    await eventWriterFor(temp.db).append(run.id, { rows: events.map((e) => eventToRow(run.id, e)), openedCycles: [opened] });
    expect(await loadEvents(temp.db, run.id)).toEqual(events);
    expect((await loadCycles(temp.db, run.id)).map((c) => [c.id, c.outcome])).toEqual([["c1", "open"]]);
    const row = await temp.db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(row.eventCount).toBe(events.length);
    expect(Math.abs(row.heartbeatAt!.getTime() - Date.now())).toBeLessThan(60_000);
    // A cycle opened again (a retried batch) is left as it is.
    await eventWriterFor(temp.db).append(run.id, { rows: [], openedCycles: [opened] });
  });

  it("writes a batch all or nothing: a failing row leaves no row of it and the count as it was", async () => {
    await insertRun(temp.db, run);
    const rows = trace().map((e) => eventToRow(run.id, e));
    await eventWriterFor(temp.db).append(run.id, { rows: rows.slice(0, 2) });
    // The second batch repeats seq 2 at its end: its first rows must not stay.
    const failing = eventWriterFor(temp.db).append(run.id, { rows: [...rows.slice(2), rows[1]] });
    await expect(failing).rejects.toThrow(/duplicate key|unique/i);
    expect((await loadEvents(temp.db, run.id)).map((e) => e.seq)).toEqual([1, 2]);
    expect(await count()).toBe(2);
  });

  it("replaces stored cycles by id or by (run, actor, ordinal) and moves retagged events", async () => {
    await insertRun(temp.db, run);
    const events = trace();
    const writer = eventWriterFor(temp.db);
    await writer.append(run.id, { rows: events.map((e) => eventToRow(run.id, e)), openedCycles: [openedCycleToRow(run.id, { id: "old", actorId: "a1", ordinal: 1 }, 2, 0)] });
    const cycle: CycleInfo = {
      id: "c1", runId: run.id, actorId: "a1", ordinal: 1, firstSeq: 2, lastSeq: events.length, startTime: 0, endTime: 5, outcome: "slept",
      wakeToReadyMs: 1, coldStartMs: 2, requestsServed: 1, eventCount: events.length - 1, anomalies: [],
    };
    await writer.storeCycles(run.id, [cycle], [{ seq: 2, cycleId: "c1" }, { seq: 3, cycleId: "c1" }]);
    expect(await loadCycles(temp.db, run.id)).toEqual([cycle]);
    const tagged = (await loadEvents(temp.db, run.id)).filter((e) => e.cycleId === "c1").map((e) => e.seq);
    expect(tagged).toEqual([2, 3]);
  });

  it("lets a process that closes its database end normally (its last await settles)", async () => {
    const database = await createPostgresDatabase();
    try {
      const child = spawnSync(process.execPath, ["--import", "tsx", "lib/store/testing/write-and-close.ts", database.url], {
        cwd: projectRoot(),
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(child.stderr).toBe("");
      expect({ status: child.status, stdout: child.stdout }).toEqual({ status: 0, stdout: "closed\n" });
    } finally {
      await database.drop();
    }
  });
});
