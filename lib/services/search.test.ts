// Search across runs against a real (temporary) database: the FTS5 index kept by triggers, the
// exact-match filters, paging, and hits that open the cycle view at the event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { TraceBuilder } from "@/lib/trace/testing/trace-builder";
import { actorSleeps, requestToSleepingActor, sleepingActor } from "@/lib/trace/testing/flows";
import type { RunInfo } from "@/lib/trace/types";
import { deleteRun } from "./retention";
import { searchEvents } from "./search";
import { recordTrace } from "./testing/record";

let temp: TempDb;
let ended: RunInfo;
let live: RunInfo;
let otherRun: RunInfo;
let markerSeq = 0;

function trace(actorId: string, marker: string | null): TraceBuilder {
  const b = new TraceBuilder();
  sleepingActor(b, actorId);
  requestToSleepingActor(b, { actorId, requestId: "r1", generation: 1, runnerId: "runner-1" });
  if (marker) {
    const event = b.message("MarkerProbe", ["Gateway", "gw"], ["Runner", "runner-1"], {
      actorId,
      runnerId: "runner-1",
      payload: { path: `/orders/${marker}`, error: { code: "actor.not_found" } },
      label: "request with a marker",
    });
    markerSeq = event.seq;
  }
  actorSleeps(b, { actorId, runnerId: "runner-1", generation: 1 });
  return b;
}

beforeAll(async () => {
  temp = await createTempDb();
  otherRun = (await recordTrace(temp.db, trace("b1", null).events, { name: "other" })).run;
  ended = (await recordTrace(temp.db, trace("a1", "zebra-4711").events, { name: "ended" })).run;
  live = (await recordTrace(temp.db, trace("a2", "okapi-99").events, { name: "live", finish: false })).run;
});
afterAll(() => temp.cleanup());

describe("searchEvents", () => {
  it("finds an event by a word of its payload and links to its cycle with the event selected", async () => {
    const { hits, next } = await searchEvents(temp.db, { text: "zebra" });
    expect(next).toBeNull();
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ runId: ended.id, runName: "ended", seq: markerSeq, actorId: "a1", cycle: { actorId: "a1", ordinal: 1 } });
    expect(hits[0].href).toBe(`/runs/${ended.id}/cycles/1?actor=a1&sel=${markerSeq}`);
    expect(hits[0].payloadStart).toContain("zebra-4711");
  });

  it("finds the cycle of an event in a run that is still recording (not yet tagged)", async () => {
    const { hits } = await searchEvents(temp.db, { text: "okapi 99" });
    expect(hits.map((h) => [h.runId, h.cycle])).toEqual([[live.id, { actorId: "a2", ordinal: 1 }]]);
  });

  it("matches words of labels, prefixes of the last word, and error codes in payloads", async () => {
    expect((await searchEvents(temp.db, { text: "marker" })).hits.map((h) => h.runId)).toEqual([live.id, ended.id]);
    expect((await searchEvents(temp.db, { text: "zeb" })).hits).toHaveLength(1);
    expect((await searchEvents(temp.db, { code: "actor.not_found" })).hits).toHaveLength(2);
    expect((await searchEvents(temp.db, { code: "actor.destroyed" })).hits).toHaveLength(0);
    // Operators are words, not syntax.
    expect((await searchEvents(temp.db, { text: 'zebra OR "okapi' })).hits).toHaveLength(0);
  });

  it("filters exactly by actor, runner, type and run, newest first, in pages", async () => {
    const byActor = await searchEvents(temp.db, { actorId: "b1" });
    expect(byActor.hits.length).toBeGreaterThan(3);
    expect(byActor.hits.every((h) => h.runId === otherRun.id && h.actorId === "b1")).toBe(true);
    const byType = await searchEvents(temp.db, { type: "MarkerProbe", runnerId: "runner-1" });
    expect(byType.hits.map((h) => h.runId)).toEqual([live.id, ended.id]);
    expect((await searchEvents(temp.db, { type: "MarkerProbe", runId: ended.id })).hits.map((h) => h.runId)).toEqual([ended.id]);

    const all = (await searchEvents(temp.db, { actorId: "a1", limit: 200 })).hits;
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchEvents(temp.db, { actorId: "a1", limit: 3, cursor });
      seen.push(...page.hits.map((h) => h.seq));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.map((h) => h.seq));
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  it("limits by time range to the events that happened then (run start + engine time), not to whole runs", async () => {
    const all = (await searchEvents(temp.db, { actorId: "a1", limit: 200 })).hits;
    const marker = all.find((hit) => hit.seq === markerSeq)!;
    const at = Date.parse(ended.startedAt) + marker.time;
    const inRange = (await searchEvents(temp.db, { actorId: "a1", from: new Date(at), to: new Date(at), limit: 200 })).hits;
    expect(inRange.map((hit) => hit.seq)).toContain(markerSeq);
    expect(inRange.every((hit) => hit.time === marker.time)).toBe(true);
    expect(inRange.length).toBeLessThan(all.length);
    // Open-ended on one side: everything from the marker on, or up to just before it.
    const after = (await searchEvents(temp.db, { actorId: "a1", from: new Date(at), limit: 200 })).hits;
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((hit) => hit.time >= marker.time)).toBe(true);
    const before = (await searchEvents(temp.db, { actorId: "a1", to: new Date(at - 1), limit: 200 })).hits;
    expect(before.every((hit) => hit.time < marker.time)).toBe(true);
    expect(before.length + after.length).toBe(all.length);
    // A still-recording run has no events in the future, though its recording has not ended.
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await searchEvents(temp.db, { text: "marker", from: future })).hits).toEqual([]);
    expect((await searchEvents(temp.db, { text: "marker", to: "2000-01-01T00:00:00Z" })).hits).toEqual([]);
  });

  it("refuses an empty or malformed search with a coded error", async () => {
    await expect(searchEvents(temp.db, {})).rejects.toMatchObject({ status: 400, code: "empty_search" });
    await expect(searchEvents(temp.db, { text: "***" })).rejects.toMatchObject({ code: "invalid_search" });
    await expect(searchEvents(temp.db, { actorId: "a1", cursor: "x" })).rejects.toMatchObject({ code: "invalid_cursor" });
    await expect(searchEvents(temp.db, { text: "a", from: "2026-02-01", to: "2026-01-01" })).rejects.toMatchObject({ code: "invalid_range" });
  });

  it("forgets a deleted run's events (the index follows deletions)", async () => {
    const { run } = await recordTrace(temp.db, trace("c1", "ibex-1").events, { name: "doomed" });
    expect((await searchEvents(temp.db, { text: "ibex" })).hits).toHaveLength(1);
    await deleteRun(temp.db, run.id, { batchSize: 7 });
    expect((await searchEvents(temp.db, { text: "ibex" })).hits).toHaveLength(0);
    if (temp.provider === "sqlite") {
      // SQLite's FTS5 table is kept by triggers; PostgreSQL's index is an expression on Event itself.
      const integrity = await temp.db.$queryRawUnsafe<unknown[]>(`INSERT INTO "EventSearch"("EventSearch", rank) VALUES ('integrity-check', 1)`).catch((e: unknown) => e);
      expect(integrity).not.toBeInstanceOf(Error);
    }
  });
});
