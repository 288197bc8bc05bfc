import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { TraceBuilder } from "@/lib/trace/testing/trace-builder";
import { actorSleeps, requestToSleepingActor, sleepingActor } from "@/lib/trace/testing/flows";
import type { RunInfo } from "@/lib/trace/types";
import { getEvents, getRun, listActors, listCycles, listRuns } from "./run-queries";
import { recordTrace } from "./testing/record";

let temp: TempDb;
let twoActors: RunInfo;
let live: RunInfo;
let before: Date;

function twoActorTrace(): TraceBuilder {
  const b = new TraceBuilder();
  sleepingActor(b, "a1");
  sleepingActor(b, "a2");
  requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
  actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
  requestToSleepingActor(b, { actorId: "a1", requestId: "r2", generation: 2, runnerId: "runner-1" });
  requestToSleepingActor(b, { actorId: "a2", requestId: "r3", generation: 1, runnerId: "runner-1" });
  return b;
}

/** Start times are stored in milliseconds: let the clock move on so runs never tie. */
async function nextMillisecond(after: Date | string): Promise<void> {
  const t = new Date(after).getTime();
  while (Date.now() <= t) await new Promise((resolve) => setImmediate(resolve));
}

beforeAll(async () => {
  temp = await createTempDb();
  const { run: first } = await recordTrace(temp.db, new TraceBuilder().events, { name: "empty scenario", source: "scenario" });
  await nextMillisecond(first.startedAt);
  before = new Date();
  await nextMillisecond(before);
  twoActors = (await recordTrace(temp.db, twoActorTrace().events, { name: "two actors", source: "scenario", seed: 3 })).run;
  await nextMillisecond(twoActors.startedAt);
  live = (await recordTrace(temp.db, twoActorTrace().events.slice(0, 30), { name: "live session", finish: false })).run;
});
afterAll(() => temp.cleanup());

describe("listRuns", () => {
  it("lists the newest first and filters by name, source, start and count", async () => {
    expect((await listRuns(temp.db)).map((r) => r.name)).toEqual(["live session", "two actors", "empty scenario"]);
    expect((await listRuns(temp.db, { name: "actor" })).map((r) => r.id)).toEqual([twoActors.id]);
    expect((await listRuns(temp.db, { source: "live" })).map((r) => r.id)).toEqual([live.id]);
    expect((await listRuns(temp.db, { since: before.toISOString() })).map((r) => r.id)).toEqual([live.id, twoActors.id]);
    expect(await listRuns(temp.db, { limit: 1 })).toHaveLength(1);
  });

  it("rejects a bad source, date or limit with a coded error", async () => {
    await expect(listRuns(temp.db, { source: "ftp" as never })).rejects.toMatchObject({ code: "invalid_input", status: 400 });
    await expect(listRuns(temp.db, { since: "yesterday-ish" })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(listRuns(temp.db, { limit: 0 })).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("getRun / getEvents", () => {
  it("returns a stored run, and a coded 404 for an unknown id", async () => {
    expect(await getRun(temp.db, twoActors.id)).toEqual(twoActors);
    await expect(getRun(temp.db, "nope")).rejects.toMatchObject({ code: "run_not_found", status: 404 });
    await expect(getEvents(temp.db, "nope")).rejects.toMatchObject({ code: "run_not_found" });
  });

  it("pages through events after a seq, optionally for one actor", async () => {
    const all = await getEvents(temp.db, twoActors.id);
    expect(all).toHaveLength(twoActors.eventCount);
    const page = await getEvents(temp.db, twoActors.id, { afterSeq: 10, limit: 5 });
    expect(page.map((e) => e.seq)).toEqual([11, 12, 13, 14, 15]);
    const a2 = await getEvents(temp.db, twoActors.id, { actorId: "a2" });
    expect(a2.length).toBeGreaterThan(0);
    expect(a2.every((e) => e.actorId === "a2")).toBe(true);
  });
});

describe("listCycles", () => {
  it("returns the stored cycles of a finished run in the order they opened", async () => {
    const cycles = await listCycles(temp.db, twoActors.id);
    expect(cycles.map((c) => [c.actorId, c.ordinal, c.outcome])).toEqual([
      ["a1", 1, "slept"],
      ["a1", 2, "open"],
      ["a2", 1, "open"],
    ]);
  });

  it("computes the cycles of a run that is still recording", async () => {
    const cycles = await listCycles(temp.db, live.id);
    expect(cycles.map((c) => [c.id, c.outcome])).toEqual([[`${live.id}:a1:1`, "open"]]);
  });
});

describe("listActors", () => {
  it("lists each actor with its last state, placement and cycle count", async () => {
    expect(await listActors(temp.db, twoActors.id)).toEqual([
      expect.objectContaining({ actorId: "a1", state: "Running", generation: 2, runnerId: "runner-1", cycles: 2 }),
      expect.objectContaining({ actorId: "a2", state: "Running", generation: 1, runnerId: "runner-1", cycles: 1 }),
    ]);
  });
});
