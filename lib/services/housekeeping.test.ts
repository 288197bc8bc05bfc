// Deleting runs (in batches), retention, paging of the run list, listing a run's share links.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { TraceBuilder } from "@/lib/trace/testing/trace-builder";
import { actorSleeps, requestToSleepingActor, sleepingActor } from "@/lib/trace/testing/flows";
import { deleteRun, applyRetention, retentionDays } from "./retention";
import { listRuns } from "./run-queries";
import { createShareLink, listShareLinks, revokeShareLink } from "./share-links";
import { recordTrace } from "./testing/record";

let temp: TempDb;
beforeEach(async () => {
  temp = await createTempDb();
});
afterEach(() => temp.cleanup());

function trace(): TraceBuilder {
  const b = new TraceBuilder();
  sleepingActor(b, "a1");
  requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
  actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
  return b;
}

async function counts(runId: string) {
  return {
    runs: await temp.db.run.count({ where: { id: runId } }),
    events: await temp.db.event.count({ where: { runId } }),
    cycles: await temp.db.cycle.count({ where: { runId } }),
    links: await temp.db.shareLink.count({ where: { runId } }),
    configs: await temp.db.runConfig.count({ where: { runId } }),
  };
}

describe("deleteRun", () => {
  it("removes the run, its events (in batches of the given size), cycles and share links, and nothing else", async () => {
    const { run } = await recordTrace(temp.db, trace().events, { name: "doomed" });
    const { run: kept } = await recordTrace(temp.db, trace().events, { name: "kept" });
    await createShareLink(temp.db, { path: `/runs/${run.id}` });
    const before = await counts(run.id);
    expect(before.events).toBeGreaterThan(10);
    expect(before.cycles).toBeGreaterThan(0);

    const batches: number[] = [];
    await deleteRun(temp.db, run.id, { batchSize: 4, onBatch: (p) => batches.push(p.events) });

    expect(await counts(run.id)).toEqual({ runs: 0, events: 0, cycles: 0, links: 0, configs: 0 });
    // Every batch removed at most 4 rows, and all of them together every event.
    expect(batches.length).toBe(Math.ceil(before.events / 4));
    expect(batches.at(-1)).toBe(before.events);
    expect((await counts(kept.id)).events).toBe(before.events);
  });

  it("refuses a run that is still recording (409 run_running) and an unknown run (404)", async () => {
    const { run } = await recordTrace(temp.db, trace().events.slice(0, 5), { finish: false });
    await expect(deleteRun(temp.db, run.id)).rejects.toMatchObject({ status: 409, code: "run_running" });
    expect((await counts(run.id)).runs).toBe(1);
    await expect(deleteRun(temp.db, "no-such-run")).rejects.toMatchObject({ status: 404, code: "run_not_found" });
  });
});

describe("applyRetention", () => {
  it("removes ended runs older than the retention period, never running or recent ones", async () => {
    const now = new Date("2026-06-10T12:00:00Z");
    const old = (await recordTrace(temp.db, trace().events, { name: "old" })).run;
    const recent = (await recordTrace(temp.db, trace().events, { name: "recent" })).run;
    const oldRunning = (await recordTrace(temp.db, trace().events.slice(0, 5), { name: "old but running", finish: false })).run;
    await temp.db.run.update({ where: { id: old.id }, data: { startedAt: new Date("2026-06-01T00:00:00Z") } });
    await temp.db.run.update({ where: { id: oldRunning.id }, data: { startedAt: new Date("2026-05-01T00:00:00Z") } });
    await temp.db.run.update({ where: { id: recent.id }, data: { startedAt: new Date("2026-06-09T00:00:00Z") } });

    const result = await applyRetention(temp.db, now, { env: { WAKELINE_RETENTION_DAYS: "7" } });

    expect(result).toEqual({ deleted: [old.id], before: "2026-06-03T12:00:00.000Z" });
    expect((await counts(old.id)).events).toBe(0);
    expect((await counts(recent.id)).runs).toBe(1);
    expect((await counts(oldRunning.id)).runs).toBe(1);
  });

  it("does nothing without a setting and refuses a malformed one", async () => {
    const old = (await recordTrace(temp.db, trace().events)).run;
    await temp.db.run.update({ where: { id: old.id }, data: { startedAt: new Date("2000-01-01T00:00:00Z") } });
    expect(await applyRetention(temp.db, new Date(), { env: {} })).toEqual({ deleted: [], before: null });
    expect((await counts(old.id)).runs).toBe(1);
    expect(() => retentionDays({ WAKELINE_RETENTION_DAYS: "soon" })).toThrow(expect.objectContaining({ code: "invalid_retention" }));
    expect(retentionDays({ WAKELINE_RETENTION_DAYS: "0.5" })).toBe(0.5);
  });
});

describe("listRuns paging", () => {
  it("pages through more than 50 runs, newest first, without repeats or gaps", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 53; i++) {
      const { run } = await recordTrace(temp.db, [], { name: `run ${i}` });
      await temp.db.run.update({ where: { id: run.id }, data: { startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) } });
      ids.unshift(run.id);
    }
    const first = await listRuns(temp.db);
    const second = await listRuns(temp.db, { offset: 50 });
    expect(first.map((r) => r.id)).toEqual(ids.slice(0, 50));
    expect(second.map((r) => r.id)).toEqual(ids.slice(50));
    expect(await listRuns(temp.db, { offset: 53 })).toEqual([]);
    await expect(listRuns(temp.db, { offset: -1 })).rejects.toMatchObject({ code: "invalid_offset" });
  });
});

describe("listShareLinks", () => {
  it("lists a run's links, newest first, with expiry and status, and only that run's", async () => {
    const { run } = await recordTrace(temp.db, trace().events);
    const { run: other } = await recordTrace(temp.db, trace().events);
    const t0 = new Date("2026-03-01T10:00:00Z");
    const forever = await createShareLink(temp.db, { path: `/runs/${run.id}` }, { now: t0 });
    const hour = await createShareLink(temp.db, { path: `/runs/${run.id}/cycles/1`, expiresInSeconds: 3600 }, { now: new Date(t0.getTime() + 1000) });
    const revoked = await createShareLink(temp.db, { path: `/runs/${run.id}` }, { now: new Date(t0.getTime() + 2000) });
    await revokeShareLink(temp.db, revoked.token, new Date(t0.getTime() + 3000));
    await createShareLink(temp.db, { path: `/runs/${other.id}` }, { now: t0 });

    const later = new Date(t0.getTime() + 2 * 3600_000);
    const links = await listShareLinks(temp.db, run.id, later);
    expect(links.map((l) => [l.token, l.status])).toEqual([
      [revoked.token, "revoked"],
      [hour.token, "expired"],
      [forever.token, "active"],
    ]);
    expect(links[1]).toMatchObject({ expiresAt: "2026-03-01T11:00:01.000Z", target: `/runs/${run.id}/cycles/1` });
    await expect(listShareLinks(temp.db, "nope")).rejects.toMatchObject({ status: 404 });
  });
});
