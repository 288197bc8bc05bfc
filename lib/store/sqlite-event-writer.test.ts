// The recording writer shares its database file with other writers (the server and CLI runs): while
// another connection holds the write lock, it waits without holding the event loop, then writes.
import { spawnSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventWriterFor } from "./event-writer";
import { eventToRow, openedCycleToRow } from "./mappers";
import { createTempDb, type TempDb, onPostgres } from "./testing/temp-db";
import { findRun, insertRun, loadCycles, loadEvents } from "./trace-store";
import { ownerOf } from "./run-owner";
import { computeCycles } from "../trace/cycles";
import { projectRoot } from "./location";
import { ftsQuery, searchEventRows } from "./search-store";
import { SLICE_ROWS, SqliteEventWriter } from "./sqlite-event-writer";
import { TraceBuilder } from "../trace/testing/trace-builder";
import { requestToSleepingActor, sleepingActor } from "../trace/testing/flows";
import type { RunInfo } from "../trace/types";

let temp: TempDb;
beforeEach(async () => {
  if (onPostgres) return; // SQLite only: skipped in the PostgreSQL run
  temp = await createTempDb();
});
afterEach(async () => {
  if (onPostgres) return; // SQLite only: skipped in the PostgreSQL run
  await temp.cleanup();
});

const run: RunInfo = {
  id: "r1", name: "writer", source: "scenario", seed: null, config: null, status: "running", error: null,
  eventCount: 0, startedAt: new Date().toISOString(), endedAt: null,
};

function trace() {
  const b = new TraceBuilder();
  sleepingActor(b, "a1");
  requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
  return b.events;
}

describe.skipIf(onPostgres)("SqliteEventWriter", () => {
  it("is the writer of a SQLite database", () => {
    expect(eventWriterFor(temp.db)).toBeInstanceOf(SqliteEventWriter);
  });

  it("writes the rows as Prisma reads them, and raises the run's count", async () => {
    await insertRun(temp.db, run);
    const events = trace();
    await eventWriterFor(temp.db).append(run.id, { rows: events.map((e) => eventToRow(run.id, e)) });
    expect(await loadEvents(temp.db, run.id)).toEqual(events);
    const row = await temp.db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(row.eventCount).toBe(events.length);
    expect(row.heartbeatAt).toBeInstanceOf(Date);
  });

  it("writes a batch of several transactions in order, with the cycles it opens, and counts every row", async () => {
    await insertRun(temp.db, run);
    const traced = trace();
    const events = Array.from({ length: 2 * SLICE_ROWS + 7 }, (_, i) => ({ ...traced[i % traced.length], seq: i + 1 }));
    const opened = openedCycleToRow(run.id, { id: "c1", actorId: "a1", ordinal: 1 }, 2, events[1].time);
    await eventWriterFor(temp.db).append(run.id, { rows: events.map((e) => eventToRow(run.id, e)), openedCycles: [opened] });
    expect((await loadEvents(temp.db, run.id)).map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    expect((await loadCycles(temp.db, run.id)).map((c) => [c.id, c.outcome])).toEqual([["c1", "open"]]);
    expect((await temp.db.run.findUniqueOrThrow({ where: { id: run.id } })).eventCount).toBe(events.length);
    // A batch that only opens a cycle stores it.
    const second = openedCycleToRow(run.id, { id: "c2", actorId: "a1", ordinal: 2 }, 9, events[8].time);
    await eventWriterFor(temp.db).append(run.id, { rows: [], openedCycles: [second] });
    expect((await loadCycles(temp.db, run.id)).map((c) => c.id)).toEqual(["c1", "c2"]);
  });

  it("takes appends handed over before the earlier ones finished: all stored, in order, each answered in turn", async () => {
    await insertRun(temp.db, run);
    const traced = trace();
    const events = Array.from({ length: 2 * SLICE_ROWS + 400 }, (_, i) => ({ ...traced[i % traced.length], seq: i + 1 }));
    const rows = events.map((e) => eventToRow(run.id, e));
    // One append larger than a transaction, then many small ones, none waiting for the last.
    const appends = [rows.slice(0, SLICE_ROWS + 100), ...Array.from({ length: 30 }, (_, i) => rows.slice(SLICE_ROWS + 100 + i * 10, SLICE_ROWS + 110 + i * 10)), rows.slice(SLICE_ROWS + 400)];
    const answered: number[] = [];
    const writer = eventWriterFor(temp.db);
    expect(writer.queuesAppends).toBe(true);
    await Promise.all(appends.map((part, index) => writer.append(run.id, { rows: part }).then(() => answered.push(index))));
    expect(answered).toEqual(appends.map((_, index) => index));
    expect((await loadEvents(temp.db, run.id)).map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    expect((await temp.db.run.findUniqueOrThrow({ where: { id: run.id } })).eventCount).toBe(events.length);
  });

  it("refuses a run's appends queued behind one that failed, so no gap is stored, and goes on with other runs", async () => {
    const other: RunInfo = { ...run, id: "r2" };
    await insertRun(temp.db, run);
    await insertRun(temp.db, other);
    const rows = trace().map((e) => eventToRow(run.id, e));
    const writer = eventWriterFor(temp.db);
    await writer.append(run.id, { rows: rows.slice(0, 5) });
    // Handed over together: the first repeats seq 5 (the primary key refuses it), the last follows it.
    const settled = await Promise.allSettled([
      writer.append(run.id, { rows: rows.slice(4, 8) }),
      writer.append(other.id, { rows: rows.slice(0, 3).map((row) => ({ ...row, runId: other.id })) }),
      writer.append(run.id, { rows: rows.slice(8, 12) }),
    ]);
    expect(settled.map((result) => result.status)).toEqual(["rejected", "fulfilled", "rejected"]);
    expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(String((settled[2] as PromiseRejectedResult).reason)).toMatch(/an earlier write of this run failed: .*UNIQUE/);
    expect((await loadEvents(temp.db, run.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await loadEvents(temp.db, other.id)).toHaveLength(3);
  });

  it("writes the run row ahead of the appends handed over after it, and ends it with its cycles, as Prisma reads them", async () => {
    const started: RunInfo = { ...run, id: "r3", seed: 7, config: { timing: { sleepTimeoutMs: 5 } }, followsRunId: "r0" };
    const events = trace();
    const writer = eventWriterFor(temp.db);
    await Promise.all([writer.startRun!(started, ownerOf("cli")), writer.append(started.id, { rows: events.map((e) => eventToRow(started.id, e)) })]);
    expect(await findRun(temp.db, started.id)).toEqual({ ...started, eventCount: events.length });
    const owned = await temp.db.run.findUniqueOrThrow({ where: { id: started.id } });
    expect([owned.ownerKind, owned.owner, owned.heartbeatAt]).toEqual(["cli", ownerOf("cli").id, expect.any(Date)]);

    const { cycles } = computeCycles(started.id, events);
    expect(cycles.length).toBeGreaterThan(0);
    const endedAt = new Date();
    await writer.finishRun!(started.id, cycles, [], { status: "failed", error: "stopped by the test", endedAt });
    expect(await findRun(temp.db, started.id)).toEqual({
      ...started, status: "failed", error: "stopped by the test", endedAt: endedAt.toISOString(), eventCount: events.length,
    });
    expect(await loadCycles(temp.db, started.id)).toEqual(cycles);
    const ended = await temp.db.run.findUniqueOrThrow({ where: { id: started.id } });
    expect([ended.owner, ended.heartbeatAt]).toEqual([null, null]);
    // A run with no cycle and nothing to retag still ends.
    await writer.startRun!({ ...started, id: "r4" }, null);
    await writer.finishRun!("r4", [], [], { status: "finished", error: null, endedAt });
    expect((await findRun(temp.db, "r4"))?.status).toBe("finished");
  });

  it("waits for another writer's lock with the event loop free, then commits", async () => {
    await insertRun(temp.db, run);
    const other = new Database(temp.url.slice("file:".length));
    other.exec("BEGIN IMMEDIATE");
    const events = trace();
    let written = false;
    const writing = eventWriterFor(temp.db)
      .append(run.id, { rows: events.map((e) => eventToRow(run.id, e)) })
      .then(() => (written = true));
    // The loop runs on while the write waits: timers fire, one after another, and nothing is written.
    let ticks = 0;
    while (ticks < 20) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      ticks++;
    }
    expect(written).toBe(false);
    expect((other.prepare(`SELECT count(*) AS n FROM "Event"`).get() as { n: number }).n).toBe(0);
    other.exec("COMMIT");
    other.close();
    await writing;
    expect(await loadEvents(temp.db, run.id)).toHaveLength(events.length);
  });

  it("lets a process that closes its database end normally (its last await settles)", () => {
    const child = spawnSync(
      process.execPath,
      [path.join(projectRoot(), "node_modules", "tsx", "dist", "cli.mjs"), "lib/store/testing/write-and-close.ts", `file:${path.join(temp.dir, "cli.db")}`],
      { cwd: projectRoot(), encoding: "utf8", timeout: 60_000 },
    );
    expect(child.stderr).toBe("");
    expect({ status: child.status, stdout: child.stdout }).toEqual({ status: 0, stdout: "closed\n" });
  }, 60_000);

  describe("search index", () => {
    /**
     * Rows the search index finds for a word, and its entries. With every event indexed, the index
     * is first checked against them (FTS5 reports any difference as corruption).
     */
    function indexed(word: string, allIndexed = true): { matches: number; entries: number } {
      const raw = new Database(temp.url.slice("file:".length));
      try {
        const matches = raw.prepare(`SELECT count(*) FROM "EventSearch" WHERE "EventSearch" MATCH ?`).pluck().get(word) as number;
        // A row indexed twice, left out, or indexed with other text fails it.
        if (allIndexed) raw.prepare(`INSERT INTO "EventSearch"("EventSearch", rank) VALUES ('integrity-check', 1)`).run();
        const entries = raw.prepare(`SELECT count(*) FROM "EventSearch_docsize"`).pluck().get() as number;
        return { matches, entries };
      } finally {
        raw.close();
      }
    }

    it("indexes every row it writes, once, in the same transaction", async () => {
      await insertRun(temp.db, run);
      const events = trace();
      await eventWriterFor(temp.db).append(run.id, { rows: events.map((e) => eventToRow(run.id, e)) });
      const words = events.filter((e) => /wake/i.test(e.label)).length;
      expect(words).toBeGreaterThan(0);
      expect(indexed("wake*")).toEqual({ matches: words, entries: events.length });
    });

    it("indexes nothing of a slice that fails", async () => {
      await insertRun(temp.db, run);
      const traced = trace().map((e) => eventToRow(run.id, e));
      const rows = Array.from({ length: SLICE_ROWS + 50 }, (_, i) => ({ ...traced[i % traced.length], seq: i + 1 }));
      // The second slice repeats a seq of the first: its transaction fails on the primary key.
      const failing = [...rows, { ...rows[0], label: "zebracrossing" }];
      await expect(eventWriterFor(temp.db).append(run.id, { rows: failing })).rejects.toThrow(/UNIQUE/);
      expect(indexed("zebracrossing")).toEqual({ matches: 0, entries: SLICE_ROWS });
    });

    it("catches up rows another writer left unindexed, and a search finds them", async () => {
      await insertRun(temp.db, run);
      await temp.db.event.create({ data: { runId: run.id, seq: 1, time: 0, kind: "note", type: "x", label: "zebracrossing" } });
      expect(indexed("zebracrossing", false)).toEqual({ matches: 0, entries: 0 });
      const rows = trace().map((e, i) => ({ ...eventToRow(run.id, e), seq: i + 2 }));
      await eventWriterFor(temp.db).append(run.id, { rows });
      expect(indexed("zebracrossing")).toEqual({ matches: 1, entries: rows.length + 1 });

      await temp.db.event.create({ data: { runId: run.id, seq: rows.length + 2, time: 0, kind: "note", type: "x", label: "okapi" } });
      const found = await searchEventRows(temp.db, { match: ftsQuery("okapi")!, limit: 10 });
      expect(found.map((row) => row.seq)).toEqual([rows.length + 2]);
    });

    it("keeps the index in step when the newest events are deleted and others take their rowids", async () => {
      await insertRun(temp.db, run);
      const rows = trace().map((e) => eventToRow(run.id, e));
      await eventWriterFor(temp.db).append(run.id, { rows });
      await temp.db.event.deleteMany({ where: { runId: run.id, seq: { gt: rows.length - 3 } } });
      expect(indexed("wake*").entries).toBe(rows.length - 3);
      // SQLite hands the freed rowids out again: the new rows must still be indexed.
      await eventWriterFor(temp.db).append(run.id, { rows: rows.slice(-3).map((row) => ({ ...row, label: "zebracrossing" })) });
      expect(indexed("zebracrossing")).toEqual({ matches: 3, entries: rows.length });
    });
  });
});
